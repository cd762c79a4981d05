/**
 * Threat (docs/security.md, "A migration's identity is its source"): a second manifest reuses a
 * sensitive migration's `metadata.name` to take over its pull requests with its own rollout settings
 * (automerge, no approvals). Before sources were recorded the engine adopted any pull request whose
 * marker named the migration, and merged the sensitive migration's PRs without its owner's approval.
 * On a real local fleet (bare git repositories, real checks, SQLite), through the CLI as a user runs it.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});

/** The sensitive migration: nothing merges before its owner approves. */
const SENSITIVE = manifestText({ waves: '[100%]' }).replace('  owner: data-platform\n', '  owner: data-platform\n  sensitive: true\n');
/** The hijacker: the same name, automerge and no approvals, from another file. */
const HIJACK = manifestText({ waves: '[100%]' });

async function run(manifest: string, f: TestFleet, state = f.state) {
  const io = bufferIO();
  const code = await main(['run', manifest, '--fleet', f.fleet, '--state', state, '--json'], io);
  const out = io.stdout.join('');
  return { code, summary: out ? (JSON.parse(out) as MigrationSummary) : null, stderr: io.stderr.join('') };
}

async function mergedPulls(f: TestFleet): Promise<string[]> {
  const forge = await openLocalFleet(f.fleet);
  const merged: string[] = [];
  for (const repo of f.consumers) {
    for (let n = 1; ; n++) {
      const pr = await forge.getPullRequest(repo, n);
      if (!pr) break;
      if (pr.state === 'merged') merged.push(`${repo}#${n}`);
    }
  }
  return merged;
}

describe('a second manifest with a name in use', () => {
  it('is refused, naming the first, and merges nothing of the sensitive migration', async () => {
    const f = await buildTestFleet(SENSITIVE);
    fleets.push(f);
    const first = await run(f.manifestPath, f);
    expect(first.summary?.targets.filter((t) => t.state === 'open').length).toBeGreaterThan(0);
    expect(await mergedPulls(f)).toEqual([]);

    const hijack = join(f.root, 'hijack.yaml');
    writeFileSync(hijack, HIJACK);
    const second = await run(hijack, f);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('metadata.name "events-v2" is already the migration of the manifest local:');
    expect(second.stderr).toContain(f.manifestPath);
    expect(await mergedPulls(f)).toEqual([]);
  });

  it('with the store lost, neither adopts nor merges the pull requests the first manifest opened', async () => {
    const f = await buildTestFleet(SENSITIVE);
    fleets.push(f);
    const first = await run(f.manifestPath, f);
    const opened = first.summary!.targets.filter((t) => t.state === 'open').map((t) => t.repo);
    expect(opened.length).toBeGreaterThan(0);
    const hijack = join(f.root, 'hijack.yaml');
    writeFileSync(hijack, HIJACK);
    // A fresh store knows no claim: the PR markers' sources still tell the two manifests apart.
    const second = await run(hijack, f, join(f.root, 'other-state.sqlite'));
    const merged = await mergedPulls(f);
    for (const repo of opened) {
      expect(merged.filter((m) => m.startsWith(`${repo}#`))).toEqual([]);
      const t = second.summary!.targets.find((x) => x.repo === repo)!;
      expect(t.state).toBe('blocked');
      expect(t.reason).toContain(`is a pull request of another manifest named events-v2 (local:${f.manifestPath})`);
    }
  });
});
