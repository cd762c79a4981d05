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

  it('stays within the 65,536 characters GitHub takes in a description with 3,000 places to check, keeping its marker', () => {
    const many = {
      ...changes,
      findings: Array.from({ length: 3000 }, (_, i) => ({
        severity: 'warning' as const,
        file: `app/components/file-${i}.tsx`,
        line: i + 1,
        field: 'url',
        message: 'renameField NavigationNode.url: the type of the value could not be resolved (any); left unchanged; check by hand',
      })),
    };
    const long = pullRequestBody({
      manifest,
      manifestHash: 'abc123',
      source: 'acme/data:m.yaml',
      manifestRef: 'm.yaml',
      changes: many,
      wave: 1,
    });
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(65_536);
    expect(parseMarker(long)).toEqual({
      migration: 'simulated-migration',
      manifestHash: 'abc123',
      source: 'acme/data:m.yaml',
      changes: changesHash(many.edits),
    });
    expect(long).toContain('### ⚠️ Please check by hand');
    expect(long).toContain('`app/components/file-0.tsx:1`');
    expect(long).toMatch(/_\d+ more lines are not shown: GitHub takes at most 65,536 characters in a description\./);
  });
});
