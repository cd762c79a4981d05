/**
 * Re-running a pull request's checks on the local forge: the cached result is set aside and the check
 * command runs again for the same head (a flaky check — here one that fails on its first run — passes).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalRepo, type LocalForge } from '../../../src/forge/local/index.js';
import { edit, forgeFor, tempFleet, type TempFleet } from './fleet-helpers.js';

let t: TempFleet;
let forge: LocalForge;
let marks: string;
const BRANCH = 'fleetwave/events-v2';
const BODY = 'Moves to v2.\n\n<!-- fleetwave:{"migration":"events-v2","manifestHash":"abc"} -->';
/** Fails the first time it runs for a repository, passes afterwards (the mark lives outside the clone). */
const FLAKY =
  '#!/bin/sh\nmark="$FLAKY_MARKS/$(echo "$FLEETWAVE_REPO" | tr / _)"\nif [ -e "$mark" ]; then echo "passed"; exit 0; fi\ntouch "$mark"; echo "flaked"; exit 1\n';

beforeAll(async () => {
  t = tempFleet();
  marks = join(t.root, 'marks');
  mkdirSync(marks);
  await createLocalRepo(t.fleet, 'acme/seed', { 'a.txt': 'a\n' });
  forge = await forgeFor(t.fleet, { checkEnv: { FLAKY_MARKS: marks } });
});
afterAll(() => t.cleanup());

describe('local forge: rerunChecks', () => {
  it('runs the check command again on the same head; the first result is kept beside it', async () => {
    const { sha: base } = await createLocalRepo(t.fleet, 'acme/flaky', {
      'config.yaml': 'dataset: data/events/v1\n',
      '.fleetwave/check': FLAKY,
    });
    const { sha: head } = await forge.pushChanges({
      repo: 'acme/flaky',
      branch: BRANCH,
      baseSha: base,
      message: 'events-v2',
      edits: [edit('config.yaml', null, 'dataset: data/events/v2\n')],
    });
    const pr = await forge.openPullRequest({ repo: 'acme/flaky', branch: BRANCH, base: 'main', title: 'Move to events v2', body: BODY });
    const first = (await forge.findPullRequests(['acme/flaky'], BRANCH)).get('acme/flaky')!;
    expect(first.checks.state).toBe('failure');
    // Cached: observing again does not run the checks again.
    expect((await forge.findPullRequests(['acme/flaky'], BRANCH)).get('acme/flaky')!.checks.state).toBe('failure');
    await forge.rerunChecks('acme/flaky', pr.number);
    const second = (await forge.findPullRequests(['acme/flaky'], BRANCH)).get('acme/flaky')!;
    expect(second).toMatchObject({ headSha: head, checks: { state: 'success' } });
    expect(existsSync(join(t.fleet, '.forge', 'checks', 'acme', 'flaky', `${head}.run1.json`))).toBe(true);
  });

  it('refuses to re-run the checks of a pull request that is not open', async () => {
    const { sha: base } = await createLocalRepo(t.fleet, 'acme/closed', { 'config.yaml': 'dataset: data/events/v1\n' });
    await forge.pushChanges({
      repo: 'acme/closed',
      branch: BRANCH,
      baseSha: base,
      message: 'events-v2',
      edits: [edit('config.yaml', null, 'dataset: data/events/v2\n')],
    });
    const pr = await forge.openPullRequest({ repo: 'acme/closed', branch: BRANCH, base: 'main', title: 't', body: BODY });
    await forge.closePullRequest('acme/closed', pr.number);
    await expect(forge.rerunChecks('acme/closed', pr.number)).rejects.toThrow(/#1 is closed; its checks are not re-run/);
  });
});
