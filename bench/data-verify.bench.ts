/**
 * Verify over 1,000,000 rows (bench/data-rows.ts, the row shape: long id, string, low-cardinality
 * string, timestamp-millis, double, array of strings, nullable string; deflate Avro) against the same rows in
 * Parquet, next to the floor measured in the same run: avsc decoding the Avro file alone.
 * Rows/s and peak RSS are printed, nothing is asserted. `BENCH_ROWS=200000` runs a smaller size.
 *
 * The input files are generated first in a child process, so that generating them does not count in
 * this process's peak RSS. The Parquet target is written by hyparquet-writer in row groups of 100,000.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { AvroFileReader } from '../src/data/avro/reader.js';
import { writeAvroFile } from '../src/data/avro/writer.js';
import { verifyDataset } from '../src/data/verify/verify.js';
import { benchRow, benchRows, benchSchema } from './data-rows.js';
import { measure, printTable } from './measure.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function generate(dir: string): Promise<void> {
  await writeAvroFile(join(dir, 'source.avro'), benchSchema, benchRows(ROWS), { codec: 'deflate' });
  const str = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;
  const writer = new ParquetWriter({
    writer: fileWriter(join(dir, 'target.parquet')),
    schema: [
      { name: 'root', num_children: 7 },
      { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'user', ...str, repetition_type: 'REQUIRED' },
      { name: 'country', ...str, repetition_type: 'REQUIRED' },
      {
        name: 'ts',
        type: 'INT64',
        repetition_type: 'REQUIRED',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      },
      { name: 'amount', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'tags', repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', ...str, repetition_type: 'REQUIRED' },
      { name: 'note', ...str, repetition_type: 'OPTIONAL' },
    ],
  });
  const batch = 100_000;
  for (let start = 0; start < ROWS; start += batch) {
    const chunk = Array.from({ length: Math.min(batch, ROWS - start) }, (_, k) => benchRow(start + k));
    const columnData = benchSchema.fields!.map((f) => ({ name: f.name, data: chunk.map((r) => r[f.name]) }));
    await writer.write({ columnData: columnData as never, rowGroupSize: batch });
  }
  writer.finish();
}

async function main(): Promise<void> {
  if (process.argv[2] === 'generate') {
    await generate(process.argv[3]!);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-bench-verify-'));
  try {
    const gen = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'generate', dir], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('generating the input failed');
    const source = join(dir, 'source.avro');
    const target = join(dir, 'target.parquet');
    console.log(
      `${ROWS.toLocaleString('en')} rows; Avro ${(statSync(source).size / 2 ** 20).toFixed(1)} MiB (deflate), Parquet ${(statSync(target).size / 2 ** 20).toFixed(1)} MiB (snappy)`,
    );
    (globalThis as { gc?: () => void }).gc?.();

    let cpu = process.cpuUsage();
    const cpuSeconds = () => {
      const d = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      return Number(((d.user + d.system) / 1e6).toFixed(2));
    };
    const floor = await measure(async () => {
      const reader = await AvroFileReader.open(source);
      let n = 0;
      try {
        for await (const batch of reader.batches()) n += batch.length;
      } finally {
        await reader.close();
      }
      return n;
    });
    const floorCpu = cpuSeconds();
    (globalThis as { gc?: () => void }).gc?.();
    cpuSeconds();
    const verify = await measure(() => verifyDataset(source, target, { key: 'id' }));
    const verifyCpu = cpuSeconds();
    if (!verify.result.pass) console.log('verify did not pass:', verify.result.reasons);
    const line = (name: string, rowsRead: number, r: { ms: number; peakRssMiB: number }, cpuS: number) => ({
      run: name,
      rows: rowsRead,
      'rows/s': Math.round(rowsRead / (r.ms / 1000)),
      seconds: Number((r.ms / 1000).toFixed(2)),
      'peak RSS MiB': Math.round(r.peakRssMiB),
      'CPU s (all threads)': cpuS,
    });
    printTable([
      line('avsc decode alone (floor)', floor.result, floor, floorCpu),
      line('fleetwave verify (source + target)', verify.result.sourceRows, verify, verifyCpu),
    ]);
    console.log(
      `goal: verify ≥ 300,000 rows/s, peak RSS ≤ 256 MiB (load average now ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; on a busy machine compare CPU seconds)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
