/**
 * dist/ (the committed Action bundle that action.yml runs) must be what scripts/bundle.mjs makes of
 * the committed sources: the test bundles HEAD's src/ into a temp folder (the whole working tree when
 * there is no git history) and compares every file, byte for byte. esbuild's output is deterministic.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './run-action.js';

const STALE = 'dist/ is stale: it is not what `npm run bundle` makes of the committed sources. Any commit that touches src/ must rebuild the Action: run `npm run bundle` (on a tree without uncommitted src/ changes, or `npm run bundle -- --git-ref HEAD`) and commit dist/.';

const fresh = mkdtempSync(join(tmpdir(), 'fleetwave-bundle-'));

afterAll(() => {
  rmSync(fresh, { recursive: true, force: true });
});

function hasHead(): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: repoRoot, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('dist/', () => {
  it('is the bundle of the committed sources', () => {
    const args = [join(repoRoot, 'scripts', 'bundle.mjs'), '--outdir', fresh, '--quiet', ...(hasHead() ? ['--git-ref', 'HEAD'] : [])];
    execFileSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    const dist = join(repoRoot, 'dist');
    const committed = existsSync(dist) ? readdirSync(dist).sort() : [];
    const built = readdirSync(fresh).sort();
    expect(built).toContain('index.js');
    const stale: string[] = [];
    for (const f of new Set([...committed, ...built])) {
      if (!committed.includes(f)) stale.push(`${f}: missing from dist/`);
      else if (!built.includes(f)) stale.push(`${f}: in dist/ but no longer built`);
      else if (!readFileSync(join(dist, f)).equals(readFileSync(join(fresh, f)))) stale.push(`${f}: differs`);
    }
    if (stale.length) throw new Error(`${STALE}\n${stale.join('\n')}`);
  });
});
