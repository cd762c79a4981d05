import { describe, expect, it } from '@jest/globals';
import { oldDatasetStatus } from '../../src/report/old-dataset.js';

const now = new Date('2027-03-02T09:00:00Z');
const t = (repo: string, state: 'merged' | 'open' | 'skipped' | 'reverted', pr: string | null = `u/${repo}`) => ({ repo, state, pr });
const facts = (rescans: Record<string, number> = {}, closed: string[] = []) => ({
  rescans: new Map(Object.entries(rescans)),
  closedUnneeded: new Set(closed),
});

describe('when the old dataset may be deleted', () => {
  it('only when every consumer is migrated, no reference is left and the sunset has passed', () => {
    const targets = [t('acme/a', 'merged'), t('acme/b', 'skipped', null), t('acme/c', 'skipped')];
    const s = oldDatasetStatus(targets, facts({ 'acme/a': 0 }, ['acme/c']), '2027-03-01', now);
    expect(s).toEqual({
      sunset: '2027-03-01',
      daysLeft: -1,
      unmigrated: [],
      referencesLeft: [],
      deletable: true,
      reason:
        'the old dataset can be deleted: every consumer is migrated, no reference to it is left, and the sunset 2027-03-01 has passed',
    });
  });

  it('names what holds it: unmigrated consumers (a PR closed by a person, a revert), references left or unknown, the sunset ahead', () => {
    const targets = [t('acme/a', 'merged'), t('acme/b', 'merged'), t('acme/c', 'skipped'), t('acme/d', 'reverted'), t('acme/e', 'open')];
    const s = oldDatasetStatus(targets, facts({ 'acme/a': 3 }), '2027-03-12', now);
    expect(s.deletable).toBe(false);
    expect(s.unmigrated).toEqual(['acme/c', 'acme/d', 'acme/e']);
    expect(s.referencesLeft).toEqual([
      { repo: 'acme/a', references: 3 },
      { repo: 'acme/b', references: null },
    ]);
    expect(s.daysLeft).toBe(10);
    expect(s.reason).toBe(
      'keep the old dataset: 3 consumers not migrated (acme/c, acme/d, acme/e); references to the old location left in acme/a (3), acme/b (not rescanned); the sunset 2027-03-12 is 10 days away',
    );
  });

  it('never without a sunset', () => {
    const s = oldDatasetStatus([t('acme/a', 'merged')], facts({ 'acme/a': 0 }), undefined, now);
    expect(s).toMatchObject({ sunset: null, daysLeft: null, deletable: false, reason: 'keep the old dataset: no metadata.sunset set' });
  });
});
