/** Impact analysis on real consumer trees in temp folders, after the change rules ran. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyzeImpact, datasetMarkers } from '../../src/codemod/impact.js';
import { fieldFates } from '../../src/codemod/impact-fields.js';
import type { AvroRecordSchema } from '../../src/data/transform/avro-schema.js';
import { manifestWith, removeDir, tempDir, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const types = `export interface PlayEvent {
  event_id: string;
  user_id: string;
  track_id: string;
  ms_played: number;
  legacy_flag?: boolean;
}
export interface Account {
  legacy_flag: boolean;
}
`;

function consumer(files: Record<string, string>): string {
  const dir = tempDir('fw-impact-');
  temps.push(dir);
  writeTree(dir, { 'src/types.ts': types, ...files });
  return dir;
}

const transform = [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }];
/** The dataset as SQL names it, for the SQL cases. */
const source = { uri: 'data/play-events/v1/', format: 'avro', table: 'play_events' };
const renameRule = { renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } };

describe('impact analysis', () => {
  it('a consumer whose reads the rules rewrite is not blocked', async () => {
    const dir = consumer({
      'src/reader.ts': `import type { PlayEvent } from './types';\nexport const who = (e: PlayEvent) => e.user_id;\n`,
    });
    expect(await analyzeImpact({ dir, manifest: manifestWith([renameRule], { transform }) })).toEqual([]);
  });

  it('blocks a read of a dropped field, with file, line, field and why; the same name on another type is fine', async () => {
    const dir = consumer({
      'src/flags.ts': `import type { Account, PlayEvent } from './types';\n\nexport const legacy = (e: PlayEvent) => e.legacy_flag ?? false;\nexport const other = (a: Account) => a.legacy_flag;\n`,
    });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([renameRule], { transform }) });
    expect(findings).toEqual([
      {
        severity: 'blocking',
        file: 'src/flags.ts',
        line: 3,
        field: 'legacy_flag',
        message: 'reads `legacy_flag`, which dataset.transform[1] drops from the dataset',
      },
    ]);
  });

  it('without a record type name, says that typed reads were not checked', async () => {
    const dir = consumer({
      'src/reader.ts': `import type { PlayEvent } from './types';\nexport const who = (e: PlayEvent) => e.user_id;\n`,
    });
    expect(await analyzeImpact({ dir, manifest: manifestWith([], { transform }) })).toEqual([
      expect.objectContaining({ severity: 'info', message: expect.stringContaining('no record type is known') }),
    ]);
  });

  it('blocks a read of a renamed field that no rule covers, and destructured reads', async () => {
    const dir = consumer({
      'src/reader.ts': `import type { PlayEvent } from './types';\nexport function f({ user_id }: PlayEvent) {\n  return user_id;\n}\n`,
    });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([], { transform }), recordTypes: ['PlayEvent'] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'blocking', file: 'src/reader.ts', line: 2, field: 'user_id' });
    expect(findings[0]!.message).toContain('renames to `userId`');
  });

  it('blocks string keys on untyped rows in files that name the dataset, and SQL columns', async () => {
    const dir = consumer({
      'src/rows.js': `// rows of data/play-events/v1\nconst fs = require('node:fs');\nfunction flags(path) {\n  return JSON.parse(fs.readFileSync(path, 'utf8')).map((row) => row['legacy_flag']);\n}\nmodule.exports = { flags };\n`,
      'queries/daily.sql': `-- legacy_flag in a comment is not a read\nSELECT user_id,\n       legacy_flag\nFROM play_events WHERE note <> 'legacy_flag';\n`,
      'queries/other.sql': `SELECT legacy_flag FROM accounts;\n`,
    });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([renameRule], { transform, source }) });
    expect(findings.map((f) => [f.file, f.line, f.field, f.severity])).toEqual([
      ['queries/daily.sql', 2, 'user_id', 'blocking'],
      ['queries/daily.sql', 3, 'legacy_flag', 'blocking'],
      ['src/rows.js', 4, 'legacy_flag', 'blocking'],
    ]);
  });

  it('a replace rule over SQL that renames the column covers it', async () => {
    const dir = consumer({ 'queries/daily.sql': `SELECT user_id FROM play_events;\n` });
    const replace = { replace: { from: 'user_id', to: 'userId', files: ['**/*.sql'] } };
    expect(await analyzeImpact({ dir, manifest: manifestWith([renameRule, replace], { transform, source }) })).toEqual([]);
  });

  it('blocks a read of a field whose type changes incompatibly, but not a compatible cast', async () => {
    const dir = consumer({
      'src/played.ts': `import type { PlayEvent } from './types';\nexport const ms = (e: PlayEvent) => e.ms_played + 1;\n`,
    });
    const toString = await analyzeImpact({
      dir,
      manifest: manifestWith([renameRule], { transform: [{ cast: { field: 'ms_played', to: { type: 'string' } } }] }),
    });
    expect(toString).toHaveLength(1);
    expect(toString[0]!.message).toContain('turns into string');
    const toDouble = await analyzeImpact({
      dir,
      manifest: manifestWith([renameRule], { transform: [{ cast: { field: 'ms_played', to: { type: 'double' } } }] }),
    });
    expect(toDouble).toEqual([]);
  });

  it('with schemas, a field missing from the target schema is blocking too', async () => {
    const source: AvroRecordSchema = {
      type: 'record',
      name: 'PlayEvent',
      fields: [
        { name: 'event_id', type: 'string' },
        { name: 'track_id', type: 'string' },
      ],
    };
    const target: AvroRecordSchema = { type: 'record', name: 'PlayEvent', fields: [{ name: 'event_id', type: 'string' }] };
    const dir = consumer({ 'src/t.ts': `import type { PlayEvent } from './types';\nexport const t = (e: PlayEvent) => e.track_id;\n` });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([]), sourceSchema: source, targetSchema: target });
    // the record type's name comes from the schema
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'blocking',
        field: 'track_id',
        message: 'reads `track_id`, which the target schema does not have',
      }),
    ]);
  });
});

describe('impact analysis with schema-derived types', () => {
  const schema: AvroRecordSchema = {
    type: 'record',
    name: 'PlayEvent',
    fields: [
      { name: 'event_id', type: 'string' },
      { name: 'user_id', type: 'string' },
      { name: 'track_id', type: 'string' },
      { name: 'ms_played', type: 'long' },
      { name: 'legacy_flag', type: ['null', 'boolean'], default: null },
    ],
  };

  it('still blocks a read of a dropped field after schemaTypes regenerated the record type without it', async () => {
    const manifestDir = tempDir('fw-impact-manifest-');
    temps.push(manifestDir);
    writeTree(manifestDir, { 'schemas/play-event.avsc': JSON.stringify(schema) });
    const dir = consumer({
      'src/flags.ts': `import type { Account, PlayEvent } from './types';\n\nexport const legacy = (e: PlayEvent) => e.legacy_flag ?? false;\nexport const other = (a: Account) => a.legacy_flag;\nexport function has(e: PlayEvent) {\n  const { legacy_flag } = e;\n  return legacy_flag === true || 'legacy_flag' in e;\n}\n`,
      'src/reader.ts': `import type { PlayEvent } from './types';\nexport const who = (e: PlayEvent) => e.user_id;\n`,
    });
    const manifest = manifestWith([renameRule, { schemaTypes: { file: 'src/types.ts' } }], {
      schema: 'schemas/play-event.avsc',
      transform,
    });
    const findings = await analyzeImpact({ dir, manifest, manifestDir });
    // the regenerated PlayEvent has no legacy_flag: every read of it on a PlayEvent is still found,
    // the same name on Account is not, and the renamed user_id read is covered by renameField
    expect(findings.map((f) => [f.file, f.line, f.field, f.severity])).toEqual([
      ['src/flags.ts', 3, 'legacy_flag', 'blocking'],
      ['src/flags.ts', 6, 'legacy_flag', 'blocking'],
      ['src/flags.ts', 7, 'legacy_flag', 'blocking'],
    ]);
    // with schemaTypes first, renameField no longer finds user_id on the regenerated type: the read it
    // leaves behind is found, not shipped
    const reversed = manifestWith([{ schemaTypes: { file: 'src/types.ts' } }, renameRule], {
      schema: 'schemas/play-event.avsc',
      transform,
    });
    const left = await analyzeImpact({ dir, manifest: reversed, manifestDir });
    expect(left.find((f) => f.file === 'src/reader.ts')).toMatchObject({ line: 2, field: 'user_id', severity: 'blocking' });
  });
});

describe('impact building blocks', () => {
  it('field fates follow renames and drops in order', () => {
    const fates = fieldFates([{ rename: { from: 'a', to: 'b' } }, { drop: 'b' }, { rename: { from: 'c', to: 'd' } }]);
    expect(fates.get('a')).toEqual({ kind: 'dropped', step: 'dataset.transform[1]' });
    expect(fates.get('c')).toEqual({ kind: 'renamed', to: 'd', step: 'dataset.transform[2]' });
  });

  it('the dataset is named by its URIs and base name', () => {
    expect(datasetMarkers(manifestWith([]))).toEqual([
      'data/play-events/v1',
      'data/play-events/v2',
      'play-events',
      'play_events',
      'playevents',
    ]);
  });
});
