/**
 * Issue #14: every path a manifest gives (dataset.schema, the dataset URIs of a backfill, a rule's
 * files) stays inside its repository or root after symbolic links are resolved. `dataset.schema:
 * /etc/passwd` read that file into an error message and an outside file's fields into a diff.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { targetRecordSchema } from '../../src/codemod/rules/schema-types.js';
import { planBackfill } from '../../src/data/backfill/backfill.js';
import { partitionStatus } from '../../src/data/backfill/run.js';
import type { DatasetManifest } from '../../src/data/dataset-spec.js';
import { parseManifest } from '../../src/manifest/load.js';
import { InputError, ValidationError, type Problem } from '../../src/util/errors.js';
import { insideRoot, isInsidePath } from '../../src/util/inside-root.js';

let dir: string;
let repo: string;
let outside: string;
const SECRET = 'root:x:0:0:do-not-leak';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-paths-'));
  repo = join(dir, 'repo');
  outside = join(dir, 'outside');
  mkdirSync(join(repo, 'schemas'), { recursive: true });
  mkdirSync(join(outside, 'dt=2024-01-01'), { recursive: true });
  writeFileSync(join(outside, 'secret.avsc'), SECRET);
  writeFileSync(join(outside, 'dt=2024-01-01', 'part-0.avro'), 'x');
  writeFileSync(join(repo, 'schemas', 'ok.avsc'), JSON.stringify({ type: 'record', name: 'E', fields: [{ name: 'id', type: 'long' }] }));
  symlinkSync(join(outside, 'secret.avsc'), join(repo, 'schemas', 'link.avsc'));
  symlinkSync(outside, join(repo, 'data-link'));
  mkdirSync(join(repo, 'data', 'v1'), { recursive: true });
  symlinkSync(join(outside, 'dt=2024-01-01'), join(repo, 'data', 'v1', 'dt=2024-01-01'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid = readFileSync('manifests/play-events-v2.yaml', 'utf8');

function problemsOf(text: string): Problem[] {
  try {
    parseManifest(text, 'm.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('paths from a manifest', () => {
  it.each(['/etc/passwd', '../../etc/passwd', 'schemas/../../x.avsc'])('dataset.schema %s is a manifest error at the field', (path) => {
    const text = valid.replace(/^dataset:\n/m, `dataset:\n  schema: ${path}\n`);
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['dataset.schema']);
    expect(problems[0]!.message).toMatch(/a path inside the manifest repository, relative to its root/);
    expect(problems[0]!.line).toBe(text.split('\n').indexOf(`  schema: ${path}`) + 1);
  });

  it('dataset.schema through a symbolic link out of the repository is refused without reading it', () => {
    expect(targetRecordSchema(repo, 'schemas/ok.avsc', []).name).toBe('E');
    const err = thrown(() => targetRecordSchema(repo, 'schemas/link.avsc', []));
    expect(err.message).toMatch(/dataset.schema: "schemas\/link.avsc" leads outside the manifest repository through a symbolic link/);
    expect(err.message).not.toContain(SECRET);
    expect(thrown(() => targetRecordSchema(repo, '/etc/passwd', [])).message).toMatch(/is an absolute path/);
  });

  const dataset = (source: string, target = 'data/v2') =>
    ({
      path: join(repo, 'm.yaml'),
      manifest: {
        dataset: {
          source: { uri: source, format: 'avro' },
          target: { uri: target, format: 'parquet', compression: 'snappy', rowGroupSize: 100 },
          transform: [],
          backfill: { from: '2024-01-01', to: '2024-01-01', partition: 'daily' },
          verify: { key: 'id', rowCount: true, checksums: true, sample: 0, maxMismatchRatio: 0 },
        },
      },
    }) as unknown as DatasetManifest;

  it.each([
    ['../outside', 'dataset.source.uri', /leaves its folder/],
    [`file://${'/etc'}`, 'dataset.source.uri', /leaves its folder/],
    ['data-link', 'dataset.source.uri', /through a symbolic link/],
  ])('a backfill source URI %s is refused, naming %s', async (uri, field, why) => {
    const err = await planBackfill(dataset(uri), { root: repo, manifestDir: repo }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(field);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).toMatch(/give a path inside the backfill root/);
  });

  it('a target URI out of the root and a partition folder linked out of the dataset are refused', async () => {
    const err = await planBackfill(dataset('data/v1', '/tmp/elsewhere'), { root: repo, manifestDir: repo }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/dataset.target.uri: "\/tmp\/elsewhere" is an absolute path/);
    const plan = await planBackfill(dataset('data/v1'), { root: repo, manifestDir: repo });
    const status = await partitionStatus(plan.layout, plan.partitions).catch((e: unknown) => e);
    expect(status).toBeInstanceOf(InputError);
    expect((status as Error).message).toMatch(/dataset.source.uri, partition 2024-01-01: "dt=2024-01-01" leads outside/);
  });

  it('insideRoot accepts paths inside, existing or not, and isInsidePath judges the text', () => {
    expect(insideRoot(repo, 'schemas/ok.avsc', 'f')).toMatch(/schemas[\\/]ok\.avsc$/);
    expect(insideRoot(repo, 'new/folder/file', 'f')).toMatch(/new[\\/]folder[\\/]file$/);
    expect(() => insideRoot(repo, 'data-link/secret.avsc', 'f')).toThrow(/through a symbolic link/);
    expect(isInsidePath('a/b..c/d')).toBe(true);
    for (const bad of ['', '/a', 'a/../../b', '..', 'C:\\x', 'a\0b']) expect(isInsidePath(bad)).toBe(false);
  });
});
