import type pg from 'pg';
import { StateError } from '../../util/errors.js';

/**
 * The PostgreSQL store's schema, as forward-only migrations in the schema `fleetwave`. Migration N
 * (1-based) takes it from version N-1 to N; `fleetwave.schema_version` holds one row per applied
 * migration. Never edit a migration that has shipped: add a new one at the end. The tables and their
 * meaning are SQLite's (src/store/sqlite/migrations.ts, docs/store.md); the versions are this list's own.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: everything SQLite's schema 5 holds. The journal is append-only, enforced by triggers that
  // raise on UPDATE, DELETE and TRUNCATE whoever the client is. JSON columns are `json` (kept as
  // written, key order included), times ISO text as in SQLite.
  `
  CREATE TABLE fleetwave.journal (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TEXT NOT NULL,
    migration      TEXT NOT NULL,
    target         TEXT,
    action         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'skipped')),
    detail         JSON NOT NULL,
    version        TEXT NOT NULL,
    manifest_hash  TEXT NOT NULL
  );
  CREATE INDEX journal_by_migration ON fleetwave.journal (migration, id);
  CREATE INDEX journal_by_target ON fleetwave.journal (target, id);
  CREATE INDEX journal_by_migration_target ON fleetwave.journal (migration, target, id);
  CREATE FUNCTION fleetwave.journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the Fleetwave journal is append-only: % is refused', TG_OP USING ERRCODE = 'restrict_violation';
    END;
  $$;
  CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON fleetwave.journal
    FOR EACH ROW EXECUTE FUNCTION fleetwave.journal_append_only();
  CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON fleetwave.journal
    FOR EACH STATEMENT EXECUTE FUNCTION fleetwave.journal_append_only();

  CREATE TABLE fleetwave.runs (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    migration      TEXT NOT NULL,
    manifest_path  TEXT NOT NULL,
    manifest_hash  TEXT NOT NULL,
    fleet          TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    state          TEXT,
    summary        JSON
  );
  CREATE INDEX runs_by_migration ON fleetwave.runs (migration, id);

  CREATE TABLE fleetwave.controls (
    migration       TEXT PRIMARY KEY,
    paused_by       TEXT,
    paused_reason   TEXT,
    accepted_waves  JSON NOT NULL,
    updated_at      TEXT NOT NULL
  );

  CREATE TABLE fleetwave.breakers (
    key         TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half-open')),
    opened_at   TEXT,
    reason      TEXT,
    outcomes    JSON NOT NULL,
    canary      JSON,
    updated_at  TEXT NOT NULL
  );

  CREATE TABLE fleetwave.pending_reconciles (
    installation   BIGINT NOT NULL,
    migration      TEXT NOT NULL,
    account        TEXT NOT NULL,
    manifest_repo  TEXT,
    manifest_path  TEXT,
    reason         TEXT NOT NULL,
    first_at       TEXT NOT NULL,
    last_at        TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    PRIMARY KEY (installation, migration)
  );

  CREATE TABLE fleetwave.migration_claims (
    migration         TEXT PRIMARY KEY,
    source            TEXT NOT NULL,
    installation      BIGINT,
    tracking_issue    INTEGER,
    previous_sources  JSON NOT NULL,
    claimed_at        TEXT NOT NULL
  );
  CREATE TABLE fleetwave.deliveries (
    id  TEXT PRIMARY KEY,
    at  TEXT NOT NULL
  );
  CREATE INDEX deliveries_by_at ON fleetwave.deliveries (at);
  `,
  // 2: leases (src/store/port.ts Leases), as SQLite's schema 6.
  `
  CREATE TABLE fleetwave.leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    since       TEXT NOT NULL,
    expires_at  TEXT NOT NULL
  );
  `,
  // 3: the request budget's ledger (src/store/budget-ledger.ts), as SQLite's schema 7: each
  // installation's row (its rate-limit hold; locked while a send is counted) and its sends of the last hour.
  `
  CREATE TABLE fleetwave.budget_lanes (
    key         TEXT PRIMARY KEY,
    held_until  BIGINT NOT NULL
  );
  CREATE TABLE fleetwave.budget_sends (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
  );
  CREATE INDEX budget_sends_by_key ON fleetwave.budget_sends (key, at);
  `,
  // 4: the change-set cache (src/store/port.ts ChangeSetCache), as SQLite's schema 8.
  `
  CREATE TABLE fleetwave.change_sets (
    migration      TEXT NOT NULL,
    target         TEXT NOT NULL,
    head_sha       TEXT NOT NULL,
    manifest_hash  TEXT NOT NULL,
    batch          TEXT,
    change_set     JSONB,
    requested_at   TEXT NOT NULL,
    computed_at    TEXT,
    PRIMARY KEY (migration, target, head_sha, manifest_hash)
  );
  CREATE INDEX change_sets_by_batch ON fleetwave.change_sets (batch) WHERE change_set IS NULL;
  `,
];

/** The schema version this Fleetwave writes. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/**
 * The advisory lock key that serialises schema migrations across processes (any 64-bit number that
 * no other lock of this database uses; this one is "fleetwave" in ASCII, truncated).
 */
export const MIGRATION_LOCK = 0x666c656574776176n;

/**
 * Bring the database to PG_SCHEMA_VERSION in one transaction holding `pg_advisory_xact_lock`, so
 * processes starting at once migrate it once: the others wait for the lock, then find it current.
 */
export async function migratePostgres(client: pg.ClientBase, location: string, now: () => Date): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE SCHEMA IF NOT EXISTS fleetwave');
    await client.query('CREATE TABLE IF NOT EXISTS fleetwave.schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const current = Number(
      (await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM fleetwave.schema_version')).rows[0]?.v ?? 0,
    );
    if (current > PG_SCHEMA_VERSION) {
      throw new StateError(
        `${location} has store schema version ${current}, newer than the ${PG_SCHEMA_VERSION} this Fleetwave knows: ` +
          'upgrade Fleetwave, or point --state at another database (a new store rebuilds its state from the forge).',
      );
    }
    for (let v = current + 1; v <= PG_SCHEMA_VERSION; v++) {
      await client.query(PG_MIGRATIONS[v - 1]!);
      await client.query('INSERT INTO fleetwave.schema_version (version, applied_at) VALUES ($1, $2)', [v, now().toISOString()]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
