/**
 * The live end-to-end rollout against real GitHub (docs/live-tests.md). The GitHub double
 * (test/forge/github/simulator.ts) proves the code in every run; this suite is how a maintainer or a
 * user proves it on their own GitHub organisation, with real GitHub Actions CI.
 *
 * Without FLEETWAVE_LIVE_TOKEN and FLEETWAVE_LIVE_OWNER the suite is skipped with one line saying so;
 * with FLEETWAVE_REQUIRE_LIVE=1 it fails instead, so a CI job meant to run it never skips it unseen.
 *
 * What it does, in a throwaway organisation, with uniquely named repositories it creates and always
 * deletes (and nothing else in the organisation is written to):
 * 1. a dataset repository with the play-events manifest (consumers listed by `repos:`, a canary then
 *    everyone, automerge, a soak, revertOnFailure), and four consumers with GitHub Actions CI
 *    (test/live/live-fleet.ts): a green canary, a green consumer, a consumer whose pull request is green
 *    but whose post-merge check fails, and a red consumer whose test fails on the new dataset path;
 * 2. the manifest's check run, as the App's push handler posts it (`manifestCheckRun`,
 *    `postManifestCheckRun`), read back through REST;
 * 3. the Action's reconcile mode in process, as the scheduled workflow runs it (docs/action.md), every
 *    30 s until the migration is completed, paused or failed and the post-merge failure was reverted
 *    (at most 35 minutes);
 * 4. asserts through REST: the canary's pull request opened first and alone; every merged pull request's
 *    head had all its check runs succeed before the merge; the green consumers merged; the red one's
 *    failed and was not merged; the pause names the red consumer's wave; the consumer whose
 *    post-merge check failed got a revert pull request and its default branch reads v1 again, journalled
 *    once, and the target reads `reverted`.
 *
 * Known gap (docs/live-tests.md): the GitHub forge never fills `revertSha` on a pull request, so on
 * GitHub a reverted target reads `failed` (post-merge checks failed) while its soak lasts, each tick
 * asks for the revert again (answered by the revert PR found by its branch) and the run goes on ticking
 * until the soak ends. The last two assertions fail on GitHub until that is fixed in src/.
 */
import { afterAll, beforeAll, describe as describeAlways, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { destination, pino } from 'pino';
import { reconcileMode } from '../../src/action/modes/reconcile.js';
import { manifestCheckRun, postManifestCheckRun } from '../../src/app/check-run.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import type { Logger } from '../../src/util/log.js';
import { recordingIO } from '../action/recording-io.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { consumerFiles, type ConsumerKind, defaultBranchChecks, MANIFEST_PATH, SOURCE_URI } from './live-fleet.js';

const TOKEN = process.env.FLEETWAVE_LIVE_TOKEN ?? '';
const OWNER = process.env.FLEETWAVE_LIVE_OWNER ?? '';
const APP_SLUG = process.env.FLEETWAVE_LIVE_APP_SLUG ?? '';
const REQUIRED = process.env.FLEETWAVE_REQUIRE_LIVE === '1';
const LIVE = TOKEN !== '' && OWNER !== '' && APP_SLUG !== '';
const NEEDS =
  "FLEETWAVE_LIVE_TOKEN (a GitHub App installation token), FLEETWAVE_LIVE_OWNER (a throwaway organisation) and FLEETWAVE_LIVE_APP_SLUG (the App's slug); see docs/live-tests.md";
if (!LIVE && !REQUIRED) process.stderr.write(`test/live/rollout.live.test.ts: skipped, needs ${NEEDS}\n`);
const describe = LIVE || REQUIRED ? describeAlways : describeAlways.skip;

const API_URL = 'https://api.github.com';
const SERVER_URL = 'https://github.com';
const MIGRATION = 'play-events-v2';
const BRANCH = `fleetwave/${MIGRATION}`;
/** Long enough for a merge commit's push workflow to start and fail on a busy Actions queue. */
const SOAK_MINUTES = 5;
const RECONCILE_EVERY_MS = 30_000;
const RECONCILE_FOR_MS = 35 * 60_000;
const DEFAULT_BRANCH_CI_MS = 10 * 60_000;
const PASSING = new Set(['success', 'neutral', 'skipped']);

// Real CI: repositories, two rounds of pull requests, a soak, re-runs, a revert. Hooks included.
jest.setTimeout(70 * 60_000);

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '../../test-output/live');
const PREFIX = `fwlive-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${Math.random().toString(36).slice(2, 8)}`;
const CONSUMERS: { name: string; kind: ConsumerKind }[] = [
  { name: `${PREFIX}-c1-canary`, kind: 'green' },
  { name: `${PREFIX}-c2-green`, kind: 'green' },
  { name: `${PREFIX}-c3-revert`, kind: 'revert' },
  { name: `${PREFIX}-c4-red`, kind: 'red' },
];
const DATA = `${PREFIX}-data`;
const full = (name: string) => `${OWNER}/${name}`;
const [CANARY, GREEN, REVERT, RED] = CONSUMERS.map((c) => full(c.name)) as [string, string, string, string];

const gh = new Octokit({ auth: TOKEN, baseUrl: API_URL, userAgent: 'fleetwave-live-test' });
/** The repositories this run created, and only those: afterAll deletes exactly these. */
const created: string[] = [];
let workspace = '';
let manifestCommit = '';
const runs: { at: string; state: string; withPR: string[]; error?: string }[] = [];
let summary: MigrationSummary | undefined;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const statusOf = (err: unknown) => (err as { status?: number }).status;

/** Retries a read GitHub may not answer yet (a repository's first commit right after it is created). */
async function eventually<T>(what: string, call: () => Promise<T>, tries = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      const status = statusOf(err);
      if (i >= tries || (status !== 404 && status !== 409)) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
      await sleep(3000);
    }
  }
}

/** Before anything is created: the token can list its installation (the reconcile mode needs it) and has a bot. */
async function preflight(): Promise<void> {
  let selection: string;
  try {
    selection = (await gh.request('GET /installation/repositories', { per_page: 1 })).data.repository_selection ?? '';
  } catch (err) {
    throw new Error(
      `FLEETWAVE_LIVE_TOKEN cannot list an App installation's repositories (GET /installation/repositories: ${(err as Error).message}). ` +
        'The reconcile mode lists the fleet that way, which GitHub answers only for App installation tokens: give an installation token of an App installed on the organisation.',
      { cause: err },
    );
  }
  if (selection !== 'all')
    throw new Error(
      `the App is installed on selected repositories of ${OWNER}; install it on all repositories, so that the ones this suite creates are in the installation`,
    );
}

/** Creates `name` in the organisation with one commit of `files` on its default branch; returns that branch and commit. */
async function createRepository(name: string, files: (defaultBranch: string) => Record<string, string>) {
  const repo = await gh.rest.repos.createInOrg({
    org: OWNER,
    name,
    private: true,
    auto_init: true,
    description: 'Fleetwave live test: created and deleted by test/live/rollout.live.test.ts',
  });
  created.push(name);
  const branch = repo.data.default_branch ?? 'main';
  // auto_init made the first commit; the Git Data API refuses an empty repository (409), so build on it.
  const ref = await eventually(`read ${name}@${branch}`, () => gh.rest.git.getRef({ owner: OWNER, repo: name, ref: `heads/${branch}` }));
  const parent = await gh.rest.git.getCommit({ owner: OWNER, repo: name, commit_sha: ref.data.object.sha });
  const tree = await gh.rest.git.createTree({
    owner: OWNER,
    repo: name,
    base_tree: parent.data.tree.sha,
    tree: Object.entries(files(branch)).map(([path, content]) => ({ path, mode: '100644' as const, type: 'blob' as const, content })),
  });
  const commit = await gh.rest.git.createCommit({
    owner: OWNER,
    repo: name,
    message: 'Fleetwave live test fixture',
    tree: tree.data.sha,
    parents: [ref.data.object.sha],
  });
  await gh.rest.git.updateRef({ owner: OWNER, repo: name, ref: `heads/${branch}`, sha: commit.data.sha });
  return { branch, sha: commit.data.sha };
}

async function checkRuns(repo: string, ref: string) {
  const [owner, name] = repo.split('/') as [string, string];
  return (await gh.rest.checks.listForRef({ owner, repo: name, ref, filter: 'latest', per_page: 100 })).data.check_runs;
}

/** Waits until every consumer's default branch ran its CI green: the canary rule picks only a green head. */
async function defaultBranchesGreen(heads: Map<string, { sha: string; kind: ConsumerKind }>): Promise<void> {
  const until = Date.now() + DEFAULT_BRANCH_CI_MS;
  const waiting = new Map(heads);
  while (waiting.size > 0) {
    for (const [repo, { sha, kind }] of waiting) {
      const found = await checkRuns(repo, sha);
      const wanted = defaultBranchChecks(kind);
      const done = wanted.map((n) => found.find((r) => r.name === n)).filter((r) => r?.status === 'completed');
      if (done.length < wanted.length) continue;
      const failed = done.filter((r) => !PASSING.has(r!.conclusion ?? ''));
      if (failed.length)
        throw new Error(
          `${repo}: the default branch's CI failed before the migration (${failed.map((r) => `${r!.name}: ${r!.conclusion}`).join(', ')}): ${failed[0]!.html_url}`,
        );
      waiting.delete(repo);
    }
    if (waiting.size === 0) return;
    if (Date.now() > until)
      throw new Error(
        `GitHub Actions did not finish on the default branch of ${[...waiting.keys()].join(', ')} within ${DEFAULT_BRANCH_CI_MS / 60_000} min (Actions disabled in the organisation, or no runner?)`,
      );
    await sleep(10_000);
  }
}

/** One run of the Action's reconcile mode, as the scheduled workflow runs it (docs/workflows/reconcile.yml). */
async function reconcileOnce(logger: Logger): Promise<MigrationSummary> {
  const { io, rec } = recordingIO(
    {
      mode: 'reconcile',
      manifest: MANIFEST_PATH,
      token: TOKEN,
      'app-slug': APP_SLUG,
      'manifest-repository': full(DATA),
      'state-path': '.fleetwave/state.json',
    },
    { GITHUB_REPOSITORY: full(DATA), GITHUB_WORKSPACE: workspace, GITHUB_SERVER_URL: SERVER_URL, GITHUB_API_URL: API_URL },
  );
  const outcome = await reconcileMode(io, { logger });
  if (!rec.outputs.summary) throw new Error(`reconcile gave no summary: ${JSON.stringify({ outcome, errors: rec.errors })}`);
  return JSON.parse(rec.outputs.summary) as MigrationSummary;
}

/** The revert pull requests of the post-merge consumer's migration PR (branch fleetwave-revert/pr-<n>). */
async function revertPulls() {
  const number = summary?.targets.find((t) => t.repo === REVERT)?.prNumber;
  if (number == null) return [];
  const [owner, name] = REVERT.split('/') as [string, string];
  return (await gh.rest.pulls.list({ owner, repo: name, state: 'all', head: `${owner}:fleetwave-revert/pr-${number}` })).data;
}

async function migrationPulls(repo: string) {
  const [owner, name] = repo.split('/') as [string, string];
  return (await gh.rest.pulls.list({ owner, repo: name, state: 'all', head: `${owner}:${BRANCH}`, per_page: 10 })).data;
}

describe(`live rollout on GitHub (${OWNER || 'FLEETWAVE_LIVE_OWNER'})`, () => {
  beforeAll(async () => {
    if (!LIVE) throw new Error(`FLEETWAVE_REQUIRE_LIVE=1 but the live suite cannot run: it needs ${NEEDS}`);
    await preflight();
    const heads = new Map<string, { sha: string; kind: ConsumerKind }>();
    for (const c of CONSUMERS) {
      const { sha } = await createRepository(c.name, (branch) => consumerFiles(c.kind, branch));
      heads.set(full(c.name), { sha, kind: c.kind });
    }
    const manifest = playEventsManifest(`repos: [${CONSUMERS.map((c) => full(c.name)).join(', ')}]`, [
      'canary: 1',
      "waves: ['100%']",
      `soak: ${SOAK_MINUTES}m`,
      'automerge: true',
      'revertOnFailure: true',
      "failureThreshold: '20%'",
      'retryFailedChecks: 1',
    ]);
    const data = await createRepository(DATA, () => ({ [MANIFEST_PATH]: manifest }));
    manifestCommit = data.sha;
    // The push of the manifest gets its check run, as the App's push handler (src/app/handlers/push.ts) posts it.
    const loaded = parseManifest(manifest, MANIFEST_PATH);
    await postManifestCheckRun(
      gh,
      full(DATA),
      manifestCheckRun(data.sha, [{ path: MANIFEST_PATH, migration: loaded.manifest.metadata.name, problems: [] }]),
    );
    // The workflow's checkout of the dataset repository, as actions/checkout leaves it.
    workspace = mkdtempSync(join(tmpdir(), 'fleetwave-live-'));
    mkdirSync(dirname(join(workspace, MANIFEST_PATH)), { recursive: true });
    writeFileSync(join(workspace, MANIFEST_PATH), manifest);
    await defaultBranchesGreen(heads);
  });

  afterAll(async () => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    const left: string[] = [];
    for (const name of created) {
      try {
        await gh.rest.repos.delete({ owner: OWNER, repo: name });
      } catch (err) {
        if (statusOf(err) !== 404) left.push(`${full(name)} (${(err as Error).message})`);
      }
    }
    if (left.length) throw new Error(`could not delete ${left.join(', ')}: delete them by hand`);
  });

  it('the manifest’s push gets a successful Fleetwave manifest check run', async () => {
    const manifestRuns = (await checkRuns(full(DATA), manifestCommit)).filter((r) => r.name === 'Fleetwave manifest');
    expect(manifestRuns.map((r) => [r.status, r.conclusion])).toEqual([['completed', 'success']]);
  });

  it('rolls out canary first, merges on green, pauses on the red wave and reverts a post-merge failure', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const logPath = join(OUTPUT, `${PREFIX}.log`);
    const logger = pino({ level: 'info' }, destination({ dest: logPath, sync: true }));
    const started = Date.now();
    let terminalAt: number | null = null;
    let errorsInARow = 0;
    for (;;) {
      try {
        summary = await reconcileOnce(logger);
        errorsInARow = 0;
        runs.push({
          at: new Date().toISOString(),
          state: summary.state,
          withPR: summary.targets.filter((t) => t.prNumber !== null).map((t) => t.repo),
        });
      } catch (err) {
        // A failed scheduled run is followed by the next one; three in a row is a bug to look at.
        runs.push({ at: new Date().toISOString(), state: 'error', withPR: [], error: (err as Error).message });
        if (++errorsInARow >= 3) throw err;
      }
      const state = summary?.state;
      if (state === 'completed' || state === 'paused' || state === 'failed') terminalAt ??= Date.now();
      // The post-merge revert can come after the pause (reverts go whatever the migration's state), so
      // the runs go on until GitHub shows the revert pull request, or the soak is surely over.
      if (terminalAt !== null && ((await revertPulls()).length > 0 || Date.now() - terminalAt > (SOAK_MINUTES + 3) * 60_000)) break;
      if (Date.now() - started > RECONCILE_FOR_MS) break;
      await sleep(RECONCILE_EVERY_MS);
    }
    writeFileSync(join(OUTPUT, `${PREFIX}.runs.json`), JSON.stringify({ runs, summary }, null, 2));
    expect(summary).toBeDefined();
    const final = summary!;
    const target = (repo: string) => final.targets.find((t) => t.repo === repo)!;

    // The canary went first and alone: the first run that opened anything opened only the canary's PR …
    expect(runs.find((r) => r.withPR.length > 0)?.withPR).toEqual([CANARY]);
    expect(target(CANARY).wave).toBe(0);
    // … and, on GitHub, every other PR was created after the canary's had merged.
    const pulls = new Map<string, Awaited<ReturnType<typeof migrationPulls>>>();
    for (const repo of [CANARY, GREEN, REVERT, RED]) pulls.set(repo, await migrationPulls(repo));
    for (const [repo, list] of pulls) expect([repo, list.length]).toEqual([repo, 1]);
    const pr = (repo: string) => pulls.get(repo)![0]!;
    const canaryMerged = Date.parse(pr(CANARY).merged_at ?? '');
    expect(Number.isNaN(canaryMerged)).toBe(false);
    for (const repo of [GREEN, REVERT, RED]) expect([repo, Date.parse(pr(repo).created_at) > canaryMerged]).toEqual([repo, true]);

    // The green consumers merged, and nothing merged before its head's checks all succeeded.
    for (const repo of [CANARY, GREEN, REVERT]) {
      const p = pr(repo);
      expect([repo, p.merged_at !== null]).toEqual([repo, true]);
      const head = await checkRuns(repo, p.head.sha);
      expect([repo, head.length > 0]).toEqual([repo, true]);
      for (const run of head) {
        expect([repo, run.name, run.status, PASSING.has(run.conclusion ?? '')]).toEqual([repo, run.name, 'completed', true]);
        expect([repo, run.name, Date.parse(run.completed_at ?? '') <= Date.parse(p.merged_at!)]).toEqual([repo, run.name, true]);
      }
    }
    expect(target(GREEN).state).toBe('merged');
    expect(target(CANARY).state).toBe('merged');

    // The red consumer's PR failed its checks (after the one re-run) and was not merged.
    expect(pr(RED).merged_at).toBeNull();
    expect(target(RED)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^checks failed/) });
    expect((await checkRuns(RED, pr(RED).head.sha)).map((r) => [r.name, r.conclusion])).toContainEqual(['test', 'failure']);

    // The pause names the red consumer's wave.
    const redWave = target(RED).wave;
    expect(redWave).toBe(1);
    expect(final.state).toBe('paused');
    expect(final.reason).toMatch(new RegExp(`^wave ${redWave} failed`));

    // The consumer whose post-merge check failed got a revert pull request, merged, and reads v1 again …
    const smoke = await checkRuns(REVERT, pr(REVERT).merge_commit_sha!);
    expect(smoke.map((r) => [r.name, r.conclusion])).toContainEqual(['smoke', 'failure']);
    const reverts = await revertPulls();
    expect(reverts).toHaveLength(1);
    expect(reverts[0]!.body).toContain(`Reverts #${pr(REVERT).number}.`);
    expect(reverts[0]!.merged_at).not.toBeNull();
    const [owner, name] = REVERT.split('/') as [string, string];
    const config = await gh.rest.repos.getContent({ owner, repo: name, path: 'src/config.mjs', mediaType: { format: 'raw' } });
    expect(String(config.data as unknown)).toContain(`'${SOURCE_URI}'`);
    // … the journal holds that revert once (a tick that saw the merge as not reverted would ask again) …
    const journal = JSON.parse(readFileSync(join(workspace, '.fleetwave/state.json'), 'utf8')) as {
      events: { action: string; target: string | null; outcome: string }[];
    };
    expect(journal.events.filter((e) => e.action === 'revert' && e.target === REVERT).map((e) => e.outcome)).toEqual(['ok']);
    // … and Fleetwave reads the target as reverted.
    expect(target(REVERT).state).toBe('reverted');
  });
});
