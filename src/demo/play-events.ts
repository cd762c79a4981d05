import { join } from 'node:path';
import avro from 'avsc';
import { writeFileAtomic } from '../util/atomic-write.js';
import { seededPrng } from './prng.js';

/**
 * The demo's dataset: play events of a music service, as the Avro container files of a data lake
 * (`<lake>/data/play-events/v1/part-0000.avro`). Generated from a fixed seed: every build writes the
 * same bytes (the container's sync marker is fixed too). v2 is not written here: Fleetwave converts
 * it from v1 with the manifest's transform (src/demo/lake-v2.ts).
 */

export const DATASET_V1 = 'data/play-events/v1';
export const DATASET_V2 = 'data/play-events/v2';

export interface PlayEventV1 {
  event_id: string;
  user_id: string;
  track_id: string;
  ms_played: number;
  country: string | null;
  legacy_flag: boolean;
  /** Epoch milliseconds (Avro `timestamp-millis`). */
  ts: number;
}

export const PLAY_EVENT_SCHEMA_V1 = {
  type: 'record',
  name: 'PlayEvent',
  namespace: 'com.acme.events',
  doc: 'One play of a track by a user.',
  fields: [
    { name: 'event_id', type: 'string' },
    { name: 'user_id', type: 'string' },
    { name: 'track_id', type: 'string' },
    { name: 'ms_played', type: 'int' },
    { name: 'country', type: ['null', 'string'], default: null },
    { name: 'legacy_flag', type: 'boolean' },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
} as const;

const COUNTRIES = ['SE', 'US', 'DE', 'BR', 'JP', 'GB', 'FR', 'MX'] as const;
const START = Date.UTC(2026, 10, 1); // 2026-11-01, a Sunday
const TWO_WEEKS_MS = 14 * 24 * 3_600_000;

/** `count` play events from `seed`, in time order. 40 users, 30 tracks, about 10% without a country. */
export function generatePlayEvents(count = 200, seed = 20261124): PlayEventV1[] {
  const rng = seededPrng(seed);
  const times = Array.from({ length: count }, () => START + rng.int(0, TWO_WEEKS_MS - 1)).sort((a, b) => a - b);
  return times.map((ts, i) => ({
    event_id: `evt-${String(i + 1).padStart(6, '0')}`,
    user_id: `u-${String(rng.int(1, 40)).padStart(4, '0')}`,
    track_id: `trk-${String(rng.int(1, 30)).padStart(3, '0')}`,
    // a third are skips (under 30 s), the rest full listens up to 6 min
    ms_played: rng.chance(1 / 3) ? rng.int(1_000, 29_999) : rng.int(30_000, 360_000),
    country: rng.chance(0.1) ? null : rng.pick(COUNTRIES),
    legacy_flag: rng.chance(0.25),
    ts,
  }));
}

/** A fixed sync marker: avsc draws a random one otherwise, and the demo must be byte-for-byte reproducible. */
const SYNC_MARKER = Buffer.from('fleetwave-demo-1', 'latin1');

/**
 * Encode `records` as one Avro object container file (null codec) and write it atomically. The
 * header holds `schema` as given: avsc drops logical types it has no class for from a parsed Type's
 * schema, so the schema object (not a Type) goes to the encoder and `ts` keeps `timestamp-millis`.
 */
export async function writeAvroFile(path: string, schema: object, records: readonly object[]): Promise<void> {
  const encoder = new avro.streams.BlockEncoder(schema as avro.Schema, { syncMarker: SYNC_MARKER, codec: 'null' });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('data', (c: Buffer) => chunks.push(c));
    encoder.on('end', resolve);
    encoder.on('error', reject);
  });
  for (const r of records) encoder.write(r);
  encoder.end();
  await done;
  await writeFileAtomic(path, Buffer.concat(chunks));
}

/** Write the v1 dataset: `<lakeDir>/data/play-events/v1/part-0000.avro`. Returns the file path. */
export async function writeLakeV1(lakeDir: string, events: readonly PlayEventV1[]): Promise<string> {
  const file = join(lakeDir, DATASET_V1, 'part-0000.avro');
  await writeAvroFile(file, PLAY_EVENT_SCHEMA_V1, events);
  return file;
}

/** The dataset as the warehouse names it, before and after the migration (database.schema.table). */
export const TABLE_V1 = 'analytics.events.play_events_v1';
export const TABLE_V2 = 'analytics.events.play_events_v2';

/** Where the lake's catalog is: the warehouse's table names and the folders and formats behind them. */
export const WAREHOUSE_CATALOG = 'warehouse/catalog.json';

/**
 * Write the lake's catalog (`<lakeDir>/warehouse/catalog.json`): what a warehouse's metastore knows,
 * both tables of the migration and their folders. The SQL consumers' checks register them in DuckDB
 * under these names (src/demo/data-consumer-checks.ts). Returns the file path.
 */
export async function writeWarehouseCatalog(lakeDir: string): Promise<string> {
  const file = join(lakeDir, WAREHOUSE_CATALOG);
  const catalog = {
    tables: {
      [TABLE_V1]: { location: DATASET_V1, format: 'avro' },
      [TABLE_V2]: { location: DATASET_V2, format: 'parquet' },
    },
  };
  await writeFileAtomic(file, `${JSON.stringify(catalog, null, 2)}\n`);
  return file;
}
