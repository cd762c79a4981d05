/**
 * A real PostgreSQL for the tests: FLEETWAVE_TEST_POSTGRES_URL names a server and a user that may
 * CREATE DATABASE (scripts/postgres-for-tests.sh starts one and prints the variable). Each store gets a
 * database of its own, dropped when the test file ends. Without the variable the PostgreSQL tests are
 * skipped with one line saying how to run them; with FLEETWAVE_REQUIRE_POSTGRES=1 (set by .ci/run) they
 * fail instead, so CI never skips them unseen.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env.FLEETWAVE_TEST_POSTGRES_URL ?? '';
const REQUIRED = process.env.FLEETWAVE_REQUIRE_POSTGRES === '1';
/** Whether the PostgreSQL tests run (a URL is given, or they are required and so fail without one). */
export const WITH_POSTGRES = POSTGRES_URL !== '' || REQUIRED;

let said = false;
/** Says once per test file that the PostgreSQL tests are skipped, and how to run them. */
export function sayWhenSkipped(file: string): void {
  if (WITH_POSTGRES || said) return;
  said = true;
  process.stderr.write(
    `${file}: PostgreSQL tests skipped: set FLEETWAVE_TEST_POSTGRES_URL (eval "$(scripts/postgres-for-tests.sh)" starts a server and prints it)\n`,
  );
}

const created: string[] = [];

/** A new, empty database on the test server; its URL. */
export async function freshDatabase(): Promise<string> {
  if (!POSTGRES_URL) {
    throw new Error(
      'FLEETWAVE_REQUIRE_POSTGRES=1 but FLEETWAVE_TEST_POSTGRES_URL is not set: start a server (scripts/postgres-for-tests.sh) and export the URL it prints.',
    );
  }
  const name = `fleetwave_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  created.push(name);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the databases this file created (their stores must be closed). */
export async function dropDatabases(): Promise<void> {
  if (created.length === 0) return;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    for (const name of created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
