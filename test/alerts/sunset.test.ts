/**
 * Sunset warnings (issue 21): as `metadata.sunset` nears, the owners of the consumers not migrated yet
 * hear of it once per `rollout.sunsetWarnings` step (the nearest one reached), once more when the day
 * comes, and every warning resolves when the last consumer is migrated.
 */
import { describe, expect, it } from '@jest/globals';
import { deriveAlerts, type AlertInput } from '../../src/alerts/alert.js';
import { journalAlert, raisedByKey } from '../../src/alerts/outbox.js';
import { quietTick } from './alert-input.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const DAY = 86_400_000;
const base: AlertInput = quietTick;
const unmigrated = [
  { repo: 'acme/a', owner: 'group:default/team-a' },
  { repo: 'acme/b', owner: null },
];

async function tickAt(store: MemoryStore, now: string, left = unmigrated) {
  const events = await store.events({ migration: base.migration });
  const alerts = deriveAlerts({
    ...base,
    raised: raisedByKey(events),
    sunset: { date: '2027-03-01', warningsMs: [30 * DAY, 7 * DAY, DAY], now: new Date(now), unmigrated: left },
  });
  for (const a of alerts) await journalAlert(store, a, { at: now, manifestHash: 'h', logger: silentLogger });
  return alerts;
}

describe('sunset warnings', () => {
  it('one warning per step reached, with the unmigrated consumers’ owners; one more on the day; all resolved once migrated', async () => {
    const store = new MemoryStore();
    expect(await tickAt(store, '2027-01-15T09:00:00Z')).toEqual([]);
    const first = await tickAt(store, '2027-02-01T09:00:00Z');
    expect(first).toEqual([
      expect.objectContaining({
        kind: 'sunset',
        action: 'trigger',
        severity: 'warning',
        dedupKey: 'fleetwave/play-events-v2/sunset/30d',
        owners: ['data-platform', 'group:default/team-a'],
        summary: 'play-events-v2: the old dataset goes away on 2027-03-01 (in 28 days); 2 consumers not migrated yet: acme/a, acme/b.',
      }),
    ]);
    // The same step again: nothing new; the next step: its own warning, the first still held.
    expect(await tickAt(store, '2027-02-02T09:00:00Z')).toEqual([]);
    expect((await tickAt(store, '2027-02-25T09:00:00Z')).map((a) => [a.action, a.dedupKey])).toEqual([
      ['trigger', 'fleetwave/play-events-v2/sunset/7d'],
    ]);
    // Starting late skips the steps already behind: the day came.
    const passed = await tickAt(store, '2027-03-01T09:00:00Z', [unmigrated[1]!]);
    expect(passed.map((a) => [a.action, a.dedupKey, a.severity])).toEqual([['trigger', 'fleetwave/play-events-v2/sunset/passed', 'error']]);
    expect(passed[0]!.summary).toBe('play-events-v2: the old dataset went away on 2027-03-01; 1 consumer not migrated yet: acme/b.');
    // The last consumer migrated: every raised warning resolves, once.
    const done = await tickAt(store, '2027-03-02T09:00:00Z', []);
    expect(done.map((a) => [a.action, a.dedupKey]).sort()).toEqual([
      ['resolve', 'fleetwave/play-events-v2/sunset/30d'],
      ['resolve', 'fleetwave/play-events-v2/sunset/7d'],
      ['resolve', 'fleetwave/play-events-v2/sunset/passed'],
    ]);
    expect(done[0]!.summary).toContain('every consumer is migrated off the old dataset');
    expect(await tickAt(store, '2027-03-03T09:00:00Z', [])).toEqual([]);
  });
});
