import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { StateError } from '../../util/errors.js';
import type {
  BreakerRecord,
  ChangeSetCache,
  ChangeSetKey,
  ControlRecord,
  EventFilter,
  JournalEvent,
  LeaseRecord,
  MigrationClaim,
  PendingReconcile,
  ReconcileAsk,
  ReconcileQueue,
  RunRecord,
  Store,
  StoredEvent,
} from '../port.js';
import { readStoredEvent } from '../journal-events.js';
import { changeSetKeyText, DELIVERY_MEMORY_MS } from '../port.js';
import type { HistoryImport, StoreHistory } from '../history.js';
import type { WithBudgetLedger } from '../budget-ledger.js';
import { SqliteBudgetLedger } from './budget-ledger.js';
import { migrate } from './migrations.js';

export interface SqliteStoreOptions {
  /** Clock for `finishRun`, `setControl` bookkeeping and schema_version; tests pass a fixed one. */
  now?: () => Date;
}

/** The `updatedAt` of a control record that was never set. */
export const NEVER = new Date(0).toISOString();

interface JournalRow {
  id: number;
  at: string;
  migration: string;
  target: string | null;
  action: string;
  outcome: JournalEvent['outcome'];
  detail: string;
  version: string;
  manifest_hash: string;
}

interface RunRow {
  id: number;
  migration: string;
  manifest_path: string;
  manifest_hash: string;
  fleet: string;
  started_at: string;
  finished_at: string | null;
  state: string | null;
  summary: string | null;
}

interface BreakerRow {
  key: string;
  state: BreakerRecord['state'];
  opened_at: string | null;
  reason: string | null;
  outcomes: string;
  canary: string | null;
  updated_at: string;
}

interface ControlRow {
  migration: string;
  paused_by: string | null;
  paused_reason: string | null;
  accepted_waves: string;
  updated_at: string;
}

interface PendingRow {
  installation: number;
  migration: string;
  account: string;
  manifest_repo: string | null;
  manifest_path: string | null;
  reason: string;
  first_at: string;
  last_at: string;
  seq: number;
}

const toPending = (r: PendingRow): PendingReconcile => ({
  installation: r.installation,
  migration: r.migration,
  account: r.account,
  manifestRepo: r.manifest_repo,
  manifestPath: r.manifest_path,
  reason: r.reason,
  firstAt: r.first_at,
  lastAt: r.last_at,
  seq: r.seq,
});

/** A journal row as an event, its envelope checked (src/store/journal-events.ts): a StateError names the file, the event and what is wrong. */
function toEvent(r: JournalRow, location: string): StoredEvent {
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail) as unknown;
  } catch (err) {
    detail = `not JSON (${(err as Error).message})`;
  }
  const event = {
    id: r.id,
    at: r.at,
    migration: r.migration,
    target: r.target,
    action: r.action,
    outcome: r.outcome,
    detail,
    version: r.version,
    manifestHash: r.manifest_hash,
  };
  return readStoredEvent(event, location, String(r.id));
}

const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  migration: r.migration,
  manifestPath: r.manifest_path,
  manifestHash: r.manifest_hash,
  fleet: r.fleet,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  state: r.state,
  summary: r.summary === null ? null : (JSON.parse(r.summary) as unknown),
});

function isNotADatabase(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * Open (creating when absent) the SQLite store at `path`: WAL mode, schema migrated forward to this
 * Fleetwave's version. Throws StateError when the file is not a SQLite database, is another program's
 * database, or was written by a newer Fleetwave.
 */
export function openSqliteStore(
  path: string,
  options: SqliteStoreOptions = {},
): Store & ReconcileQueue & HistoryImport & WithBudgetLedger & ChangeSetCache {
  const file = resolve(path);
  const now = options.now ?? (() => new Date());
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StateError(`${file} is a folder, not a store file: pass a file path to --state, e.g. ${file}/fleetwave.sqlite.`);
    }
    mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    if (err instanceof StateError) throw err;
    throw new StateError(`cannot create the folder for the store ${file}: ${(err as Error).message}. Check the path and its permissions.`, {
      cause: err,
    });
  }
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file, now);
    return new SqliteStore(db, file, now);
  } catch (err) {
    db?.close();
    if (err instanceof StateError) throw err;
    if (isNotADatabase(err)) {
      throw new StateError(
        `${file} is not a SQLite database (or is damaged): ${(err as Error).message}. ` +
          'Point --state at another file, or move this one away; a new store rebuilds target state from the forge (only history is lost).',
        { cause: err },
      );
    }
    throw new StateError(`cannot open the store ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The embedded default store: one SQLite file. Synchronous, as better-sqlite3 is. */
class SqliteStore implements Store, ReconcileQueue, HistoryImport, WithBudgetLedger, ChangeSetCache {
  /** Shared by every process on this file (src/store/sqlite/budget-ledger.ts). */
  readonly budgetLedger: SqliteBudgetLedger;
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly insertRun: BetterSqlite3.Statement;
  private readonly updateRun: BetterSqlite3.Statement;
  private readonly selectControl: BetterSqlite3.Statement;
  private readonly upsertControl: BetterSqlite3.Statement;
  private readonly selectBreaker: BetterSqlite3.Statement;
  private readonly upsertBreaker: BetterSqlite3.Statement;
  private readonly upsertPending: BetterSqlite3.Statement;
  private readonly selectPending: BetterSqlite3.Statement;
  private readonly selectPendingOne: BetterSqlite3.Statement;
  private readonly deletePending: BetterSqlite3.Statement;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly location: string,
    private readonly now: () => Date,
  ) {
    this.budgetLedger = new SqliteBudgetLedger(db, location);
    this.insertEvent = db.prepare(
      `INSERT INTO journal (at, migration, target, action, outcome, detail, version, manifest_hash)
       VALUES (@at, @migration, @target, @action, @outcome, @detail, @version, @manifestHash)`,
    );
    this.insertRun = db.prepare(
      `INSERT INTO runs (migration, manifest_path, manifest_hash, fleet, started_at)
       VALUES (@migration, @manifestPath, @manifestHash, @fleet, @startedAt)`,
    );
    this.updateRun = db.prepare('UPDATE runs SET finished_at = ?, state = ?, summary = ? WHERE id = ?');
    this.selectControl = db.prepare('SELECT * FROM controls WHERE migration = ?');
    this.upsertControl = db.prepare(
      `INSERT INTO controls (migration, paused_by, paused_reason, accepted_waves, updated_at)
       VALUES (@migration, @pausedBy, @pausedReason, @acceptedWaves, @updatedAt)
       ON CONFLICT (migration) DO UPDATE SET paused_by = excluded.paused_by, paused_reason = excluded.paused_reason,
         accepted_waves = excluded.accepted_waves, updated_at = excluded.updated_at`,
    );
    this.selectBreaker = db.prepare('SELECT * FROM breakers WHERE key = ?');
    this.upsertBreaker = db.prepare(
      `INSERT INTO breakers (key, state, opened_at, reason, outcomes, canary, updated_at)
       VALUES (@key, @state, @openedAt, @reason, @outcomes, @canary, @updatedAt)
       ON CONFLICT (key) DO UPDATE SET state = excluded.state, opened_at = excluded.opened_at, reason = excluded.reason,
         outcomes = excluded.outcomes, canary = excluded.canary, updated_at = excluded.updated_at`,
    );
    // A later request without a manifest location keeps the one an earlier request gave.
    this.upsertPending = db.prepare(
      `INSERT INTO pending_reconciles (installation, migration, account, manifest_repo, manifest_path, reason, first_at, last_at, seq)
       VALUES (@installation, @migration, @account, @manifestRepo, @manifestPath, @reason, @at, @at, 1)
       ON CONFLICT (installation, migration) DO UPDATE SET account = excluded.account,
         manifest_repo = COALESCE(excluded.manifest_repo, manifest_repo),
         manifest_path = CASE WHEN excluded.manifest_repo IS NULL THEN manifest_path ELSE excluded.manifest_path END,
         reason = excluded.reason, last_at = excluded.last_at, seq = seq + 1`,
    );
    this.selectPending = db.prepare('SELECT * FROM pending_reconciles ORDER BY first_at, installation, migration');
    this.selectPendingOne = db.prepare('SELECT * FROM pending_reconciles WHERE installation = ? AND migration = ?');
    this.deletePending = db.prepare('DELETE FROM pending_reconciles WHERE installation = ? AND migration = ? AND seq <= ?');
  }

  async claimMigration(claim: { migration: string; source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    return this.claim(claim);
  }

  private claim(claim: { migration: string; source: string; installation: number | null; at: string }): MigrationClaim {
    this.statement(
      `INSERT INTO migration_claims (migration, source, installation, tracking_issue, previous_sources, claimed_at)
       VALUES (?, ?, ?, NULL, '[]', ?) ON CONFLICT (migration) DO NOTHING`,
    ).run(claim.migration, claim.source, claim.installation, claim.at);
    return this.claimOf(claim.migration)!;
  }

  async migrationClaim(migration: string): Promise<MigrationClaim | null> {
    return this.claimOf(migration);
  }

  private claimOf(migration: string): MigrationClaim | null {
    const row = this.statement('SELECT * FROM migration_claims WHERE migration = ?').get(migration) as ClaimRow | undefined;
    return row ? toClaim(row) : null;
  }

  async transferMigration(migration: string, to: { source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    return this.db.transaction(() => {
      const held = this.claimOf(migration);
      if (!held) return this.claim({ migration, ...to });
      const previous = [...held.previousSources.filter((s) => s !== to.source), held.source];
      this.statement(
        'UPDATE migration_claims SET source = ?, installation = ?, previous_sources = ?, claimed_at = ? WHERE migration = ?',
      ).run(to.source, to.installation, JSON.stringify(previous), to.at, migration);
      return this.claimOf(migration)!;
    })();
  }

  async setTrackingIssue(migration: string, issue: number): Promise<void> {
    this.statement('UPDATE migration_claims SET tracking_issue = ? WHERE migration = ?').run(issue, migration);
  }

  async claims(): Promise<MigrationClaim[]> {
    return (this.statement('SELECT * FROM migration_claims ORDER BY migration').all() as ClaimRow[]).map(toClaim);
  }

  async firstDelivery(id: string, at: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.statement('DELETE FROM deliveries WHERE at < ?').run(new Date(Date.parse(at) - DELIVERY_MEMORY_MS).toISOString());
      return this.statement('INSERT INTO deliveries (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(id, at).changes > 0;
    })();
  }

  /** In one IMMEDIATE transaction: a second process waits for the write lock, then sees the first's lease. */
  async takeLease(name: string, holder: string, at: string, ttlMs: number): Promise<LeaseRecord> {
    return this.db
      .transaction((): LeaseRecord => {
        const held = this.statement('SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
        if (held && held.holder !== holder && held.expires_at > at) return toLease(held);
        const since = held?.holder === holder ? held.since : at;
        const expiresAt = new Date(Date.parse(at) + ttlMs).toISOString();
        this.statement(
          `INSERT INTO leases (name, holder, since, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, since = excluded.since, expires_at = excluded.expires_at`,
        ).run(name, holder, since, expiresAt);
        return { name, holder, since, expiresAt };
      })
      .immediate();
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.statement('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
  }

  async forgetDelivery(id: string): Promise<void> {
    this.statement('DELETE FROM deliveries WHERE id = ?').run(id);
  }

  async requestReconcile(ask: ReconcileAsk): Promise<PendingReconcile> {
    this.upsertPending.run({
      installation: ask.installation,
      migration: ask.migration,
      account: ask.account,
      manifestRepo: ask.manifestRepo,
      manifestPath: ask.manifestRepo === null ? null : ask.manifestPath,
      reason: ask.reason,
      at: ask.at,
    });
    return toPending(this.selectPendingOne.get(ask.installation, ask.migration) as PendingRow);
  }

  async pendingReconciles(): Promise<PendingReconcile[]> {
    return (this.selectPending.all() as PendingRow[]).map(toPending);
  }

  async completeReconcile(installation: number, migration: string, seq: number): Promise<boolean> {
    return this.deletePending.run(installation, migration, seq).changes > 0;
  }

  async append(event: JournalEvent): Promise<void> {
    this.insertEvent.run({
      at: event.at,
      migration: event.migration,
      target: event.target,
      action: event.action,
      outcome: event.outcome,
      detail: JSON.stringify(event.detail ?? {}),
      version: event.version,
      manifestHash: event.manifestHash,
    });
  }

  /**
   * Journal events in the order they were appended (oldest first). With `limit`, the newest `limit`
   * events, still oldest first: `events({ migration, limit: 1 })[0]` is the latest event. Indexes:
   * (migration, id), (target, id), (migration, target, id); `afterId` is a range on the id.
   */
  async events(filter: EventFilter = {}): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.migration !== undefined) {
      where.push('migration = ?');
      params.push(filter.migration);
    }
    if (filter.target !== undefined) {
      where.push('target = ?');
      params.push(filter.target);
    }
    if (filter.afterId !== undefined) {
      where.push('id > ?');
      params.push(filter.afterId);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    let sql = `SELECT * FROM journal ${clause} ORDER BY id`;
    if (filter.limit !== undefined) {
      sql = `SELECT * FROM (SELECT * FROM journal ${clause} ORDER BY id DESC LIMIT ?) ORDER BY id`;
      params.push(Math.max(0, Math.floor(filter.limit)));
    }
    return (this.statement(sql).all(...params) as JournalRow[]).map((r) => toEvent(r, this.location));
  }

  /** Prepared once per distinct query text (a reconcile asks the same few shapes many times). */
  private statement(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  async startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): Promise<number> {
    const info = this.insertRun.run({
      migration: run.migration,
      manifestPath: run.manifestPath,
      manifestHash: run.manifestHash,
      fleet: run.fleet,
      startedAt: run.startedAt,
    });
    return Number(info.lastInsertRowid);
  }

  async finishRun(id: number, state: string, summary: unknown): Promise<void> {
    const json = summary === undefined ? null : JSON.stringify(summary);
    const info = this.updateRun.run(this.now().toISOString(), state, json, id);
    if (info.changes === 0)
      throw new StateError(`${this.location}: no run with id ${id} to finish (was the store replaced during the run?).`);
  }

  async runs(filter: { migration?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const params: (string | number)[] = [];
    let sql = 'SELECT * FROM runs';
    if (filter.migration !== undefined) {
      sql += ' WHERE migration = ?';
      params.push(filter.migration);
    }
    sql += ' ORDER BY id DESC';
    if (filter.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(Math.max(0, Math.floor(filter.limit)));
    }
    return (this.db.prepare(sql).all(...params) as RunRow[]).map(toRun);
  }

  /** One record per migration, its newest run; the most recently started migration first. */
  async migrations(): Promise<RunRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE id IN (SELECT MAX(id) FROM runs GROUP BY migration) ORDER BY id DESC')
      .all() as RunRow[];
    return rows.map(toRun);
  }

  /** The migration's control record; a never-set one is "not paused, no wave accepted", updated at the epoch. */
  async getControl(migration: string): Promise<ControlRecord> {
    const row = this.selectControl.get(migration) as ControlRow | undefined;
    if (!row) return { migration, pausedBy: null, pausedReason: null, acceptedWaves: [], updatedAt: NEVER };
    return {
      migration: row.migration,
      pausedBy: row.paused_by,
      pausedReason: row.paused_reason,
      acceptedWaves: JSON.parse(row.accepted_waves) as number[],
      updatedAt: row.updated_at,
    };
  }

  async setControl(control: ControlRecord): Promise<void> {
    this.upsertControl.run({
      migration: control.migration,
      pausedBy: control.pausedBy,
      pausedReason: control.pausedReason,
      acceptedWaves: JSON.stringify([...new Set(control.acceptedWaves)].sort((a, b) => a - b)),
      updatedAt: control.updatedAt || this.now().toISOString(),
    });
  }

  /** The fleet's breaker; a never-set one is closed with an empty window, updated at the epoch. */
  async requestChangeSets(keys: readonly ChangeSetKey[], batch: string, at: string): Promise<void> {
    const forget = this.statement('DELETE FROM change_sets WHERE migration = ? AND target = ? AND (head_sha <> ? OR manifest_hash <> ?)');
    const request = this.statement(
      `INSERT INTO change_sets (migration, target, head_sha, manifest_hash, batch, requested_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (migration, target, head_sha, manifest_hash) DO UPDATE SET batch = excluded.batch WHERE change_set IS NULL`,
    );
    this.db
      .transaction(() => {
        for (const k of keys) {
          forget.run(k.migration, k.target, k.headSha, k.manifestHash);
          request.run(k.migration, k.target, k.headSha, k.manifestHash, batch, at);
        }
      })
      .immediate();
  }

  async putChangeSet(key: ChangeSetKey, set: unknown, at: string): Promise<{ batch: string | null; pending: number }> {
    return this.db
      .transaction(() => {
        this.statement(
          `INSERT INTO change_sets (migration, target, head_sha, manifest_hash, change_set, requested_at, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (migration, target, head_sha, manifest_hash) DO UPDATE SET change_set = excluded.change_set, computed_at = excluded.computed_at
         WHERE change_set IS NULL`,
        ).run(key.migration, key.target, key.headSha, key.manifestHash, JSON.stringify(set), at, at);
        const batch = this.statement(
          'SELECT batch FROM change_sets WHERE migration = ? AND target = ? AND head_sha = ? AND manifest_hash = ?',
        )
          .pluck()
          .get(key.migration, key.target, key.headSha, key.manifestHash) as string | null;
        if (batch === null) return { batch: null, pending: 0 };
        const pending = this.statement('SELECT COUNT(*) FROM change_sets WHERE batch = ? AND change_set IS NULL')
          .pluck()
          .get(batch) as number;
        return { batch, pending };
      })
      .immediate();
  }

  async cachedChangeSets(keys: readonly ChangeSetKey[]): Promise<Map<string, unknown>> {
    const select = this.statement(
      'SELECT change_set FROM change_sets WHERE migration = ? AND target = ? AND head_sha = ? AND manifest_hash = ? AND change_set IS NOT NULL',
    ).pluck();
    const out = new Map<string, unknown>();
    for (const k of keys) {
      const text = select.get(k.migration, k.target, k.headSha, k.manifestHash) as string | undefined;
      if (text !== undefined) out.set(changeSetKeyText(k), JSON.parse(text) as unknown);
    }
    return out;
  }

  async getBreaker(key: string): Promise<BreakerRecord> {
    const row = this.selectBreaker.get(key) as BreakerRow | undefined;
    if (!row) return { key, state: 'closed', openedAt: null, reason: null, outcomes: [], canary: null, updatedAt: NEVER };
    return {
      key: row.key,
      state: row.state,
      openedAt: row.opened_at,
      reason: row.reason,
      outcomes: JSON.parse(row.outcomes) as BreakerRecord['outcomes'],
      canary: row.canary === null ? null : (JSON.parse(row.canary) as BreakerRecord['canary']),
      updatedAt: row.updated_at,
    };
  }

  async setBreaker(record: BreakerRecord): Promise<void> {
    this.upsertBreaker.run({
      key: record.key,
      state: record.state,
      openedAt: record.openedAt,
      reason: record.reason,
      outcomes: JSON.stringify(record.outcomes),
      canary: record.canary === null ? null : JSON.stringify(record.canary),
      updatedAt: record.updatedAt || this.now().toISOString(),
    });
  }

  /** Into an empty store, in one transaction, ids kept (AUTOINCREMENT goes on after the highest). */
  async importHistory(history: StoreHistory): Promise<void> {
    this.db
      .transaction(() => {
        const held = this.db.prepare('SELECT (SELECT COUNT(*) FROM journal) + (SELECT COUNT(*) FROM runs)').pluck().get() as number;
        if (held > 0) throw new StateError(`${this.location} is not empty (it has a journal or runs): move history only into a new store.`);
        const event = this.db.prepare(
          `INSERT INTO journal (id, at, migration, target, action, outcome, detail, version, manifest_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const e of history.events)
          event.run(e.id, e.at, e.migration, e.target, e.action, e.outcome, JSON.stringify(e.detail), e.version, e.manifestHash);
        const run = this.db.prepare(
          `INSERT INTO runs (id, migration, manifest_path, manifest_hash, fleet, started_at, finished_at, state, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const r of history.runs)
          run.run(
            r.id,
            r.migration,
            r.manifestPath,
            r.manifestHash,
            r.fleet,
            r.startedAt,
            r.finishedAt,
            r.state,
            r.summary === null ? null : JSON.stringify(r.summary),
          );
        for (const c of history.controls)
          this.upsertControl.run({
            migration: c.migration,
            pausedBy: c.pausedBy,
            pausedReason: c.pausedReason,
            acceptedWaves: JSON.stringify(c.acceptedWaves),
            updatedAt: c.updatedAt,
          });
        for (const b of history.breakers)
          this.upsertBreaker.run({
            key: b.key,
            state: b.state,
            openedAt: b.openedAt,
            reason: b.reason,
            outcomes: JSON.stringify(b.outcomes),
            canary: b.canary === null ? null : JSON.stringify(b.canary),
            updatedAt: b.updatedAt,
          });
        const pending = this.db.prepare(
          `INSERT INTO pending_reconciles (installation, migration, account, manifest_repo, manifest_path, reason, first_at, last_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const p of history.pending)
          pending.run(p.installation, p.migration, p.account, p.manifestRepo, p.manifestPath, p.reason, p.firstAt, p.lastAt, p.seq);
        const claim = this.db.prepare(
          `INSERT INTO migration_claims (migration, source, installation, tracking_issue, previous_sources, claimed_at) VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const c of history.claims)
          claim.run(c.migration, c.source, c.installation, c.trackingIssue, JSON.stringify(c.previousSources), c.claimedAt);
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface ClaimRow {
  migration: string;
  source: string;
  installation: number | null;
  tracking_issue: number | null;
  previous_sources: string;
  claimed_at: string;
}

function toClaim(r: ClaimRow): MigrationClaim {
  return {
    migration: r.migration,
    source: r.source,
    installation: r.installation,
    trackingIssue: r.tracking_issue,
    previousSources: JSON.parse(r.previous_sources) as string[],
    claimedAt: r.claimed_at,
  };
}

interface LeaseRow {
  name: string;
  holder: string;
  since: string;
  expires_at: string;
}

const toLease = (r: LeaseRow): LeaseRecord => ({ name: r.name, holder: r.holder, since: r.since, expiresAt: r.expires_at });
