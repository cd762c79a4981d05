/**
 * A merge the forge made without the engine (a person merging the bot's PR, or GitHub's auto-merge) is
 * journalled once as a merge, with the rescan of the default branch that the burndown counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';

let f: TestFleet;
beforeAll(async () => {
  f = await buildTestFleet(manifestText().replace('automerge: true', 'automerge: false'));
});
afterAll(() => f.cleanup());

async function run(): Promise<MigrationSummary> {
  const io = bufferIO();
  await main(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], io);
  return JSON.parse(io.stdout.join('')) as MigrationSummary;
}

async function journal() {
  const store = openSqliteStore(f.state);
  try {
    return await store.events({ migration: 'events-v2' });
  } finally {
    await store.close();
  }
}

describe('merges made outside the engine', () => {
  it('are journalled once, with a rescan', async () => {
    const first = await run();
    const canary = first.targets.find((t) => t.wave === 0 && t.state === 'open')!;
    expect(canary).toBeDefined();
    expect((await journal()).some((e) => e.action === 'merge')).toBe(false);

    // a person merges the canary's pull request on the forge
    const forge = await openLocalFleet(f.fleet);
    const pr = (await forge.findPullRequests([canary.repo], 'fleetwave/events-v2')).get(canary.repo)!;
    const { sha } = await forge.mergePullRequest(canary.repo, pr.number, pr.headSha);

    const second = await run();
    expect(second.targets.find((t) => t.repo === canary.repo)!.state).toBe('merged');
    const merges = (await journal()).filter((e) => e.action === 'merge');
    expect(merges.map((e) => [e.target, e.outcome, e.detail.pr, e.detail.sha, e.detail.observed])).toEqual([
      [canary.repo, 'ok', pr.number, sha, true],
    ]);
    const rescans = (await journal()).filter((e) => e.action === 'rescan' && e.target === canary.repo);
    expect(rescans.map((e) => [e.detail.sha, e.detail.references])).toEqual([[sha, 0]]);

    await run();
    expect((await journal()).filter((e) => e.action === 'merge')).toHaveLength(1);
  });
});
