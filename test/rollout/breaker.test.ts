/**
 * The circuit breaker's state machine (pure, clock passed in), its gate over decide's actions, its
 * configuration from the environment, and its record surviving a reopened SQLite store file.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  advance,
  breakerPolicyFromEnv,
  canaryOutcome,
  closedBreaker,
  DEFAULT_BREAKER_POLICY,
  gate,
  observedOutcomes,
  recordOutcomes,
  resetBreaker,
  resolveCanary,
  type BreakerOutcome,
  type BreakerPolicy,
} from '../../src/rollout/breaker.js';
import type { Action, DerivedTarget, TargetView } from '../../src/rollout/decide.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InputError } from '../../src/util/errors.js';

const POLICY: BreakerPolicy = {
  windowMs: 3_600_000,
  minFailures: 5,
  failureRatio: 0.5,
  coolDownMs: 30 * 60_000,
  canaryTimeoutMs: 6 * 3_600_000,
};
const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const outcome = (minutes: number, ok: boolean, target = 'acme/a', migration = 'm1'): BreakerOutcome => ({
  at: at(minutes).toISOString(),
  ok,
  migration,
  target,
});
const failures = (n: number, minutes: number, migration = 'm1') =>
  Array.from({ length: n }, (_, i) => outcome(minutes, false, `acme/f${i}`, migration));

const open = (repo: string): Action => ({ kind: 'open', repo, wave: 1, adoptBranch: null });
const merge = (repo: string): Action => ({ kind: 'merge', repo, number: 1, headSha: 'abc' });
const revert = (repo: string): Action => ({ kind: 'revert', repo, number: 1, reason: 'post-merge checks failed' });

function opened(minutes = 0) {
  return recordOutcomes(closedBreaker('fleet'), failures(5, minutes), POLICY, at(minutes));
}

describe('breaker state machine', () => {
  it('stays closed below the failure count or below the failure share, and opens when both are passed within the window', () => {
    let b = recordOutcomes(closedBreaker('fleet'), failures(4, 0), POLICY, at(0));
    expect(b.state).toBe('closed');
    // 5 failures, but among 6 successes: 45% < 50%.
    b = recordOutcomes(
      closedBreaker('fleet'),
      [...Array.from({ length: 6 }, (_, i) => outcome(0, true, `acme/ok${i}`)), ...failures(5, 1)],
      POLICY,
      at(1),
    );
    expect(b.state).toBe('closed');
    // One more failure: 6 of 12 = 50%.
    b = recordOutcomes(b, [outcome(2, false, 'acme/x', 'm2')], POLICY, at(2));
    expect(b.state).toBe('open');
    expect(b.openedAt).toBe(at(2).toISOString());
    expect(b.reason).toContain('6 failures in 12 outcomes within 1h');
  });

  it('lets old failures slide out of the window', () => {
    let b = recordOutcomes(closedBreaker('fleet'), failures(4, 0), POLICY, at(0));
    // 61 minutes later the first four are out of the 1h window: one new failure is not enough.
    b = recordOutcomes(b, [outcome(61, false, 'acme/late')], POLICY, at(61));
    expect(b.state).toBe('closed');
    expect(b.outcomes).toHaveLength(1);
    // Within the window, the same five open it.
    expect(recordOutcomes(closedBreaker('fleet'), [...failures(4, 0), outcome(59, false, 'acme/late')], POLICY, at(59)).state).toBe('open');
  });

  it('goes half-open after the cool-down, not before', () => {
    const b = opened(0);
    expect(advance(b, POLICY, at(29)).state).toBe('open');
    expect(advance(b, POLICY, at(30)).state).toBe('half-open');
  });

  it('half-open lets exactly one canary through across the fleet; its success closes the breaker and clears the window', () => {
    const half = advance(opened(0), POLICY, at(31));
    const first = gate(half, 'm1', [merge('acme/a'), open('acme/b'), open('acme/c')], POLICY, at(31));
    expect(first.actions).toEqual([merge('acme/a')]);
    expect(first.pause).toBe(false);
    expect(first.record.canary).toEqual({ migration: 'm1', target: 'acme/a', action: 'merge', at: at(31).toISOString() });
    // Another migration, the same tick or later: nothing gated goes through, it pauses; its reverts still go.
    const other = gate(first.record, 'm2', [open('acme/x'), revert('acme/y')], POLICY, at(32));
    expect(other.actions).toEqual([revert('acme/y')]);
    expect(other.pause).toBe(true);
    expect(other.reason).toContain('waiting for the canary (merge on acme/a of m1)');
    // The same migration again: only the canary's target.
    expect(gate(first.record, 'm1', [open('acme/b'), merge('acme/a')], POLICY, at(32)).actions).toEqual([merge('acme/a')]);
    const closed = resolveCanary(first.record, true, at(33), 'merged');
    expect(closed.state).toBe('closed');
    expect(closed.outcomes).toEqual([]);
    expect(gate(closed, 'm2', [open('acme/x'), open('acme/z')], POLICY, at(33)).actions).toHaveLength(2);
  });

  it("the canary's failure re-opens the breaker with a new cool-down", () => {
    const half = advance(opened(0), POLICY, at(31));
    const claimed = gate(half, 'm1', [open('acme/b')], POLICY, at(31)).record;
    const reopened = resolveCanary(claimed, false, at(45), 'checks failed: test');
    expect(reopened.state).toBe('open');
    expect(reopened.openedAt).toBe(at(45).toISOString());
    expect(reopened.reason).toContain('the half-open canary failed: checks failed: test');
    expect(advance(reopened, POLICY, at(74)).state).toBe('open');
    expect(advance(reopened, POLICY, at(75)).state).toBe('half-open');
  });

  it('an unanswered canary counts as a failure after the canary timeout', () => {
    const claimed = gate(advance(opened(0), POLICY, at(31)), 'm1', [open('acme/b')], POLICY, at(31)).record;
    expect(advance(claimed, POLICY, at(31 + 359)).state).toBe('half-open');
    const timedOut = advance(claimed, POLICY, at(31 + 360));
    expect(timedOut.state).toBe('open');
    expect(timedOut.reason).toContain('had no outcome within 6h');
  });

  it('open holds back opens and merges of every migration, with the half-open time, and keeps reverts and pauses', () => {
    const g = gate(
      opened(0),
      'm3',
      [open('acme/a'), merge('acme/b'), revert('acme/c'), { kind: 'pause', reason: 'wave 1 failed', wave: 1 }],
      POLICY,
      at(5),
    );
    expect(g.actions.map((a) => a.kind)).toEqual(['revert', 'pause']);
    expect(g.pause).toBe(true);
    expect(g.waitingUntil).toBe(at(30).toISOString());
    expect(g.reason).toMatch(/^circuit breaker open since/);
  });

  it('outcomes while open do not move the state; reset closes it', () => {
    const b = recordOutcomes(opened(0), failures(10, 5), POLICY, at(5));
    expect(b.state).toBe('open');
    expect(b.openedAt).toBe(at(0).toISOString());
    const r = resetBreaker(b, at(6));
    expect(r).toMatchObject({ state: 'closed', outcomes: [], canary: null, reason: null });
  });
});

describe('outcomes a decision shows', () => {
  const pr = (n: number, state: 'open' | 'merged', checks: 'success' | 'failure' | 'pending', extra: object = {}) => ({
    repo: 'x',
    number: n,
    url: '',
    state,
    title: '',
    body: '',
    branch: 'b',
    baseBranch: 'main',
    headSha: `h${n}`,
    createdAt: '',
    checks: { state: checks, runs: [] },
    reviews: [],
    ...extra,
  });
  const view = (repo: string, p: ReturnType<typeof pr> | null): TargetView => ({
    repo,
    wave: 1,
    blocking: [],
    hasChanges: true,
    pr: p as TargetView['pr'],
    branch: null,
    error: null,
  });
  const target = (repo: string, state: DerivedTarget['state'], needsHuman = false): DerivedTarget => ({
    repo,
    wave: 1,
    state,
    reason: state === 'failed' ? 'checks failed: test' : null,
    needsHuman,
  });

  it('keys a failure per pull request head, a post-merge failure or revert per merge, a merge once; a human hand-over is no outcome', () => {
    const views = [
      view('acme/a', pr(3, 'open', 'failure')),
      view('acme/b', pr(4, 'merged', 'success', { revertSha: 'r' })),
      view('acme/c', pr(5, 'merged', 'success')),
      view('acme/d', pr(6, 'open', 'success')),
      view('acme/e', null),
    ];
    const targets = [
      target('acme/a', 'failed'),
      target('acme/b', 'reverted'),
      target('acme/c', 'merged'),
      target('acme/d', 'failed', true),
      target('acme/e', 'failed'),
    ];
    const got = observedOutcomes(targets, views, new Map([['acme/e', { sha: 'base1' }]]));
    expect(got.map((o) => [o.target, o.ok, o.key])).toEqual([
      ['acme/a', false, 'acme/a#3@h3'],
      ['acme/b', false, 'acme/b#4:after-merge'],
      ['acme/c', true, 'acme/c#5:merged'],
      ['acme/e', false, 'acme/e@base1:checks failed: test'],
    ]);
  });

  it("judges the canary: an opened PR's green checks or a merge is success, a failure fails it, a closed PR lets another through", () => {
    const claimed = gate(advance(opened(0), POLICY, at(31)), 'm1', [open('acme/a')], POLICY, at(31)).record;
    expect(canaryOutcome(claimed, [target('acme/a', 'open')], [view('acme/a', pr(1, 'open', 'pending'))]).result).toBe('pending');
    expect(canaryOutcome(claimed, [target('acme/a', 'open')], [view('acme/a', pr(1, 'open', 'success'))]).result).toBe('ok');
    expect(canaryOutcome(claimed, [target('acme/a', 'failed')], [view('acme/a', pr(1, 'open', 'failure'))]).result).toBe('failed');
    expect(canaryOutcome(claimed, [target('acme/a', 'skipped')], [view('acme/a', null)]).result).toBe('gone');
    expect(canaryOutcome(claimed, [], []).result).toBe('gone');
  });
});

describe('breaker configuration', () => {
  it('defaults: 1h window, 5 failures and 50%, 30m cool-down', () => {
    expect(breakerPolicyFromEnv({})).toEqual(DEFAULT_BREAKER_POLICY);
    expect(DEFAULT_BREAKER_POLICY).toMatchObject({ windowMs: 3_600_000, minFailures: 5, failureRatio: 0.5, coolDownMs: 1_800_000 });
  });

  it('reads FLEETWAVE_BREAKER_* and can be turned off; bad values are named', () => {
    expect(
      breakerPolicyFromEnv({
        FLEETWAVE_BREAKER_WINDOW: '2h',
        FLEETWAVE_BREAKER_FAILURES: '10',
        FLEETWAVE_BREAKER_RATIO: '30%',
        FLEETWAVE_BREAKER_COOLDOWN: '15m',
      }),
    ).toMatchObject({
      windowMs: 7_200_000,
      minFailures: 10,
      failureRatio: 0.3,
      coolDownMs: 900_000,
    });
    expect(breakerPolicyFromEnv({ FLEETWAVE_BREAKER_RATIO: '0.25' })?.failureRatio).toBe(0.25);
    expect(breakerPolicyFromEnv({ FLEETWAVE_BREAKER: 'off' })).toBeNull();
    expect(() => breakerPolicyFromEnv({ FLEETWAVE_BREAKER_WINDOW: 'soon' })).toThrow(/FLEETWAVE_BREAKER_WINDOW=soon/);
    expect(() => breakerPolicyFromEnv({ FLEETWAVE_BREAKER_FAILURES: '0' })).toThrow(InputError);
    expect(() => breakerPolicyFromEnv({ FLEETWAVE_BREAKER_RATIO: '150%' })).toThrow(/FLEETWAVE_BREAKER_RATIO/);
  });
});

describe('breaker record in the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-breaker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives closing and reopening a real SQLite file, and a never-set breaker is closed', async () => {
    const file = join(dir, 'fleetwave.sqlite');
    const claimed = gate(advance(opened(0), POLICY, at(31)), 'm1', [open('acme/a')], POLICY, at(31)).record;
    let store = openSqliteStore(file);
    expect(await store.getBreaker('fleet')).toMatchObject({ key: 'fleet', state: 'closed', outcomes: [], canary: null });
    await store.setBreaker(claimed);
    await store.setBreaker({ ...closedBreaker('other-fleet'), outcomes: [outcome(1, false)] });
    await store.close();
    store = openSqliteStore(file);
    expect(await store.getBreaker('fleet')).toEqual(claimed);
    expect((await store.getBreaker('other-fleet')).outcomes).toEqual([outcome(1, false)]);
    // After the restart the half-open breaker still lets only its canary through.
    expect(gate(await store.getBreaker('fleet'), 'm2', [open('acme/z')], POLICY, at(40)).actions).toEqual([]);
    await store.close();
  });

  it('the memory store keeps breakers in its snapshot (what the JSON-file store saves)', async () => {
    const store = new MemoryStore();
    await store.setBreaker(opened(0));
    const again = new MemoryStore(store.snapshot());
    expect(await again.getBreaker('fleet')).toEqual(opened(0));
  });
});
