/**
 * Several `fleetwave run` processes at once on one local fleet and one store (a cron overlap, two
 * terminals, several machines on one database): the reconcile lease (src/rollout/reconcile-lease.ts)
 * lets one tick act at a time, so no pull request is opened twice and every target is reached, on
 * SQLite and on PostgreSQL — also when one of them is killed midway (its lease expires). Real
 * processes (the CLI bundled by test/helpers/cli-process.ts), real git, a real database.
 */
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { runCli } from '../helpers/cli-process.js';
import { buildTestFleet, type TestFleet } from '../helpers/local-fleet.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

jest.setTimeout(900_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});
afterAll(dropDatabases);
sayWhenSkipped('test/cli/concurrent-runs.test.ts');

/** Pull requests per repository (every number the forge knows), by branch. */
async function pullRequests(f: TestFleet): Promise<Record<string, string[]>> {
  const forge = await openLocalFleet(f.fleet);
  const out: Record<string, string[]> = {};
  for (const repo of [...f.consumers, 'acme/unrelated']) {
    out[repo] = [];
    for (let n = 1; ; n++) {
      const pr = await forge.getPullRequest(repo, n);
      if (!pr) break;
      out[repo].push(pr.branch);
    }
  }
  return out;
}

const kinds: [string, () => Promise<(f: TestFleet) => string>][] = [
  ['sqlite', async () => (f) => f.state],
  ...(WITH_POSTGRES
    ? ([
        [
          'postgres',
          async () => {
            const url = await freshDatabase();
            return () => url;
          },
        ],
      ] as [string, () => Promise<(f: TestFleet) => string>][])
    : []),
];

describe.each(kinds)('%s store: three `fleetwave run` at once on one fleet', (_kind, storeFor) => {
  it('open each pull request once and reach every target; one killed midway leaves its lease to expire', async () => {
    const f = await buildTestFleet();
    fleets.push(f);
    const state = (await storeFor())(f);
    const args = ['run', f.manifestPath, '--fleet', f.fleet, '--state', state, '--json'];
    const env = { FLEETWAVE_LEASE_SECONDS: '5', LOG_LEVEL: 'warn' };
    // The one to be killed starts first, so that it holds the lease when it dies at its first change
    // to the forge (made, not yet journalled); the other two start 1.5 s later and wait for the lease.
    const doomed = runCli(args, { ...env, FLEETWAVE_CRASH_AT: '1:after' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const runs = await Promise.all([doomed, runCli(args, env), runCli(args, env)]);
    const killed = runs.filter((r) => r.signal === 'SIGKILL').length;
    const finished = runs.filter((r) => r.signal === null);
    for (const r of finished) expect({ code: r.code, stderr: r.stderr.slice(-2000) }).toMatchObject({ code: 0 });
    // A run that waited says whose lease it waited for.
    const waited = finished.some((r) => /waiting for events-v2's reconcile: pid \d+ on /.test(r.stderr));
    // Every target reached (the one broken consumer failed, by design), by a last run after them all.
    const last = await runCli(args, env);
    expect(last.code).toBe(0);
    const summary = JSON.parse(last.stdout) as MigrationSummary;
    expect(Object.fromEntries(summary.targets.map((t) => [t.repo, t.state]))).toEqual({
      'acme/c01': 'merged',
      'acme/c02': 'merged',
      'acme/c03': 'merged',
      'acme/c04': 'merged',
      'acme/c05': 'failed',
      'acme/c06': 'merged',
    });
    // Zero duplicate pull requests: one per consumer, none for the bystander.
    const prs = await pullRequests(f);
    expect(prs).toEqual({
      'acme/c01': ['fleetwave/events-v2'],
      'acme/c02': ['fleetwave/events-v2'],
      'acme/c03': ['fleetwave/events-v2'],
      'acme/c04': ['fleetwave/events-v2'],
      'acme/c05': ['fleetwave/events-v2'],
      'acme/c06': ['fleetwave/events-v2'],
      'acme/unrelated': [],
    });
    expect({ killed, waited }).toEqual({ killed: 1, waited: true });
  });
});
