/**
 * The rollout schedule gate (src/rollout/gates/schedule.ts) through decide: outside the window no PR
 * opens and none merges, a failed merge is still reverted, each target is read in its own time zone,
 * and the decision says until when it waits. The manifest's fields are checked where it is parsed.
 */
import { describe, expect, it } from '@jest/globals';
import { parseManifest } from '../../src/manifest/load.js';
import { decide, type DecideInput, type DecidePolicy, type TargetView } from '../../src/rollout/decide.js';
import { policyOf } from '../../src/rollout/policy.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { openPullRequest, targetView } from '../helpers/pull-request.js';

function loaded(rollout: string) {
  const lines = rollout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim());
  return parseManifest(playEventsManifest('repos: [acme/a, acme/b]', lines), 'm.yaml');
}

const pr = openPullRequest;

const view = targetView;

function input(policy: DecidePolicy, targets: TargetView[], now: string): DecideInput {
  return {
    migration: 'm',
    targets,
    waveCount: 1,
    policy,
    control: { pausedBy: null, pausedReason: null, acceptedWaves: [] },
    now: new Date(now),
  };
}

describe('rollout.schedule', () => {
  it('opens and merges nothing outside the window and says when it opens; inside, both go', () => {
    const policy = policyOf(loaded('  schedule: Mon-Fri 09:00-17:00\n  timezone: Europe/Stockholm\n'));
    const targets = [view('acme/a', pr('acme/a')), view('acme/b', null)];
    // Saturday 2027-01-16 noon in Stockholm.
    const weekend = decide(input(policy, targets, '2027-01-16T11:00:00Z'));
    expect(weekend.actions).toEqual([]);
    expect(weekend.reason).toMatch(
      /outside the rollout schedule \(Mon-Fri 09:00-17:00 Europe\/Stockholm\): 2 pull requests wait to open or merge; the next window opens 2027-01-18T08:00:00.000Z/,
    );
    expect(weekend.waitingUntil).toBe('2027-01-18T08:00:00.000Z');
    const monday = decide(input(policy, targets, '2027-01-18T08:00:00Z'));
    expect(monday.actions.map((a) => a.kind).sort()).toEqual(['merge', 'open']);
    expect(monday.waitingUntil).toBeNull();
  });

  it('reverts a failed merge at any hour', () => {
    const policy = policyOf(loaded('  schedule: Mon-Fri 09:00-17:00\n'));
    const merged = pr('acme/a', { state: 'merged', mergeSha: 'm1', mergedAt: '2027-01-15T15:00:00Z' });
    const d = decide(input(policy, [view('acme/a', merged, { postMerge: 'failure' })], '2027-01-16T03:00:00Z'));
    expect(d.actions.map((a) => a.kind)).toContain('revert');
  });

  it("reads each target's window in its own time zone", () => {
    const policy = policyOf(loaded('  schedule: Mon-Fri 09:00-17:00\n  timezone: Europe/Stockholm\n'));
    // Monday 16:30 in Stockholm is 10:30 in New York and already Tuesday 00:30 in Tokyo.
    const d = decide(
      input(
        policy,
        [
          view('acme/sthlm', null),
          view('acme/nyc', null, { timezone: 'America/New_York' }),
          view('acme/tokyo', null, { timezone: 'Asia/Tokyo' }),
        ],
        '2027-01-11T15:30:00Z',
      ),
    );
    expect(d.actions.map((a) => ('repo' in a ? a.repo : '')).sort()).toEqual(['acme/nyc', 'acme/sthlm']);
    expect(d.reason).toMatch(/Asia\/Tokyo\): 1 pull request waits to open or merge; the next window opens 2027-01-12T00:00:00.000Z/);
  });

  it('is checked in the manifest with its line', () => {
    expect(() => loaded('  schedule: weekdays 9-5\n')).toThrow(/m\.yaml:\d+:\d+.*"weekdays" is not a day/s);
    expect(() => loaded('  schedule: Mon-Fri 09:00-17:00\n  timezone: Europe/Stokholm\n')).toThrow(/expected an IANA time zone/);
    expect(() => loaded('  schedule: Mon-Fri 09:00-17:00\n  holidays: ["24 Dec"]\n')).toThrow(/expected a date such as 2026-12-24/);
    expect(policyOf(loaded('  canary: 1\n')).schedule).toBeNull();
  });
});
