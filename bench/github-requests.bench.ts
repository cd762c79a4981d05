/**
 * Requests, not time: how many GitHub API requests the GitHub forge spends
 *  - to open one pull request with 1, 10 and 100 changed files (goal: ≤ 5 each), and
 *  - to observe a migration of 1,000 open pull requests where nothing changed (goal: ≤ 25),
 * each next to a baseline measured in the same run against the same nock fixtures: the obvious REST
 * way (Contents API one file at a time; one pull-request, check, status, review and compare request
 * per repository). No network: nock answers everything.
 */
import nock from 'nock';
import { createGitHubClient, type GitHubClient } from '../src/forge/github/client.js';
import { appBotIdentity, GitHubForge } from '../src/forge/github/forge.js';
import type { BudgetClock } from '../src/forge/github/request-budget.js';
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
  return { number: n, html_url: `${API}/pr/${n}`, state: 'open', title: 't', body: 'b', created_at: '2026-01-01T00:00:00Z', head: { ref: branch, sha: sha('c') }, base: { ref: 'main' } };
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
  await c.request('POST /repos/{owner}/{repo}/git/refs', { owner: 'acme', repo: 'recs', ref: `refs/heads/${branch}`, sha: base.data.object.sha });
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

function gqlOpenPr(n: number) {
  return {
    number: n,
    url: `${API}/pr/${n}`,
    state: 'OPEN',
    title: 't',
    body: 'b',
    headRefName: branch,
    baseRefName: 'main',
    headRefOid: sha('h'),
    createdAt: '2026-01-01T00:00:00Z',
    mergedAt: null,
    closedAt: null,
    mergeCommit: null,
    mergedBy: null,
    timelineItems: { nodes: [] },
    reviews: { nodes: [] },
    commits: { nodes: [{ commit: { oid: sha('h'), statusCheckRollup: { state: 'PENDING', contexts: { nodes: [] } } } }] },
    headRef: { target: { oid: sha('h') } },
    branchCommits: { totalCount: 1, nodes: [{ commit: { oid: sha('h'), message: 'Migrate', author: { name: bot.name, email: bot.email, user: { login: bot.login } } } }] },
  };
}

function aliasesOf(body: unknown): string[] {
  return [...(body as { query: string }).query.matchAll(/(r\d+): repository\(/g)].map((m) => m[1]!);
}

async function fleetwaveObserve(repos: string[], prBatch = 50): Promise<{ prs: number; fleet: number }> {
  requests = 0;
  counted(nock(API))
    .post('/graphql')
    .times(Math.ceil(repos.length / prBatch))
    .reply(200, (_u, body) => ({ data: Object.fromEntries(aliasesOf(body).map((a, i) => [a, { pullRequests: { nodes: [gqlOpenPr(i + 1)] } }])) }));
  const forge = new GitHubForge({ client: client(), bot, prBatch });
  const prs = await forge.findPullRequests(repos, branch);
  for (const repo of repos) {
    const b = await forge.getBranch(repo, branch);
    if (!b || !prs.has(repo)) throw new Error(`bench fixture: no PR or branch for ${repo}`);
  }
  const prRequests = requests;

  requests = 0;
  const pages = Math.ceil(repos.length / 100);
  const scope = counted(nock(API));
  for (let p = 0; p < pages; p++) {
    scope
      .get('/installation/repositories')
      .query({ per_page: '100', page: String(p + 1) })
      .reply(200, { total_count: repos.length, repositories: repos.slice(p * 100, p * 100 + 100).map((full_name) => ({ full_name })) });
  }
  scope
    .post('/graphql')
    .times(Math.ceil(repos.length / 100))
    .reply(200, (_u, body) => ({
      data: Object.fromEntries(aliasesOf(body).map((a) => [a, { nameWithOwner: 'x/y', isArchived: false, defaultBranchRef: { name: 'main', target: { oid: sha('a') } }, optOut: null }])),
    }));
  const listed = await forge.listRepositories();
  if (listed.length !== repos.length) throw new Error('bench fixture: fleet listing incomplete');
  return { prs: prRequests, fleet: requests };
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
  const repos = Array.from({ length: 1000 }, (_, i) => `acme/consumer-${i}`);
  const observed = await fleetwaveObserve(repos);
  const wide = await fleetwaveObserve(repos, 100);
  const baseline = await restObserve(repos);
  rows.push({ measure: 'observe 1,000 open PRs (PRs, checks, reviews, branches)', fleetwave: observed.prs, 'baseline (plain REST)': baseline, goal: '≤ 25' });
  rows.push({ measure: '  … with prBatch: 100', fleetwave: wide.prs, 'baseline (plain REST)': baseline, goal: '≤ 25' });
  rows.push({ measure: 'list a fleet of 1,000 repositories (heads, opt-outs)', fleetwave: observed.fleet, 'baseline (plain REST)': '—', goal: '—' });
  rows.push({ measure: 'one full observation (fleet + PRs)', fleetwave: observed.prs + observed.fleet, 'baseline (plain REST)': '—', goal: '≤ 25' });
  rows.push({ measure: '  … with prBatch: 100', fleetwave: wide.prs + wide.fleet, 'baseline (plain REST)': '—', goal: '≤ 25' });
  printTable(rows);
  if (!nock.isDone()) throw new Error(`unused fixtures: ${nock.pendingMocks().join(', ')}`);
}

await main();
