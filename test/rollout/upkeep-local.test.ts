/**
 * PR upkeep on a real local fleet (issue 21): after the PRs open, the consumers' default branches move
 * under them — one conflicts with its PR, one is migrated by hand, one gets a person's commit on the bot
 * branch — and the next runs make the conflicting PR again on the new head (same PR, a new bot commit,
 * its checks run again) and merge it, close the one no longer needed with a comment, and leave the
 * person's branch alone. A changed manifest that makes the same change refreshes the PR bodies only.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import { parseMarker } from '../../src/rollout/marker.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { pushTo } from '../forge/local/fleet-helpers.js';
import { NEW, OLD, oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const manifest = (automerge: boolean, note = '') =>
  oneWaveManifest({ metadata: `description: Move events to v2.${note}`, rollout: [`automerge: ${automerge}`] });

const CHECK = `#!/bin/sh\ngrep -q 'data/events/v' config.yaml\n`;

async function setUp() {
  const f = await smallFleet(['acme/conflicts', 'acme/by-hand', 'acme/person'], CHECK);
  cleanups.push(f.cleanup);
  const { root, fleet, state } = f;
  const manifestPath = join(root, 'events-v2.yaml');
  writeFileSync(manifestPath, manifest(false));
  const run = async () => main(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], bufferIO());
  return { root, fleet, manifestPath, state, run };
}

describe('PR upkeep on a local fleet', () => {
  it('makes a conflicting PR again and merges it, closes one migrated by hand, leaves a person’s branch alone', async () => {
    const f = await setUp();
    await f.run();
    const forge = await openLocalFleet(f.fleet);
    const first = await forge.findPullRequests(['acme/conflicts', 'acme/by-hand', 'acme/person'], 'fleetwave/events-v2');
    expect([...first.values()].map((p) => p.state)).toEqual(['open', 'open', 'open']);
    const oldHead = first.get('acme/conflicts')!.headSha;

    // The default branches move under the open PRs.
    await pushTo(f.root, f.fleet, 'acme/conflicts', 'main', 'config.yaml', `dataset: ${OLD} # pinned by the team\n`);
    await pushTo(f.root, f.fleet, 'acme/by-hand', 'main', 'config.yaml', `dataset: ${NEW}\n`);
    await pushTo(f.root, f.fleet, 'acme/person', 'main', 'config.yaml', `dataset: ${OLD} # theirs\n`);
    await pushTo(f.root, f.fleet, 'acme/person', 'fleetwave/events-v2', 'notes.txt', 'mine\n');
    const conflicted = (await forge.findPullRequests(['acme/conflicts'], 'fleetwave/events-v2')).get('acme/conflicts')!;
    expect(conflicted.conflicted).toBe(true);

    // Now with automerge: the same change, a new manifest — bodies refreshed, the conflict made again.
    writeFileSync(f.manifestPath, manifest(true));
    await f.run();
    const after = await forge.findPullRequests(['acme/conflicts', 'acme/by-hand', 'acme/person'], 'fleetwave/events-v2');
    const remade = after.get('acme/conflicts')!;
    expect(remade.number).toBe(1);
    expect(remade.headSha).not.toBe(oldHead);

    // By hand: closed, with a comment saying why.
    const byHand = await forge.getPullRequest('acme/by-hand', 1);
    expect(byHand?.state).toBe('closed');
    expect(byHand?.comments.at(-1)?.body).toMatch(/`main` at [0-9a-f]{7} no longer needs its change/);

    // A person's commit: neither pushed to nor closed nor merged.
    const person = after.get('acme/person')!;
    expect(person.state).toBe('open');
    expect((await forge.getBranch('acme/person', 'fleetwave/events-v2'))?.commits.some((c) => !c.byBot)).toBe(true);

    // The next run merges the PR made again once its checks pass on the new head.
    for (
      let i = 0;
      i < 3 && (await forge.findPullRequests(['acme/conflicts'], 'fleetwave/events-v2')).get('acme/conflicts')!.state === 'open';
      i++
    )
      await f.run();
    const merged = (await forge.findPullRequests(['acme/conflicts'], 'fleetwave/events-v2')).get('acme/conflicts')!;
    expect(merged.state).toBe('merged');
    const checkout = await forge.checkout('acme/conflicts');
    try {
      expect(readFileSync(join(checkout.dir, 'config.yaml'), 'utf8')).toBe(`dataset: ${NEW} # pinned by the team\n`);
    } finally {
      await checkout.dispose();
    }
    expect(parseMarker(merged.body)?.manifestHash).not.toBe(parseMarker(first.get('acme/conflicts')!.body)?.manifestHash);

    const store = openSqliteStore(f.state);
    try {
      const events = await store.events({ migration: 'events-v2' });
      const updates = events.filter((e) => e.action === 'update-pr');
      expect(updates.map((e) => [e.target, e.detail.why])).toEqual([['acme/conflicts', 'conflicted']]);
      expect(events.filter((e) => e.action === 'close-pr').map((e) => e.target)).toEqual(['acme/by-hand']);
    } finally {
      await store.close();
    }
  });

  it('a changed manifest that makes the same change refreshes the bodies and pushes nothing', async () => {
    const f = await setUp();
    await f.run();
    const forge = await openLocalFleet(f.fleet);
    const before = await forge.findPullRequests(['acme/conflicts', 'acme/by-hand', 'acme/person'], 'fleetwave/events-v2');
    writeFileSync(f.manifestPath, manifest(false, ' Now with a note.'));
    await f.run();
    const after = await forge.findPullRequests(['acme/conflicts', 'acme/by-hand', 'acme/person'], 'fleetwave/events-v2');
    for (const [repo, pr] of after) {
      expect(pr.headSha).toBe(before.get(repo)!.headSha);
      expect(pr.body).toContain('Now with a note.');
      expect(parseMarker(pr.body)?.manifestHash).not.toBe(parseMarker(before.get(repo)!.body)?.manifestHash);
    }
    // Nothing moved since: a third run changes nothing.
    await f.run();
    const again = await forge.findPullRequests(['acme/conflicts', 'acme/by-hand', 'acme/person'], 'fleetwave/events-v2');
    for (const [repo, pr] of again) expect(pr.body).toBe(after.get(repo)!.body);
  });
});
