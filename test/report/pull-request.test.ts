import { describe, expect, it } from '@jest/globals';
import { simulationManifest } from '../../src/simulate/simulate.js';
import { pullRequestBody, pullRequestTitle } from '../../src/report/pull-request.js';
import { changesHash, parseMarker } from '../../src/rollout/marker.js';

describe('pull request body', () => {
  const { manifest } = simulationManifest();
  const changes = {
    edits: [{ path: 'config.yaml', before: 'a', after: 'b' }],
    summaries: [
      { rule: 'replace', description: 'replace `data/events/v1` → `data/events/v2`', files: [{ path: 'config.yaml', count: 2 }] },
    ],
    findings: [{ severity: 'warning' as const, file: 'src/x.ts', line: 3, field: 'user_id', message: 'type could not be resolved' }],
  };
  const body = pullRequestBody({
    manifest,
    manifestHash: 'abc123',
    source: 'acme/data:.fleetwave/m.yaml',
    manifestRef: 'migrations/m.yaml',
    changes,
    wave: 0,
    burndown: '```mermaid\nxychart-beta\n```',
  });

  it('carries the hidden marker with the migration, the manifest hash and the hash of its change', () => {
    expect(parseMarker(body)).toEqual({
      migration: 'simulated-migration',
      manifestHash: 'abc123',
      source: 'acme/data:.fleetwave/m.yaml',
      changes: changesHash(changes.edits),
    });
  });

  it('says what changed and why, what to check, how to roll back, and the fleet progress', () => {
    expect(body).toContain('Wave 0 (canary)');
    expect(body).toMatch(/\*\*replace\*\*.*2 changes in 1 file/);
    expect(body).toContain('`src/x.ts:3` field `user_id`: type could not be resolved');
    expect(body).toContain('### How to roll back');
    expect(body).toContain('### Fleet progress');
    expect(pullRequestTitle(manifest)).toBe('[fleetwave] simulated-migration');
  });
});
