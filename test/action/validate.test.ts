/**
 * The Action's validate mode, run as a runner runs it: every problem of a bad manifest becomes an
 * `::error file=…,line=…,col=…::` annotation on stdout at the position the manifest loader reports,
 * the job summary lists them, the step fails; a good manifest passes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../../src/manifest/load.js';
import type { Problem, ValidationError } from '../../src/util/errors.js';
import { repoRoot, runAction } from './run-action.js';

let ws: string;

/** `::error k=v,…::message` lines, with GitHub's escapes undone. */
function annotations(stdout: string): { props: Record<string, string>; message: string }[] {
  const unescape = (s: string) =>
    s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  return [...stdout.matchAll(/^::error (.*?)::(.*)$/gm)].map(([, props, message]) => ({
    props: Object.fromEntries(props!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))])),
    message: unescape(message!),
  }));
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'fleetwave-action-validate-'));
  mkdirSync(join(ws, 'manifests'));
  const good = readFileSync(join(repoRoot, 'manifests/play-events-v2.yaml'), 'utf8');
  writeFileSync(join(ws, 'manifests/good.yaml'), good);
  const bad = good.replace('failureThreshold: 20%', 'failureThreshold: lots').replace('  maxOpenPRs: 25', '  maxOpenPR: 25');
  expect(bad).not.toBe(good);
  writeFileSync(join(ws, 'manifests/bad.yaml'), bad);
  copyFileSync(join(repoRoot, 'manifests/schema.json'), join(ws, 'manifests/schema.json'));
});

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
});

describe('mode validate', () => {
  it('annotates every problem at the line and column the loader reports, and fails the step', async () => {
    let problems: Problem[] = [];
    try {
      await loadManifest(join(ws, 'manifests/bad.yaml'));
    } catch (err) {
      problems = (err as ValidationError).problems;
    }
    expect(problems.length).toBe(2);
    const text = readFileSync(join(ws, 'manifests/bad.yaml'), 'utf8').split('\n');
    const thresholdLine = text.findIndex((l) => l.includes('failureThreshold: lots')) + 1;

    const run = await runAction({ mode: 'validate', manifest: 'manifests' }, { workspace: ws });
    expect(run.code).toBe(1);
    const found = annotations(run.stdout).filter((a) => a.props.file);
    // The message up to its first ';' (what follows lists allowed keys, which grow with the schema).
    expect(found).toEqual(
      problems.map((p) => ({
        props: { title: 'Fleetwave manifest', file: 'manifests/bad.yaml', line: String(p.line), col: String(p.col) },
        message: expect.stringContaining(p.message.split(';')[0]!),
      })),
    );
    expect(found.find((a) => a.message.includes("'lots'"))?.props.line).toBe(String(thresholdLine));
    expect(found.find((a) => a.message.includes('maxOpenPR'))?.message).toContain("did you mean 'maxOpenPRs'");
    expect(run.stdout).toMatch(/^::error::1 invalid manifest\(s\), 2 problem\(s\)/m);
    expect(run.outputs).toEqual({ valid: 'false', problems: '2', migrations: '["play-events-v2"]' });
    expect(run.summary).toContain('**1 of 2 manifest(s) invalid**, 2 problem(s).');
    expect(run.summary).toContain(`| \`manifests/bad.yaml\` | ❌ | ${thresholdLine}:`);
    expect(run.summary).toContain('| `manifests/good.yaml` | ✅ | | valid: migration `play-events-v2` |');
  });

  it('passes a valid manifest without annotations', async () => {
    const run = await runAction({ mode: 'validate', manifest: 'manifests/good.yaml' }, { workspace: ws });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('::error');
    expect(run.outputs).toEqual({ valid: 'true', problems: '0', migrations: '["play-events-v2"]' });
    expect(run.summary).toContain('All 1 manifest(s) valid.');
  });

  it('annotates a manifest that does not exist', async () => {
    const run = await runAction({ mode: 'validate', manifest: 'manifests/nope.yaml' }, { workspace: ws });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout)[0]?.props.file).toBe('manifests/nope.yaml');
  });
});
