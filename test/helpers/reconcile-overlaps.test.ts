/** The check behind "one reconcile per migration at any instant" finds what it must (the tests that use it pass only when it finds nothing). */
import { describe, expect, it } from '@jest/globals';
import type { RunRecord } from '../../src/store/port.js';
import { reconcileOverlaps } from './reconcile-overlaps.js';

const run = (id: number, startedAt: string, finishedAt: string | null, migration = 'm'): RunRecord => ({
  id,
  migration,
  manifestPath: 'm.yaml',
  manifestHash: 'h',
  fleet: 'f',
  startedAt: `2026-12-07T10:00:${startedAt}Z`,
  finishedAt: finishedAt === null ? null : `2026-12-07T10:00:${finishedAt}Z`,
  state: finishedAt === null ? null : 'completed',
  summary: null,
});
const at = (s: string) => Date.parse(`2026-12-07T10:00:${s}Z`);

describe('reconcileOverlaps', () => {
  it('passes runs one after another, and other migrations’ runs beside them', () => {
    expect(reconcileOverlaps('m', [run(1, '01', '05'), run(2, '05', '09'), run(3, '02', '08', 'other')], [])).toEqual([]);
  });

  it('finds a run that started before the last one finished', () => {
    expect(reconcileOverlaps('m', [run(1, '01', '05'), run(2, '04', '09')], [])).toEqual([
      'm: run 2 started at 2026-12-07T10:00:04.000Z while run 1 (finished) ran until 2026-12-07T10:00:05.000Z',
    ]);
  });

  it('ends a killed worker’s unfinished run at its kill, matched by the job it ran', () => {
    const kills = [
      { at: at('06'), pid: 7, running: [{ key: 'm', startedAt: '2026-12-07T10:00:01Z' }] },
      { at: at('03'), pid: 8, running: [{ key: 'other', startedAt: '2026-12-07T10:00:01Z' }] },
    ];
    expect(reconcileOverlaps('m', [run(1, '02', null), run(2, '07', '09')], kills)).toEqual([]);
    expect(reconcileOverlaps('m', [run(1, '02', null), run(2, '05', '09')], kills)).toEqual([
      'm: run 2 started at 2026-12-07T10:00:05.000Z while run 1 (killed with pid 7) ran until 2026-12-07T10:00:06.000Z',
    ]);
  });

  it('says so when an unfinished run belongs to no killed worker', () => {
    expect(reconcileOverlaps('m', [run(1, '02', null)], [])).toEqual([
      'm: run 1 (started 2026-12-07T10:00:02Z) never finished, and no killed worker was running it',
    ]);
  });
});
