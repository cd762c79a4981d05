import { describe, expect, it } from '@jest/globals';
import { tierResolver } from '../../src/plan/tiers.js';
import { assignWaves, rolloutOrder } from '../../src/plan/waves.js';

const spec = {
  tiers: { critical: ['acme/pay-*', 'acme/ledger'], low: ['acme/sandbox-*'], payments: ['acme/billing'] },
  tierOrder: ['experimental', 'low', 'standard', 'production', 'high', 'critical'],
  defaultTier: 'standard',
  requireApprovalFor: ['critical', 'payments'],
};

describe('tiers', () => {
  const t = tierResolver(spec);

  it('takes the manifest tier first, then a catalog tier the order lists, else the default tier', () => {
    expect(t.effectiveTier('acme/pay-api', 'experimental')).toBe('critical');
    expect(t.effectiveTier('acme/sandbox-1', null)).toBe('low');
    expect(t.effectiveTier('acme/web', 'production')).toBe('production');
    expect(t.effectiveTier('acme/web', 'deprecated')).toBe('standard');
    expect(t.effectiveTier('acme/web', null)).toBe('standard');
  });

  it('ranks tiers by tierOrder; a manifest tier the order does not list ranks last and keeps its approval', () => {
    expect(t.risk('low')).toBeLessThan(t.risk('standard'));
    expect(t.risk('critical')).toBe(5);
    expect(t.effectiveTier('acme/billing', null)).toBe('payments');
    expect(t.risk('payments')).toBe(6);
    expect(t.needsApproval('payments')).toBe(true);
    expect(t.needsApproval('standard')).toBe(false);
  });

  it('orders the rollout by risk, then name: critical targets land in the last wave, low ones first', () => {
    const repos = ['acme/ledger', 'acme/a', 'acme/pay-api', 'acme/b', 'acme/sandbox-1', 'acme/c', 'acme/d', 'acme/e'];
    const risk = (r: string) => t.risk(t.effectiveTier(r, null));
    const { ordered, canaries } = rolloutOrder(repos, 1, risk);
    expect(canaries).toEqual(['acme/sandbox-1']);
    expect(ordered).toEqual(['acme/sandbox-1', 'acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/e', 'acme/ledger', 'acme/pay-api']);
    const { waveOf, sizes } = assignWaves(ordered, canaries, { waves: [1, '50%', '100%'] });
    expect(sizes).toEqual([1, 3, 4]);
    expect([waveOf.get('acme/ledger'), waveOf.get('acme/pay-api')]).toEqual([2, 2]);
  });

  it('without tiers the order is the one it always was: canaries, then by name', () => {
    const { ordered } = rolloutOrder(['acme/c', 'acme/a', 'acme/b'], ['acme/b']);
    expect(ordered).toEqual(['acme/b', 'acme/a', 'acme/c']);
  });
});
