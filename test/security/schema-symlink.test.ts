/**
 * Issue #14: `dataset.schema` is read only when its real path is inside the manifest repository.
 * convert's options and impact analysis resolved it with plain `resolve()`: a link in the manifest
 * repository to an outside file was read (its text could reach a conversion, an error or a finding).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeImpact } from '../../src/codemod/impact.js';
import { convertOptionsFrom } from '../../src/data/convert.js';
import { parseManifest } from '../../src/manifest/load.js';
import { InputError } from '../../src/util/errors.js';

let dir: string;
let repo: string;
let consumer: string;
const SECRET = 'do-not-leak-outside-schema';
const schema = (name: string) => JSON.stringify({ type: 'record', name, doc: SECRET, fields: [{ name: 'user_id', type: 'string' }] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-schema-symlink-'));
  repo = join(dir, 'repo');
  consumer = join(dir, 'consumer');
  mkdirSync(join(repo, 'schemas'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  mkdirSync(consumer);
  writeFileSync(join(dir, 'outside', 'secret.avsc'), schema('Outside'));
  writeFileSync(
    join(repo, 'schemas', 'ok.avsc'),
    JSON.stringify({ type: 'record', name: 'PlayEvent', fields: [{ name: 'user_id', type: 'string' }] }),
  );
  symlinkSync(join(dir, 'outside', 'secret.avsc'), join(repo, 'schemas', 'link.avsc'));
  symlinkSync(join(dir, 'outside'), join(repo, 'linked-folder'));
  symlinkSync(join(repo, 'schemas', 'ok.avsc'), join(repo, 'schemas', 'inside-link.avsc'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifestWith = (schemaPath: string) =>
  parseManifest(
    readFileSync('manifests/play-events-v2.yaml', 'utf8').replace(/^dataset:\n/m, `dataset:\n  schema: ${schemaPath}\n`),
    join(repo, 'm.yaml'),
  ).manifest;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('dataset.schema through a symbolic link', () => {
  it('convert reads a schema inside the repository, also through a link that stays inside', async () => {
    expect((await convertOptionsFrom(manifestWith('schemas/ok.avsc'), repo, 'm.yaml')).schema).toMatchObject({ name: 'PlayEvent' });
    expect((await convertOptionsFrom(manifestWith('schemas/inside-link.avsc'), repo, 'm.yaml')).schema).toMatchObject({
      name: 'PlayEvent',
    });
  });

  it.each(['schemas/link.avsc', 'linked-folder/secret.avsc'])(
    'convert refuses %s (leads outside), naming the field, without reading it',
    async (path) => {
      const err = await rejection(convertOptionsFrom(manifestWith(path), repo, 'm.yaml'));
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/^m\.yaml: dataset\.schema: ".*" leads outside the manifest repository through a symbolic link/);
      expect(err.message).not.toContain(SECRET);
    },
  );

  it('impact analysis refuses it the same way instead of reading the outside file', async () => {
    const changes = { edits: [], summaries: [], findings: [] };
    await expect(analyzeImpact({ dir: consumer, manifest: manifestWith('schemas/ok.avsc'), manifestDir: repo, changes })).resolves.toEqual(
      [],
    );
    const err = await rejection(analyzeImpact({ dir: consumer, manifest: manifestWith('schemas/link.avsc'), manifestDir: repo, changes }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^dataset\.schema: "schemas\/link\.avsc" leads outside the manifest repository through a symbolic link/);
    expect(err.message).not.toContain(SECRET);
  });
});
