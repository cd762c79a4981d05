/**
 * glibc's dynamic mmap threshold and what fixMmapThreshold does about it (docs/data.md, "Memory on
 * Linux"), observed in a child process's own memory map: after a freed 16 MiB buffer, twenty live 2 MiB
 * buffers land in the `[heap]` (which keeps freed memory) unless the threshold is fixed, when each gets
 * its own mapping. The probe is bundled from src/ with esbuild like test/helpers/cli-process.ts.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { fixMmapThreshold } from '../../src/composition/allocator.js';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const linux =
  process.platform === 'linux' &&
  Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
if (!linux) console.log('SKIPPED: the mmap threshold tests need Linux with glibc');

/** The probe: optionally tunes, raises glibc's threshold with a freed 16 MiB buffer, then keeps 20 × 2 MiB. */
const PROBE = `
import { readFileSync } from 'node:fs';
import { fixMmapThreshold } from '${join(root, 'src', 'composition', 'allocator.ts')}';
const heapMiB = () => {
  const line = readFileSync('/proc/self/maps', 'utf8').split('\\n').find((l) => l.endsWith('[heap]'));
  if (!line) return 0;
  const [from, to] = line.split(' ')[0].split('-').map((h) => parseInt(h, 16));
  return (to - from) / 2 ** 20;
};
const tuning = process.argv[2] === 'tune' ? await fixMmapThreshold() : null;
let big = Buffer.allocUnsafeSlow(16 * 2 ** 20);
big.fill(1);
big = null;
for (let i = 0; i < 5; i++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 20));
}
const before = heapMiB();
const kept = [];
for (let i = 0; i < 20; i++) kept.push(Buffer.allocUnsafeSlow(2 * 2 ** 20).fill(2));
console.log(JSON.stringify({ tuning, heapGrowthMiB: heapMiB() - before, kept: kept.length }));
`;

let probe: string;

async function runProbe(mode: 'tune' | 'default', env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.MALLOC_MMAP_THRESHOLD_;
  const r = spawnSync(process.execPath, ['--expose-gc', probe, mode], { encoding: 'utf8', env: { ...base, ...env } });
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as { tuning: unknown; heapGrowthMiB: number };
}

(linux ? describe : describe.skip)('fixMmapThreshold on Linux with glibc', () => {
  beforeAll(async () => {
    const dir = join(root, 'test-output', `allocator-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'probe.ts');
    writeFileSync(entry, PROBE);
    probe = join(dir, 'probe.mjs');
    await build({
      entryPoints: [entry],
      outfile: probe,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
  });

  it('by default, buffers below a freed big one stay in the heap (the growth it prevents)', async () => {
    const r = await runProbe('default');
    expect(r.heapGrowthMiB).toBeGreaterThanOrEqual(30);
  });

  it('fixes the threshold at 128 KiB: the same buffers get their own mappings and the heap does not grow', async () => {
    const r = await runProbe('tune');
    expect(r.tuning).toEqual({ tuned: true, thresholdBytes: 131072 });
    expect(r.heapGrowthMiB).toBeLessThan(8);
  });

  it('leaves a threshold set in the environment alone (glibc applied it at start)', async () => {
    const r = await runProbe('tune', { MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(r.tuning).toEqual({ tuned: false, reason: 'environment' });
    expect(r.heapGrowthMiB).toBeLessThan(8);
  });
});

describe('fixMmapThreshold anywhere', () => {
  it('says why it changed nothing when the environment already sets a threshold', async () => {
    await expect(fixMmapThreshold({ MALLOC_MMAP_THRESHOLD_: '65536' })).resolves.toEqual({ tuned: false, reason: 'environment' });
  });

  it("keeps glibc's dynamic threshold when FLEETWAVE_FIXED_MMAP_THRESHOLD=0", async () => {
    await expect(fixMmapThreshold({ FLEETWAVE_FIXED_MMAP_THRESHOLD: '0' })).resolves.toEqual({ tuned: false, reason: 'disabled' });
  });
});
