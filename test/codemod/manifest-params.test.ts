/** Rule parameters are part of the manifest schema: bad ones are manifest validation errors with positions. */
import { describe, expect, it } from '@jest/globals';
import { parseManifest } from '../../src/manifest/load.js';
import { ValidationError } from '../../src/util/errors.js';

const head = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: data/play-events/v1/, format: avro }
  target: { uri: data/play-events/v2/, format: parquet }
consumers:
  discover: [{ repos: [acme/recs] }]
changes:
`;

function problems(changes: string) {
  try {
    parseManifest(head + changes, 'migration.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).problems;
  }
  throw new Error('the manifest was accepted');
}

describe('rule parameters in the manifest', () => {
  it('accepts every rule with good parameters', () => {
    const loaded = parseManifest(
      head +
        `  - replace: { from: data/play-events/v1, to: data/play-events/v2 }
  - replaceString: { from: data/play-events/v1, to: data/play-events/v2, match: prefix }
  - renameField: { type: PlayEvent, from: user_id, to: userId }
  - renameImport: { from: "@acme/play-events-v1", to: "@acme/play-events-v2" }
  - renameCall: { from: readAvro, to: readParquet, module: "@acme/data", args: ["$0", "{}"] }
  - codemod: ./codemods/play-events-v2.ts
`,
      'migration.yaml',
    );
    expect(loaded.manifest.changes).toHaveLength(6);
  });

  it('reports a bad renameField parameter at its line and column', () => {
    const ps = problems(`  - renameField: { type: PlayEvent, from: "user id", to: userId }\n`);
    expect(ps).toContainEqual(
      expect.objectContaining({ file: 'migration.yaml', line: 10, message: expect.stringContaining('identifier') }),
    );
    expect(ps[0]!.col).toBeGreaterThan(30);
  });

  it('reports a missing parameter and an unknown parameter of a rule', () => {
    const ps = problems(`  - renameCall: { from: readAvro }\n  - replaceString: { from: a, to: b, mode: prefix }\n`);
    expect(ps.map((p) => p.line)).toEqual(expect.arrayContaining([10, 11]));
    expect(ps.find((p) => p.line === 11)!.message).toMatch(/mode/);
  });

  it('reports an unknown rule name at its line', () => {
    const ps = problems(`  - renameFeild: { type: PlayEvent, from: a, to: b }\n`);
    expect(ps).toContainEqual(expect.objectContaining({ line: 10, message: expect.stringMatching(/renameFeild/) }));
  });
});
