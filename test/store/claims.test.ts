/**
 * The claims on migration names and the handled webhook deliveries (src/store/port.ts `Claims`), the
 * same contract for every store: memory, JSON file, SQLite and PostgreSQL (each reopened from its file to show the
 * records are kept).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { Store } from '../../src/store/port.js';
import { cleanUpStores, storeKinds, type StoreUnderTest } from './store-kinds.js';

afterAll(cleanUpStores);

/** The store again: the memory store from its snapshot, the others reopened from their file or database. */
async function reopenOf(kind: string, subject: StoreUnderTest, s: Store): Promise<Store> {
  if (kind === 'memory') return new MemoryStore((s as MemoryStore).snapshot());
  await s.close();
  return subject.open();
}

describe.each(storeKinds('test/store/claims.test.ts'))('%s store: claims and deliveries', (kind, make) => {
  it('keeps the first claim on a name, moves it on request, and records the tracking issue', async () => {
    const subject = await make();
    let store: Store = await subject.open();
    const first = await store.claimMigration({ migration: 'm', source: 'acme/a:x.yaml', installation: 1, at: '2026-01-01T00:00:00Z' });
    expect(first).toEqual({
      migration: 'm',
      source: 'acme/a:x.yaml',
      installation: 1,
      trackingIssue: null,
      previousSources: [],
      claimedAt: '2026-01-01T00:00:00Z',
    });
    expect(
      (await store.claimMigration({ migration: 'm', source: 'acme/b:y.yaml', installation: 1, at: '2026-01-02T00:00:00Z' })).source,
    ).toBe('acme/a:x.yaml');
    await store.setTrackingIssue('m', 17);
    await store.transferMigration('m', { source: 'acme/a:moved.yaml', installation: 1, at: '2026-01-03T00:00:00Z' });
    store = await reopenOf(kind, subject, store);
    expect(await store.migrationClaim('m')).toEqual({
      migration: 'm',
      source: 'acme/a:moved.yaml',
      installation: 1,
      trackingIssue: 17,
      previousSources: ['acme/a:x.yaml'],
      claimedAt: '2026-01-03T00:00:00Z',
    });
    expect(await store.migrationClaim('other')).toBeNull();
    expect((await store.claims()).map((c) => c.migration)).toEqual(['m']);
    await store.close();
  });

  it('knows a delivery once, forgets a failed one, and forgets ids older than a week', async () => {
    const subject = await make();
    let store: Store = await subject.open();
    expect(await store.firstDelivery('d1', '2026-01-01T00:00:00Z')).toBe(true);
    expect(await store.firstDelivery('d1', '2026-01-01T00:01:00Z')).toBe(false);
    await store.forgetDelivery('d1');
    expect(await store.firstDelivery('d1', '2026-01-01T00:02:00Z')).toBe(true);
    store = await reopenOf(kind, subject, store);
    expect(await store.firstDelivery('d1', '2026-01-02T00:00:00Z')).toBe(false);
    // Eight days later: d1 is forgotten once another delivery comes.
    expect(await store.firstDelivery('d2', '2026-01-09T00:03:00Z')).toBe(true);
    expect(await store.firstDelivery('d1', '2026-01-09T00:04:00Z')).toBe(true);
    await store.close();
  });
});
