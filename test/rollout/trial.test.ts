/** The trial run's pure parts (src/rollout/trial.ts): the sample, a head's verdict, the aggregate, the canary preference. */
import { describe, expect, it } from '@jest/globals';
import { aggregate, pickSample, preferTrialPassed, settle, trialBranchName, trialStates } from '../../src/rollout/trial.js';

const repos = ['acme/e', 'acme/a', 'acme/d', 'acme/c', 'acme/b'];
const risk = (r: string) => (r === 'acme/a' ? 2 : r === 'acme/e' ? 0 : 1);

describe('trial', () => {
  it('names its branch apart from the bot branch', () => {
    expect(trialBranchName('events-v2')).toBe('fleetwave-trial/events-v2');
  });

  it('samples the lowest risk first, then by name; a seed draws the same sample each time, listed in risk order', () => {
    expect(pickSample(repos, risk)).toEqual(['acme/e', 'acme/b', 'acme/c', 'acme/d', 'acme/a']);
    expect(pickSample(repos, risk, { size: 2 })).toEqual(['acme/e', 'acme/b']);
    expect(pickSample(repos, risk, { size: 9 })).toHaveLength(5);
    const drawn = pickSample(repos, risk, { size: 3, seed: 42 });
    expect(drawn).toHaveLength(3);
    expect(pickSample(repos, risk, { size: 3, seed: 42 })).toEqual(drawn);
    expect(pickSample(repos, risk).filter((r) => drawn.includes(r))).toEqual(drawn);
    const draws = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => pickSample(repos, risk, { size: 2, seed }).join()));
    expect(draws.size).toBeGreaterThan(1);
  });

  it("settles a head: success passes, failure keeps each failing check's tail, none is no CI after the grace, pending only at the timeout", () => {
    const limits = { graceMs: 60_000, timedOut: false };
    expect(settle({ state: 'success', runs: [] }, 0, limits)).toEqual({ state: 'passed' });
    expect(
      settle(
        {
          state: 'failure',
          runs: [
            { name: 'lint', state: 'success' },
            { name: 'test', state: 'failure', summary: 'expected v1\n' },
          ],
        },
        0,
        limits,
      ),
    ).toEqual({ state: 'failed', failing: [{ name: 'test', tail: 'expected v1' }] });
    expect(settle({ state: 'none', runs: [] }, 59_999, limits)).toBeNull();
    expect(settle({ state: 'none', runs: [] }, 60_000, limits)).toMatchObject({ state: 'no-ci' });
    expect(settle({ state: 'none', runs: [] }, 0, { graceMs: 0, timedOut: false })).toEqual({
      state: 'no-ci',
      reason: 'no check on the trial head',
    });
    expect(settle({ state: 'pending', runs: [] }, 10 * 60_000, limits)).toBeNull();
    expect(settle({ state: 'pending', runs: [] }, 10 * 60_000, { ...limits, timedOut: true })).toMatchObject({
      state: 'no-ci',
      reason: 'checks still pending when the trial timed out',
    });
  });

  it('counts the results', () => {
    expect(
      aggregate([
        { repo: 'a', state: 'passed' },
        { repo: 'b', state: 'failed' },
        { repo: 'c', state: 'passed' },
        { repo: 'd', state: 'no-ci' },
        { repo: 'e', state: 'error' },
      ]),
    ).toEqual({ total: 5, passed: 2, failed: 1, noCi: 1, errors: 1 });
  });

  it('puts targets whose trial passed first, untried next, the rest last, keeping the order within each', () => {
    const states = trialStates({ passed: ['acme/d', 'acme/b'], failed: { 'acme/e': 'tail' }, noCi: ['acme/c'], errors: {} });
    expect(preferTrialPassed(['acme/e', 'acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/f'], states)).toEqual([
      'acme/b',
      'acme/d',
      'acme/a',
      'acme/f',
      'acme/e',
      'acme/c',
    ]);
    expect(preferTrialPassed(['acme/e', 'acme/a'], trialStates(undefined))).toEqual(['acme/e', 'acme/a']);
  });
});
