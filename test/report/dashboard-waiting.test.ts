/**
 * A run that handed its change sets to jobs (`waiting-for-changes`) has no summary of its own: the
 * dashboard's migration page and `fleetwave status` keep showing the targets of the summary before it,
 * and say the last run is waiting. A failed run shows no older summary (that would hide the failure).
 */
import { describe, expect, it } from '@jest/globals';
import { migrationPage, shownSummary } from '../../src/report/dashboard-model.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

const SUMMARY = {
  migration: 'm',
  state: 'running',
  reason: null,
  targets: [{ repo: 'acme/a', wave: 0, state: 'open', pr: null, prNumber: 1, reason: null, needsHuman: false, checks: null, findings: [] }],
  counts: { planned: 0, blocked: 0, open: 1, merged: 0, failed: 0, reverted: 0, skipped: 0 },
  waves: [],
};

async function runs(states: [string, unknown][]) {
  const store = new MemoryStore();
  for (const [i, [state, summary]] of states.entries()) {
    const id = await store.startRun({
      migration: 'm',
      manifestPath: 'm.yaml',
      manifestHash: 'h',
      fleet: '/fleet',
      startedAt: `2026-03-02T09:0${i}:00.000Z`,
    });
    await store.finishRun(id, state, summary);
  }
  return store.runs({ migration: 'm' });
}

describe('dashboard: a run waiting for its change sets', () => {
  it('shows the targets of the summary before it, and the last run as waiting', async () => {
    const all = await runs([
      ['running', SUMMARY],
      ['waiting-for-changes', { pending: 3, batch: 'b1' }],
    ]);
    expect(shownSummary(all)?.targets.map((t) => t.repo)).toEqual(['acme/a']);
    const page = migrationPage({ runs: all, events: [], now: new Date('2026-03-02T10:00:00.000Z') });
    expect(page.lastRun.state).toBe('waiting-for-changes');
    expect(page.summary?.targets).toHaveLength(1);
  });

  it('shows no older summary behind a failed run', async () => {
    const all = await runs([
      ['running', SUMMARY],
      ['failed', { error: 'boom' }],
    ]);
    expect(shownSummary(all)).toBeNull();
  });
});
