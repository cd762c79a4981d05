/** `fleetwave codemod` and `fleetwave impact` through the CLI's main(), on temp folders. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { removeDir, tempDir, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const manifest = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: data/play-events/v1/, format: avro }
  target: { uri: data/play-events/v2/, format: parquet }
  transform:
    - rename: { from: user_id, to: userId }
    - drop: legacy_flag
consumers:
  discover: [{ repos: [acme/recs] }]
changes:
  - renameField: { type: PlayEvent, from: user_id, to: userId }
  - replaceString: { from: data/play-events/v1, to: data/play-events/v2 }
`;

const types = `export interface PlayEvent {\n  event_id: string;\n  user_id: string;\n  legacy_flag?: boolean;\n}\n`;
const reader = `import type { PlayEvent } from './types';\n\nexport const PATH = 'data/play-events/v1/';\nexport const who = (e: PlayEvent) => e.user_id;\n`;

function setup(extra: Record<string, string> = {}) {
  const root = tempDir('fw-cli-');
  temps.push(root);
  writeTree(root, {
    'manifests/m.yaml': manifest,
    'repo/src/types.ts': types,
    'repo/src/reader.ts': reader,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`repo/${k}`, v])),
  });
  return { manifest: join(root, 'manifests/m.yaml'), repo: join(root, 'repo') };
}

describe('fleetwave codemod', () => {
  it('--dry-run prints a unified diff and changes nothing', async () => {
    const t = setup();
    const io = bufferIO();
    expect(await main(['codemod', t.manifest, t.repo, '--dry-run'], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('--- a/src/reader.ts\n+++ b/src/reader.ts');
    expect(out).toContain(
      "-export const PATH = 'data/play-events/v1/';\n-export const who = (e: PlayEvent) => e.user_id;\n+export const PATH = 'data/play-events/v2/';\n+export const who = (e: PlayEvent) => e.userId;",
    );
    expect(readFileSync(join(t.repo, 'src/reader.ts'), 'utf8')).toBe(reader);
  });

  it('--json prints the edits; without --dry-run the edits are written', async () => {
    const t = setup();
    const io = bufferIO();
    expect(await main(['codemod', t.manifest, t.repo, '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.stdout.join('')) as { edits: { path: string }[]; summaries: { rule: string }[] };
    expect(parsed.edits.map((e) => e.path)).toEqual(['src/reader.ts', 'src/types.ts']);
    expect(parsed.summaries.map((s) => s.rule)).toEqual(['renameField', 'replaceString']);
    expect(readFileSync(join(t.repo, 'src/types.ts'), 'utf8')).toContain('  userId: string;');
    // idempotent: a second run finds nothing to do
    const again = bufferIO();
    await main(['codemod', t.manifest, t.repo, '--json', '--dry-run'], again);
    expect((JSON.parse(again.stdout.join('')) as { edits: unknown[] }).edits).toEqual([]);
  });

  it('bad input exits 2', async () => {
    const t = setup();
    expect(await main(['codemod', t.manifest, join(t.repo, 'missing')], bufferIO())).toBe(2);
    expect(await main(['codemod', join(t.repo, 'src/types.ts'), t.repo], bufferIO())).toBe(2);
  });
});

describe('fleetwave impact', () => {
  it('exits 0 when no read breaks', async () => {
    const t = setup();
    const io = bufferIO();
    expect(await main(['impact', t.manifest, t.repo], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('ok: no blocking finding');
  });

  it('exits 1 with file:line, field and why when a consumer reads a dropped field', async () => {
    const t = setup({ 'src/flags.ts': `import type { PlayEvent } from './types';\nexport const f = (e: PlayEvent) => e.legacy_flag;\n` });
    const io = bufferIO();
    expect(await main(['impact', t.manifest, t.repo, '--json'], io)).toBe(1);
    const parsed = JSON.parse(io.stdout.join('')) as { blocked: boolean; findings: unknown[] };
    expect(parsed).toEqual({
      blocked: true,
      findings: [
        {
          severity: 'blocking',
          file: 'src/flags.ts',
          line: 2,
          field: 'legacy_flag',
          message: 'reads `legacy_flag`, which dataset.transform[1] drops from the dataset',
        },
      ],
    });
  });
});
