/** Verify against Fleetwave's own converter: every Avro type, and the manifest sketch's transform. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AvroSchemaObject } from '../../../src/data/avro/types.js';
import { writeAvroFile } from '../../../src/data/avro/writer.js';
import { convertDataset } from '../../../src/data/convert.js';
import { verifyDataset } from '../../../src/data/verify/verify.js';
import { everyTypeRows, everyTypeSchema } from '../avro/every-type.js';
import { sourceRows, steps, writeSource } from './fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-convert-verify-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify after convert', () => {
  it.each(['zstd', 'snappy', 'gzip', 'none'] as const)(
    'passes a conversion of every Avro type (%s), value for value',
    async (compression) => {
      const source = join(dir, `every-${compression}.avro`);
      const target = join(dir, `every-${compression}.parquet`);
      await writeAvroFile(source, everyTypeSchema, everyTypeRows(400), { codec: 'deflate', blockSize: 4096 });
      await convertDataset(source, target, { compression, rowGroupSize: 150 });
      const r = await verifyDataset(source, target, { key: 'id' });
      expect(r.schema.mismatches).toEqual([]);
      expect(r.columns.filter((c) => !c.equal).map((c) => c.name)).toEqual([]);
      expect(r.pass).toBe(true);
      expect(r.equal).toBe(true);
      expect(r.sourceRows).toBe(400);
    },
  );

  it("passes a conversion with the manifest's transform steps", async () => {
    const source = join(dir, 'play.avro');
    const target = join(dir, 'play.parquet');
    await writeSource(source, sourceRows(1000));
    await convertDataset(source, target, { steps, rowGroupSize: 300 });
    const r = await verifyDataset(source, target, { transform: steps, key: 'event_id' });
    expect(r.pass).toBe(true);
    expect(r.equal).toBe(true);
    expect(r.columns.map((c) => c.name)).toEqual(['event_id', 'userId', 'amount', 'country', 'at', 'tags']);
  });

  it('keeps a leading byte order mark and every other character of a string: a faithful conversion passes, a dropped BOM fails', async () => {
    const schema: AvroSchemaObject = {
      type: 'record',
      name: 'Texts',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'text', type: 'string' },
        { name: 'words', type: { type: 'array', items: 'string' } },
      ],
    };
    const texts = ['\uFEFFstarts with a BOM', 'naïve', '日本', '😀', '\uE000', '', 'plain'];
    const rows = texts.map((t, i) => ({ id: BigInt(i), text: t, words: [t, `${t}!`] }));
    const source = join(dir, 'texts.avro');
    const target = join(dir, 'texts.parquet');
    await writeAvroFile(source, schema, rows, { codec: 'null' });
    await convertDataset(source, target, {});
    const r = await verifyDataset(source, target, { key: 'id' });
    expect(r.columns.filter((c) => !c.equal)).toEqual([]);
    expect(r.pass).toBe(true);
    expect(r.columns.find((c) => c.name === 'text')!.max).toEqual({ source: '\uFEFFstarts with a BOM', target: '\uFEFFstarts with a BOM' });

    const stripped = join(dir, 'texts-stripped.avro');
    await writeAvroFile(
      stripped,
      schema,
      rows.map((row) => ({ ...row, text: row.text.replace(/^\uFEFF/, '') })),
      { codec: 'null' },
    );
    const bad = await verifyDataset(stripped, target, { key: 'id' });
    expect(bad.pass).toBe(false);
    expect(bad.diff!.samples).toEqual([
      { key: '0', kind: 'changed', columns: [{ name: 'text', source: 'starts with a BOM', target: '\uFEFFstarts with a BOM' }] },
    ]);
  });

  it('fails a conversion made without the transform the manifest asks for', async () => {
    const source = join(dir, 'play2.avro');
    const target = join(dir, 'play2.parquet');
    await writeSource(source, sourceRows(200));
    await convertDataset(source, target, { steps: [steps[0]!] });
    const r = await verifyDataset(source, target, { transform: steps, key: 'event_id' });
    expect(r.pass).toBe(false);
    expect(r.schema.mismatches).toEqual([{ column: 'amount', expected: 'decimal(12,2)', actual: 'double' }]);
  });
});
