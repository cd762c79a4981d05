/**
 * Avro → Parquet conversion (issue 4). Generates N rows (bench/data-rows.ts: long id, string,
 * low-cardinality string, timestamp-millis, double, array of strings, nullable string) as a deflate Avro file, then measures
 * each case in its own child process (so peak RSS is per case):
 *   - decode:      avsc decoding alone through Fleetwave's Avro reader (the floor);
 *   - naive:       parquetjs-lite written row by row (the design card's baseline);
 *   - convert:     Fleetwave's convertDataset (zstd, 100,000-row groups), in one thread and with
 *                  one worker thread (decode + columns in the worker, Parquet encoding in main);
 * at 1,000,000 rows, then convert again at 5,000,000 rows to show memory stays flat.
 * Figures are printed, never asserted. `BENCH_ROWS=200000 npm run bench -- data-convert` for a quick run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AvroFileReader } from '../src/data/avro/reader.js';
import { writeAvroFile } from '../src/data/avro/writer.js';
import { convertDataset } from '../src/data/convert.js';
import { benchRows, benchSchema } from './data-rows.js';
import { measure, printTable } from './measure.js';

type Case = 'decode' | 'naive' | 'convert' | 'convert-1-worker';

async function runCase(kind: Case, source: string, out: string): Promise<{ rows: number }> {
  if (kind === 'decode') {
    const reader = await AvroFileReader.open(source);
    let rows = 0;
    for await (const batch of reader.batches()) rows += batch.length;
    await reader.close();
    return { rows };
  }
  if (kind === 'naive') {
    const require = createRequire(import.meta.url);
    const parquet = require('parquetjs-lite') as {
      ParquetSchema: new (s: object) => unknown;
      ParquetWriter: { openFile(s: unknown, p: string): Promise<{ appendRow(r: object): Promise<void>; close(): Promise<void> }> };
    };
    const pschema = new parquet.ParquetSchema({
      id: { type: 'INT64', compression: 'SNAPPY' },
      user: { type: 'UTF8', compression: 'SNAPPY' },
      country: { type: 'UTF8', compression: 'SNAPPY' },
      ts: { type: 'TIMESTAMP_MILLIS', compression: 'SNAPPY' },
      amount: { type: 'DOUBLE', compression: 'SNAPPY' },
      tags: { type: 'UTF8', repeated: true, compression: 'SNAPPY' },
      note: { type: 'UTF8', optional: true, compression: 'SNAPPY' },
    });
    const writer = await parquet.ParquetWriter.openFile(pschema, out);
    const reader = await AvroFileReader.open(source);
    let rows = 0;
    for await (const row of reader.records()) {
      // parquetjs-lite takes JS numbers for INT64 (exact only below 2^53) and Dates for timestamps.
      await writer.appendRow({ ...row, id: Number(row.id), ts: new Date(Number(row.ts)), note: row.note ?? undefined });
      rows++;
    }
    await reader.close();
    await writer.close();
    return { rows };
  }
  const result = await convertDataset(source, out, {
    compression: 'zstd',
    rowGroupSize: 100_000,
    workers: kind === 'convert-1-worker' ? 1 : 0,
  });
  return { rows: result.rows };
}

async function child(kind: Case, source: string, out: string): Promise<void> {
  const cpu = process.cpuUsage();
  const m = await measure(() => runCase(kind, source, out));
  const used = process.cpuUsage(cpu);
  const bytes = kind === 'decode' ? 0 : (await stat(out)).size;
  const cpuMs = (used.user + used.system) / 1000;
  process.stdout.write(`${JSON.stringify({ rows: m.result.rows, ms: m.ms, cpuMs, peakRssMiB: m.peakRssMiB, bytes })}\n`);
}

type Figures = { rows: number; ms: number; cpuMs: number; peakRssMiB: number; bytes: number };

function spawnCase(kind: Case, source: string, out: string): Figures {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), 'case', kind, source, out], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`case ${kind} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetwave-bench-convert-'));
  try {
    const base = Number(process.env.BENCH_ROWS ?? 1_000_000);
    const big = Number(process.env.BENCH_ROWS_BIG ?? base * 5);
    const table: Record<string, string | number>[] = [];
    const row = (name: string, n: number, r: ReturnType<typeof spawnCase>, floor?: number, naive?: number) => {
      const perSec = r.rows / (r.ms / 1000);
      table.push({
        case: name,
        rows: n,
        'rows/s': Math.round(perSec),
        'CPU s': +(r.cpuMs / 1000).toFixed(1),
        'rows/CPU-s': Math.round(r.rows / (r.cpuMs / 1000)),
        'peak RSS MiB': Math.round(r.peakRssMiB),
        'output MiB': r.bytes ? +(r.bytes / 2 ** 20).toFixed(1) : '-',
        'vs naive': naive ? `${(perSec / naive).toFixed(1)}×` : '-',
        'of floor': floor ? `${Math.round((perSec / floor) * 100)}%` : '-',
      });
      return perSec;
    };
    const src = join(dir, `source-${base}.avro`);
    await writeAvroFile(src, benchSchema, benchRows(base), { codec: 'deflate' });
    console.log(`source: ${base.toLocaleString('en')} rows, deflate Avro, ${((await stat(src)).size / 2 ** 20).toFixed(1)} MiB`);
    const floor = row('avsc decode (floor)', base, spawnCase('decode', src, ''));
    const naive = row('parquetjs-lite row by row (naive)', base, spawnCase('naive', src, join(dir, 'naive.parquet')), floor);
    row('fleetwave convert', base, spawnCase('convert', src, join(dir, 'convert.parquet')), floor, naive);
    row('fleetwave convert, 1 worker', base, spawnCase('convert-1-worker', src, join(dir, 'convert-w.parquet')), floor, naive);
    await rm(join(dir, 'naive.parquet'), { force: true });
    const bigSrc = join(dir, `source-${big}.avro`);
    await writeAvroFile(bigSrc, benchSchema, benchRows(big), { codec: 'deflate' });
    row('fleetwave convert', big, spawnCase('convert', bigSrc, join(dir, 'convert-big.parquet')), floor, naive);
    printTable(table);
    console.log('goals: convert ≥ 300k rows/s and ≥ 8× naive; peak RSS ≤ 256 MiB, flat from 1M to 5M rows');
    console.log('rows/s is wall clock; on a shared machine compare rows/CPU-s (CPU time of the case, all its threads)');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'case') {
  await child(process.argv[3] as Case, process.argv[4]!, process.argv[5]!);
} else {
  await main();
}
