/**
 * A stuck pull request on a real local fleet (issue 21): with `rollout.nudgeAfter`, a PR nobody
 * reviewed gets one comment mentioning the reviewers asked, the journal says so once, and
 * `fleetwave status` lists it as stuck.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const manifest = oneWaveManifest({
  metadata: 'sunset: 2030-01-01',
  rollout: ['automerge: false', 'reviewers: ["@lead", "@acme/data-platform"]', 'nudgeAfter: 1s'],
});

describe('nudging on a local fleet', () => {
  it('comments once on a PR nobody reviewed, mentioning the reviewers asked, and status lists it as stuck', async () => {
    const f = await smallFleet(['acme/a']);
    cleanups.push(f.cleanup);
    const { fleet, state } = f;
    const manifestPath = join(f.root, 'events-v2.yaml');
    writeFileSync(manifestPath, manifest);
    const run = () => main(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], bufferIO());

    await run();
    const forge = await openLocalFleet(fleet);
    await sleep(1_200);
    await run();
    await run();
    const pr = (await forge.getPullRequest('acme/a', 1))!;
    const comments = pr.comments;
    expect(comments).toHaveLength(1);
    // Not before nudgeAfter: the one bound the clock promises. (A run that took longer than 1 s on a
    // loaded machine may already nudge in its own later ticks; the simulated clock's tests,
    // test/rollout/nudge.test.ts, hold the exact moment.)
    expect(Date.parse(comments[0]!.createdAt) - Date.parse(pr.createdAt)).toBeGreaterThanOrEqual(1_000);
    expect(comments[0]!.body).toMatch(
      /^@lead @acme\/data-platform — this pull request of the dataset migration \*\*events-v2\*\* .* has been open since /,
    );
    expect(comments[0]!.body).toContain('The old dataset goes away on **2030-01-01**.');

    const store = openSqliteStore(state);
    try {
      const nudges = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'nudge');
      expect(nudges.map((e) => [e.target, e.detail.pr, e.detail.mentioned])).toEqual([['acme/a', 1, ['@lead', '@acme/data-platform']]]);
    } finally {
      await store.close();
    }
    const io = bufferIO();
    await main(['status', '--state', state], io);
    expect(io.stdout.join('\n')).toMatch(/stuck pull requests .*\n {4}acme\/a: open since \S+, asked @lead @acme\/data-platform/);
  });
});
