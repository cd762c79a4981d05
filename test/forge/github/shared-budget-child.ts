/**
 * A child process for test/forge/github/shared-budget.test.ts: one Fleetwave process talking to
 * GitHub for installation 42 through the request budget. argv: the store (a SQLite file, a postgres://
 * URL, or `in-process` for a ledger of its own), the API's base URL, how long to run (ms), the budget's
 * limits (JSON), a name for the comments, and optionally a Redis URL (FLEETWAVE_BUDGET_REDIS_URL). It
 * opens the store and the budget's ledger as the App does (`openStore`, `openBudgetLedger`), prints `ready`, waits for a line on stdin, then reads the repository and comments
 * on an issue, one after the other, until its time is up, and exits (also from within a wait).
 */
import { createInterface } from 'node:readline';
import { openBudgetLedger } from '../../../src/composition/budget-ledger.js';
import { openStore } from '../../../src/composition/open-store.js';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { RequestBudget } from '../../../src/forge/github/request-budget.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';

const [state, baseUrl, runMs, limits, name, redis] = process.argv.slice(2) as [string, string, string, string, string, string?];
const store = state === 'in-process' ? new MemoryStore() : await openStore(state);
const { ledger } = await openBudgetLedger(store, redis ? { FLEETWAVE_BUDGET_REDIS_URL: redis } : {});
const budget = new RequestBudget(JSON.parse(limits), undefined, undefined, {}, ledger);
const { client } = createGitHubClient({ token: 'ghs_test', baseUrl, budget, budgetKey: '42' });
process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
setTimeout(() => process.exit(0), Number(runMs));
try {
  for (let i = 1; ; i++) {
    await client.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'recs' });
    await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'recs',
      issue_number: 7,
      body: `${name} #${i}`,
    });
  }
} catch (err) {
  process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
