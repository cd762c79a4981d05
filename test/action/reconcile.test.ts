/**
 * The Action's reconcile mode, in process (a child process cannot be nocked), against the stateful
 * GitHub simulator behind nock (every request checked against GitHub's OpenAPI description): one run
 * opens and merges the consumers' pull requests with the App's token, journals in the JSON state file,
 * and a second run from that file changes nothing on GitHub. The token never reaches the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { reconcileMode } from '../../src/action/modes/reconcile.js';
import { githubApi, githubRequests, openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';
import { manifestWorkspace, recordingIO } from './recording-io.js';

const TOKEN = 'ghs_actiontoken0123456789';
const CONSUMERS = ['acme/c1', 'acme/c2'];
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const MANIFEST = playEventsManifest(`repos: [${CONSUMERS.join(', ')}]`, CANARY_THEN_ALL);

let sim: GitHubSimulator;
let workspace: { dir: string; dispose(): void };
let ws: string;
let logs = '';
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString();
      done();
    },
  }),
);

beforeAll(async () => {
  nock.disableNetConnect();
  resetGitHubRequests();
  sim = new GitHubSimulator('fleetwave[bot]');
  await sim.addRepo('acme/data-platform', { [MANIFEST_PATH]: MANIFEST });
  for (const c of CONSUMERS) await sim.addRepo(c, { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" });
  sim.install();
  workspace = manifestWorkspace(MANIFEST_PATH, MANIFEST);
  ws = workspace.dir;
});

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await sim.dispose();
  workspace.dispose();
});

async function reconcile(auth: Record<string, string> = { token: TOKEN, 'app-slug': 'fleetwave' }) {
  const { io, rec } = recordingIO(
    { mode: 'reconcile', manifest: MANIFEST_PATH, ...auth, 'state-path': '.fleetwave/state.json' },
    {
      GITHUB_REPOSITORY: 'acme/data-platform',
      GITHUB_WORKSPACE: ws,
      GITHUB_SERVER_URL: sim.gitBaseUrl,
      GITHUB_API_URL: 'https://api.github.com',
    },
  );
  const outcome = await reconcileMode(io, {
    clock: new FakeClock(),
    now: () => new Date('2026-01-01T00:00:00Z'),
    sleep: async () => undefined,
    logger,
  });
  return { outcome, rec };
}

describe('mode reconcile', () => {
  it('opens and merges every consumer’s pull request as the App’s bot, and journals the run in the state file', async () => {
    // The first scheduled run opens the PRs; GitHub has no check on their heads yet, so nothing merges.
    const first = await reconcile();
    expect(first.outcome).toEqual({});
    expect(first.rec.outputs).toMatchObject({ state: 'running', counts: '{"open":2}' });
    for (const c of CONSUMERS) expect(sim.repos.get(c)!.pulls.map((p) => p.state)).toEqual(['OPEN']);
    // The next one sees their checks green and merges.
    const { outcome, rec } = await reconcile();
    expect(outcome).toEqual({});
    expect(rec.errors).toEqual([]);
    expect(rec.secrets).toEqual([TOKEN]);
    expect(rec.outputs).toMatchObject({
      migration: 'play-events-v2',
      state: 'completed',
      targets: '2',
      counts: '{"merged":2}',
      'state-path': join(ws, '.fleetwave/state.json'),
    });
    for (const c of CONSUMERS) {
      const pulls = sim.repos.get(c)!.pulls;
      expect(pulls.map((p) => [p.branch, p.state])).toEqual([['fleetwave/play-events-v2', 'MERGED']]);
    }
    expect(sim.repos.get('acme/data-platform')!.pulls).toEqual([]);
    expect(rec.summary).toContain('Migration `play-events-v2`: **completed**');
    const state = JSON.parse(readFileSync(join(ws, '.fleetwave/state.json'), 'utf8')) as {
      format: string;
      runs: { state: string }[];
      events: { action: string; target: string | null }[];
    };
    expect(state.format).toBe('fleetwave-json-store');
    expect(state.runs.map((r) => r.state)).toEqual(['running', 'completed']);
    expect(
      state.events
        .filter((e) => e.action === 'merge')
        .map((e) => e.target)
        .sort(),
    ).toEqual(CONSUMERS);
    expect(openapiViolations()).toEqual([]);
  });

  it('a second run from the cached state file opens nothing new and appends to the journal', async () => {
    const before = JSON.parse(readFileSync(join(ws, '.fleetwave/state.json'), 'utf8')) as { events: unknown[] };
    const { outcome, rec } = await reconcile();
    expect(outcome).toEqual({});
    expect(rec.outputs.state).toBe('completed');
    for (const c of CONSUMERS) expect(sim.repos.get(c)!.pulls).toHaveLength(1);
    const after = JSON.parse(readFileSync(join(ws, '.fleetwave/state.json'), 'utf8')) as { events: { id: number }[]; runs: unknown[] };
    expect(after.runs).toHaveLength(3);
    expect(after.events.length).toBeGreaterThanOrEqual(before.events.length);
    expect(after.events.map((e) => e.id)).toEqual(after.events.map((_, i) => i + 1));
    expect(openapiViolations()).toEqual([]);
  });

  it('losing the state file loses history only: the next run reads the state back from GitHub', async () => {
    rmSync(join(ws, '.fleetwave/state.json'));
    const { outcome, rec } = await reconcile();
    expect(outcome).toEqual({});
    expect(rec.outputs).toMatchObject({ state: 'completed', counts: '{"merged":2}' });
    for (const c of CONSUMERS) expect(sim.repos.get(c)!.pulls.map((p) => p.state)).toEqual(['MERGED']);
    const state = JSON.parse(readFileSync(join(ws, '.fleetwave/state.json'), 'utf8')) as { runs: unknown[] };
    expect(state.runs).toHaveLength(1);
    expect(openapiViolations()).toEqual([]);
  });

  it('makes its own installation token from app-id and private-key (a JWT GitHub can verify), masking every secret', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const jwts: string[] = [];
    githubApi()
      .get('/repos/acme/data-platform/installation')
      .reply(function () {
        jwts.push(String(this.req.headers.authorization).replace(/^bearer /i, ''));
        return [200, { id: 77, account: { login: 'acme' } }];
      });
    const { outcome, rec } = await reconcile({ 'app-id': '1234', 'private-key': privateKey });
    expect(outcome).toEqual({});
    expect(rec.outputs.state).toBe('completed');
    expect(jwts).toHaveLength(1);
    const [header, payload, signature] = jwts[0]!.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { iss: string; iat: number; exp: number };
    expect(claims.iss).toBe('1234');
    expect(claims.exp - claims.iat).toBe(600);
    expect(
      verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey(publicKey), Buffer.from(signature!, 'base64url')),
    ).toBe(true);
    // The key, the JWT and the installation token the simulator handed out are all masked.
    expect(rec.secrets).toEqual([privateKey.trim(), jwts[0], 'ghs_sim']);
    expect(openapiViolations()).toEqual([]);
  });

  it('refuses to run without a token or app-id and private-key, saying which inputs to give', async () => {
    await expect(reconcile({})).rejects.toThrow(/needs the input `token`.*or `app-id` and `private-key`/);
    await expect(reconcile({ 'app-id': 'abc', 'private-key': 'x' })).rejects.toThrow(/`app-id`: "abc" is not a GitHub App id/);
  });

  it('refuses a token without app-slug before any request: a personal access token cannot list an installation', async () => {
    resetGitHubRequests();
    await expect(reconcile({ token: TOKEN })).rejects.toThrow(/needs the input `app-slug`.*GET \/installation\/repositories/);
    expect(githubRequests()).toEqual([]);
  });

  it('never logs the token', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(TOKEN);
  });
});
