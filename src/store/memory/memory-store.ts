/**
 * A store that lives in memory: for simulations and dry runs. Same contract as the SQLite store
 * (append-only journal, newest-first runs), gone when the process ends.
 */
import type { BreakerRecord, ControlRecord, JournalEvent, RunRecord, Store, StoredEvent } from '../port.js';

/** Everything a memory store holds, as plain data: what a store that persists it (src/store/json-file) saves. */
export interface MemoryStoreSnapshot {
  events: StoredEvent[];
  runs: RunRecord[];
  controls: ControlRecord[];
  /** Circuit breakers by fleet (absent in snapshots written before there were any). */
  breakers?: BreakerRecord[];
}

export class MemoryStore implements Store {
  readonly location = ':memory:';
  private readonly journal: StoredEvent[] = [];
  private readonly runList: RunRecord[] = [];
  private readonly controls = new Map<string, ControlRecord>();
  private readonly breakers = new Map<string, BreakerRecord>();

  /** Starts from `initial` (a `snapshot()` of an earlier store), else empty. */
  constructor(initial?: MemoryStoreSnapshot) {
    if (!initial) return;
    for (const e of initial.events) this.journal.push({ ...e });
    for (const r of initial.runs) this.runList.push({ ...r });
    for (const c of initial.controls) this.setControl(c);
    for (const b of initial.breakers ?? []) this.setBreaker(b);
  }

  /** A copy of everything held: journal (oldest first), runs (oldest first), control records. */
  snapshot(): MemoryStoreSnapshot {
    return { events: this.journal.map((e) => ({ ...e })), runs: this.runList.map((r) => ({ ...r })), controls: [...this.controls.values()].map((c) => ({ ...c, acceptedWaves: [...c.acceptedWaves] })), breakers: [...this.breakers.values()].map(copyBreaker) };
  }

  append(event: JournalEvent): void {
    this.journal.push({ ...event, id: this.journal.length + 1 });
  }

  events(filter: { migration?: string; target?: string; limit?: number } = {}): StoredEvent[] {
    // As the SQLite store: oldest first; with a limit, the newest `limit` events (still oldest first).
    const out = this.journal.filter((e) => (!filter.migration || e.migration === filter.migration) && (!filter.target || e.target === filter.target));
    return filter.limit ? out.slice(-filter.limit) : out;
  }

  startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): number {
    const id = this.runList.length + 1;
    this.runList.push({ ...run, id, finishedAt: null, state: null, summary: null });
    return id;
  }

  finishRun(id: number, state: string, summary: unknown): void {
    const run = this.runList.find((r) => r.id === id);
    if (run) Object.assign(run, { finishedAt: new Date().toISOString(), state, summary });
  }

  runs(filter: { migration?: string; limit?: number } = {}): RunRecord[] {
    const out = this.runList.filter((r) => !filter.migration || r.migration === filter.migration).reverse();
    return filter.limit ? out.slice(0, filter.limit) : out;
  }

  migrations(): RunRecord[] {
    const seen = new Map<string, RunRecord>();
    for (const r of this.runs()) if (!seen.has(r.migration)) seen.set(r.migration, r);
    return [...seen.values()];
  }

  getControl(migration: string): ControlRecord {
    return this.controls.get(migration) ?? { migration, pausedBy: null, pausedReason: null, acceptedWaves: [], updatedAt: new Date(0).toISOString() };
  }

  setControl(control: ControlRecord): void {
    this.controls.set(control.migration, { ...control, acceptedWaves: [...control.acceptedWaves] });
  }

  getBreaker(key: string): BreakerRecord {
    const b = this.breakers.get(key);
    return b ? copyBreaker(b) : { key, state: 'closed', openedAt: null, reason: null, outcomes: [], canary: null, updatedAt: new Date(0).toISOString() };
  }

  setBreaker(record: BreakerRecord): void {
    this.breakers.set(record.key, copyBreaker(record));
  }

  close(): void {}
}

function copyBreaker(b: BreakerRecord): BreakerRecord {
  return { ...b, outcomes: b.outcomes.map((o) => ({ ...o })), canary: b.canary ? { ...b.canary } : null };
}
