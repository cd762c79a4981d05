import { describe, expect, it } from '@jest/globals';
import { assignWaves, cumulativeCount, rolloutOrder } from '../../src/plan/waves.js';

const repos = (n: number) => Array.from({ length: n }, (_, i) => `acme/r${String(i).padStart(2, '0')}`);

describe('waves', () => {
  it('puts canaries alone in wave 0 and splits the rest cumulatively', () => {
    const all = repos(20);
    const { ordered, canaries } = rolloutOrder(all, 1);
    expect(canaries).toEqual(['acme/r00']);
    const { sizes, waveOf } = assignWaves(ordered, canaries, { waves: [1, '25%', '60%', '100%'] });
    // 1 canary; wave "1" adds nobody (the canary already makes 1); 25% of 20 = 5 → +4; 60% = 12 → +7; 100% → +8
    expect(sizes).toEqual([1, 4, 7, 8]);
    expect(waveOf.get('acme/r00')).toBe(0);
    expect(waveOf.get('acme/r01')).toBe(1);
    expect(waveOf.get('acme/r19')).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('leaves no target without a wave when the sizes stop short of 100%', () => {
    const all = repos(10);
    const { ordered, canaries } = rolloutOrder(all, 0);
    const { sizes } = assignWaves(ordered, canaries, { waves: [2, '50%'] });
    expect(sizes).toEqual([0, 2, 3, 5]);
  });

  it('takes named canaries first, in the manifest order', () => {
    const all = repos(5);
    const { ordered, canaries } = rolloutOrder(all, ['acme/r03', 'acme/nope']);
    expect(canaries).toEqual(['acme/r03']);
    expect(ordered[0]).toBe('acme/r03');
    expect(ordered).toHaveLength(5);
  });

  it('rounds percentages up so a small fleet still moves', () => {
    expect(cumulativeCount('10%', 3)).toBe(1);
    expect(cumulativeCount('100%', 7)).toBe(7);
    expect(cumulativeCount(50, 7)).toBe(7);
  });
});
