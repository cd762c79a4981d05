/**
 * A real Redis for the tests of the request budget's Redis ledger: FLEETWAVE_TEST_REDIS_URL names it
 * (scripts/redis-for-tests.sh starts a throwaway one and prints the variable). Each test takes a key
 * prefix of its own, so tests never see one another's keys. Without the variable the Redis tests are
 * skipped with one line saying how to run them; with FLEETWAVE_REQUIRE_REDIS=1 (set by .ci/run) they
 * fail instead, so CI never skips them unseen.
 */
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.FLEETWAVE_TEST_REDIS_URL ?? '';
const REQUIRED = process.env.FLEETWAVE_REQUIRE_REDIS === '1';
/** Whether the Redis tests run (a URL is given, or they are required and so fail without one). */
export const WITH_REDIS = REDIS_URL !== '' || REQUIRED;

let said = false;
/** Says once per test file that the Redis tests are skipped, and how to run them. */
export function sayWhenRedisSkipped(file: string): void {
  if (WITH_REDIS || said) return;
  said = true;
  process.stderr.write(
    `${file}: Redis tests skipped: set FLEETWAVE_TEST_REDIS_URL (eval "$(scripts/redis-for-tests.sh)" starts a server and prints it)\n`,
  );
}

/** The server's URL; an error saying how to start one when it is required and missing. */
export function redisUrl(): string {
  if (!REDIS_URL)
    throw new Error(
      'FLEETWAVE_REQUIRE_REDIS=1 but FLEETWAVE_TEST_REDIS_URL is not set: start a server (scripts/redis-for-tests.sh) and export the URL it prints.',
    );
  return REDIS_URL;
}

/** A key prefix no other test uses. */
export function freshPrefix(): string {
  return `fleetwave-test:${randomBytes(6).toString('hex')}`;
}
