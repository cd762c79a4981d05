/** The dashboard's migration page lists the migration's alerts and the fleet's breaker (model and HTML). */
import { describe, expect, it } from '@jest/globals';
import { deriveAlerts } from '../../src/alerts/alert.js';
import { journalAlert } from '../../src/alerts/outbox.js';
import { renderMigrationHtml } from '../../src/report/dashboard-html.js';
import { migrationPage } from '../../src/report/dashboard-model.js';
import { closedBreaker, DEFAULT_BREAKER_POLICY, recordOutcomes } from '../../src/rollout/breaker.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

describe('dashboard: alerts and breaker', () => {
  it('lists alerts newest first and shows an open breaker with its reason', async () => {
    const store = new MemoryStore();
    const id = await store.startRun({
      migration: 'm',
      manifestPath: 'm.yaml',
      manifestHash: 'h',
      fleet: '/fleet',
      startedAt: '2026-03-02T09:00:00.000Z',
    });
    await store.finishRun(id, 'paused', null);
    const input = {
      migration: 'm',
      fleet: '/fleet',
      owners: ['dana'],
      state: 'paused' as const,
      reason: 'paused by dana',
      failedWave: null,
      breaker: null,
      episode: 0,
      raised: new Map(),
    };
    await journalAlert(
      store,
      deriveAlerts({ ...input, reverts: [{ repo: 'acme/recs', pr: 4, reason: 'post-merge <checks> failed' }] })[1]!,
      {
        at: '2026-03-02T10:00:00.000Z',
        manifestHash: 'h',
        logger: silentLogger,
      },
    );
    await journalAlert(store, deriveAlerts({ ...input, reverts: [] })[0]!, {
      at: '2026-03-02T10:05:00.000Z',
      manifestHash: 'h',
      logger: silentLogger,
    });
    const now = new Date('2026-03-02T10:10:00.000Z');
    const failures = Array.from({ length: 5 }, (_, i) => ({ at: now.toISOString(), ok: false, migration: 'm', target: `acme/r${i}` }));
    const breaker = recordOutcomes(closedBreaker('/fleet'), failures, DEFAULT_BREAKER_POLICY, now);
    const page = migrationPage({
      runs: await store.runs({ migration: 'm' }),
      events: await store.events({ migration: 'm' }),
      now,
      breaker,
    });
    expect(page.alerts.map((a) => [a.kind, a.severity, a.target])).toEqual([
      ['paused', 'warning', null],
      ['revert', 'error', 'acme/recs'],
    ]);
    expect(page.breaker).toMatchObject({ state: 'open' });
    const html = renderMigrationHtml(page, { basePath: '', generatedAt: now.toISOString() });
    expect(html).toContain('<h2>Alerts (2)</h2>');
    expect(html).toContain('m: reverted acme/recs#4: post-merge &lt;checks&gt; failed');
    expect(html).toContain('circuit breaker of the fleet');
    expect(html).toContain('5 failures in 5 outcomes');
  });
});
