/**
 * The store in PostgreSQL (`--state postgres://…`): the same tables and answers as the SQLite store
 * (docs/store.md), for several processes and machines on one database. One connection pool per store;
 * the schema is migrated forward when the store opens (src/store/postgres/migrations.ts).
 */
import pg from 'pg';
import { StateError } from '../../util/errors.js';
import { readStoredEvent } from '../journal-events.js';
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
import { changeSetKeyText, DELIVERY_MEMORY_MS } from '../port.js';
import { redactUrl } from '../redact-url.js';
import type { HistoryImport, StoreHistory } from '../history.js';
import type { WithBudgetLedger } from '../budget-ledger.js';
import { PostgresBudgetLedger } from './budget-ledger.js';
import { migratePostgres } from './migrations.js';

export interface PostgresStoreOptions {
  /** Clock for `finishRun` and schema_version; tests pass a fixed one. */
  now?: () => Date;
  /** Connections in the pool (default 4: a reconcile asks one thing at a time). */
  poolSize?: number;
}

/** The `updatedAt` of a control record or breaker that was never set (as SQLite's). */
const NEVER = new Date(0).toISOString();

// BIGINT (oid 20) as a JavaScript number: ids and installation ids stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Open the PostgreSQL store at `url` (`postgres://user:password@host:5432/db`): connects, migrates
 * the schema (serialised across processes) and returns the store. A StateError names the URL (without
 * its password) and what to do when the server cannot be reached or the schema is newer.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store & ReconcileQueue & HistoryImport & WithBudgetLedger & ChangeSetCache> {
  const location = redactUrl(url);
  const now = options.now ?? (() => new Date());
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4, types, connectionTimeoutMillis: 10_000 });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    await migratePostgres(client, location, now);
  } catch (err) {
    client?.release();
    client = undefined;
    await pool.end().catch(() => undefined);
    if (err instanceof StateError) throw err;
    throw new StateError(
      `cannot open the PostgreSQL store ${location}: ${(err as Error).message}. ` +
        'Check that the server runs and the URL (host, port, database, user, password) is right; the user needs CREATE on the database the first time.',
      { cause: err },
    );
  } finally {
    client?.release();
  }
  return new PostgresStore(pool, location, now);
}

interface JournalRow {
  id: number;
  at: string;
  migration: string;
  target: string | null;
  action: string;
  outcome: JournalEvent['outcome'];
  detail: unknown;
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
  summary: unknown;
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

interface LeaseRow {
  name: string;
  holder: string;
  since: string;
  expires_at: string;
}

interface ClaimRow {
  migration: string;
  source: string;
  installation: number | null;
  tracking_issue: number | null;
  previous_sources: string[];
  claimed_at: string;
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
  summary: r.summary ?? null,
});

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

const toClaim = (r: ClaimRow): MigrationClaim => ({
  migration: r.migration,
  source: r.source,
  installation: r.installation,
  trackingIssue: r.tracking_issue,
  previousSources: r.previous_sources,
  claimedAt: r.claimed_at,
});

/** A value for a `json` column: the JSON text (node-postgres would send a JS array as a PostgreSQL array). */
const json = (v: unknown): string => JSON.stringify(v);

class PostgresStore implements Store, ReconcileQueue, HistoryImport, WithBudgetLedger, ChangeSetCache {
  private closed = false;
  /** Shared by every process on this database (src/store/postgres/budget-ledger.ts). */
  readonly budgetLedger: PostgresBudgetLedger;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly now: () => Date,
  ) {
    this.budgetLedger = new PostgresBudgetLedger(pool, location);
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (err) {
      throw new StateError(`${this.location}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Runs `work` in one transaction on one connection. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (err instanceof StateError) throw err;
      throw new StateError(`${this.location}: ${(err as Error).message}`, { cause: err });
    } finally {
      client.release();
    }
  }

  async append(event: JournalEvent): Promise<void> {
    await this.query(
      `INSERT INTO fleetwave.journal (at, migration, target, action, outcome, detail, version, manifest_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [event.at, event.migration, event.target, event.action, event.outcome, json(event.detail ?? {}), event.version, event.manifestHash],
    );
  }

  async events(filter: EventFilter = {}): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.migration !== undefined) where.push(`migration = $${params.push(filter.migration)}`);
    if (filter.target !== undefined) where.push(`target = $${params.push(filter.target)}`);
    if (filter.afterId !== undefined) where.push(`id > $${params.push(filter.afterId)}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    let sql = `SELECT * FROM fleetwave.journal ${clause} ORDER BY id`;
    if (filter.limit !== undefined) {
      const limit = `$${params.push(Math.max(0, Math.floor(filter.limit)))}`;
      sql = `SELECT * FROM (SELECT * FROM fleetwave.journal ${clause} ORDER BY id DESC LIMIT ${limit}) newest ORDER BY id`;
    }
    const { rows } = await this.query<JournalRow>(sql, params);
    return rows.map((r) =>
      readStoredEvent(
        {
          id: r.id,
          at: r.at,
          migration: r.migration,
          target: r.target,
          action: r.action,
          outcome: r.outcome,
          detail: r.detail,
          version: r.version,
          manifestHash: r.manifest_hash,
        },
        this.location,
        String(r.id),
      ),
    );
  }

  async startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): Promise<number> {
    const { rows } = await this.query<{ id: number }>(
      `INSERT INTO fleetwave.runs (migration, manifest_path, manifest_hash, fleet, started_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [run.migration, run.manifestPath, run.manifestHash, run.fleet, run.startedAt],
    );
    return rows[0]!.id;
  }

  async finishRun(id: number, state: string, summary: unknown): Promise<void> {
    const { rowCount } = await this.query('UPDATE fleetwave.runs SET finished_at = $1, state = $2, summary = $3 WHERE id = $4', [
      this.now().toISOString(),
      state,
      summary === undefined ? null : json(summary),
      id,
    ]);
    if (!rowCount) throw new StateError(`${this.location}: no run with id ${id} to finish (was the store replaced during the run?).`);
  }

  async runs(filter: { migration?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const params: (string | number)[] = [];
    let sql = 'SELECT * FROM fleetwave.runs';
    if (filter.migration !== undefined) sql += ` WHERE migration = $${params.push(filter.migration)}`;
    sql += ' ORDER BY id DESC';
    if (filter.limit !== undefined) sql += ` LIMIT $${params.push(Math.max(0, Math.floor(filter.limit)))}`;
    return (await this.query<RunRow>(sql, params)).rows.map(toRun);
  }

  async migrations(): Promise<RunRecord[]> {
    const { rows } = await this.query<RunRow>(
      'SELECT * FROM fleetwave.runs WHERE id IN (SELECT MAX(id) FROM fleetwave.runs GROUP BY migration) ORDER BY id DESC',
    );
    return rows.map(toRun);
  }

  async getControl(migration: string): Promise<ControlRecord> {
    const { rows } = await this.query<{
      migration: string;
      paused_by: string | null;
      paused_reason: string | null;
      accepted_waves: number[];
      updated_at: string;
    }>('SELECT * FROM fleetwave.controls WHERE migration = $1', [migration]);
    const row = rows[0];
    if (!row) return { migration, pausedBy: null, pausedReason: null, acceptedWaves: [], updatedAt: NEVER };
    return {
      migration: row.migration,
      pausedBy: row.paused_by,
      pausedReason: row.paused_reason,
      acceptedWaves: row.accepted_waves,
      updatedAt: row.updated_at,
    };
  }

  async setControl(control: ControlRecord): Promise<void> {
    await this.query(
      `INSERT INTO fleetwave.controls (migration, paused_by, paused_reason, accepted_waves, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (migration) DO UPDATE SET paused_by = excluded.paused_by, paused_reason = excluded.paused_reason,
         accepted_waves = excluded.accepted_waves, updated_at = excluded.updated_at`,
      [
        control.migration,
        control.pausedBy,
        control.pausedReason,
        json([...new Set(control.acceptedWaves)].sort((a, b) => a - b)),
        control.updatedAt || this.now().toISOString(),
      ],
    );
  }

  async requestChangeSets(keys: readonly ChangeSetKey[], batch: string, at: string): Promise<void> {
    if (keys.length === 0) return;
    await this.transaction(async (client) => {
      for (const k of keys) {
        await client.query(
          'DELETE FROM fleetwave.change_sets WHERE migration = $1 AND target = $2 AND (head_sha <> $3 OR manifest_hash <> $4)',
          [k.migration, k.target, k.headSha, k.manifestHash],
        );
        await client.query(
          `INSERT INTO fleetwave.change_sets (migration, target, head_sha, manifest_hash, batch, requested_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (migration, target, head_sha, manifest_hash) DO UPDATE SET batch = excluded.batch
           WHERE fleetwave.change_sets.change_set IS NULL`,
          [k.migration, k.target, k.headSha, k.manifestHash, batch, at],
        );
      }
    });
  }

  async putChangeSet(key: ChangeSetKey, set: unknown, at: string): Promise<{ batch: string | null; pending: number }> {
    // Two statements, each committed before the next: of two jobs ending at once, at least one counts 0.
    const { rows } = await this.query<{ batch: string | null }>(
      `INSERT INTO fleetwave.change_sets (migration, target, head_sha, manifest_hash, change_set, requested_at, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (migration, target, head_sha, manifest_hash) DO UPDATE SET change_set = COALESCE(fleetwave.change_sets.change_set, excluded.change_set),
         computed_at = COALESCE(fleetwave.change_sets.computed_at, excluded.computed_at)
       RETURNING batch`,
      [key.migration, key.target, key.headSha, key.manifestHash, json(set), at],
    );
    const batch = rows[0]?.batch ?? null;
    if (batch === null) return { batch: null, pending: 0 };
    const count = await this.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM fleetwave.change_sets WHERE batch = $1 AND change_set IS NULL',
      [batch],
    );
    return { batch, pending: count.rows[0]!.n };
  }

  async cachedChangeSets(keys: readonly ChangeSetKey[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    if (keys.length === 0) return out;
    const { rows } = await this.query<ChangeSetKey & { change_set: unknown }>(
      `SELECT c.migration, c.target, c.head_sha AS "headSha", c.manifest_hash AS "manifestHash", c.change_set
       FROM fleetwave.change_sets c
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(migration, target, head_sha, manifest_hash)
         ON c.migration = k.migration AND c.target = k.target AND c.head_sha = k.head_sha AND c.manifest_hash = k.manifest_hash
       WHERE c.change_set IS NOT NULL`,
      [keys.map((k) => k.migration), keys.map((k) => k.target), keys.map((k) => k.headSha), keys.map((k) => k.manifestHash)],
    );
    for (const r of rows) out.set(changeSetKeyText(r), r.change_set);
    return out;
  }

  async getBreaker(key: string): Promise<BreakerRecord> {
    const { rows } = await this.query<{
      key: string;
      state: BreakerRecord['state'];
      opened_at: string | null;
      reason: string | null;
      outcomes: BreakerRecord['outcomes'];
      canary: BreakerRecord['canary'];
      updated_at: string;
    }>('SELECT * FROM fleetwave.breakers WHERE key = $1', [key]);
    const row = rows[0];
    if (!row) return { key, state: 'closed', openedAt: null, reason: null, outcomes: [], canary: null, updatedAt: NEVER };
    return {
      key: row.key,
      state: row.state,
      openedAt: row.opened_at,
      reason: row.reason,
      outcomes: row.outcomes,
      canary: row.canary ?? null,
      updatedAt: row.updated_at,
    };
  }

  async setBreaker(record: BreakerRecord): Promise<void> {
    await this.query(
      `INSERT INTO fleetwave.breakers (key, state, opened_at, reason, outcomes, canary, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO UPDATE SET state = excluded.state, opened_at = excluded.opened_at, reason = excluded.reason,
         outcomes = excluded.outcomes, canary = excluded.canary, updated_at = excluded.updated_at`,
      [
        record.key,
        record.state,
        record.openedAt,
        record.reason,
        json(record.outcomes),
        record.canary === null ? null : json(record.canary),
        record.updatedAt || this.now().toISOString(),
      ],
    );
  }

  async requestReconcile(ask: ReconcileAsk): Promise<PendingReconcile> {
    // A later request without a manifest location keeps the one an earlier request gave (as SQLite's).
    const { rows } = await this.query<PendingRow>(
      `INSERT INTO fleetwave.pending_reconciles AS p (installation, migration, account, manifest_repo, manifest_path, reason, first_at, last_at, seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)
       ON CONFLICT (installation, migration) DO UPDATE SET account = excluded.account,
         manifest_repo = COALESCE(excluded.manifest_repo, p.manifest_repo),
         manifest_path = CASE WHEN excluded.manifest_repo IS NULL THEN p.manifest_path ELSE excluded.manifest_path END,
         reason = excluded.reason, last_at = excluded.last_at, seq = p.seq + 1
       RETURNING *`,
      [
        ask.installation,
        ask.migration,
        ask.account,
        ask.manifestRepo,
        ask.manifestRepo === null ? null : ask.manifestPath,
        ask.reason,
        ask.at,
      ],
    );
    return toPending(rows[0]!);
  }

  async pendingReconciles(): Promise<PendingReconcile[]> {
    // COLLATE "C": the order of JavaScript's string comparison (and SQLite's BINARY), whatever the database's collation.
    const { rows } = await this.query<PendingRow>(
      'SELECT * FROM fleetwave.pending_reconciles ORDER BY first_at COLLATE "C", installation, migration COLLATE "C"',
    );
    return rows.map(toPending);
  }

  async completeReconcile(installation: number, migration: string, seq: number): Promise<boolean> {
    const { rowCount } = await this.query(
      'DELETE FROM fleetwave.pending_reconciles WHERE installation = $1 AND migration = $2 AND seq <= $3',
      [installation, migration, seq],
    );
    return (rowCount ?? 0) > 0;
  }

  async claimMigration(claim: { migration: string; source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    await this.query(
      `INSERT INTO fleetwave.migration_claims (migration, source, installation, tracking_issue, previous_sources, claimed_at)
       VALUES ($1, $2, $3, NULL, '[]', $4) ON CONFLICT (migration) DO NOTHING`,
      [claim.migration, claim.source, claim.installation, claim.at],
    );
    return (await this.migrationClaim(claim.migration))!;
  }

  async migrationClaim(migration: string): Promise<MigrationClaim | null> {
    const { rows } = await this.query<ClaimRow>('SELECT * FROM fleetwave.migration_claims WHERE migration = $1', [migration]);
    return rows[0] ? toClaim(rows[0]) : null;
  }

  async transferMigration(migration: string, to: { source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    return this.transaction(async (client) => {
      const held = (await client.query<ClaimRow>('SELECT * FROM fleetwave.migration_claims WHERE migration = $1 FOR UPDATE', [migration]))
        .rows[0];
      if (!held) {
        const { rows } = await client.query<ClaimRow>(
          `INSERT INTO fleetwave.migration_claims (migration, source, installation, tracking_issue, previous_sources, claimed_at)
           VALUES ($1, $2, $3, NULL, '[]', $4) ON CONFLICT (migration) DO UPDATE SET migration = excluded.migration RETURNING *`,
          [migration, to.source, to.installation, to.at],
        );
        return toClaim(rows[0]!);
      }
      const previous = [...held.previous_sources.filter((s) => s !== to.source), held.source];
      const { rows } = await client.query<ClaimRow>(
        'UPDATE fleetwave.migration_claims SET source = $1, installation = $2, previous_sources = $3, claimed_at = $4 WHERE migration = $5 RETURNING *',
        [to.source, to.installation, json(previous), to.at, migration],
      );
      return toClaim(rows[0]!);
    });
  }

  async setTrackingIssue(migration: string, issue: number): Promise<void> {
    await this.query('UPDATE fleetwave.migration_claims SET tracking_issue = $1 WHERE migration = $2', [issue, migration]);
  }

  async claims(): Promise<MigrationClaim[]> {
    return (await this.query<ClaimRow>('SELECT * FROM fleetwave.migration_claims ORDER BY migration COLLATE "C"')).rows.map(toClaim);
  }

  async firstDelivery(id: string, at: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query('DELETE FROM fleetwave.deliveries WHERE at COLLATE "C" < $1', [
        new Date(Date.parse(at) - DELIVERY_MEMORY_MS).toISOString(),
      ]);
      const { rowCount } = await client.query('INSERT INTO fleetwave.deliveries (id, at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        id,
        at,
      ]);
      return (rowCount ?? 0) > 0;
    });
  }

  /**
   * One statement: the upsert changes the row only when it is free, expired at `at`, or the caller's
   * (the row lock serialises two takers); when it did not, the holder is read back.
   */
  async takeLease(name: string, holder: string, at: string, ttlMs: number): Promise<LeaseRecord> {
    const expiresAt = new Date(Date.parse(at) + ttlMs).toISOString();
    for (;;) {
      const taken = await this.query<LeaseRow>(
        `INSERT INTO fleetwave.leases AS l (name, holder, since, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           since = CASE WHEN l.holder = excluded.holder THEN l.since ELSE excluded.since END
         WHERE l.holder = excluded.holder OR l.expires_at COLLATE "C" <= $3
         RETURNING *`,
        [name, holder, at, expiresAt],
      );
      const row = taken.rows[0] ?? (await this.query<LeaseRow>('SELECT * FROM fleetwave.leases WHERE name = $1', [name])).rows[0];
      // Released between the two statements: try again.
      if (row) return { name: row.name, holder: row.holder, since: row.since, expiresAt: row.expires_at };
    }
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.query('DELETE FROM fleetwave.leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async forgetDelivery(id: string): Promise<void> {
    await this.query('DELETE FROM fleetwave.deliveries WHERE id = $1', [id]);
  }

  /** Into an empty store, in one transaction, ids kept; the identity sequences go on after the highest. */
  async importHistory(history: StoreHistory): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('LOCK TABLE fleetwave.journal, fleetwave.runs IN EXCLUSIVE MODE');
      const held = (
        await client.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM fleetwave.journal) + (SELECT COUNT(*) FROM fleetwave.runs) AS n')
      ).rows[0]!.n;
      if (Number(held) > 0)
        throw new StateError(`${this.location} is not empty (it has a journal or runs): move history only into a new store.`);
      for (const e of history.events)
        await client.query(
          `INSERT INTO fleetwave.journal (id, at, migration, target, action, outcome, detail, version, manifest_hash) OVERRIDING SYSTEM VALUE
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [e.id, e.at, e.migration, e.target, e.action, e.outcome, json(e.detail), e.version, e.manifestHash],
        );
      for (const r of history.runs)
        await client.query(
          `INSERT INTO fleetwave.runs (id, migration, manifest_path, manifest_hash, fleet, started_at, finished_at, state, summary) OVERRIDING SYSTEM VALUE
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            r.id,
            r.migration,
            r.manifestPath,
            r.manifestHash,
            r.fleet,
            r.startedAt,
            r.finishedAt,
            r.state,
            r.summary === null ? null : json(r.summary),
          ],
        );
      for (const table of ['journal', 'runs'])
        await client.query(
          `SELECT setval(pg_get_serial_sequence('fleetwave.${table}', 'id'), GREATEST((SELECT MAX(id) FROM fleetwave.${table}), 1), (SELECT COUNT(*) > 0 FROM fleetwave.${table}))`,
        );
      for (const c of history.controls)
        await client.query(
          'INSERT INTO fleetwave.controls (migration, paused_by, paused_reason, accepted_waves, updated_at) VALUES ($1, $2, $3, $4, $5)',
          [c.migration, c.pausedBy, c.pausedReason, json(c.acceptedWaves), c.updatedAt],
        );
      for (const b of history.breakers)
        await client.query(
          'INSERT INTO fleetwave.breakers (key, state, opened_at, reason, outcomes, canary, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [b.key, b.state, b.openedAt, b.reason, json(b.outcomes), b.canary === null ? null : json(b.canary), b.updatedAt],
        );
      for (const p of history.pending)
        await client.query(
          `INSERT INTO fleetwave.pending_reconciles (installation, migration, account, manifest_repo, manifest_path, reason, first_at, last_at, seq)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [p.installation, p.migration, p.account, p.manifestRepo, p.manifestPath, p.reason, p.firstAt, p.lastAt, p.seq],
        );
      for (const c of history.claims)
        await client.query(
          `INSERT INTO fleetwave.migration_claims (migration, source, installation, tracking_issue, previous_sources, claimed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [c.migration, c.source, c.installation, c.trackingIssue, json(c.previousSources), c.claimedAt],
        );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
