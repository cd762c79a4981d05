/**
 * Issue 19's "How it is checked", as one test: a fleet on the local forge (bare git repositories, real
 * checks) whose consumers no rule can migrate — their SQL reads a column the migration drops, which the
 * sql rule reports as blocking and cannot rewrite — run end to end by the real CLI in a child process,
 * with three agent programs written for this test (not the fixtures the other agent tests use):
 *
 *   - fixer: turn 1 makes a plausible change that still reads the column; it removes a line only when
 *     FLEETWAVE_AGENT_CONTEXT's previousFailures name it (`<file>:<line>: error: …`, what the consumer's
 *     own check prints), so it can pass only through the verifier's feedback;
 *   - stray: fixes the SQL and also writes outside `paths` on every turn;
 *   - reporter: fixes the SQL and reports everything it sees: its environment, arguments, stdin, the
 *     files it is pointed at, every /proc/<pid>/environ and cmdline it can read, its HOME, git's view.
 *
 * The CLI's own environment holds secrets (a GitHub token, AWS keys, the App's PEM key, a database URL
 * with a password, Fleetwave's settings …). Asserted: the consumers the fixer and the reporter fix get
 * DRAFT pull requests, with green checks and `automerge: true`, that are never merged (a control
 * consumer the rule migrates is merged in the same run, so automerge is really on); the fixer's consumer
 * whose check it cannot satisfy and the stray's consumer get no pull request; no secret value appears in
 * anything the reporter saw, while the one vendor key the manifest names does.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { branchName, parseMarker } from '../../src/rollout/marker.js';
import { runCli } from '../helpers/cli-process.js';
import { agentMigration } from '../helpers/agent-migration.js';
import { privateKey } from '../app/app-key.js';

jest.setTimeout(900_000);

let root: string;
let fleet: string;
let state: string;
const manifests: Record<'fixer' | 'stray' | 'reporter', string> = { fixer: '', stray: '', reporter: '' };

/** What Fleetwave's own environment holds: none of it may reach an agent. */
const SECRETS: Record<string, string> = {
  GITHUB_TOKEN: 'ghs_heldOutGithubToken0123456789abcdef',
  GH_TOKEN: 'gho_heldOutGhToken0123456789',
  AWS_ACCESS_KEY_ID: 'AKIAHELDOUT00000001',
  AWS_SECRET_ACCESS_KEY: 'heldOut/AwsSecretAccessKey+0123456789abcdefg',
  AWS_SESSION_TOKEN: 'heldOutAwsSessionToken//0123456789',
  FLEETWAVE_APP_PRIVATE_KEY: privateKey,
  PRIVATE_KEY: privateKey,
  FLEETWAVE_WEBHOOK_SECRET: 'heldOutWebhookSecret-5f2c',
  FLEETWAVE_STORE: 'postgres://fleetwave:heldOutDbPassw0rd@db.internal:5432/fleetwave',
  DATABASE_URL: 'postgres://app:heldOutDatabaseUrlPassword@db.internal:5432/app',
  NPM_TOKEN: 'npm_heldOutNpmToken0123456789',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/T000/B000/heldOutSlackPath',
  OPENAI_API_KEY: 'sk-heldOutOpenAiKeyNotNamedInTheManifest',
};
/** The reporter's manifest names this one (`env: [ANTHROPIC_API_KEY]`): it must reach the agent. */
const VENDOR_KEY = 'sk-ant-heldOutVendorKeyNamedInTheManifest';

/** A consumer's own check: it fails, naming file and line, while a job reads legacy_flag from a v2 table. */
const CHECK = `#!/bin/sh
status=0
for f in jobs/*.sql; do
  if grep -q '_v2' "$f"; then
    for n in $(grep -n legacy_flag "$f" | cut -d: -f1); do
      echo "$f:$n: error: column legacy_flag does not exist in the v2 table"
      status=1
    done
  fi
done
exit $status
`;
/** A consumer whose downstream report needs the dropped column: no change can satisfy both. */
const IMPOSSIBLE_CHECK = `${CHECK.replace(/exit \$status\n$/, '')}grep -q legacy_flag jobs/*.sql || { echo "error: the weekly report still needs the legacy flag"; status=1; }
exit $status
`;

const sql = (table: string, extra = '') => `SELECT\n  user_id,\n${extra}  country\nFROM ${table}\n`;

const COMMON = `
import { readFileSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
const context = JSON.parse(process.env.FLEETWAVE_AGENT_CONTEXT);
const stdin = readFileSync(0, 'utf8');
const blockingFiles = [...new Set(context.findings.filter((f) => f.severity === 'blocking' && f.file).map((f) => f.file))];
const dropped = context.fieldMapping.filter((m) => m.dropped).map((m) => m.from);
function dropReads() {
  for (const file of blockingFiles) {
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.split('\\n').filter((l) => !dropped.includes(l.trim().replace(/,$/, ''))).join('\\n'));
  }
}
`;

/** Fixes only what the verifier's failure names; logs what each turn was told. */
const FIXER = `${COMMON}
appendFileSync(process.argv[2], JSON.stringify({ turn: context.turn, previousFailures: context.previousFailures }) + '\\n');
const named = [];
for (const line of context.previousFailures) {
  const m = /([\\w./-]+\\.sql):(\\d+): error: column (\\w+) does not exist/.exec(line);
  if (m) named.push({ file: m[1], line: Number(m[2]) });
}
if (named.length === 0) {
  // Turn 1 (or a failure it does not understand): keeps reading the column, only more carefully.
  for (const file of blockingFiles) {
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^(\\s*)legacy_flag,$/m, '$1COALESCE(legacy_flag, FALSE) AS legacy_flag,'));
  }
} else {
  for (const file of new Set(named.map((n) => n.file))) {
    const drop = new Set(named.filter((n) => n.file === file).map((n) => n.line));
    const lines = readFileSync(file, 'utf8').split('\\n');
    writeFileSync(file, lines.filter((_, i) => !drop.has(i + 1)).join('\\n'));
  }
}
`;

/** Fixes, and writes outside paths every turn. */
const STRAY = `${COMMON}
dropReads();
mkdirSync('.github/workflows', { recursive: true });
writeFileSync('.github/workflows/agent.yml', 'on: push\\njobs: {}\\n');
writeFileSync('Makefile', 'deploy:\\n\\tcurl -X POST https://deploy.example\\n');
`;

/** Fixes, and writes down everything it can see to the file named by its argument. */
const REPORTER = `${COMMON}
import { readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const tryRead = (p) => { try { return readFileSync(p, 'utf8'); } catch { return null; } };
const tryRun = (file, args) => { try { return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) { return String(e.stderr ?? e.message); } };
const proc = {};
for (const pid of readdirSync('/proc').filter((n) => /^\\d+$/.test(n))) {
  proc[pid] = { environ: tryRead('/proc/' + pid + '/environ'), cmdline: tryRead('/proc/' + pid + '/cmdline') };
}
const home = process.env.HOME;
const seen = {
  env: process.env,
  argv: process.argv,
  stdin,
  promptFile: tryRead(process.env.FLEETWAVE_AGENT_PROMPT),
  contextFile: tryRead(process.env.FLEETWAVE_AGENT_CONTEXT_FILE),
  proc,
  home: existsSync(home) ? readdirSync(home, { recursive: true }).map((f) => [f, tryRead(home + '/' + f)]) : null,
  gitConfig: tryRun('git', ['config', '--list', '--show-origin']),
  gitRemotes: tryRun('git', ['remote', '-v']),
  gitPush: tryRun('git', ['push', '--dry-run']),
  files: readdirSync('.', { recursive: true }).filter((f) => !String(f).startsWith('node_modules')),
};
writeFileSync(process.argv[2], JSON.stringify(seen, null, 1));
console.log(JSON.stringify(process.env));
dropReads();
`;

function manifest(name: string, table: string, agent: string): string {
  return agentMigration({
    name,
    table,
    agent: `\n${agent}\n      prompt: prompts/drop-legacy-flag.md\n      paths: ["jobs/**"]\n      maxTurns: 2\n      timeout: 60s`,
    metadata: [`description: Move ${table} to v2; legacy_flag is dropped.`, 'sunset: 2027-03-01'],
    sqlFiles: ['jobs/**/*.sql'],
    rollout: ['canary: 0', 'waves: [100%]', 'soak: 0s', 'failureThreshold: 100%', 'automerge: true'],
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-held-out-'));
  fleet = join(root, 'fleet');
  state = join(root, 'state', 'state.sqlite');
  mkdirSync(join(root, 'state'));
  const repo = (name: string, table: string, extra: string, check = CHECK) =>
    createLocalRepo(fleet, name, { [`jobs/${name.split('/')[1]}.sql`]: sql(table, extra), '.fleetwave/check': check });
  // The fixer's migration: two consumers it can fix after the check's failure, one it cannot, and a
  // control the sql rule migrates alone (no agent), which automerge merges.
  await repo('acme/clicks-a', 'clicks_v1', '  legacy_flag,\n');
  await repo('acme/clicks-b', 'clicks_v1', '  legacy_flag,\n  device,\n');
  await repo('acme/clicks-report', 'clicks_v1', '  legacy_flag,\n', IMPOSSIBLE_CHECK);
  await repo('acme/clicks-control', 'clicks_v1', '');
  await repo('acme/views-a', 'views_v1', '  legacy_flag,\n');
  await repo('acme/plays-a', 'plays_v1', '  legacy_flag,\n');

  mkdirSync(join(root, 'agents'));
  mkdirSync(join(root, 'prompts'));
  writeFileSync(join(root, 'prompts', 'drop-legacy-flag.md'), 'legacy_flag is dropped from the v2 tables: stop reading it.\n');
  for (const [file, text] of [
    ['fixer.mjs', FIXER],
    ['stray.mjs', STRAY],
    ['reporter.mjs', REPORTER],
  ] as const)
    writeFileSync(join(root, 'agents', file), text);
  const cmd = (agent: string, arg: string) => `      command: node ${join(root, 'agents', agent)} ${arg}`;
  manifests.fixer = join(root, 'clicks-v2.yaml');
  writeFileSync(manifests.fixer, manifest('clicks-v2', 'clicks', cmd('fixer.mjs', join(root, 'fixer-turns.jsonl'))));
  manifests.stray = join(root, 'views-v2.yaml');
  writeFileSync(manifests.stray, manifest('views-v2', 'views', cmd('stray.mjs', '')));
  manifests.reporter = join(root, 'plays-v2.yaml');
  writeFileSync(
    manifests.reporter,
    manifest('plays-v2', 'plays', `${cmd('reporter.mjs', join(root, 'reporter-saw.json'))}\n      env: [ANTHROPIC_API_KEY]`),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(manifestPath: string): Promise<{ summary: MigrationSummary; output: string }> {
  const r = await runCli(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], {
    ...SECRETS,
    ANTHROPIC_API_KEY: VENDOR_KEY,
  });
  if (r.code !== 0 || !r.stdout.trim()) throw new Error(`run exited ${r.code}; stderr:\n${r.stderr}`);
  return { summary: JSON.parse(r.stdout) as MigrationSummary, output: r.stdout + r.stderr };
}

const byRepo = (s: MigrationSummary) => Object.fromEntries(s.targets.map((t) => [t.repo, t]));

/** Every string a secret could be found as: the value, and each line of a multi-line value (a PEM's body). */
function secretNeedles(): string[] {
  const out = new Set<string>();
  for (const v of Object.values(SECRETS)) {
    out.add(v);
    for (const line of v.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) out.add(line);
  }
  // The passwords inside URLs, on their own.
  for (const v of Object.values(SECRETS)) {
    const m = /:\/\/[^:]+:([^@]+)@/.exec(v);
    if (m) out.add(m[1]!);
  }
  return [...out];
}

/** Whether this host gives an agent a /proc of its own (confine.ts's probe, asked the same way). */
function privateProcHere(): boolean {
  if (process.env.FLEETWAVE_NO_NAMESPACES === '1') return false;
  const r = spawnSync('unshare', ['-r', '-p', '--fork', '--kill-child', '-m', '/bin/sh', '-c', 'mount -t proc proc /proc'], {
    stdio: 'ignore',
    timeout: 5000,
  });
  return r.status === 0;
}

describe('a held-out fleet no rule can migrate, with held-out agents', () => {
  let fixer: { summary: MigrationSummary; output: string };
  let stray: { summary: MigrationSummary; output: string };
  let reporter: { summary: MigrationSummary; output: string };

  beforeAll(async () => {
    fixer = await run(manifests.fixer);
    stray = await run(manifests.stray);
    reporter = await run(manifests.reporter);
  });

  it('gives the consumers the fixer mends after the verifier failure draft PRs, green and never merged though automerge is on', async () => {
    const t = byRepo(fixer.summary);
    // The control: the rule alone migrates it, its PR is green and automerge merges it.
    expect(t['acme/clicks-control']).toEqual(expect.objectContaining({ state: 'merged' }));
    expect(t['acme/clicks-control']!.agentWritten).toBeFalsy();
    const forge = await openLocalFleet(fleet);
    for (const repo of ['acme/clicks-a', 'acme/clicks-b']) {
      expect(t[repo]).toEqual(
        expect.objectContaining({ state: 'open', agentWritten: true, reason: expect.stringContaining('written by an agent') }),
      );
      const pr = (await forge.getPullRequest(repo, t[repo]!.prNumber!))!;
      expect(pr).toEqual(expect.objectContaining({ state: 'open', draft: true }));
      expect(pr.checks.state).toBe('success');
      expect(parseMarker(pr.body)?.agent).toBe(true);
      expect(pr.body).toContain('A coding agent wrote this change');
      expect(pr.body).toContain('- Turns: 2');
      // Turn 1's check failed, turn 2's passed: the table in the body says so.
      expect(pr.body).toMatch(/\| 1 \| exit 0[^|]*\| ❌ `\.\/\.fleetwave\/check` \| ✅ all passed \|/);
      expect(pr.body).toMatch(/\| 2 \| exit 0[^|]*\| ✅ `\.\/\.fleetwave\/check` \| ✅ all passed \|/);
      const file = `jobs/${repo.split('/')[1]}.sql`;
      const after = await forge.readFile(repo, file, pr.branch);
      expect(after).not.toContain('legacy_flag');
      expect(after).toContain('FROM clicks_v2');
      // The default branch is the consumer's as it was.
      expect(await forge.readFile(repo, file)).toContain('legacy_flag');
    }
    // Turn 2 was told the check's failure, with the file and line; turn 1 was told nothing.
    const turns = readFileSync(join(root, 'fixer-turns.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { turn: number; previousFailures: string[] });
    for (const told of turns.filter((x) => x.turn === 1)) expect(told.previousFailures).toEqual([]);
    const second = turns.filter((x) => x.turn === 2);
    expect(second.length).toBeGreaterThanOrEqual(3); // clicks-a, clicks-b, clicks-report
    for (const told of second)
      expect(told.previousFailures).toEqual(
        expect.arrayContaining([expect.stringMatching(/jobs\/clicks-[a-z]+\.sql:3: error: column legacy_flag does not exist/)]),
      );
    expect(fixer.summary.agent).toEqual({ opened: 2, merged: 0, passedVerifiers: 2, vetoed: 0, failed: 1 });
  });

  it('gives the consumer whose check the fixer cannot satisfy no PR: it stays blocked, saying why', async () => {
    const t = byRepo(fixer.summary)['acme/clicks-report']!;
    expect(t).toEqual(expect.objectContaining({ state: 'blocked', pr: null }));
    expect(t.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('the agent did not pass after 2 turn(s)')]),
    );
    const forge = await openLocalFleet(fleet);
    expect((await forge.findPullRequests(['acme/clicks-report'], branchName('clicks-v2'))).size).toBe(0);
  });

  it('gives the agent that strays outside paths no PR, and says what it wrote', async () => {
    const t = byRepo(stray.summary)['acme/views-a']!;
    expect(t).toEqual(expect.objectContaining({ state: 'blocked', pr: null }));
    const messages = t.findings.map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the agent wrote .github/workflows/agent.yml, outside paths (jobs/**): thrown away (turn 1)'),
        expect.stringContaining('the agent wrote Makefile, outside paths (jobs/**): thrown away (turn 2)'),
        expect.stringContaining('the agent did not pass after 2 turn(s)'),
      ]),
    );
    expect(stray.summary.agent).toEqual({ opened: 0, merged: 0, passedVerifiers: 0, vetoed: 0, failed: 1 });
    const forge = await openLocalFleet(fleet);
    expect(await forge.readFile('acme/views-a', 'Makefile')).toBeNull();
    expect((await forge.findPullRequests(['acme/views-a'], branchName('views-v2'))).size).toBe(0);
  });

  it('lets no secret of Fleetwave’s environment reach the agent, only the vendor key the manifest names', async () => {
    const saw = readFileSync(join(root, 'reporter-saw.json'), 'utf8');
    const seen = JSON.parse(saw) as {
      env: Record<string, string>;
      proc: Record<string, { environ: string | null }>;
      gitConfig: string;
      gitRemotes: string;
      gitPush: string;
    };
    expect(seen.env.ANTHROPIC_API_KEY).toBe(VENDOR_KEY); // what the manifest names does arrive
    for (const name of Object.keys(SECRETS)) expect(seen.env[name]).toBeUndefined();
    const needles = secretNeedles();
    // Where the host gives it a /proc of its own (it does where `unshare -r` works), nothing in /proc
    // is Fleetwave's; where it does not, docs/rules/agent.md says the agent can read our environment there.
    const withoutProc = privateProcHere() ? saw : JSON.stringify({ ...seen, proc: {} });
    if (privateProcHere()) expect(Object.values(seen.proc).every((p) => !p.environ?.includes('FLEETWAVE_STORE'))).toBe(true);
    for (const secret of needles) expect({ secret, found: withoutProc.includes(secret) }).toEqual({ secret, found: false });
    // git shows it no configuration but the copy's own (no /etc/gitconfig: credential helpers, extra headers).
    const origins = seen.gitConfig
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('\t')[0]);
    expect(origins.length).toBeGreaterThan(0);
    for (const origin of origins) expect(origin).toMatch(/^file:\/.*\/fleetwave-agent-[^/]+\/git\/config$/);
    // No way to push: the copy has no remote.
    expect(seen.gitRemotes.trim()).toBe('');
    expect(seen.gitPush).toMatch(/no configured push destination|No configured push destination/);
    // The reporter fixed its consumer: a draft, never merged; what it printed (its environment) is in
    // the run's report and the PR's body without any secret.
    const t = byRepo(reporter.summary)['acme/plays-a']!;
    expect(t).toEqual(expect.objectContaining({ state: 'open', agentWritten: true }));
    const forge = await openLocalFleet(fleet);
    const pr = (await forge.getPullRequest('acme/plays-a', t.prNumber!))!;
    expect(pr.draft).toBe(true);
    for (const secret of needles) {
      expect(pr.body.includes(secret)).toBe(false);
      expect(reporter.output.includes(secret)).toBe(false);
    }
  });

  it('runs again without calling the agents, merging nothing of theirs and changing no agent PR', async () => {
    const forge = await openLocalFleet(fleet);
    const heads = async () =>
      Object.fromEntries(
        await Promise.all(
          ['acme/clicks-a', 'acme/clicks-b', 'acme/plays-a'].map(async (repo) => {
            const pr = (await forge.findPullRequests([repo], branchName(repo === 'acme/plays-a' ? 'plays-v2' : 'clicks-v2'))).get(repo)!;
            return [repo, { sha: pr.headSha, state: pr.state, draft: pr.draft }];
          }),
        ),
      );
    const before = await heads();
    const fixerTurns = readFileSync(join(root, 'fixer-turns.jsonl'), 'utf8');
    const again = await run(manifests.fixer);
    await run(manifests.reporter);
    expect(readFileSync(join(root, 'fixer-turns.jsonl'), 'utf8')).toBe(fixerTurns);
    expect(await heads()).toEqual(before);
    for (const v of Object.values(before)) expect(v).toEqual(expect.objectContaining({ state: 'open', draft: true }));
    expect(byRepo(again.summary)['acme/clicks-report']!.state).toBe('blocked');
    expect(existsSync(join(root, 'state', 'agent-cache'))).toBe(true);
  });
});
