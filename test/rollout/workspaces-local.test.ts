/**
 * Monorepos on a real local fleet (issue 21, `consumers.workspaces`): one repository with three
 * consuming workspaces owned by different teams (its CODEOWNERS) and a consuming file at its root.
 * Per workspace: its own branch and pull request with only its files, its own reviewers, its own checks
 * (the folder's `.fleetwave/check`, which the local forge runs for a change inside the folder), its own
 * fate (a red workspace fails alone). With `prs: one`: one pull request with a section per workspace.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import type { TrialReport } from '../../src/rollout/trial.js';
import { NEW, OLD, oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const PASS = '#!/bin/sh\nexit 0\n';
/** A workspace's check that passes only while its config still reads the old dataset (the change breaks it). */
const RED = `#!/bin/sh\ngrep -q '${OLD}' config.yaml || { echo "search cannot read ${NEW} yet"; exit 1; }\n`;

const CODEOWNERS = `*                   @acme/platform
/packages/billing/  @acme/billing-team
/packages/search/   @acme/search-team @sam
/dbt/               @acme/analytics
`;

async function monorepoFleet(workspaces: string) {
  const f = await smallFleet(['acme/plain']);
  cleanups.push(f.cleanup);
  await createLocalRepo(f.fleet, 'acme/mono', {
    'config.yaml': `dataset: ${OLD}\n`,
    '.fleetwave/check': PASS,
    '.github/CODEOWNERS': CODEOWNERS,
    'packages/billing/package.json': '{ "name": "billing" }\n',
    'packages/billing/config.yaml': `dataset: ${OLD}\n`,
    'packages/billing/.fleetwave/check': PASS,
    'packages/search/package.json': '{ "name": "search" }\n',
    'packages/search/config.yaml': `dataset: ${OLD}\n`,
    'packages/search/.fleetwave/check': RED,
    'packages/unused/package.json': '{ "name": "unused" }\n',
    'packages/unused/index.js': 'module.exports = 1;\n',
    'dbt/analytics/dbt_project.yml': 'name: analytics\n',
    'dbt/analytics/models/config.yaml': `dataset: ${OLD}\n`,
  });
  const manifest = oneWaveManifest({ rollout: ['automerge: true', 'failureThreshold: 100%'] }).replace(
    'consumers:\n  discover: [{ search: data/events/v1 }]\n',
    `consumers:\n  discover: [{ search: ${OLD} }]\n  workspaces: ${workspaces}\n`,
  );
  expect(manifest).toContain('workspaces:');
  const manifestPath = `${f.root}/events-v2.yaml`;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(manifestPath, manifest);
  return { ...f, manifestPath };
}

async function run(f: { manifestPath: string; fleet: string; state: string }): Promise<MigrationSummary> {
  const io = bufferIO();
  const code = await main(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], io);
  expect(io.stderr.join('\n')).not.toMatch(/error/i);
  expect([0, 1]).toContain(code);
  return JSON.parse(io.stdout.join('\n')) as MigrationSummary;
}

describe('consumers.workspaces', () => {
  it('splits a monorepo into one pull request per consuming workspace, each with its own files, reviewers, checks and fate', async () => {
    const f = await monorepoFleet('{ folders: ["packages/*", "dbt/*"] }');
    const summary = await run(f);
    const byTarget = new Map(summary.targets.map((t) => [t.repo, t]));
    // The repository's own target (its root config.yaml), three workspaces; the unused package is no target.
    expect([...byTarget.keys()].sort()).toEqual([
      'acme/mono',
      'acme/mono/dbt/analytics',
      'acme/mono/packages/billing',
      'acme/mono/packages/search',
      'acme/plain',
    ]);
    expect(byTarget.get('acme/mono/packages/billing')).toMatchObject({ workspace: 'packages/billing', state: 'merged' });
    expect(byTarget.get('acme/mono/dbt/analytics')).toMatchObject({ workspace: 'dbt/analytics', state: 'merged' });
    expect(byTarget.get('acme/mono')).toMatchObject({ state: 'merged' });
    expect(byTarget.get('acme/mono')!.workspace).toBeUndefined();
    // The red workspace fails alone, on its own folder's check.
    expect(byTarget.get('acme/mono/packages/search')).toMatchObject({ state: 'failed', checks: 'failure' });

    const forge = await openLocalFleet(f.fleet);
    const prs = [1, 2, 3, 4].map((n) => forge.getPullRequest('acme/mono', n));
    const found = (await Promise.all(prs)).filter((p) => p !== null);
    expect(found.map((p) => p.branch).sort()).toEqual([
      'fleetwave/events-v2',
      'fleetwave/events-v2.ws/dbt/analytics',
      'fleetwave/events-v2.ws/packages/billing',
      'fleetwave/events-v2.ws/packages/search',
    ]);
    const of = (branch: string) => found.find((p) => p.branch === branch)!;
    // Each PR asks its folder's owners (CODEOWNERS, last match wins), the root's the platform team.
    expect(of('fleetwave/events-v2.ws/packages/billing').requestedReviewers).toEqual({ users: [], teams: ['billing-team'] });
    expect(of('fleetwave/events-v2.ws/packages/search').requestedReviewers).toEqual({ users: ['sam'], teams: ['search-team'] });
    expect(of('fleetwave/events-v2.ws/dbt/analytics').requestedReviewers).toEqual({ users: [], teams: ['analytics'] });
    expect(of('fleetwave/events-v2').requestedReviewers).toEqual({ users: [], teams: ['platform'] });
    // Each PR's body says which workspace it is for, and its check was its folder's.
    expect(of('fleetwave/events-v2.ws/packages/billing').body).toContain('Workspace `packages/billing`');
    const searchChecks = await forge.getCommitChecks('acme/mono', of('fleetwave/events-v2.ws/packages/search').headSha);
    expect(searchChecks.runs.map((r) => r.name)).toEqual(['.fleetwave/check (packages/search)']);
    expect(searchChecks.runs[0]!.summary).toContain(`search cannot read ${NEW} yet`);

    // On the default branch now: the merged workspaces and the root moved, the red one did not.
    const read = (path: string) => forge.readFile('acme/mono', path);
    expect(await read('packages/billing/config.yaml')).toBe(`dataset: ${NEW}\n`);
    expect(await read('dbt/analytics/models/config.yaml')).toBe(`dataset: ${NEW}\n`);
    expect(await read('config.yaml')).toBe(`dataset: ${NEW}\n`);
    expect(await read('packages/search/config.yaml')).toBe(`dataset: ${OLD}\n`);

    // Running again finds the same targets (merged ones from their PRs) and opens nothing new.
    const again = await run(f);
    expect(again.targets.map((t) => `${t.repo}:${t.state}`).sort()).toEqual(summary.targets.map((t) => `${t.repo}:${t.state}`).sort());
    expect(await forge.getPullRequest('acme/mono', 5)).toBeNull();

    // A rollback reverts each merged workspace's PR in the monorepo (and the others').
    const io = bufferIO();
    expect(await main(['rollback', 'events-v2', '--state', f.state, '--json'], io)).toBe(0);
    const reverted = (JSON.parse(io.stdout.join('')) as { reverted: { repo: string }[] }).reverted.map((r) => r.repo).sort();
    expect(reverted).toEqual(['acme/mono', 'acme/mono/dbt/analytics', 'acme/mono/packages/billing', 'acme/plain']);
    expect(await read('packages/billing/config.yaml')).toBe(`dataset: ${OLD}\n`);
    expect(await read('dbt/analytics/models/config.yaml')).toBe(`dataset: ${OLD}\n`);
  });

  it('finds the workspaces by their package.json, dbt_project.yml or pyproject.toml with workspaces: auto', async () => {
    const f = await monorepoFleet('auto');
    const summary = await run(f);
    expect(summary.targets.map((t) => t.repo).sort()).toEqual([
      'acme/mono',
      'acme/mono/dbt/analytics',
      'acme/mono/packages/billing',
      'acme/mono/packages/search',
      'acme/plain',
    ]);
  });

  it('tries each workspace on its own trial branch, with its folder’s check, and deletes them', async () => {
    const f = await monorepoFleet('["packages/*", "dbt/*"]');
    const io = bufferIO();
    expect(await main(['trial', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], io)).toBe(1);
    const report = JSON.parse(io.stdout.join('')) as TrialReport;
    expect(report.results.map((r) => [r.repo, r.state]).sort()).toEqual([
      ['acme/mono', 'passed'],
      ['acme/mono/dbt/analytics', 'passed'],
      ['acme/mono/packages/billing', 'passed'],
      ['acme/mono/packages/search', 'failed'],
      ['acme/plain', 'passed'],
    ]);
    const search = report.results.find((r) => r.repo === 'acme/mono/packages/search')!;
    expect(search.failing?.[0]).toMatchObject({ name: '.fleetwave/check (packages/search)' });
    expect(search.failing?.[0]?.tail).toContain(`search cannot read ${NEW} yet`);
    const forge = await openLocalFleet(f.fleet);
    for (const folder of ['packages/billing', 'packages/search', 'dbt/analytics'])
      expect(await forge.getBranch('acme/mono', `fleetwave-trial/events-v2.ws/${folder}`)).toBeNull();
    expect(await forge.getPullRequest('acme/mono', 1)).toBeNull();
  });

  it('opens one pull request per repository with a section per workspace with prs: one', async () => {
    const f = await monorepoFleet('{ folders: ["packages/*", "dbt/*"], prs: one }');
    const summary = await run(f);
    expect(summary.targets.map((t) => t.repo).sort()).toEqual(['acme/mono', 'acme/plain']);
    const forge = await openLocalFleet(f.fleet);
    const pr = (await forge.getPullRequest('acme/mono', 1))!;
    expect(pr.branch).toBe('fleetwave/events-v2');
    expect(pr.body).toContain('### Workspaces');
    for (const folder of ['packages/billing', 'packages/search', 'dbt/analytics']) expect(pr.body).toContain(`#### \`${folder}\``);
    expect(pr.body).toContain('#### Outside every workspace');
    // Every owner of a changed file is asked.
    expect(pr.requestedReviewers?.users).toEqual(['sam']);
    expect([...(pr.requestedReviewers?.teams ?? [])].sort()).toEqual(['analytics', 'billing-team', 'platform', 'search-team']);
    expect(await forge.getPullRequest('acme/mono', 2)).toBeNull();
  });
});
