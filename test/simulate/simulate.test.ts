import { describe, expect, it } from '@jest/globals';
import { simulate } from '../../src/simulate/simulate.js';

describe('simulate', () => {
  it.each([1, 2, 3, 4, 5])(
    '1,000 targets with failures, flaky checks, API faults and crashes end as the policy says (seed %i)',
    async (seed) => {
      const r = await simulate({ targets: 1000, failRate: 0.1, flakyRate: 0.05, apiFaultRate: 0.05, crashRate: 0.02, seed });
      expect(r.duplicatePRs).toBe(0);
      expect(r.lostTargets).toBe(0);
      expect(['completed', 'paused']).toContain(r.state);
      if (r.state === 'paused') expect(r.reason).toMatch(/above the failure threshold/);
      else expect(r.merged + r.failed + r.skipped + r.blocked + r.reverted).toBe(1000);
      expect(r.crashes).toBeGreaterThan(0);
    },
  );

  it('pauses the fleet when the failure rate is far above the threshold', async () => {
    const r = await simulate({ targets: 200, failRate: 0.6, flakyRate: 0, apiFaultRate: 0, crashRate: 0, seed: 7, rollout: { canary: 0 } });
    expect(r.state).toBe('paused');
    expect(r.merged + r.failed).toBeLessThan(200);
    expect(r.duplicatePRs).toBe(0);
  });

  it('flaky checks alone never fail a target nor pause the fleet: each flaky PR is re-run exactly once', async () => {
    const r = await simulate({ targets: 300, failRate: 0, flakyRate: 0.3, apiFaultRate: 0, crashRate: 0, seed: 3 });
    expect(r.state).toBe('completed');
    expect(r.merged).toBe(300);
    expect(r.scripted.flaky).toBeGreaterThan(50);
    expect(r.requestsByMethod.rerunChecks).toBe(r.scripted.flaky);
  });

  it('counts API requests as GitHub would: tens per target, not hundreds', async () => {
    const r = await simulate({ targets: 500, failRate: 0.1, flakyRate: 0.05, apiFaultRate: 0.05, crashRate: 0.02, seed: 1 });
    expect(r.duplicatePRs).toBe(0);
    expect(r.requestsPerTarget).toBeLessThan(40);
    // Content-creating requests (push, open, merge, re-run) set the pace: most of the time is spent waiting for the limits.
    expect(r.rateLimitWaitHours).toBeGreaterThan(r.simulatedHours / 3);
  });

  it('completes a healthy fleet and every target merges', async () => {
    const r = await simulate({ targets: 100, failRate: 0, flakyRate: 0, apiFaultRate: 0.1, crashRate: 0.05, seed: 11 });
    expect(r.state).toBe('completed');
    expect(r.merged).toBe(100);
    expect(r.duplicatePRs).toBe(0);
  });
});

describe('simulate with a rollout schedule', () => {
  /** The wall clock in Stockholm as the platform formats it (weekday, hour, minute). */
  const stockholm = (iso: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Stockholm',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(iso))
        .map((p) => [p.type, p.value]),
    );
    return { weekday: parts.weekday!, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
  };

  it('opens and merges only on weekdays 09:00-17:00 in Stockholm, across the change to summer time', async () => {
    const r = await simulate({
      targets: 120,
      failRate: 0,
      flakyRate: 0,
      apiFaultRate: 0,
      crashRate: 0,
      seed: 11,
      // Friday 2027-03-26 16:30 in Stockholm: half an hour of window, then the weekend the clocks change.
      start: '2027-03-26T15:30:00Z',
      rollout: { canary: 1, waves: [1, '50%', '100%'], schedule: 'Mon-Fri 09:00-17:00', timezone: 'Europe/Stockholm' },
    });
    expect(r.state).toBe('completed');
    expect(r.merged).toBe(120);
    expect(r.duplicatePRs).toBe(0);
    const times = r.pullRequests.flatMap((p) => [p.openedAt, ...(p.mergedAt ? [p.mergedAt] : [])]);
    expect(times).toHaveLength(240);
    for (const t of times) {
      const local = stockholm(t);
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(local.weekday);
      expect(local.minutes).toBeGreaterThanOrEqual(9 * 60);
      expect(local.minutes).toBeLessThan(17 * 60);
    }
    // Work resumed on Monday at 09:00 summer time (07:00 UTC), not 08:00 UTC.
    const monday = times.filter((t) => t.startsWith('2027-03-29')).sort();
    expect(monday.length).toBeGreaterThan(0);
    expect(monday[0]! >= '2027-03-29T07:00:00.000Z' && monday[0]! < '2027-03-29T07:10:00.000Z').toBe(true);
  });
});
