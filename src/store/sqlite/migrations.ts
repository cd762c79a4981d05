import type BetterSqlite3 from 'better-sqlite3';
import { StateError } from '../../util/errors.js';

/**
 * The store's schema, as forward-only migrations. Migration N (1-based) takes a store from schema
 * version N-1 to N; `schema_version` holds one row per applied migration. Never edit a migration that
 * has shipped: add a new one at the end. A store written by a newer Fleetwave (a version above the
 * last one here) is refused rather than guessed at.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: journal (append-only, enforced by triggers), run history, control records.
  `
  CREATE TABLE journal (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    migration      TEXT NOT NULL,
    target         TEXT,
    action         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'skipped')),
    detail         TEXT NOT NULL CHECK (json_valid(detail)),
    version        TEXT NOT NULL,
    manifest_hash  TEXT NOT NULL
  );
  CREATE INDEX journal_by_migration ON journal (migration, id);
  CREATE INDEX journal_by_target ON journal (target, id);
  CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the Fleetwave journal is append-only: UPDATE is refused'); END;
  CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'the Fleetwave journal is append-only: DELETE is refused'); END;

  CREATE TABLE runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    migration      TEXT NOT NULL,
    manifest_path  TEXT NOT NULL,
    manifest_hash  TEXT NOT NULL,
    fleet          TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    state          TEXT,
    summary        TEXT CHECK (summary IS NULL OR json_valid(summary))
  );
  CREATE INDEX runs_by_migration ON runs (migration, id);

  CREATE TABLE controls (
    migration       TEXT PRIMARY KEY,
    paused_by       TEXT,
    paused_reason   TEXT,
    accepted_waves  TEXT NOT NULL CHECK (json_valid(accepted_waves)),
    updated_at      TEXT NOT NULL
  );
  `,
  // 2: one circuit breaker per fleet (src/rollout/breaker.ts); the window's outcomes as JSON.
  `
  CREATE TABLE breakers (
    key         TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half-open')),
    opened_at   TEXT,
    reason      TEXT,
    outcomes    TEXT NOT NULL CHECK (json_valid(outcomes)),
    canary      TEXT CHECK (canary IS NULL OR json_valid(canary)),
    updated_at  TEXT NOT NULL
  );
  `,
  // 3: one target's events of one migration (a reconcile's re-run claim, a merge's outcome) found by
  // an index rather than by reading the migration's or the target's whole history.
  `
  CREATE INDEX journal_by_migration_target ON journal (migration, target, id);
  `,
  // 4: the App's queue of pending reconciles (src/store/port.ts ReconcileQueue): one row per installation
  // and migration, recorded before a webhook is answered and deleted once the reconcile is carried out.
  `
  CREATE TABLE pending_reconciles (
    installation   INTEGER NOT NULL,
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
  `,
  // 5: which manifest owns each migration name (src/store/port.ts MigrationClaim), and the webhook
  // deliveries the App has handled (a replayed delivery is ignored).
  `
  CREATE TABLE migration_claims (
    migration         TEXT PRIMARY KEY,
    source            TEXT NOT NULL,
    installation      INTEGER,
    tracking_issue    INTEGER,
    previous_sources  TEXT NOT NULL CHECK (json_valid(previous_sources)),
    claimed_at        TEXT NOT NULL
  );
  CREATE TABLE deliveries (
    id  TEXT PRIMARY KEY,
    at  TEXT NOT NULL
  );
  CREATE INDEX deliveries_by_at ON deliveries (at);
  `,
  // 6: leases (src/store/port.ts Leases): one reconcile per migration at a time across the processes
  // sharing this file (two terminals, a cron overlap).
  `
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    since       TEXT NOT NULL,
    expires_at  TEXT NOT NULL
  );
  `,
  // 7: the request budget's ledger (src/store/budget-ledger.ts) shared by the processes on this file:
  // each installation's content-creating sends of the last hour, and its rate-limit hold (ms since the epoch).
  `
  CREATE TABLE budget_lanes (
    key         TEXT PRIMARY KEY,
    held_until  INTEGER NOT NULL
  );
  CREATE TABLE budget_sends (
    key  TEXT NOT NULL,
    at   INTEGER NOT NULL
  );
  CREATE INDEX budget_sends_by_key ON budget_sends (key, at);
  `,
  // 8: the change-set cache (src/store/port.ts ChangeSetCache): change sets computed by `changes` jobs,
  // pending (change_set NULL) until computed, in the batch of the reconcile that fanned them out.
  `
  CREATE TABLE change_sets (
    migration      TEXT NOT NULL,
    target         TEXT NOT NULL,
    head_sha       TEXT NOT NULL,
    manifest_hash  TEXT NOT NULL,
    batch          TEXT,
    change_set     TEXT,
    requested_at   TEXT NOT NULL,
    computed_at    TEXT,
    PRIMARY KEY (migration, target, head_sha, manifest_hash)
  );
  CREATE INDEX change_sets_by_batch ON change_sets (batch) WHERE change_set IS NULL;
  `,
];

/** The schema version this Fleetwave writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Bring the database at `file` to SCHEMA_VERSION. Runs in one IMMEDIATE transaction, so two processes
 * opening a fresh store at once do not both migrate it.
 */
export function migrate(db: BetterSqlite3.Database, file: string, now: () => Date): void {
  db.transaction(() => {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
    if (!tables.includes('schema_version')) {
      if (tables.length > 0) {
        throw new StateError(
          `${file} is a SQLite database but not a Fleetwave store (it has tables ${tables.slice(0, 5).join(', ')} and no schema_version): ` +
            'point --state at another file, or move this one away.',
        );
      }
      db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    }
    const current = (db.prepare('SELECT MAX(version) FROM schema_version').pluck().get() as number | null) ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new StateError(
        `${file} has store schema version ${current}, newer than the ${SCHEMA_VERSION} this Fleetwave knows: ` +
          'upgrade Fleetwave, or point --state at another file (a new store rebuilds its state from the forge).',
      );
    }
    const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v - 1]!);
      record.run(v, now().toISOString());
    }
  }).immediate();
}
