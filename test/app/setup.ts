/**
 * A real Probot (v14) with the Fleetwave App loaded, a real SQLite store and the real manifest
 * loader; GitHub is nock (checked against the OpenAPI description). The reconcile use case is
 * injected, as in production: here it records its calls and returns a summary, so these tests look
 * at what the App does with webhooks, not at the engine (tested on its own with the local forge).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot } from 'probot';
import type { Logger } from 'pino';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { FleetwaveApp } from '../../src/app/fleetwave-app.js';
import { registerHandlers } from '../../src/app/index.js';
import { budgetedProbotOctokit } from '../../src/app/github.js';
import type { ManifestPolicy } from '../../src/app/manifest-policy.js';
import { type AppServices, DEFAULT_CONFIG, type ReconcileRequest, type TrialMigration } from '../../src/app/types.js';
import { RequestBudget } from '../../src/forge/github/request-budget.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import type { ReconcileDeps } from '../../src/rollout/reconcile.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ReconcileQueue, Store } from '../../src/store/port.js';
import type { JobQueue } from '../../src/queue/port.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { githubApi } from '../helpers/openapi.js';
import { INSTALLATION } from './fixtures.js';
import { privateKey } from './app-key.js';

export const SECRET = 'webhook-secret';

/** An operator's policy that lets every repository start migrations (the tests of other concerns). */
export const ALLOW_ALL: ManifestPolicy = { origin: 'test', rules: [{ repository: '*/*', targets: ['*/*'] }] };
export const BOT_LOGIN = 'fleetwave[bot]';

export interface ReconcileCall {
  deps: ReconcileDeps;
  loaded: LoadedManifest;
  options: ReconcileRequest;
}

export function summaryOf(loaded: LoadedManifest, extra: Partial<MigrationSummary> = {}): MigrationSummary {
  return {
    migration: loaded.manifest.metadata.name,
    state: 'running',
    reason: null,
    manifest: loaded.path,
    manifestHash: loaded.hash,
    fleet: 'github:acme',
    store: 'test',
    waves: [{ index: 0, size: 1, state: 'active', failed: 0, failedShare: 0 }],
    targets: [
      {
        repo: 'acme/recs',
        wave: 0,
        state: 'open',
        pr: 'https://github.com/acme/recs/pull/3',
        prNumber: 3,
        reason: null,
        needsHuman: false,
        checks: 'pending',
        findings: [],
      },
    ],
    counts: { planned: 0, blocked: 0, open: 1, merged: 0, failed: 0, reverted: 0, skipped: 0 },
    waitingUntil: null,
    ...extra,
  };
}

export interface TestApp {
  probot: Probot;
  fw: FleetwaveApp;
  calls: ReconcileCall[];
  store: Store & ReconcileQueue;
  /** Where the store is, for a second App over it. */
  storeFile: string;
  dispose(): void;
}

/**
 * `store`: the SQLite file to open (another App's, to start where it stopped); by default a new one,
 * removed on dispose. The queue runs only when a test drains it (`fw.drain()`), unless `queueDelayMs` says.
 */
export async function startApp(
  options: {
    summary?: (loaded: LoadedManifest) => MigrationSummary | Promise<MigrationSummary>;
    log?: Logger;
    store?: string;
    queueDelayMs?: number;
    /** The operator's policy on manifest repositories; default: every repository may start migrations. */
    manifestPolicy?: ManifestPolicy | null;
    /** A migration the store already knows, with the tracking issue the App opened for it. */
    tracking?: { migration: string; source: string; issue: number };
    /** The job queue workers take from (FLEETWAVE_APP_WORKERS=external); absent, the App reconciles itself. */
    jobs?: JobQueue;
    /** `/fleetwave trial`'s use case, in place of the real trial run (which pushes to every target). */
    trial?: TrialMigration;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-app-'));
  const store = openSqliteStore(options.store ?? join(dir, 'fleetwave.sqlite'));
  const calls: ReconcileCall[] = [];
  const changes: ChangeApplier = { compute: async () => ({ edits: [], summaries: [], findings: [] }) };
  const budget = new RequestBudget({}, new FakeClock());
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: SECRET,
    Octokit: budgetedProbotOctokit(budget),
    ...(options.log ? { log: options.log } : { logLevel: 'fatal' as const }),
  });
  let fw: FleetwaveApp | undefined;
  const services: AppServices = {
    reconcileMigration: async (deps, loaded, opts) => {
      calls.push({ deps, loaded, options: opts });
      return (options.summary ?? summaryOf)(loaded);
    },
    parseManifest,
    store,
    changes,
    now: () => new Date('2026-01-01T00:00:00Z'),
    config: {
      ...DEFAULT_CONFIG,
      queueDelayMs: options.queueDelayMs ?? 3_600_000,
      manifestPolicy: options.manifestPolicy === undefined ? ALLOW_ALL : options.manifestPolicy,
    },
    budget,
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.trial ? { trialMigration: options.trial } : {}),
  };
  if (options.tracking) {
    const t = options.tracking;
    await store.claimMigration({ migration: t.migration, source: t.source, installation: INSTALLATION, at: '2025-12-01T00:00:00Z' });
    await store.setTrackingIssue(t.migration, t.issue);
  }
  await probot.load((p: Probot) => {
    fw = new FleetwaveApp(p, services);
    registerHandlers(p, fw);
  });
  return {
    probot,
    fw: fw!,
    calls,
    store,
    storeFile: store.location,
    dispose: async () => {
      fw!.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The installation token and, once per App, the bot identity. */
export function authInterceptors(scope = githubApi(), options: { bot?: boolean } = {}) {
  scope
    .post(`/app/installations/${INSTALLATION}/access_tokens`)
    .reply(201, { token: 'ghs_installation_token', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' });
  if (options.bot !== false) {
    scope
      .get('/app')
      .reply(200, { id: 1, slug: 'fleetwave', name: 'Fleetwave' })
      .get(`/users/${encodeURIComponent(BOT_LOGIN)}`)
      .reply(200, { login: BOT_LOGIN, id: 99, type: 'Bot' });
  }
  return scope;
}
