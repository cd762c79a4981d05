/**
 * `dataset.schema` is a path relative to the manifest repository's root (as docs/manifest.md says
 * and as impact analysis and the schemaTypes codemod read it), not to the manifest's folder: a
 * manifest in `migrations/` names `schemas/event.avsc`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { manifestRepoDir } from '../../src/util/repo-dir.js';
import { convertCommand } from '../../src/cli/commands/convert.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { writeAvroFile } from '../../src/data/avro/writer.js';
import type { AvroSchema } from '../../src/data/avro/types.js';
import { planBackfill } from '../../src/data/backfill/backfill.js';
import { convertOptionsFromManifest } from '../../src/data/convert.js';
import { targetRecordSchema } from '../../src/codemod/rules/schema-types.js';
import { loadManifest } from '../../src/manifest/load.js';
import { InputError } from '../../src/util/errors.js';
import { runCommand } from './run-command.js';

/** The writer's schema: `legacy` is an int, which the reader schema (dataset.schema) widens to long. */
const writerSchema: AvroSchema = {
  type: 'record',
  name: 'Event',
  namespace: 'acme',
  fields: [
    { name: 'user_id', type: 'long' },
    { name: 'legacy', type: 'int' },
  ],
};
const datasetSchema: AvroSchema = {
  type: 'record',
  name: 'Event',
  namespace: 'acme',
  fields: [
    { name: 'user_id', type: 'long' },
    { name: 'legacy', type: 'long' },
  ],
};

const manifestText = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: events-v2, owner: data-platform }
dataset:
  source: { uri: data/v1/, format: avro }
  target: { uri: data/v2/, format: parquet }
  schema: schemas/event.avsc
  transform:
    - rename: { from: user_id, to: userId }
  backfill: { from: 2024-01-01, to: 2024-01-01, partition: daily }
consumers:
  discover: [{ repos: [acme/recs] }]
`;

let dir: string;
let repo: string;
let manifestPath: string;
let source: string;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'fleetwave-schema-path-')));
  repo = join(dir, 'events-repo');
  await mkdir(join(repo, 'migrations'), { recursive: true });
  await mkdir(join(repo, 'schemas'), { recursive: true });
  manifestPath = join(repo, 'migrations', 'events-v2.yaml');
  await writeFile(manifestPath, manifestText);
  await writeFile(join(repo, 'schemas', 'event.avsc'), JSON.stringify(datasetSchema));
  await simpleGit(repo).init();
  source = join(dir, 'events.avro');
  await writeAvroFile(source, writerSchema, [
    { user_id: 1n, legacy: 7 },
    { user_id: 2n, legacy: -3 },
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dataset.schema is relative to the manifest repository root', () => {
  it('the repository root is the git work tree holding the manifest', () => {
    expect(manifestRepoDir(manifestPath)).toBe(repo);
  });

  it('convertOptionsFromManifest reads schemas/event.avsc from the repository root, as impact analysis does', async () => {
    const options = await convertOptionsFromManifest(await loadManifest(manifestPath));
    expect(options.schema).toEqual(datasetSchema);
    // What impact analysis and the schemaTypes codemod read for the same manifest and root.
    expect(
      targetRecordSchema(repo, 'schemas/event.avsc', [{ rename: { from: 'user_id', to: 'userId' } }]).fields.map((f) => f.name),
    ).toEqual(['userId', 'legacy']);
  });

  it('an explicit root wins, and a schema missing there is a clear InputError naming the root', async () => {
    const loaded = await loadManifest(manifestPath);
    await expect(convertOptionsFromManifest(loaded, join(repo, 'migrations'))).rejects.toThrow(InputError);
    await expect(convertOptionsFromManifest(loaded, join(repo, 'migrations'))).rejects.toThrow(
      /dataset\.schema: cannot read .*migrations\/schemas\/event\.avsc \(the path is relative to the manifest repository's root/,
    );
  });

  it('without a .git folder above it, the manifest folder is the root', async () => {
    const loose = join(dir, 'loose');
    await mkdir(loose, { recursive: true });
    expect(manifestRepoDir(join(loose, 'm.yaml'))).toBe(loose);
  });

  it('fleetwave convert --manifest and fleetwave verify --manifest read the source as dataset.schema', async () => {
    const target = join(dir, 'events.parquet');
    const converted = await runCommand(convertCommand, ['convert', source, target, '--manifest', manifestPath, '--json']);
    expect(converted.stderr).toBe('');
    expect(converted.code).toBe(0);
    const verified = await runCommand(verifyCommand, ['verify', source, target, '--manifest', manifestPath, '--json']);
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.stdout) as { pass: boolean; columns: { name: string; type: string }[] };
    expect(report.pass).toBe(true);
    // legacy is a long: the file was read as dataset.schema, not as its own writer schema (int).
    expect(report.columns.find((c) => c.name === 'legacy')?.type).toBe('long');
  });

  it('backfill plans with the schema from the repository root (part of the spec hash)', async () => {
    const loaded = await loadManifest(manifestPath);
    const plan = await planBackfill(loaded);
    expect(plan.manifestDir).toBe(repo);
    const otherRoot = join(dir, 'other-root');
    await mkdir(join(otherRoot, 'schemas'), { recursive: true });
    await writeFile(join(otherRoot, 'schemas', 'event.avsc'), JSON.stringify(writerSchema));
    const other = await planBackfill(loaded, { manifestDir: otherRoot });
    expect(other.layout.spec).not.toBe(plan.layout.spec);
  });
});
