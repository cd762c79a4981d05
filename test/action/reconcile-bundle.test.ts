/**
 * The Action bundle (build/action/index.js, what a release ships as dist/index.js) in `reconcile` mode,
 * run as a runner runs it (a child process, `INPUT_*` variables), on a schedule: one run after another
 * with the state file kept between them, until the migration ends. It talks to the GitHub double
 * (test/forge/github/simulator.ts: bot commits with `user: null`, no check until CI starts, app.yml's
 * permissions, workflow files refused without `workflows`) over real HTTP through a loopback bridge
 * (test/forge/github/http-bridge.ts) at GITHUB_API_URL, and clones the double's bare repositories from
 * GITHUB_SERVER_URL. Between runs the consumers' CI starts on whatever heads they have, as GitHub's
 * check suites appear some seconds after a push.
 *
 * The fleet: four green consumers (one with a workflow file using the old dataset, which the App may not
 * change), one red consumer (its checks fail, also after a re-run), and one whose bot branch gets a
 * person's commit once its pull request is open (its checks then go green). At the end: every green
 * consumer merged, each merge asked for the head whose checks GitHub had reported green before; the red
 * one failed and was never merged; the person's branch neither merged nor pushed over; no request refused
 * for a permission, every request valid against GitHub's OpenAPI description.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { type BridgeExchange, type HttpBridge, startHttpBridge } from '../forge/github/http-bridge.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { manifestWorkspace } from './recording-io.js';
import { type ActionRun, runAction } from './run-action.js';

const TOKEN = 'ghs_bundletoken0123456789';
/** By name, the waves are ads, billing, catalog | recs, search, web: each wave has one failure (33%). */
const GREEN = ['acme/ads', 'acme/catalog', 'acme/search', 'acme/web'];
const RED = 'acme/billing';
const HAND_EDITED = 'acme/recs';
const CONSUMERS = [...GREEN, HAND_EDITED, RED];
const WITH_WORKFLOW = 'acme/catalog';
const BRANCH = 'fleetwave/play-events-v2';
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
/**
 * Two waves of three after the canary wave, which is empty: a canary needs a default branch whose checks
 * passed, and the double's default branches have none. One failure a wave is within the threshold.
 */
const MANIFEST = playEventsManifest(`repos: [${CONSUMERS.join(', ')}]`, ["waves: ['50%', '100%']", "failureThreshold: '40%'"]);
const READ_V1 = "export const uri = 'data/play-events/v1';\n";
const WORKFLOW = 'on: push\njobs:\n  load:\n    runs-on: ubuntu-latest\n    steps:\n      - run: fetch data/play-events/v1\n';
const MAX_RUNS = 12;

let sim: GitHubSimulator;
let bridge: HttpBridge;
let workspace: { dir: string; dispose(): void };
const runs: ActionRun[] = [];
let humanSha: string | null = null;
/** How many requests the bridge had carried when the person pushed. */
let humanAt = 0;

interface Summary {
  state: string;
  targets: { repo: string; wave: number | null; state: string; reason: string | null; findings: unknown[] }[];
}

beforeAll(async () => {
  nock.disableNetConnect();
  resetGitHubRequests();
  // The double's clock is the real one: the bundle's engine counts the checks' grace from its times.
  sim = new GitHubSimulator('fleetwave[bot]', () => new Date().toISOString());
  await sim.addRepo('acme/data-platform', { [MANIFEST_PATH]: MANIFEST });
  for (const c of GREEN)
    await sim.addRepo(
      c,
      c === WITH_WORKFLOW ? { 'src/read.ts': READ_V1, '.github/workflows/load.yml': WORKFLOW } : { 'src/read.ts': READ_V1 },
    );
  await sim.addRepo(HAND_EDITED, { 'src/read.ts': READ_V1 });
  await sim.addRepo(RED, { 'src/read.ts': READ_V1 }, 'FAILURE');
  sim.install();
  bridge = await startHttpBridge();
  workspace = manifestWorkspace(MANIFEST_PATH, MANIFEST);

  // The scheduled workflow: one run of the step after another, the state file kept (actions/cache).
  for (let i = 0; i < MAX_RUNS; i++) {
    const run = await runAction(
      {
        mode: 'reconcile',
        manifest: MANIFEST_PATH,
        token: TOKEN,
        'app-slug': 'fleetwave',
        'state-path': '.fleetwave/state.json',
      },
      {
        workspace: workspace.dir,
        env: { GITHUB_REPOSITORY: 'acme/data-platform', GITHUB_API_URL: bridge.url, GITHUB_SERVER_URL: sim.gitBaseUrl },
      },
    );
    runs.push(run);
    if (run.code !== 0 || ['completed', 'failed'].includes(run.outputs.state ?? '')) break;
    // A person pushes a commit of theirs on the bot's branch as soon as its pull request is open.
    const handPull = sim.repos.get(HAND_EDITED)!.pulls.find((p) => p.branch === BRANCH);
    if (!humanSha && handPull?.state === 'OPEN') {
      humanSha = sim.pushHumanCommit(HAND_EDITED, BRANCH, 'alice');
      humanAt = bridge.exchanges.length;
    }
    // Some seconds later GitHub has created the check suites of every head pushed so far.
    for (const c of CONSUMERS) sim.startCI(c);
  }
}, 300_000);

afterAll(async () => {
  await bridge?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  await sim?.dispose();
  workspace?.dispose();
});

const last = (): ActionRun => runs[runs.length - 1]!;
const summaryOf = (run: ActionRun): Summary => JSON.parse(run.outputs.summary ?? 'null') as Summary;
const merges = (): BridgeExchange[] =>
  bridge.exchanges.filter((e) => e.method === 'PUT' && /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/merge$/.test(e.path));

/** Every pull request GraphQL answered in `e` (any object with a `url` and `headRefOid`), with its rollup state. */
function pullsIn(e: BridgeExchange): { url: string; head: string; rollup: string | null }[] {
  const found: { url: string; head: string; rollup: string | null }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (typeof o.url === 'string' && typeof o.headRefOid === 'string') {
      const commit = (o.commits as { nodes?: { commit?: { oid?: string; statusCheckRollup?: { state?: string } | null } }[] } | undefined)
        ?.nodes?.[0]?.commit;
      found.push({
        url: o.url,
        head: o.headRefOid,
        rollup: commit?.oid === o.headRefOid ? (commit.statusCheckRollup?.state ?? null) : null,
      });
    }
    Object.values(o).forEach(walk);
  };
  if (e.path === '/graphql' && e.status === 200) walk(JSON.parse(e.responseBody));
  return found;
}

describe('the Action bundle, reconcile on a schedule, against GitHub over HTTP', () => {
  it('runs until the migration ends, each run exiting 0 with its state in the outputs and the job summary', () => {
    const table = runs.map((r, i) => `run ${i + 1}: exit ${r.code}, ${r.outputs.state ?? '-'} ${r.outputs.counts ?? ''}`).join('\n');
    process.stdout.write(`${table}\n${bridge.exchanges.length} requests through the bridge\n`);
    for (const r of runs) {
      expect({ code: r.code, output: r.code === 0 ? '' : r.stdout + r.stderr }).toEqual({ code: 0, output: '' });
      expect(r.summary).toContain(`Migration \`play-events-v2\`: **${r.outputs.state}**`);
    }
    expect(last().outputs.state).toBe('completed');
    // A scheduled migration takes several runs: the first opens pull requests whose checks have not started.
    expect(runs.length).toBeGreaterThan(1);
    expect(summaryOf(runs[0]!).targets.filter((t) => t.state === 'merged')).toEqual([]);
    // …and only the first wave's: the second opens once the first is finished.
    expect(
      summaryOf(runs[0]!)
        .targets.filter((t) => t.state === 'open')
        .map((t) => t.repo),
    ).toEqual(['acme/ads', 'acme/billing', 'acme/catalog']);
    expect(JSON.parse(last().outputs.counts!)).toEqual({ merged: GREEN.length, failed: 2 });
    const state = JSON.parse(readFileSync(join(workspace.dir, '.fleetwave/state.json'), 'utf8')) as { runs: { state: string }[] };
    expect(state.runs.map((r) => r.state)).toEqual(runs.map((r) => r.outputs.state));
    // The token is masked (`::add-mask::`, the runner's job) and never written anywhere else.
    for (const r of runs) expect((r.stdout + r.stderr).replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
  });

  it('merges every green consumer, each only after GitHub reported its head’s checks green', () => {
    for (const c of GREEN) {
      const pulls = sim.repos.get(c)!.pulls;
      expect(pulls.map((p) => [p.branch, p.state])).toEqual([[BRANCH, 'MERGED']]);
    }
    // Each merge asked for (PUT …/merge with the head's sha) follows a GraphQL answer in which that head's checks were SUCCESS.
    const done = merges().filter((m) => m.status === 200);
    expect(done.map((m) => /^\/repos\/([^/]+\/[^/]+)\//.exec(m.path)![1]).sort()).toEqual([...GREEN].sort());
    for (const m of done) {
      const [, full, number] = /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)\/merge$/.exec(m.path)!;
      const head = (JSON.parse(m.requestBody) as { sha?: string }).sha;
      expect(head).toBe(sim.repos.get(full!)!.pulls[0]!.head);
      const before = bridge.exchanges.slice(0, bridge.exchanges.indexOf(m));
      const seen = before.flatMap(pullsIn).filter((p) => p.url === `https://github.com/${full}/pull/${number}` && p.head === head);
      expect({ full, rollups: seen.map((p) => p.rollup) }).toEqual({ full, rollups: expect.arrayContaining(['SUCCESS']) });
    }
    // The workflow file was left as it is, named in the pull request for its owners: no tree written holds it, no ref was refused.
    const trees = bridge.exchanges.filter((e) => e.method === 'POST' && e.path === `/repos/${WITH_WORKFLOW}/git/trees`);
    expect(trees.map((e) => e.requestBody)).toEqual([expect.stringContaining('src/read.ts')]);
    expect(trees[0]!.requestBody).not.toContain('.github/workflows');
    expect(sim.repos.get(WITH_WORKFLOW)!.pulls[0]!.body).toContain('.github/workflows/load.yml');
    expect(bridge.exchanges.filter((e) => e.path.includes('/git/refs') && e.status >= 300)).toEqual([]);
  });

  it('fails the red consumer after one re-run of its checks, and never merges it', () => {
    const target = summaryOf(last()).targets.find((t) => t.repo === RED)!;
    expect(target.state).toBe('failed');
    expect(target.reason).toMatch(/^checks failed: test \(after 1 re-run on this head\)$/);
    const pulls = sim.repos.get(RED)!.pulls;
    expect(pulls.map((p) => p.state)).toEqual(['OPEN']);
    expect(sim.reran).toEqual([pulls[0]!.number]);
    expect(merges().filter((m) => m.path.startsWith(`/repos/${RED}/`))).toEqual([]);
  });

  it('takes the person’s commit for theirs: the branch is neither pushed over nor merged, though its checks are green', () => {
    expect(humanSha).not.toBeNull();
    const repo = sim.repos.get(HAND_EDITED)!;
    expect(repo.refs.get(BRANCH)).toBe(humanSha);
    expect(repo.pulls.map((p) => [p.state, p.head])).toEqual([['OPEN', humanSha]]);
    const target = summaryOf(last()).targets.find((t) => t.repo === HAND_EDITED)!;
    expect(target.state).toBe('failed');
    expect(target.reason).toContain(`commit ${humanSha!.slice(0, 7)} by alice on the bot branch`);
    // Its checks had started on the person's head, and were green, when the runs after it read it.
    const read = bridge.exchanges
      .slice(humanAt)
      .flatMap(pullsIn)
      .filter((p) => p.head === humanSha);
    expect(read.map((p) => p.rollup)).toContain('SUCCESS');
    expect(merges().filter((m) => m.path.startsWith(`/repos/${HAND_EDITED}/`))).toEqual([]);
    const moves = bridge.exchanges
      .slice(humanAt)
      .filter((e) => e.method === 'PATCH' && e.path.startsWith(`/repos/${HAND_EDITED}/git/refs/`));
    expect(moves).toEqual([]);
  });

  it('asks nothing app.yml does not grant, and every request is one GitHub documents', () => {
    expect(sim.refused).toEqual([]);
    expect(bridge.exchanges.filter((e) => e.status >= 500)).toEqual([]);
    expect(openapiViolations()).toEqual([]);
    expect(bridge.exchanges.length).toBe(sim.requests);
  });
});
