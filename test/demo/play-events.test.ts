import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { generatePlayEvents, writeLakeV1, type PlayEventV1 } from '../../src/demo/play-events.js';

/** Read an Avro container file back through avsc's file decoder (the writer's schema from the header). */
function readAvro(path: string): Promise<{ rows: Record<string, unknown>[]; fields: string[] }> {
  return new Promise((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    let fields: string[] = [];
    avro
      .createFileDecoder(path)
      .on('metadata', (type: avro.Type) => {
        fields = (type.schema() as { fields: { name: string }[] }).fields.map((f) => f.name);
      })
      .on('data', (r: Record<string, unknown>) => rows.push({ ...r }))
      .on('end', () => resolve({ rows, fields }))
      .on('error', reject);
  });
}

/** The schema in a container file's header, as written (avsc decodes it from JSON). */
function headerSchema(path: string): { fields: { name: string; type: unknown }[] } {
  const header = avro.extractFileHeader(path) as { meta: { 'avro.schema': { fields: { name: string; type: unknown }[] } } };
  return header.meta['avro.schema'];
}

let dir: string;
let events: PlayEventV1[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-demo-lake-'));
  events = generatePlayEvents();
  await writeLakeV1(join(dir, 'a'), events);
  await writeLakeV1(join(dir, 'b'), generatePlayEvents());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo play events', () => {
  it('generates 200 plausible, distinct events in time order', () => {
    expect(events).toHaveLength(200);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(200);
    expect(new Set(events.map((e) => e.user_id)).size).toBeGreaterThan(20);
    expect(new Set(events.map((e) => e.track_id)).size).toBeGreaterThan(15);
    expect(events.some((e) => e.country === null)).toBe(true);
    expect(events.some((e) => e.legacy_flag) && events.some((e) => !e.legacy_flag)).toBe(true);
    expect(events.some((e) => e.ms_played < 30_000) && events.some((e) => e.ms_played >= 30_000)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
    expect(generatePlayEvents(200, 7)).not.toEqual(events);
  });

  it('writes v1 as an Avro container file that reads back to the same rows', async () => {
    const { rows, fields } = await readAvro(join(dir, 'a/data/play-events/v1/part-0000.avro'));
    expect(fields).toEqual(['event_id', 'user_id', 'track_id', 'ms_played', 'country', 'legacy_flag', 'ts']);
    expect(rows).toEqual(events);
  });

  it("keeps ts's timestamp-millis logical type in the file's header schema", () => {
    const header = headerSchema(join(dir, 'a/data/play-events/v1/part-0000.avro'));
    expect(header.fields.find((f) => f.name === 'ts')!.type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
  });

  it('writes no v2: Fleetwave converts it (test/demo/lake-v2.test.ts)', () => {
    expect(existsSync(join(dir, 'a/data/play-events/v2'))).toBe(false);
  });

  it('is byte-for-byte reproducible', () => {
    const path = 'data/play-events/v1/part-0000.avro';
    expect(readFileSync(join(dir, 'b', path)).equals(readFileSync(join(dir, 'a', path)))).toBe(true);
  });
});
