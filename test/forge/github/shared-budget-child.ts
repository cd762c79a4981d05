/**
 * A child process for test/forge/github/shared-budget.test.ts: one Fleetwave process talking to
 * GitHub for installation 42 through the request budget. argv: the store (a SQLite file, a postgres://
 * URL, or `in-process` for a ledger of its own), the API's base URL, how long to run (ms), the budget's
 * limits (JSON) and a name for the comments. It opens the store as the App does (`openStore`, its
 * `budgetLedger`), prints `ready`, waits for a line on stdin, then reads the repository and comments
 * on an issue, one after the other, until its time is up, and exits (also from within a wait).
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../../src/composition/open-store.js';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { RequestBudget } from '../../../src/forge/github/request-budget.js';
import { InProcessLedger } from '../../../src/store/memory/budget-ledger.js';

const [state, baseUrl, runMs, limits, name] = process.argv.slice(2) as [string, string, string, string, string];
const store = state === 'in-process' ? null : await openStore(state);
const budget = new RequestBudget(JSON.parse(limits), undefined, undefined, {}, store?.budgetLedger ?? new InProcessLedger());
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
