/**
 * A small real fleet for engine tests: bare git repositories made by the local forge, consumers whose
 * checks are their own `.fleetwave/check` script (a grep, so a check costs milliseconds, not a tsc run).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRepo } from '../../src/forge/local/index.js';

export const OLD = 'data/events/v1';
export const NEW = 'data/events/v2';

/**
 * A consumer whose check (`.fleetwave/check`, a shell script) passes only when its config points at
 * one of `accepts`: a healthy consumer works before and after the migration (its default branch is
 * green, so it may be a canary); the broken one accepts only the old dataset.
 */
function consumer(accepts: string[]): Record<string, string> {
  // One character class, not the old dataset's literal name: the rescan after a merge counts that.
  const pattern = accepts.length > 1 ? 'data/events/v[12]' : accepts[0]!;
  return {
    'config.yaml': `dataset: ${OLD}\nowner: team\n`,
    '.fleetwave/check': `#!/bin/sh\ngrep -qE '${pattern}' config.yaml || { echo "config.yaml does not point at a dataset this consumer reads"; exit 1; }\n`,
    'README.md': `reads ${OLD}\n`,
  };
}

export interface TestFleet {
  root: string;
  fleet: string;
  manifestPath: string;
  state: string;
  consumers: string[];
  broken: string;
  cleanup(): void;
}

export function manifestText(
  extra: { waves?: string; threshold?: string; maxOpen?: number; gate?: 'verified' | 'none'; revertOnFailure?: boolean } = {},
): string {
  return `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata:
  name: events-v2
  owner: data-platform
  description: Move events to v2.
dataset:
  source: { uri: ${OLD}/, format: avro }
  target: { uri: ${NEW}/, format: parquet }
  gate: ${extra.gate ?? 'none'} # none: no data behind most tests; the dataset gate's own are test/rollout/dataset-gate*.test.ts
consumers:
  discover:
    - search: ${OLD}
changes:
  - replace: { from: ${OLD}, to: ${NEW}, files: ["**/*.yaml", "**/*.md"] }
rollout:
  canary: 1
  waves: ${extra.waves ?? '[1, 50%, 100%]'}
  soak: 0s
  maxOpenPRs: ${extra.maxOpen ?? 25}
  failureThreshold: ${extra.threshold ?? '50%'}
  automerge: true
${extra.revertOnFailure ? '  revertOnFailure: true\n' : ''}`;
}

/** Six consumers (c05 breaks under the change), one repository that does not use the dataset. */
export async function buildTestFleet(manifest = manifestText()): Promise<TestFleet> {
  const root = mkdtempSync(join(tmpdir(), 'fleetwave-fleet-'));
  const fleet = join(root, 'fleet');
  const consumers = ['acme/c01', 'acme/c02', 'acme/c03', 'acme/c04', 'acme/c05', 'acme/c06'];
  for (const repo of consumers) await createLocalRepo(fleet, repo, consumer(repo === 'acme/c05' ? [OLD] : [OLD, NEW]));
  await createLocalRepo(fleet, 'acme/unrelated', { 'README.md': 'nothing to see\n' });
  const manifestPath = join(root, 'events-v2.yaml');
  writeFileSync(manifestPath, manifest);
  return {
    root,
    fleet,
    manifestPath,
    state: join(root, 'state.sqlite'),
    consumers,
    broken: 'acme/c05',
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A one-wave manifest of events-v2 (no canary, `checksGrace: 0s`): `metadata` and `rollout` lines are
 * added as given (YAML flow entries for metadata, indented block lines for rollout).
 */
export function oneWaveManifest(extra: { metadata?: string; rollout?: string[] } = {}): string {
  return `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: events-v2, owner: data-platform${extra.metadata ? `, ${extra.metadata}` : ''} }
dataset:
  source: { uri: ${OLD}/, format: avro }
  target: { uri: ${NEW}/, format: parquet }
  gate: none
consumers:
  discover: [{ search: ${OLD} }]
changes:
  - replace: { from: ${OLD}, to: ${NEW}, files: ["**/*.yaml"] }
rollout:
  canary: 0
  waves: ["100%"]
  checksGrace: 0s
${(extra.rollout ?? []).map((l) => `  ${l}\n`).join('')}`;
}

/** A fresh folder with a fleet of `repos`, each a consumer reading OLD in config.yaml with `check` as its check. */
export async function smallFleet(
  repos: string[],
  check = '#!/bin/sh\nexit 0\n',
): Promise<{ root: string; fleet: string; state: string; cleanup(): void }> {
  const root = mkdtempSync(join(tmpdir(), 'fleetwave-small-fleet-'));
  const fleet = join(root, 'fleet');
  for (const repo of repos) await createLocalRepo(fleet, repo, { 'config.yaml': `dataset: ${OLD}\n`, '.fleetwave/check': check });
  return { root, fleet, state: join(root, 'state.sqlite'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
