/**
 * Reviewers on a real local fleet (issue 21): a consumer's CODEOWNERS names the owners of the changed
 * files, who are asked on the PR (the local forge records it) and journalled with where they came
 * from; `rollout.reviewers` overrides; a consumer without CODEOWNERS or catalog owner asks nobody.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { OLD, buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});

const CODEOWNERS = `# last match wins
*           @acme/platform
*.yaml      @acme/recs-team @jane
docs/       someone@example.com
`;

async function fleetWithOwners(manifest: string): Promise<TestFleet> {
  const f = await buildTestFleet(manifest);
  fleets.push(f);
  await createLocalRepo(f.fleet, 'acme/owned', {
    'config.yaml': `dataset: ${OLD}\n`,
    '.github/CODEOWNERS': CODEOWNERS,
    '.fleetwave/check': '#!/bin/sh\nexit 0\n',
  });
  return f;
}

async function run(f: TestFleet): Promise<number> {
  const io = bufferIO();
  return main(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], io);
}

async function reviewEvents(f: TestFleet) {
  const store = openSqliteStore(f.state);
  try {
    return (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'request-reviewers');
  } finally {
    await store.close();
  }
}

describe('reviewers', () => {
  it('asks the CODEOWNERS owners of the changed files and records them on the PR', async () => {
    const f = await fleetWithOwners(manifestText());
    await run(f);
    const forge = await openLocalFleet(f.fleet);
    const pr = await forge.getPullRequest('acme/owned', 1);
    expect(pr?.requestedReviewers).toEqual({ users: ['jane'], teams: ['recs-team'] });
    const events = await reviewEvents(f);
    expect(events.find((e) => e.target === 'acme/owned')).toMatchObject({
      outcome: 'ok',
      detail: { pr: 1, users: ['jane'], teams: ['recs-team'], source: 'codeowners' },
    });
    // The other consumers have neither CODEOWNERS nor a catalog: nobody asked, and it says so.
    expect(events.find((e) => e.target === 'acme/c01')).toMatchObject({ detail: { users: [], teams: [], source: 'none' } });
    expect((await forge.getPullRequest('acme/c01', 1))?.requestedReviewers).toBeUndefined();
    // `fleetwave status` names them beside the PR.
    const io = bufferIO();
    await main(['status', '--state', f.state], io);
    const row = io.stdout
      .join('\n')
      .split('\n')
      .find((l) => l.trim().startsWith('acme/owned'));
    expect(row).toMatch(/acme\/owned\.git#pull\/1 — reviewers: @jane, team recs-team$/);
  });

  it('takes rollout.reviewers instead', async () => {
    const f = await fleetWithOwners(`${manifestText()}  reviewers: ["@lead", "@acme/data-platform"]\n`);
    await run(f);
    const forge = await openLocalFleet(f.fleet);
    expect((await forge.getPullRequest('acme/owned', 1))?.requestedReviewers).toEqual({ users: ['lead'], teams: ['data-platform'] });
    expect((await forge.getPullRequest('acme/c01', 1))?.requestedReviewers).toEqual({ users: ['lead'], teams: ['data-platform'] });
  });
});
