/** Verify against Fleetwave's own converter: every Avro type, and the manifest sketch's transform. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  it.each(['zstd', 'snappy', 'gzip', 'none'] as const)('passes a conversion of every Avro type (%s), value for value', async (compression) => {
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
  });

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
