/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * Replays, end to end: the App, the real engine (run loop, codemod engine, SQLite store) and the
 * GitHub forge, against a stateful simulated GitHub. Every webhook of a migration delivered once in
 * order, and then (on a fresh GitHub) twice in a shuffled order: no duplicate PR, the same final state.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import type { GitHubSimulator } from '../forge/github/simulator.js';
import { engineWorld, manifestPush } from './engine-world.js';
import { example, inRepo } from './fixtures.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';

const CONSUMERS = ['acme/c1', 'acme/c2', 'acme/c3', 'acme/c4'];
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const MANIFEST = playEventsManifest(`repos: [${CONSUMERS.join(', ')}]`, [...CANARY_THEN_ALL, 'failureThreshold: 50%']);

function world() {
  return engineWorld({
    'acme/data-platform': { files: { [MANIFEST_PATH]: MANIFEST } },
    ...Object.fromEntries(
      CONSUMERS.map((c) => [
        c,
        { files: { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" }, checks: c === 'acme/c3' ? 'FAILURE' : 'SUCCESS' },
      ]),
    ),
  });
}

function events(): { name: string; payload: any }[] {
  const out: { name: string; payload: any }[] = [manifestPush('acme/data-platform', MANIFEST_PATH)];
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
    for (const e of events()) await once.deliver({ id: String(++id), name: e.name, payload: e.payload });
    const expected = finalState(once.sim);
    const trackingOnce = once.sim.repos.get('acme/data-platform')!.issues;
    nock.cleanAll();

    const twice = await world();
    disposers.push(twice.dispose);
    for (const e of shuffled([...events(), ...events()], 7)) await twice.deliver({ id: String(++id), name: e.name, payload: e.payload });
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
