/**
 * Alerts derived from a tick's outcome: once per transition, resolved when the condition ends, never
 * raised again on a re-run (the journal is the memory), owners as GitHub mentions.
 */
import { describe, expect, it } from '@jest/globals';
import { breakerDedupKey, deriveAlerts, mentionsFor, renderAlertComment, type AlertInput } from '../../src/alerts/alert.js';
import { deliverPending, journalAlert, raisedAlerts, raisedByKey } from '../../src/alerts/outbox.js';
import type { AlertSink } from '../../src/alerts/sink.js';
import { quietTick } from './alert-input.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const base: AlertInput = quietTick;

/** Derive, journal what is new, and hand back what was raised: one reconcile tick's alert step. */
async function tick(store: MemoryStore, input: Partial<AlertInput>, at = '2026-03-02T10:00:00.000Z') {
  const events = await store.events({ migration: base.migration });
  const alerts = deriveAlerts({
    ...base,
    ...input,
    raised: raisedByKey(events),
    episode: events.filter((e) => e.action === 'resume').length,
  });
  for (const a of alerts) await journalAlert(store, a, { at, manifestHash: 'h', logger: silentLogger });
  return alerts.map((a) => `${a.action}:${a.kind}`);
}

describe('alerts', () => {
  it('a failed wave raises one alert however many ticks see it, and a resume resolves it; the next pause is a new episode', async () => {
    const store = new MemoryStore();
    const paused = { state: 'paused' as const, reason: 'wave 1 failed 3 of 5', failedWave: { index: 1, failed: 3, size: 5 } };
    expect(await tick(store, paused)).toEqual(['trigger:wave-failed']);
    expect(await tick(store, paused)).toEqual([]);
    expect(await tick(store, paused)).toEqual([]);
    await store.append({
      at: '2026-03-02T11:00:00Z',
      migration: base.migration,
      target: null,
      action: 'resume',
      outcome: 'ok',
      detail: { by: 'dana' },
      version: 't',
      manifestHash: 'h',
    });
    expect(await tick(store, { state: 'running' })).toEqual(['resolve:wave-failed']);
    expect(await tick(store, { state: 'running' })).toEqual([]);
    expect(await tick(store, paused)).toEqual(['trigger:wave-failed']);
    const keys = (await raisedAlerts(store)).map((r) => r.alert.dedupKey);
    expect(keys).toEqual([
      'fleetwave/play-events-v2/wave-failed/1/0',
      'fleetwave/play-events-v2/wave-failed/1/0',
      'fleetwave/play-events-v2/wave-failed/1/1',
    ]);
  });

  it('a human pause is a paused alert; every revert is its own alert and is not resolved by the migration going on', async () => {
    const store = new MemoryStore();
    expect(await tick(store, { state: 'paused', reason: 'paused by dana' })).toEqual(['trigger:paused']);
    const reverts = [{ repo: 'acme/recs', pr: 7, reason: 'checks on main failed after the merge' }];
    expect(await tick(store, { state: 'paused', reason: 'paused by dana', reverts })).toEqual(['trigger:revert']);
    expect(await tick(store, { state: 'paused', reason: 'paused by dana', reverts })).toEqual([]);
    expect(await tick(store, { state: 'running', reverts: [{ repo: 'acme/ads', pr: 3, reason: 'x' }] })).toEqual([
      'trigger:revert',
      'resolve:paused',
    ]);
    const revert = (await raisedAlerts(store)).find((r) => r.alert.kind === 'revert')!.alert;
    expect(revert).toMatchObject({ target: 'acme/recs', severity: 'error', dedupKey: 'fleetwave/play-events-v2/revert/acme/recs#7' });
  });

  it("the breaker's alert has a fleet-wide key, goes to the migrations it holds, and resolves only when the breaker closes", async () => {
    const store = new MemoryStore();
    const openedAt = '2026-03-02T10:00:00.000Z';
    const breaker = { openedAt, reason: '5 failures', state: 'open' as const, holds: true };
    expect(await tick(store, { state: 'paused', reason: 'circuit breaker open', breaker })).toEqual(['trigger:breaker-open']);
    // Half-open with this migration's canary in flight: it runs, but the fleet's incident stays open.
    expect(await tick(store, { state: 'running', breaker: { ...breaker, state: 'half-open', holds: false } })).toEqual([]);
    expect(await tick(store, { state: 'running', breaker: null })).toEqual(['resolve:breaker-open']);
    expect((await raisedAlerts(store)).map((r) => r.alert.dedupKey)).toEqual([
      breakerDedupKey('github:acme', openedAt),
      breakerDedupKey('github:acme', openedAt),
    ]);
    expect((await raisedAlerts(store))[0]!.alert.severity).toBe('critical');
  });

  it('owners become mentions of users and teams', () => {
    expect(
      mentionsFor(
        ['data-platform', '@dana', 'acme/recs-team', 'group:default/ads', 'user:default/lee', 'group:default/ads', 'not a name!'],
        'acme',
      ),
    ).toEqual(['@data-platform', '@dana', '@acme/recs-team', '@acme/ads', '@lee']);
    const alert = deriveAlerts({ ...base, owners: ['group:default/data-platform', 'dana'], state: 'paused', reason: 'paused by dana' })[0]!;
    const comment = renderAlertComment(alert, 'acme');
    expect(comment).toMatch(/^⚠️ \*\*paused\*\* \(warning\) — @acme\/data-platform @dana\n/);
    expect(comment).toContain('play-events-v2 is paused: paused by dana');
  });

  it('the outbox delivers each alert once per sink, retries a failed delivery on the next drain up to three times, and never throws', async () => {
    const store = new MemoryStore();
    await tick(store, { state: 'paused', reason: 'paused by dana' });
    const got: string[] = [];
    let failures = 0;
    const good: AlertSink = { name: 'good', deliver: async (a) => void got.push(a.dedupKey) };
    const bad: AlertSink = {
      name: 'bad',
      deliver: async () => {
        failures++;
        throw new Error('receiver down');
      },
    };
    const now = new Date('2026-03-02T10:05:00Z');
    expect(await deliverPending(store, base.migration, [good, bad], { now, logger: silentLogger })).toEqual({ delivered: 1, failed: 1 });
    expect(await deliverPending(store, base.migration, [good, bad], { now, logger: silentLogger })).toEqual({ delivered: 0, failed: 1 });
    await deliverPending(store, base.migration, [good, bad], { now, logger: silentLogger });
    expect(await deliverPending(store, base.migration, [good, bad], { now, logger: silentLogger })).toEqual({ delivered: 0, failed: 0 });
    expect(got).toEqual(['fleetwave/play-events-v2/paused/0']);
    expect(failures).toBe(3);
    const deliveries = (await store.events({ migration: base.migration })).filter((e) => e.action === 'alert-delivery');
    expect(deliveries.map((e) => [e.detail.sink, e.outcome])).toEqual([
      ['good', 'ok'],
      ['bad', 'error'],
      ['bad', 'error'],
      ['bad', 'error'],
    ]);
    expect(deliveries[1]!.detail.error).toBe('receiver down');
    // A sink configured a day later is not flooded with old alerts.
    const late: AlertSink = { name: 'late', deliver: async (a) => void got.push(a.dedupKey) };
    expect(await deliverPending(store, base.migration, [late], { now: new Date('2026-03-03T11:00:00Z'), logger: silentLogger })).toEqual({
      delivered: 0,
      failed: 0,
    });
  });
});
