import { join } from 'node:path';
import avro from 'avsc';
import { writeFileAtomic } from '../util/atomic-write.js';
import { seededPrng } from './prng.js';

/**
 * The demo's dataset: play events of a music service, as the Avro container files of a data lake
 * (`<lake>/data/play-events/v1/part-0000.avro`). Generated from a fixed seed: every build writes the
 * same bytes (the container's sync marker is fixed too).
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

/** The v2 record: `user_id` is `userId`, everything else as in v1. */
export type PlayEventV2 = Omit<PlayEventV1, 'user_id'> & { userId: string };

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

/** The v1 schema with `user_id` renamed `userId` (the alias keeps old readers resolvable). */
export const PLAY_EVENT_SCHEMA_V2 = {
  ...PLAY_EVENT_SCHEMA_V1,
  fields: PLAY_EVENT_SCHEMA_V1.fields.map((f) => (f.name === 'user_id' ? { name: 'userId', type: 'string', aliases: ['user_id'] } : f)),
};

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

/** The migration's record transform, as far as the demo needs it: `user_id` becomes `userId`. */
export function toV2(e: PlayEventV1): PlayEventV2 {
  return { event_id: e.event_id, userId: e.user_id, track_id: e.track_id, ms_played: e.ms_played, country: e.country, legacy_flag: e.legacy_flag, ts: e.ts };
}

/** A fixed sync marker: avsc draws a random one otherwise, and the demo must be byte-for-byte reproducible. */
const SYNC_MARKER = Buffer.from('fleetwave-demo-1', 'latin1');

/** Encode `records` as one Avro object container file (null codec) and write it atomically. */
export async function writeAvroFile(path: string, schema: object, records: readonly object[]): Promise<void> {
  const encoder = new avro.streams.BlockEncoder(avro.Type.forSchema(schema as avro.Schema), { syncMarker: SYNC_MARKER, codec: 'null' });
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

/**
 * Write the v2 dataset: `<lakeDir>/data/play-events/v2/part-0000.avro`, the same events with
 * `user_id` renamed `userId`. A stand-in for Fleetwave's own convert (Avro → Parquet with the
 * manifest's transform): the demo needs a v2 that really differs for the one consumer that reads
 * `user_id`. Replace this call with convert once it exists; the consumers only need the rows.
 */
export async function writeLakeV2(lakeDir: string, events: readonly PlayEventV1[]): Promise<string> {
  const file = join(lakeDir, DATASET_V2, 'part-0000.avro');
  await writeAvroFile(file, PLAY_EVENT_SCHEMA_V2, events.map(toV2));
  return file;
}
