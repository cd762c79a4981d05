import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const broken = join(dir, 'broken.yaml');
writeFileSync(
  broken,
  [
    'apiVersion: fleetwave/v1',
    'kind: DatasetMigration',
    'metadata: { name: m, owner: me }',
    'dataset:',
    '  source: { uri: a/, format: avro }',
    '  target: { uri: b/, format: parquet }',
    'consumers:',
    '  discover: [{ repos: [acme/x] }]',
    'rollout:',
    '  soak: soon',
    '  wavez: [10%]',
    '',
  ].join('\n'),
);

describe('fleetwave validate', () => {
  it('prints ok per valid manifest and exits 0', async () => {
    const io = bufferIO();
    const code = await main(['validate', 'manifests/play-events-v2.yaml'], io);
    expect(io.stdout).toEqual(['ok manifests/play-events-v2.yaml']);
    expect(code).toBe(0);
  });

  it('prints every problem as file:line:col: message and exits 2 when any manifest is invalid', async () => {
    const io = bufferIO();
    const code = await main(['validate', 'manifests/play-events-v2.yaml', broken], io);
    expect(code).toBe(2);
    expect(io.stdout).toEqual([
      'ok manifests/play-events-v2.yaml',
      `${broken}:10:9: rollout.soak: expected a duration such as 30m, 1h, 45s or 2d (a number with a unit: ms, s, m, h, d, w), got string 'soon'`,
      `${broken}:11:3: rollout.wavez: unknown key 'wavez' (did you mean 'waves'?); allowed here: canary, waves, soak, schedule, timezone, holidays, reviewers, rebaseWhen, nudgeAfter, sunsetWarnings, maxOpenPRs, failureThreshold, automerge, checksGrace, withoutChecks, revertOnFailure, approvals, retryFailedChecks, tiers, tierOrder, defaultTier, requireApprovalFor`,
    ]);
  });

  it('prints one JSON object with --json, including unreadable files', async () => {
    const io = bufferIO();
    const missing = join(dir, 'missing.yaml');
    const code = await main(['validate', '--json', 'manifests/play-events-v2.yaml', broken, missing], io);
    expect(code).toBe(2);
    const out = JSON.parse(io.stdout.join('')) as {
      ok: boolean;
      files: {
        file: string;
        ok: boolean;
        migration?: string;
        hash?: string;
        problems: { line: number; col: number; path: string }[];
        error?: string;
      }[];
    };
    expect(out.ok).toBe(false);
    expect(out.files[0]).toMatchObject({ file: 'manifests/play-events-v2.yaml', ok: true, migration: 'play-events-v2', problems: [] });
    expect(out.files[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.files[1]?.problems.map((p) => [p.path, p.line, p.col])).toEqual([
      ['rollout.soak', 10, 9],
      ['rollout.wavez', 11, 3],
    ]);
    expect(out.files[2]).toMatchObject({ file: missing, ok: false, problems: [] });
    expect(out.files[2]?.error).toContain('no such file');
  });

  it('needs at least one manifest (bad input, exit 2)', async () => {
    const io = bufferIO();
    expect(await main(['validate'], io)).toBe(2);
    expect(io.stderr.join('')).toContain("missing required argument 'manifest'");
  });
});
