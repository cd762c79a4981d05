/**
 * Issue 21 as its held-out check describes it, on a real local fleet: the clock is outside the schedule
 * for the first run, a consumer's default branch changes under its open PR so that they conflict, and
 * one repository is a monorepo of two consuming packages with different CODEOWNERS. Nothing opens or
 * merges outside the window; the conflicted PR is made again on the new head and merges; the monorepo
 * gets one PR per package, each asking its own owners.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { pushTo } from '../forge/local/fleet-helpers.js';
import { NEW, OLD, oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** A window three days from today (UTC): the run is outside it whenever the test runs. */
const CLOSED = `${DAYS[(new Date().getUTCDay() + 3) % 7]} 00:00-24:00`;
const OPEN = 'Mon-Sun 00:00-24:00';
const CHECK = `#!/bin/sh\ngrep -q 'data/events/v' config.yaml\n`;

function manifest(schedule: string, automerge: boolean): string {
  return oneWaveManifest({ rollout: [`schedule: "${schedule}"`, 'timezone: UTC', `automerge: ${automerge}`] }).replace(
    `  discover: [{ search: ${OLD} }]\n`,
    `  discover: [{ search: ${OLD} }]\n  workspaces: ["packages/*"]\n`,
  );
}

describe('a long migration on a living fleet', () => {
  it('waits for the window, remakes the conflicted PR and merges it, and splits the monorepo by package and owner', async () => {
    const f = await smallFleet(['acme/moving'], CHECK);
    cleanups.push(f.cleanup);
    await createLocalRepo(f.fleet, 'acme/mono', {
      CODEOWNERS: '/packages/a/ @acme/team-a\n/packages/b/ @bob\n',
      'packages/a/config.yaml': `dataset: ${OLD}\n`,
      'packages/a/.fleetwave/check': CHECK,
      'packages/b/config.yaml': `dataset: ${OLD}\n`,
      'packages/b/.fleetwave/check': CHECK,
    });
    const manifestPath = join(f.root, 'events-v2.yaml');
    const run = async (text: string): Promise<MigrationSummary> => {
      writeFileSync(manifestPath, text);
      const io = bufferIO();
      await main(['run', manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], io);
      return JSON.parse(io.stdout.join('\n')) as MigrationSummary;
    };
    const forge = await openLocalFleet(f.fleet);
    const prsOf = async (repo: string) => {
      const out = [];
      for (let n = 1; ; n++) {
        const pr = await forge.getPullRequest(repo, n);
        if (!pr) return out;
        out.push(pr);
      }
    };

    // Outside the window: every target waits, and says until when.
    const closed = await run(manifest(CLOSED, true));
    expect(closed.targets.map((t) => [t.repo, t.state, t.window?.open])).toEqual([
      ['acme/mono/packages/a', 'planned', false],
      ['acme/mono/packages/b', 'planned', false],
      ['acme/moving', 'planned', false],
    ]);
    expect([...(await prsOf('acme/mono')), ...(await prsOf('acme/moving'))]).toEqual([]);

    // In the window (no automerge yet): the PRs open, the monorepo's one per package with its owners.
    await run(manifest(OPEN, false));
    const mono = await prsOf('acme/mono');
    expect(mono.map((p) => [p.branch, p.requestedReviewers])).toEqual([
      ['fleetwave/events-v2.ws/packages/a', { users: [], teams: ['team-a'] }],
      ['fleetwave/events-v2.ws/packages/b', { users: ['bob'], teams: [] }],
    ]);
    const [moving] = await prsOf('acme/moving');
    expect(moving!.state).toBe('open');

    // The default branch moves under the open PR and conflicts with it.
    await pushTo(f.root, f.fleet, 'acme/moving', 'main', 'config.yaml', `dataset: ${OLD} # pinned\n`);
    expect((await forge.getPullRequest('acme/moving', 1))!.conflicted).toBe(true);

    // With automerge: the conflicted PR is made again on the new head and merges; so do the packages'.
    let summary = await run(manifest(OPEN, true));
    for (let i = 0; i < 3 && summary.targets.some((t) => t.state !== 'merged'); i++) summary = await run(manifest(OPEN, true));
    expect(summary.targets.map((t) => [t.repo, t.state])).toEqual([
      ['acme/mono/packages/a', 'merged'],
      ['acme/mono/packages/b', 'merged'],
      ['acme/moving', 'merged'],
    ]);
    const remade = (await forge.getPullRequest('acme/moving', 1))!;
    expect(remade.headSha).not.toBe(moving!.headSha);
    expect(await forge.readFile('acme/moving', 'config.yaml')).toBe(`dataset: ${NEW} # pinned\n`);
    expect(await forge.readFile('acme/mono', 'packages/b/config.yaml')).toBe(`dataset: ${NEW}\n`);
    expect(await prsOf('acme/moving')).toHaveLength(1);
    expect(await prsOf('acme/mono')).toHaveLength(2);
  });
});
