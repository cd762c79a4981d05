import { describe, expect, it } from '@jest/globals';
import { annotateBlockingReads, commentSyntax } from '../../../src/codemod/agent/annotate.js';
import type { Finding } from '../../../src/codemod/port.js';
import { parseManifest } from '../../../src/manifest/load.js';

const manifest = parseManifest(
  `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: events-v2, owner: data, sunset: 2027-03-01 }
dataset:
  source: { uri: data/events/v1/, format: avro }
  target: { uri: data/events/v2/, format: parquet }
  transform:
    - rename: { from: userId, to: user_id }
    - drop: legacy_flag
consumers:
  discover:
    - search: data/events/v1
changes:
  - replace: { from: data/events/v1, to: data/events/v2 }
`,
  'm.yaml',
).manifest;

const blocking = (file: string, line: number, field: string): Finding => ({ severity: 'blocking', file, line, field, message: 'breaks' });

describe('fallback: annotate', () => {
  it("puts a comment in the file's syntax above each blocking read, indented like it, once", () => {
    const files: Record<string, string> = {
      'jobs/a.sql': 'SELECT\n  legacy_flag\nFROM t\n',
      'etl/read.py': 'def f(df):\n    return df["legacy_flag"], df.userId\n',
      'README.txt': 'legacy_flag\n',
    };
    const findings = [
      blocking('jobs/a.sql', 2, 'legacy_flag'),
      blocking('etl/read.py', 2, 'legacy_flag'),
      blocking('etl/read.py', 2, 'userId'),
      blocking('README.txt', 1, 'legacy_flag'),
    ];
    const out = annotateBlockingReads(manifest, findings, (p) => files[p], 'https://guide');
    expect(out.count).toBe(2);
    expect(out.skipped).toEqual(['README.txt']);
    expect(Object.fromEntries(out.edits.map((e) => [e.path, e.after]))).toEqual({
      'etl/read.py':
        'def f(df):\n    # fleetwave: legacy_flag is dropped on 2027-03-01; userId is renamed to user_id on 2027-03-01, see https://guide\n    return df["legacy_flag"], df.userId\n',
      'jobs/a.sql': 'SELECT\n  -- fleetwave: legacy_flag is dropped on 2027-03-01, see https://guide\n  legacy_flag\nFROM t\n',
    });
    // Again on the annotated text (the blocking reads one line lower): nothing new.
    const again = annotateBlockingReads(
      manifest,
      [blocking('jobs/a.sql', 3, 'legacy_flag')],
      (p) => out.edits.find((e) => e.path === p)?.after ?? undefined,
      'https://guide',
    );
    expect(again.edits).toEqual([]);
  });

  it('knows the line comment of SQL, Python, YAML and the C family', () => {
    expect(['q.sql', 'a.py', 'c.yaml', 'x.ts', 'y.go', 'z.md'].map(commentSyntax)).toEqual(['--', '#', '#', '//', '//', undefined]);
  });
});
