/** The dashboard's migration page shows the latest trial run (`fleetwave trial`) from the journal (model and HTML). */
import { describe, expect, it } from '@jest/globals';
import { renderMigrationHtml } from '../../src/report/dashboard-html.js';
import { migrationPage } from '../../src/report/dashboard-model.js';
import { writeEvent } from '../../src/store/journal-events.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

describe('dashboard: the trial run', () => {
  it('shows the newest trial: counts, each failure with its tail (escaped), no CI and not tried; none before a trial', async () => {
    const store = new MemoryStore();
    const id = await store.startRun({
      migration: 'm',
      manifestPath: 'm.yaml',
      manifestHash: 'h',
      fleet: '/fleet',
      startedAt: '2026-03-02T09:00:00.000Z',
    });
    await store.finishRun(id, 'running', null);
    const now = new Date('2026-03-02T10:00:00.000Z');
    const page = async () =>
      migrationPage({ runs: await store.runs({ migration: 'm' }), events: await store.events({ migration: 'm' }), now });
    expect((await page()).trial).toBeNull();
    expect(renderMigrationHtml(await page(), { basePath: '', generatedAt: now.toISOString() })).not.toContain('Trial run');

    const trial = (at: string, passed: string[], failed: Record<string, string>) =>
      writeEvent(
        store,
        { at, migration: 'm', manifestHash: 'h' },
        {
          target: null,
          action: 'trial',
          outcome: 'ok',
          detail: { branch: 'fleetwave-trial/m', passed, failed, noCi: ['acme/d'], errors: { 'acme/e': 'a person committed' } },
        },
      );
    await trial('2026-03-02T09:10:00.000Z', ['acme/a'], {});
    await trial('2026-03-02T09:20:00.000Z', ['acme/a', 'acme/b'], { 'acme/c': '.fleetwave/check: expected <v1>' });
    const p = await page();
    expect(p.trial).toEqual({
      at: '2026-03-02T09:20:00.000Z',
      branch: 'fleetwave-trial/m',
      passed: ['acme/a', 'acme/b'],
      failed: [{ repo: 'acme/c', tail: '.fleetwave/check: expected <v1>' }],
      noCi: ['acme/d'],
      errors: [{ repo: 'acme/e', reason: 'a person committed' }],
    });
    const html = renderMigrationHtml(p, { basePath: '', generatedAt: now.toISOString() });
    expect(html).toContain('<h2>Trial run</h2>');
    expect(html).toContain('2 passed, 1 failed, 1 without CI, 1 not tried');
    expect(html).toContain('<pre>.fleetwave/check: expected &lt;v1&gt;</pre>');
    expect(html).toContain('No CI: acme/d');
  });
});
