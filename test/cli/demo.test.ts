/**
 * `fleetwave demo` end to end: a real fleet of git repositories, v2 converted and verified by
 * Fleetwave, a real run with every consumer's own check (tsc + node --test for TypeScript, DuckDB over
 * the lake for SQL, compile + tests-or-a-skip-line for Python), the SQLite store. Slow (a tsc run per
 * TypeScript consumer, several minutes on a loaded 2-core machine).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress } from 'fzstd';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import avro from 'avsc';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Finding } from '../../src/codemod/port.js';
import type { DemoVerification } from '../../src/demo/lake-v2.js';
import type { MigrationSummary } from '../../src/rollout/model.js';

// Real tsc per consumer on a loaded machine: minutes.
jest.setTimeout(15 * 60_000);

type DemoResult = MigrationSummary & {
  verification: DemoVerification;
  demo: { dir: string; lake: string; v2Files: string[]; expectedRewritten: string[]; expectedBlocked: string[] };
};

function countAvroRows(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    avro
      .createFileDecoder(path)
      .on('data', () => n++)
      .on('end', () => resolve(n))
      .on('error', reject);
  });
}

let root: string;
let exitCode: number;
let io: ReturnType<typeof bufferIO>;
let result: DemoResult;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-cli-demo-'));
  io = bufferIO();
  exitCode = await main(['demo', '--dir', join(root, 'demo'), '--json'], io);
  result = JSON.parse(io.stdout.join('')) as DemoResult;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fleetwave demo --json', () => {
  it('completes with exit 0', () => {
    expect({ exitCode, state: result.state, stderr: io.stderr.join('') }).toEqual({ exitCode: 0, state: 'completed', stderr: '' });
  });

  it('merges every consumer except the two impact analysis blocked on legacy_flag, and fails none', () => {
    expect(result.demo.expectedBlocked).toEqual(['acme/legacy-audit', 'acme/legacy-clients']);
    expect(result.targets).toHaveLength(27);
    expect(result.targets.filter((t) => t.state === 'failed')).toEqual([]);
    for (const t of result.targets) {
      if (result.demo.expectedBlocked.includes(t.repo)) continue;
      expect({ repo: t.repo, state: t.state }).toEqual({ repo: t.repo, state: 'merged' });
    }
    for (const [repo, file] of [
      ['acme/legacy-audit', /^src\/.+\.ts$/],
      ['acme/legacy-clients', /^jobs\/legacy_share\.sql$/],
    ] as const) {
      const blocked = result.targets.find((t) => t.repo === repo)!;
      expect(blocked.state).toBe('blocked');
      expect(blocked.pr).toBeNull();
      const findings = blocked.findings.filter((f: Finding) => f.severity === 'blocking');
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.field).toBe('legacy_flag');
        expect(f.file).toMatch(file);
        expect(f.line).toBeGreaterThan(0);
        expect(f.message).toContain('legacy_flag');
      }
    }
    expect(result.counts).toMatchObject({ merged: result.targets.length - 2, blocked: 2, failed: 0 });
  });

  it('merged the consumers that read user_id (renameField, sql, python rewrote them) after their checks passed', () => {
    expect(result.demo.expectedRewritten).toEqual([
      'acme/bq-reports',
      'acme/churn-pandas',
      'acme/listener-stats',
      'acme/listening-dbt',
      'acme/sessions-pyspark',
    ]);
    for (const repo of result.demo.expectedRewritten) {
      const t = result.targets.find((x) => x.repo === repo)!;
      expect(t).toMatchObject({ state: 'merged', checks: 'success' });
    }
  });

  it('verified v2 against v1 before the rollout, and the verification passed', () => {
    expect(result.verification.pass).toBe(true);
    expect(result.verification.reports).toHaveLength(1);
    expect(result.verification.reports[0]).toMatchObject({ pass: true, equal: true, key: 'event_id' });
    expect(result.verification.sourceRows).toBe(result.verification.targetRows);
  });

  it('left v2 in the lake as Parquet that hyparquet reads back with as many rows as v1', async () => {
    const v1Dir = join(result.demo.lake, 'data/play-events/v1');
    const v2Dir = join(result.demo.lake, 'data/play-events/v2');
    const v1Files = readdirSync(v1Dir).filter((f) => f.endsWith('.avro'));
    const v2Files = readdirSync(v2Dir).filter((f) => !f.startsWith('_')); // _fleetwave/ (the verification record), _SUCCESS
    expect(v2Files).toEqual(v1Files.map((f) => f.replace(/\.avro$/, '.parquet')));
    let v1Rows = 0;
    for (const f of v1Files) v1Rows += await countAvroRows(join(v1Dir, f));
    let v2Rows = 0;
    for (const f of v2Files) {
      const rows = await parquetReadObjects({
        file: await asyncBufferFromFile(join(v2Dir, f)),
        compressors: { ZSTD: (input: Uint8Array) => decompress(input) },
      });
      v2Rows += rows.length;
      for (const row of rows) {
        expect(row).toHaveProperty('userId');
        expect(row).not.toHaveProperty('user_id');
        expect(row).not.toHaveProperty('legacy_flag');
      }
    }
    expect(v1Rows).toBeGreaterThan(0);
    expect(v2Rows).toBe(v1Rows);
    expect(result.verification.targetRows).toBe(v2Rows);
  });
});
