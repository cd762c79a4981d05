/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * Replays, end to end: the App, the real engine (run loop, codemod engine, SQLite store) and the
 * GitHub forge, against a stateful simulated GitHub. Every webhook of a migration delivered once in
 * order, and then (on a fresh GitHub) twice in a shuffled order: no duplicate PR, the same final state.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { Probot } from 'probot';
import { FleetwaveApp } from '../../src/app/fleetwave-app.js';
import { budgetedProbotOctokit } from '../../src/app/github.js';
import { registerHandlers } from '../../src/app/index.js';
import { DEFAULT_CONFIG } from '../../src/app/types.js';
import { createChangeApplier } from '../../src/codemod/engine.js';
import { RequestBudget } from '../../src/forge/github/request-budget.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { runMigration } from '../../src/rollout/run.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { example, inRepo } from './fixtures.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const CONSUMERS = ['acme/c1', 'acme/c2', 'acme/c3', 'acme/c4'];
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const MANIFEST = playEventsManifest(`repos: [${CONSUMERS.join(', ')}]`, [...CANARY_THEN_ALL, 'failureThreshold: 50%']);

async function world() {
  const sim = new GitHubSimulator('fleetwave[bot]');
  await sim.addRepo('acme/data-platform', { [MANIFEST_PATH]: MANIFEST });
  for (const c of CONSUMERS) await sim.addRepo(c, { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" }, c === 'acme/c3' ? 'FAILURE' : 'SUCCESS');
  sim.install();
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-replay-'));
  const store = openSqliteStore(join(dir, 'fleetwave.sqlite'));
  const budget = new RequestBudget({}, new FakeClock());
  const summaries: MigrationSummary[] = [];
  const probot = new Probot({ appId: 1, privateKey, secret: 's', Octokit: budgetedProbotOctokit(budget), logLevel: 'fatal' });
  await probot.load((p: Probot) =>
    registerHandlers(
      p,
      new FleetwaveApp(p, {
        reconcileMigration: async (deps, loaded, options) => {
          const s = await runMigration(deps, loaded, options);
          summaries.push(s);
          return s;
        },
        parseManifest,
        store,
        changes: createChangeApplier(),
        now: () => new Date('2026-01-01T00:00:00Z'),
        config: { ...DEFAULT_CONFIG, gitBaseUrl: sim.gitBaseUrl },
        budget,
      }),
    ),
  );
  return {
    sim,
    probot,
    summaries,
    dispose: async () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
      await sim.dispose();
    },
  };
}

function events(): { name: string; payload: any }[] {
  const push = inRepo(example('push'), 'acme/data-platform');
  Object.assign(push, { ref: 'refs/heads/main', after: 'a'.repeat(40), deleted: false, commits: [{ id: 'a'.repeat(40), added: [MANIFEST_PATH], modified: [], removed: [] }] });
  const out: { name: string; payload: any }[] = [{ name: 'push', payload: push }];
  for (const c of CONSUMERS) {
    const suite = inRepo(example('check_suite', 'completed'), c);
    suite.check_suite.head_branch = 'fleetwave/play-events-v2';
    suite.check_suite.pull_requests = [];
    out.push({ name: 'check_suite', payload: suite });
    const status = inRepo(example('status'), c);
    status.state = c === 'acme/c3' ? 'failure' : 'success';
    status.branches = [{ name: 'fleetwave/play-events-v2', commit: { sha: 'h', url: '' }, protected: false }];
    out.push({ name: 'status', payload: status });
  }
  return out;
}

/** Deterministic shuffle (mulberry32). */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const rnd = () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function finalState(sim: GitHubSimulator) {
  return CONSUMERS.map((c) => {
    const r = sim.repos.get(c)!;
    return { repo: c, prs: r.pulls.length, states: r.pulls.map((p) => p.state), branches: [...r.refs.keys()].sort() };
  });
}

describe('App replays: the same webhooks twice, shuffled', () => {
  let disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    nock.cleanAll();
    for (const d of disposers) await d();
    disposers = [];
    expect(openapiViolations()).toEqual([]);
  });

  it('opens no duplicate PR and ends in the same state as one delivery in order', async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    const once = await world();
    disposers.push(once.dispose);
    let id = 0;
    for (const e of events()) await once.probot.receive({ id: String(++id), name: e.name as never, payload: e.payload });
    const expected = finalState(once.sim);
    const trackingOnce = once.sim.repos.get('acme/data-platform')!.issues;
    nock.cleanAll();

    const twice = await world();
    disposers.push(twice.dispose);
    for (const e of shuffled([...events(), ...events()], 7)) await twice.probot.receive({ id: String(++id), name: e.name as never, payload: e.payload });
    const actual = finalState(twice.sim);

    expect(actual).toEqual(expected);
    for (const t of actual) expect(t.prs).toBe(1);
    expect(expected.find((t) => t.repo === 'acme/c1')!.states).toEqual(['MERGED']);
    expect(expected.find((t) => t.repo === 'acme/c3')!.states).toEqual(['OPEN']);
    // One tracking issue, updated in place, in both worlds.
    expect(trackingOnce).toHaveLength(1);
    expect(twice.sim.repos.get('acme/data-platform')!.issues).toHaveLength(1);
    expect(twice.summaries.at(-1)!.counts).toEqual(once.summaries.at(-1)!.counts);
  });
});
