/**
 * The play-events migration manifest that the App, Action and GitHub-adapter tests share: data/play-events/v1
 * (Avro) → v2 (Parquet), one replace rule, consumers found by `discover` (one YAML flow entry, such as
 * `repos: [acme/c1]` or `search: data/play-events/v1`), and the given `rollout` lines (none: the defaults).
 */
export function playEventsManifest(discover: string, rollout: readonly string[] = []): string {
  const text = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata:
  name: play-events-v2
  owner: data-platform
dataset:
  source: { uri: data/play-events/v1, format: avro }
  target: { uri: data/play-events/v2, format: parquet }
  gate: none # no data behind these tests: the dataset gate's own tests are test/rollout/dataset-gate*.test.ts
consumers:
  discover:
    - ${discover}
changes:
  - replace: { from: data/play-events/v1, to: data/play-events/v2 }
`;
  return rollout.length === 0 ? text : `${text}rollout:\n${rollout.map((line) => `  ${line}\n`).join('')}`;
}

/** A canary, then everything else in one wave. */
export const CANARY_THEN_ALL = ['canary: 1', "waves: ['100%']"];
