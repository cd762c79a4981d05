/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * The App end to end: a real Probot with the Fleetwave App, the real engine (run loop, codemod
 * engine, SQLite store) wired by the App's composition root, and the GitHub forge, against a stateful
 * simulated GitHub (test/forge/github/simulator.ts) holding the given repositories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot } from 'probot';
import { FleetwaveApp } from '../../src/app/fleetwave-app.js';
import { budgetedProbotOctokit } from '../../src/app/github.js';
import { registerHandlers } from '../../src/app/index.js';
import { DEFAULT_CONFIG } from '../../src/app/types.js';
import { createChangeApplier } from '../../src/codemod/engine.js';
import type { EngineEnv } from '../../src/composition/engine-deps.js';
import { RequestBudget } from '../../src/forge/github/request-budget.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { runMigration } from '../../src/rollout/run.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { example, inRepo } from './fixtures.js';
import { privateKey } from './app-key.js';

/** A repository of the simulated GitHub: its files on main, and how its pull requests' checks end. */
export interface WorldRepo {
  files: Record<string, string>;
  checks?: 'SUCCESS' | 'FAILURE' | 'PENDING';
}

export interface EngineWorld {
  sim: GitHubSimulator;
  probot: Probot;
  fw: FleetwaveApp;
  /** Delivers a webhook and carries out the reconciles it asked for, as the App does after its answer. */
  deliver(event: { id: string; name: string; payload: unknown }): Promise<void>;
  /** Every summary the engine returned, in order. */
  summaries: MigrationSummary[];
  dispose(): Promise<void>;
}

/**
 * The organisation's `.github/fleetwave.yml` of every world unless a test gives its own `acme/.github`:
 * acme/data-platform may start migrations (src/app/manifest-policy.ts).
 */
export const WORLD_POLICY = 'manifests:\n  - repository: data-platform\n';

/** Starts the simulated GitHub (installed on nock) with `repos`, and the App over it. */
export async function engineWorld(
  repos: Record<string, WorldRepo>,
  options: { env?: EngineEnv; now?: () => Date } = {},
): Promise<EngineWorld> {
  const sim = new GitHubSimulator('fleetwave[bot]');
  const all: Record<string, WorldRepo> = { 'acme/.github': { files: { 'fleetwave.yml': WORLD_POLICY } }, ...repos };
  for (const [full, repo] of Object.entries(all)) await sim.addRepo(full, repo.files, repo.checks);
  sim.install();
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-app-world-'));
  const store = openSqliteStore(join(dir, 'fleetwave.sqlite'));
  const budget = new RequestBudget({}, new FakeClock());
  const summaries: MigrationSummary[] = [];
  const probot = new Probot({ appId: 1, privateKey, secret: 's', Octokit: budgetedProbotOctokit(budget), logLevel: 'fatal' });
  let fw: FleetwaveApp | undefined;
  await probot.load((p: Probot) => {
    fw = new FleetwaveApp(p, {
      reconcileMigration: async (deps, loaded, reconcileOptions) => {
        const s = await runMigration(deps, loaded, reconcileOptions);
        summaries.push(s);
        return s;
      },
      parseManifest,
      store,
      changes: createChangeApplier(),
      now: options.now ?? (() => new Date('2026-01-01T00:00:00Z')),
      config: { ...DEFAULT_CONFIG, gitBaseUrl: sim.gitBaseUrl, queueDelayMs: 3_600_000 },
      budget,
      ...(options.env ? { env: options.env } : {}),
    });
    registerHandlers(p, fw);
  });
  return {
    sim,
    probot,
    fw: fw!,
    deliver: async (event) => {
      await probot.receive(event as never);
      await fw!.drain();
    },
    summaries,
    dispose: async () => {
      fw!.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      await sim.dispose();
    },
  };
}

/** A push to main of `repo` that adds the manifest at `path`. */
export function manifestPush(repo: string, path: string): { name: 'push'; payload: any } {
  const push = inRepo(example('push'), repo);
  Object.assign(push, {
    ref: 'refs/heads/main',
    after: 'a'.repeat(40),
    deleted: false,
    commits: [{ id: 'a'.repeat(40), added: [path], modified: [], removed: [] }],
  });
  return { name: 'push', payload: push };
}
