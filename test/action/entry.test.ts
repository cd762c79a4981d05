/**
 * The bundle's entry as a runner starts it: an unknown mode fails the step naming the modes; the
 * reconcile mode's chunk (with the GitHub client and the codemod engine) loads from dist/ and refuses
 * to run without credentials, before any request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction } from './run-action.js';

let ws: string;

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'fleetwave-action-entry-'));
  copyFileSync(join(repoRoot, 'manifests/play-events-v2.yaml'), join(ws, 'migration.yaml'));
  copyFileSync(join(repoRoot, 'manifests/schema.json'), join(ws, 'schema.json'));
});

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
});

describe('the Action entry (dist/index.js)', () => {
  it('fails the step on an unknown mode, naming the modes', async () => {
    const run = await runAction({ mode: 'transmogrify' }, { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::input `mode`: "transmogrify" is not one of convert, verify, validate, reconcile, codemod');
    expect(run.outputs).toEqual({});
  });

  it('reconcile without a token or App credentials fails the step saying which inputs to give', async () => {
    const run = await runAction(
      { mode: 'reconcile', manifest: 'migration.yaml' },
      { workspace: ws, env: { GITHUB_REPOSITORY: 'acme/data-platform' } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::mode reconcile needs the input `token`.*or `app-id` and `private-key`$/m);
    expect(run.stderr).toBe('');
  });
});
