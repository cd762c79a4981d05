/**
 * Requests, not time: how many GitHub API requests the GitHub forge spends
 *  - to open one pull request with 1, 10 and 100 changed files (goal: ≤ 5 each), and
 *  - for one reconcile (the real engine: observe → decide → execute) of a migration with 1,000 open
 *    pull requests where nothing changed (goal: ≤ 25), by endpoint, for an App installed on all of
 *    an account's repositories, on selected ones, with consumers found by code search, and with the
 *    previous adapter's settings,
 * each next to a baseline measured in the same run against the same nock fixtures: the obvious REST
 * way (Contents API one file at a time; one pull-request, check, status, review and compare request
 * per repository). No network: nock answers everything.
 */
import nock from 'nock';
import { createGitHubClient, type GitHubClient } from '../src/forge/github/client.js';
import { appBotIdentity, GitHubForge } from '../src/forge/github/forge.js';
import type { BudgetClock } from '../src/forge/github/request-budget.js';
import type { ChangeApplier } from '../src/codemod/port.js';
import { parseManifest } from '../src/manifest/load.js';
import { reconcileOnce } from '../src/rollout/reconcile.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { silentLogger } from '../src/util/log.js';
import { printTable } from './measure.js';

const API = 'https://api.github.com';
const sha = (c: string): string => c.repeat(40).slice(0, 40);
const bot = appBotIdentity('fleetwave', 4242);
const branch = 'fleetwave/play-events-v2';

/** Pacing sleeps are virtual: the budget runs as in production, the benchmark does not wait. */
function instantClock(): BudgetClock {
  let t = Date.UTC(2026, 0, 1);
  return { now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 };
}

let requests = 0;
function counted(scope: nock.Scope): nock.Scope {
  scope.on('request', () => requests++);
  return scope;
}

function client(): GitHubClient {
  return createGitHubClient({ token: 'ghs_bench', clock: instantClock() }).client;
}

function pullFixture(n: number) {
  return {
    number: n,
    html_url: `${API}/pr/${n}`,
    state: 'open',
    title: 't',
    body: 'b',
    created_at: '2026-01-01T00:00:00Z',
    head: { ref: branch, sha: sha('c') },
    base: { ref: 'main' },
  };
}

function editsOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({ path: `src/f${i}.ts`, before: `old ${i}`, after: `new ${i}` }));
}

async function fleetwavePr(files: number): Promise<number> {
  requests = 0;
  counted(nock(API))
    .get(/\/repos\/acme\/recs\/git\/trees\/.*/)
    .reply(200, { sha: sha('b'), truncated: false, tree: [] })
    .post('/repos/acme/recs/git/trees')
    .reply(201, { sha: sha('t') })
    .post('/repos/acme/recs/git/commits')
    .reply(201, { sha: sha('c') })
    .post('/repos/acme/recs/git/refs')
    .reply(201, {})
    .post('/repos/acme/recs/pulls')
    .reply(201, pullFixture(1));
  const forge = new GitHubForge({ client: client(), bot });
  await forge.pushChanges({ repo: 'acme/recs', branch, baseSha: sha('b'), edits: editsOf(files), message: 'Migrate' });
  await forge.openPullRequest({ repo: 'acme/recs', branch, base: 'main', title: 't', body: 'b' });
  return requests;
}

/** The baseline: a branch, then the Contents API file by file (read each file's sha, then write it), then the PR. */
async function contentsApiPr(files: number): Promise<number> {
  requests = 0;
  counted(nock(API))
    .get(/\/git\/ref\//)
    .reply(200, { object: { sha: sha('b') } })
    .post('/repos/acme/recs/git/refs')
    .reply(201, {})
    .get(/\/contents\//)
    .times(files)
    .reply(200, { sha: sha('f') })
    .put(/\/contents\//)
    .times(files)
    .reply(200, { commit: { sha: sha('c') } })
    .post('/repos/acme/recs/pulls')
    .reply(201, pullFixture(1));
  const c = client();
  const base = await c.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: 'acme', repo: 'recs', ref: 'heads/main' });
  await c.request('POST /repos/{owner}/{repo}/git/refs', {
    owner: 'acme',
    repo: 'recs',
    ref: `refs/heads/${branch}`,
    sha: base.data.object.sha,
  });
  for (const e of editsOf(files)) {
    const cur = await c.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: 'acme', repo: 'recs', path: e.path, ref: branch });
    await c.request('PUT /repos/{owner}/{repo}/contents/{path}', {
      owner: 'acme',
      repo: 'recs',
      path: e.path,
      message: 'Migrate',
      content: Buffer.from(e.after).toString('base64'),
      sha: (cur.data as { sha: string }).sha,
      branch,
    });
  }
  await c.request('POST /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'recs', head: branch, base: 'main', title: 't', body: 'b' });
  return requests;
}

const MIGRATION = 'play-events-v2';
/** The manifest's source (src/rollout/identity.ts): the engine adopts only PRs whose marker names it. */
const SOURCE = 'acme/data-platform:.fleetwave/migrations/play-events-v2.yaml';
const MARKER = `<!-- fleetwave:{"migration":"${MIGRATION}","manifestHash":"bench","source":"${SOURCE}"} -->`;

function gqlOpenPr(n: number) {
  return {
    id: `PR_${n}`,
    number: n,
    url: `${API}/pr/${n}`,
    state: 'OPEN',
    title: 't',
    body: `Migrate\n\n${MARKER}`,
    headRefName: branch,
    baseRefName: 'main',
    headRefOid: sha('h'),
    createdAt: '2026-01-01T00:00:00Z',
    mergedAt: null,
    closedAt: null,
    mergeCommit: null,
    mergedBy: null,
    autoMergeRequest: null,
    timelineItems: { nodes: [] },
    reviews: { nodes: [] },
    commits: { nodes: [{ commit: { oid: sha('h'), statusCheckRollup: { state: 'PENDING', contexts: { nodes: [] } } } }] },
    headRef: { target: { oid: sha('h') } },
    branchCommits: {
      totalCount: 1,
      // GitHub signs the commits an App makes through the API (the bot's commits are told by that signature).
      nodes: [
        {
          commit: {
            oid: sha('h'),
            message: 'Migrate',
            author: { name: bot.name, email: bot.email, user: { login: bot.login } },
            signature: { isValid: true, wasSignedByGitHub: true },
          },
        },
      ],
    },
  };
}

function aliasesOf(body: unknown): string[] {
  return [...(body as { query: string }).query.matchAll(/(r\d+): repository\(/g)].map((m) => m[1]!);
}

function repoFacts(full: string) {
  return { nameWithOwner: full, isArchived: false, defaultBranchRef: { name: 'main', target: { oid: sha('a') } }, optOut: null };
}

/** Requests by endpoint: `GET /path` for REST, the operation name for GraphQL. */
function endpointOf(req: { method?: string; path: string }, body: unknown): string {
  if (req.path.startsWith('/graphql')) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return `GraphQL ${/(?:query|mutation) (\w+)/.exec(text)?.[1] ?? '?'}`;
  }
  return `${req.method ?? 'GET'} ${req.path.split('?')[0]!.replace(/\/repos\/[^/]+\/[^/]+/, '/repos/{r}')}`;
}

/**
 * GitHub for a fleet of `repos`, each with this migration's open PR (checks pending: nothing for
 * decide to do), answering every request the adapter may send; counts them by endpoint.
 */
function fleetGitHub(repos: string[], selection: 'all' | 'selected'): Map<string, number> {
  const byEndpoint = new Map<string, number>();
  const scope = nock(API).persist();
  scope.on('request', (req: { method?: string; path: string }, _interceptor: unknown, body: unknown) => {
    requests++;
    const key = endpointOf(req, body);
    byEndpoint.set(key, (byEndpoint.get(key) ?? 0) + 1);
  });
  scope
    .get('/installation/repositories')
    .query(true)
    .reply(200, (uri) => {
      const page = Number(new URL(uri, API).searchParams.get('page') ?? '1');
      return {
        total_count: repos.length,
        repository_selection: selection,
        repositories: repos.slice((page - 1) * 100, page * 100).map((full_name) => ({ full_name })),
      };
    })
    .get('/search/code')
    .query(true)
    .reply(200, (uri) => {
      const page = Number(new URL(uri, API).searchParams.get('page') ?? '1');
      return {
        total_count: repos.length,
        incomplete_results: false,
        items: repos.slice((page - 1) * 100, page * 100).map((full_name) => ({ repository: { full_name } })),
      };
    })
    .post('/graphql')
    .reply(200, (_uri, body) => {
      const { query, variables } = body as { query: string; variables: Record<string, string | null> };
      if (query.startsWith('query FleetwaveFleet')) {
        const from = variables.after ? Number(variables.after) : 0;
        const hasNextPage = from + 100 < repos.length;
        const nodes = repos.slice(from, from + 100).map(repoFacts);
        return {
          data: {
            repositoryOwner: {
              repositories: {
                totalCount: repos.length,
                pageInfo: { hasNextPage, endCursor: hasNextPage ? String(from + 100) : null },
                nodes,
              },
            },
          },
        };
      }
      const aliases = aliasesOf(body);
      if (query.startsWith('query FleetwavePullRequests')) {
        return {
          data: Object.fromEntries(aliases.map((a, i) => [a, { autoMergeAllowed: true, pullRequests: { nodes: [gqlOpenPr(i + 1)] } }])),
        };
      }
      return {
        data: Object.fromEntries(aliases.map((a) => [a, repoFacts(`${variables[`o${a.slice(1)}`]}/${variables[`n${a.slice(1)}`]}`)])),
      };
    });
  return byEndpoint;
}

function manifestFor(repos: string[], discovery: 'repos' | 'search'): string {
  const discover = discovery === 'repos' ? `    - repos: [${repos.join(', ')}]` : '    - search: data/play-events/v1';
  return `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata:
  name: ${MIGRATION}
  owner: data-platform
dataset:
  source: { uri: data/play-events/v1/, format: avro }
  target: { uri: data/play-events/v2/, format: parquet }
consumers:
  discover:
${discover}
changes:
  - replace: { from: data/play-events/v1, to: data/play-events/v2, files: ["**/*.ts"] }
rollout:
  maxOpenPRs: 1000
`;
}

/**
 * One reconcile tick of the real engine (observe → decide → execute) through the GitHub forge, for a
 * migration whose 1,000 PRs are all open with pending checks: nothing changed, nothing to do.
 */
async function fleetwaveReconcile(
  repos: string[],
  options: { selection: 'all' | 'selected'; discovery: 'repos' | 'search'; prBatch?: number; searchedAgo?: number },
): Promise<{ total: number; byEndpoint: Map<string, number> }> {
  requests = 0;
  const byEndpoint = fleetGitHub(repos, options.selection);
  const forge = new GitHubForge({ client: client(), bot, ...(options.prBatch ? { prBatch: options.prBatch } : {}) });
  const loaded = parseManifest(manifestFor(repos, options.discovery), 'bench.yaml');
  const changes: ChangeApplier = {
    compute: () => Promise.reject(new Error('bench: every target has its PR; no change set should be computed')),
  };
  const now = new Date(Date.UTC(2026, 0, 2));
  const store = new MemoryStore();
  if (options.searchedAgo !== undefined) {
    // an earlier reconcile's code search, journalled `searchedAgo` ms before this one
    const at = new Date(now.getTime() - options.searchedAgo).toISOString();
    await store.append({
      at,
      migration: loaded.manifest.metadata.name,
      target: null,
      action: 'search',
      outcome: 'ok',
      detail: { text: 'data/play-events/v1', repos },
      version: 'bench',
      manifestHash: loaded.hash,
    });
  }
  const { decision, observation, executed } = await reconcileOnce({ forge, store, changes, logger: silentLogger, now: () => now }, loaded, {
    fleet: 'github',
    source: SOURCE,
  });
  const open = observation.views.filter((v) => v.pr?.state === 'open').length;
  if (open !== repos.length || executed.length || decision.actions.length) {
    throw new Error(
      `bench fixture: expected ${repos.length} open PRs and nothing to do, saw ${open} open and ${decision.actions.length} actions (${JSON.stringify(decision.actions.slice(0, 2))})`,
    );
  }
  nock.cleanAll();
  return { total: requests, byEndpoint: new Map(byEndpoint) };
}

function breakdown(byEndpoint: Map<string, number>): string {
  return [...byEndpoint].map(([k, n]) => `${k} ×${n}`).join(', ');
}

/**
 * Merging a PR that branch protection still blocks (a review is required) in a repository that allows
 * auto-merge: the first merge decision, then each later one while GitHub waits. Returns both counts.
 */
async function autoMergeCosts(): Promise<{ first: number; later: number }> {
  const scope = counted(nock(API));
  scope
    .post('/graphql')
    .reply(200, { data: { r0: { autoMergeAllowed: true, pullRequests: { nodes: [gqlOpenPr(1)] } } } })
    .put('/repos/acme/consumer-0/pulls/1/merge')
    .reply(405, { message: 'At least 1 approving review is required by reviewers with write access.' })
    // A refused merge reads the PR's mergeability once (computed yet? behind a strict base?).
    .get('/repos/acme/consumer-0/pulls/1')
    .reply(200, { ...pullFixture(1), head: { ref: branch, sha: sha('h') }, mergeable: false, mergeable_state: 'blocked' })
    .post('/graphql', (body: { query: string }) => body.query.startsWith('mutation FleetwaveEnableAutoMerge'))
    .reply(200, {
      data: {
        enablePullRequestAutoMerge: {
          pullRequest: { number: 1, headRefOid: sha('h'), autoMergeRequest: { enabledAt: '2026-01-01T00:00:00Z' } },
        },
      },
    })
    .post('/graphql')
    .reply(200, {
      data: {
        r0: {
          autoMergeAllowed: true,
          pullRequests: { nodes: [{ ...gqlOpenPr(1), autoMergeRequest: { enabledAt: '2026-01-01T00:00:00Z' } }] },
        },
      },
    });
  const forge = new GitHubForge({ client: client(), bot });
  await forge.findPullRequests(['acme/consumer-0'], branch);
  requests = 0;
  const armed = await forge.mergePullRequest('acme/consumer-0', 1, sha('h'));
  const first = requests;
  // The next tick observes again (a PR request it makes anyway), then decides to merge again.
  await forge.findPullRequests(['acme/consumer-0'], branch);
  requests = 0;
  const again = await forge.mergePullRequest('acme/consumer-0', 1, sha('h'));
  if (!armed.autoMerge || !again.autoMerge) throw new Error('bench fixture: auto-merge was not enabled');
  return { first, later: requests };
}

/** The baseline: per repository, the PR by head, its check runs, its statuses, its reviews and the branch compare. */
async function restObserve(repos: string[]): Promise<number> {
  requests = 0;
  counted(nock(API))
    .persist()
    .get(/\/repos\/[^/]+\/[^/]+\/pulls\?/)
    .reply(200, [pullFixture(1)])
    .get(/\/check-runs/)
    .reply(200, { total_count: 0, check_runs: [] })
    .get(/\/status$/)
    .reply(200, { state: 'pending', statuses: [] })
    .get(/\/reviews/)
    .reply(200, [])
    .get(/\/compare\//)
    .reply(200, { status: 'ahead', total_commits: 1, commits: [], merge_base_commit: { sha: sha('b') } });
  const c = client();
  for (const full of repos) {
    const [owner, repo] = full.split('/') as [string, string];
    const prs = await c.request('GET /repos/{owner}/{repo}/pulls', { owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 1 });
    const pr = prs.data[0]!;
    await c.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner, repo, ref: pr.head.sha });
    await c.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { owner, repo, ref: pr.head.sha });
    await c.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner, repo, pull_number: pr.number });
    await c.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `main...${branch}` });
  }
  nock.cleanAll();
  return requests;
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  const rows: Record<string, string | number>[] = [];
  for (const files of [1, 10, 100]) {
    const ours = await fleetwavePr(files);
    const baseline = await contentsApiPr(files);
    rows.push({ measure: `open 1 PR, ${files} changed file(s)`, fleetwave: ours, 'baseline (plain REST)': baseline, goal: '≤ 5' });
  }
  printTable(rows);

  const repos = Array.from({ length: 1000 }, (_, i) => `acme/consumer-${i}`);
  const baseline = await restObserve(repos);
  const cases: { measure: string; selection: 'all' | 'selected'; discovery: 'repos' | 'search'; prBatch?: number; searchedAgo?: number }[] =
    [
      { measure: 'reconcile 1,000 open PRs, nothing changed (App on all repositories)', selection: 'all', discovery: 'repos' },
      { measure: '  … App on 1,000 selected repositories', selection: 'selected', discovery: 'repos' },
      {
        measure: '  … consumers found by code search (App on all), first reconcile or after consumers.searchEvery',
        selection: 'all',
        discovery: 'search',
      },
      {
        measure: '  … code search journalled 10 min ago (within consumers.searchEvery: 30m)',
        selection: 'all',
        discovery: 'search',
        searchedAgo: 10 * 60_000,
      },
      { measure: '  … App on selected repositories, prBatch: 50', selection: 'selected', discovery: 'repos', prBatch: 50 },
    ];
  const reconciles: Record<string, string | number>[] = [];
  const details: string[] = [];
  for (const c of cases) {
    const { total, byEndpoint } = await fleetwaveReconcile(repos, c);
    reconciles.push({ measure: c.measure, fleetwave: total, 'baseline (plain REST, PRs only)': baseline, goal: '≤ 25' });
    details.push(`${c.measure.trim()}: ${breakdown(byEndpoint)}`);
  }
  printTable(reconciles);
  for (const d of details) console.log(d);
  const autoMerge = await autoMergeCosts();
  printTable([
    {
      measure: 'merge a PR blocked by a required review: first decision (REST 405, then auto-merge)',
      fleetwave: autoMerge.first,
      goal: '—',
    },
    { measure: '  … each later decision while GitHub waits', fleetwave: autoMerge.later, goal: '—' },
  ]);
  if (!nock.isDone()) throw new Error(`unused fixtures: ${nock.pendingMocks().join(', ')}`);
}

await main();
