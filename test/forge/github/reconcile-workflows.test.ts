/**
 * Workflow files end to end: the real engine (reconcileOnce, the codemod engine, a memory store) through
 * the GitHub forge against the simulated GitHub, which, as GitHub does, refuses a ref whose commit
 * changes `.github/workflows/**` when the App has no `workflows` permission (app.yml asks for none;
 * docs/github-behaviour.md, "Writing"). The manifest's `replace` rule has no file filter, so it matches
 * the consumer's workflow file, which reads the old dataset.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createChangeApplier } from '../../../src/codemod/engine.js';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { GitHubForge } from '../../../src/forge/github/forge.js';
import { parseManifest } from '../../../src/manifest/load.js';
import { reconcileOnce, type ReconcileDeps } from '../../../src/rollout/reconcile.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { silentLogger } from '../../../src/util/log.js';
import { githubRequests, openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../../helpers/play-events-manifest.js';
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';

const WORKFLOW = '.github/workflows/nightly.yml';

describe('reconcile through the GitHub forge: workflow files', () => {
  let sim: GitHubSimulator;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    await sim.addRepo('acme/c1', {
      'src/read.ts': "export const uri = 'data/play-events/v1';\n",
      [WORKFLOW]: 'jobs:\n  backfill:\n    steps:\n      - run: ./backfill data/play-events/v1\n',
    });
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  function engine(manifest: string) {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl });
    const store = new MemoryStore();
    const deps: ReconcileDeps = { forge, store, changes: createChangeApplier(), logger: silentLogger, now: () => now };
    const loaded = parseManifest(manifest, 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });
    return { tick, store };
  }

  /** The paths of every tree the adapter created. */
  const pushedPaths = () =>
    githubRequests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/git/trees'))
      .flatMap((r) => (r.body as { tree: { path: string }[] }).tree.map((e) => e.path));

  it('by default leaves the workflow file, names it in the PR body, and migrates the rest', async () => {
    const { tick, store } = engine(playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL));
    const opened = await tick();
    expect(opened.executed.map((a) => a.kind)).toEqual(['open']);
    expect(pushedPaths()).toEqual(['src/read.ts']);
    const pr = sim.repos.get('acme/c1')!.pulls[0]!;
    expect(pr.body).toContain('### ⚠️ Please check by hand');
    expect(pr.body).toContain(`\`${WORKFLOW}\``);
    expect(opened.observation.findings.get('acme/c1')!.map((f) => [f.severity, f.file])).toEqual([['warning', WORKFLOW]]);
    expect((await store.events({ migration: 'play-events-v2' })).filter((e) => e.outcome === 'error')).toEqual([]);
    sim.startCI('acme/c1');
    await tick();
    expect(pr.state).toBe('MERGED');
  });

  it('with consumers.editWorkflows and an App without the workflows permission, fails the target saying so', async () => {
    const manifest = playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL).replace(
      'consumers:\n  discover:',
      'consumers:\n  editWorkflows: true\n  discover:',
    );
    const { tick, store } = engine(manifest);
    const refused = await tick();
    expect(pushedPaths()).toEqual([WORKFLOW, 'src/read.ts']);
    expect(refused.failed.map((a) => a.kind)).toEqual(['open']);
    expect(sim.repos.get('acme/c1')!.pulls).toEqual([]);
    const errors = (await store.events({ migration: 'play-events-v2' })).filter((e) => e.outcome === 'error');
    expect(errors.map((e) => [e.target, e.action])).toEqual([['acme/c1', 'open']]);
    expect(String(errors[0]!.detail.error)).toMatch(/GitHub refused acme\/c1:fleetwave\/play-events-v2: .*no workflows permission/);
    expect(String(errors[0]!.detail.error)).not.toMatch(/already exists/);
  });

  it('with consumers.editWorkflows and the workflows permission, changes the workflow file too', async () => {
    sim.workflowsPermission = true;
    const manifest = playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL).replace(
      'consumers:\n  discover:',
      'consumers:\n  editWorkflows: true\n  discover:',
    );
    const { tick } = engine(manifest);
    const opened = await tick();
    expect(opened.executed.map((a) => a.kind)).toEqual(['open']);
    expect(pushedPaths()).toEqual([WORKFLOW, 'src/read.ts']);
    expect(opened.observation.findings.get('acme/c1')).toEqual([]);
  });
});
