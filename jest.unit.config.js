/**
 * `npm run test:unit`: the fast tier for the inner loop — no git, no child processes, no browser, no
 * fleet simulation; about 40 s on 2 cores. `npm test` (jest.config.js) runs these and the rest.
 *
 * The tests left out here are the ones that start git, a child process (the CLI, the Action bundle,
 * a consumer's checks), a browser, or simulate a whole fleet. A new test that does any of these goes
 * on this list; `npm run test:unit` run with a `git` that always fails (PATH=<dir with a failing git>:…)
 * shows one that was missed.
 */
import base from './jest.config.js';

const integration = [
  'test/agent/runner.test.ts',
  'test/agent/rollout-agent.test.ts',
  'test/agent/held-out-fleet.test.ts',
  'test/agent/sandbox.test.ts',
  'test/cli/agent.test.ts',
  'test/cli/demo-agent.test.ts',
  'test/security/same-name-hijack.test.ts',
  'test/security/symlink-writes-local.test.ts',
  'test/action/',
  'test/app/catalog.test.ts',
  'test/app/replay.test.ts',
  'test/app/workers-world.test.ts',
  'test/app/processes-world.test.ts',
  'test/app/change-jobs.test.ts',
  'test/app/tracking-quiet.test.ts',
  'test/app/tracking-permissions.test.ts',
  'test/catalog/files-catalog.test.ts',
  'test/cli/concurrent-runs.test.ts',
  'test/cli/workers.test.ts',
  'test/queue/conformance.test.ts',
  'test/composition/alert-jobs.test.ts',
  'test/cli/local-jobs.test.ts',
  'test/cli/validate-files.test.ts',
  'test/cli/demo.test.ts',
  'test/rollout/reviewers-local.test.ts',
  'test/rollout/living-fleet-local.test.ts',
  'test/rollout/workspaces-local.test.ts',
  'test/rollout/upkeep-local.test.ts',
  'test/rollout/sunset-local.test.ts',
  'test/rollout/nudge-local.test.ts',
  'test/composition/allocator.test.ts',
  'test/composition/compiler-code-cache.test.ts',
  'test/cli/local-context-catalog.test.ts',
  'test/codemod/rules/codemod.test.ts',
  'test/codemod/diff.test.ts',
  'test/dashboard/browser.test.ts',
  'test/data/manifest-schema-path.test.ts',
  'test/data/storage/azure.test.ts',
  'test/data/storage/s3.test.ts',
  'test/data/convert-storage-s3.test.ts',
  'test/data/convert-storage-azure.test.ts',
  'test/data/backfill/backfill-s3.test.ts',
  'test/data/verify-storage-s3.test.ts',
  'test/demo/build-demo-fleet.test.ts',
  'test/demo/consumer-checks.test.ts',
  'test/forge/github/checkout.test.ts',
  'test/forge/github/reconcile-auto-merge.test.ts',
  'test/forge/github/reconcile-merges.test.ts',
  'test/forge/github/reconcile-workspaces.test.ts',
  'test/forge/github/reconcile-permissions.test.ts',
  'test/forge/github/reconcile-workflows.test.ts',
  'test/forge/github/shared-budget.test.ts',
  'test/forge/local/',
  'test/lint/',
  'test/live/',
  'test/rollout/observed-merge.test.ts',
  'test/rollout/run-local.test.ts',
  'test/rollout/trial-run.test.ts',
  'test/scripts/',
  'test/security/git-token.test.ts',
  'test/security/untrusted-check.test.ts',
  'test/security/untrusted-codemod.test.ts',
  'test/simulate/simulate.test.ts',
];

export default {
  ...base,
  globalSetup: undefined,
  // Every core: these tests start no process of their own (762 tests: 41 s with 2 workers, 77 s with 1).
  maxWorkers: 2,
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...integration.map((path) => `<rootDir>/${path}`)],
};
