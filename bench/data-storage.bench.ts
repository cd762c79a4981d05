/**
 * Convert and verify where the dataset lives (issue 15): N rows (bench/data-rows.ts) as deflate Avro,
 * converted to Parquet and verified from and to local folders, and the same from and to the S3 test
 * server (test/data/storage/s3-server.mjs: s3rver behind a front that answers as S3 does) in the same
 * run, each case in its own child process through the CLI as a user runs it, so peak RSS is per case.
 * Also the requests the server saw per case and per object read. Then convert from and to S3 again at
 * 5× the rows, to show memory stays flat, and once more with glibc's dynamic mmap threshold (what the
 * CLI fixes: src/composition/allocator.ts) as the memory baseline.
 *
 * Goals (issue 15): S3 rows/s ≥ 0.8× local; peak RSS ≤ 256 MiB and flat from 1 M to 5 M rows.
 * Figures are printed, never asserted. `BENCH_ROWS=200000 npm run bench -- data-storage` for a quick run.
 * The server shares the machine's cores with the case: on a 2-core machine that costs S3 some speed.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAvroFile } from '../src/data/avro/writer.js';
import { storageFor } from '../src/data/storage/uri.js';
import { bufferIO } from '../src/cli/io.js';
import { main as cli } from '../src/cli/main.js';
import { startS3Server } from '../test/data/storage/servers.js';
import { benchRows, benchSchema } from './data-rows.js';
import { measure, printTable } from './measure.js';

const BUCKET = 'fleetwave';

type Kind = 'convert' | 'verify';

/** One case in this process: the CLI's convert or verify. */
async function child(kind: Kind, source: string, target: string): Promise<void> {
  const cpu = process.cpuUsage();
  const m = await measure(async () => {
    const io = bufferIO();
    const code = await cli(kind === 'convert' ? ['convert', source, target, '--json'] : ['verify', source, target, '--json'], io);
    if (code !== 0) throw new Error(`${kind} exited ${code}: ${io.stderr.join('')}`);
    // convert --json says `rows`; verify --json is the report (`sourceRows`; its `rows` are checksums).
    const out = JSON.parse(io.stdout.join('')) as { rows?: unknown; sourceRows?: number };
    return { rows: kind === 'verify' ? (out.sourceRows ?? 0) : Number(out.rows) };
  });
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ rows: m.result.rows, ms: m.ms, cpuMs: (used.user + used.system) / 1000, peakRssMiB: m.peakRssMiB })}\n`,
  );
}

type Figures = { rows: number; ms: number; cpuMs: number; peakRssMiB: number };

function spawnCase(kind: Kind, source: string, target: string, env: Record<string, string> = {}): Figures {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), 'case', kind, source, target], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`case ${kind} ${source} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
}

async function upload(file: string, uri: string, env: Record<string, string>): Promise<void> {
  Object.assign(process.env, env);
  const { storage, key } = await storageFor(uri);
  await storage.write(key, createReadStream(file));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetwave-bench-storage-'));
  const s3 = await startS3Server(BUCKET);
  try {
    const base = Number(process.env.BENCH_ROWS ?? 1_000_000);
    const big = Number(process.env.BENCH_ROWS_BIG ?? base * 5);
    const table: Record<string, string | number>[] = [];
    const requests: Record<string, string | number>[] = [];
    let local = 0;
    const row = (name: string, n: number, r: Figures, vsLocal?: number) => {
      const perSec = r.rows / (r.ms / 1000);
      table.push({
        case: name,
        rows: n,
        'rows/s': Math.round(perSec),
        'rows/CPU-s': Math.round(r.rows / (r.cpuMs / 1000)),
        'peak RSS MiB': Math.round(r.peakRssMiB),
        'vs local': vsLocal ? `${(perSec / vsLocal).toFixed(2)}×` : '-',
      });
      return perSec;
    };
    const counted = async (name: string, objects: number) => {
      const seen = await s3.requests(true);
      const total = Object.values(seen).reduce((a, b) => a + b, 0);
      requests.push({ case: name, requests: total, 'per object read': (total / objects).toFixed(1), detail: JSON.stringify(seen) });
    };
    for (const [n, label] of [
      [base, 'base'],
      [big, 'big'],
    ] as const) {
      const inDir = join(dir, `in-${label}`);
      await mkdir(inDir, { recursive: true });
      const avro = join(inDir, 'part-0.avro');
      await writeAvroFile(avro, benchSchema, benchRows(n), { codec: 'deflate' });
      const mib = ((await stat(avro)).size / 2 ** 20).toFixed(1);
      await upload(avro, `s3://${BUCKET}/${label}/in/part-0.avro`, s3.env);
      await s3.requests(true);
      console.log(`source (${label}): ${n.toLocaleString('en')} rows, deflate Avro, ${mib} MiB, on local disk and on the S3 test server`);
      if (label === 'base') {
        local = row('convert local → local', n, spawnCase('convert', inDir, join(dir, 'out-base')));
        row('convert s3 → s3', n, spawnCase('convert', `s3://${BUCKET}/base/in/`, `s3://${BUCKET}/base/out/`, s3.env), local);
        await counted('convert s3 → s3 (1 input object)', 1);
        const localVerify = row('verify local', n, spawnCase('verify', inDir, join(dir, 'out-base')));
        row('verify s3', n, spawnCase('verify', `s3://${BUCKET}/base/in/`, `s3://${BUCKET}/base/out/`, s3.env), localVerify);
        await counted('verify s3 (1 Avro + its Parquet objects)', 2);
      } else {
        row('convert s3 → s3', n, spawnCase('convert', `s3://${BUCKET}/big/in/`, `s3://${BUCKET}/big/out/`, s3.env), local);
        await counted('convert s3 → s3, 5× rows', 1);
        // The baseline: glibc's dynamic mmap threshold, which the CLI fixes by default (docs/data.md, "Memory on Linux").
        row(
          "convert s3 → s3, glibc's dynamic threshold",
          n,
          spawnCase('convert', `s3://${BUCKET}/big/in/`, `s3://${BUCKET}/big/out-dynamic/`, {
            ...s3.env,
            FLEETWAVE_FIXED_MMAP_THRESHOLD: '0',
          }),
          local,
        );
        await s3.requests(true);
      }
      await rm(inDir, { recursive: true, force: true });
    }
    printTable(table);
    printTable(requests);
    console.log('goals: S3 rows/s ≥ 0.8× local; peak RSS ≤ 256 MiB, flat from 1M to 5M rows');
    console.log('rows/s is wall clock and the S3 server runs on the same cores; compare rows/CPU-s on a shared machine');
  } finally {
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'case') {
  await child(process.argv[3] as Kind, process.argv[4]!, process.argv[5]!);
} else {
  await main();
}
