import { DATASET_V1, DATASET_V2, PLAY_EVENT_SCHEMA_V1, TABLE_V1, TABLE_V2 } from './play-events.js';

/** The dataset's own repository: it holds the migration manifest and the Avro schema. */
export const MANIFEST_REPO = 'acme/play-events';
export const MANIFEST_PATH = 'migrations/play-events-v2.yaml';
export const SCHEMA_PATH = 'schemas/play-event.avsc';
/** The canary: a sandbox whose failure would hurt no one. */
export const CANARY = 'acme/recs-sandbox';

/**
 * The demo migration: v1 (Avro) moves to v2 (Parquet, zstd), which Fleetwave converts from v1 with
 * the transform (user_id → userId, legacy_flag dropped) and verifies before any pull request. The
 * changes move every consumer to v2 and rename the field in their code: renameField (type-aware) in
 * TypeScript, the sql rule in the dbt project and the BigQuery-style jobs (the table
 * analytics.events.play_events_v1 → _v2, the dbt sources YAML), the python rule in the pandas and
 * PySpark jobs. Impact analysis blocks acme/legacy-audit (TypeScript) and acme/legacy-clients (SQL),
 * which read the dropped legacy_flag. One sql rule (BigQuery grammar) covers the dbt models and the
 * jobs: impact analysis reads every SQL file with the first sql rule's dialect, and a second sql rule
 * would find the dbt sources YAML already moved by the first (docs/demo.md).
 *
 * Rollout numbers, for the demo's 27 consumers (22 TypeScript, 5 data; the opted-out repository and
 * the dataset repository itself are not targets; the 2 blocked consumers are in no wave, which leaves 25):
 * - canary acme/recs-sandbox goes first and alone (wave 0);
 * - waves [25%, 60%, 100%] are cumulative: 7, 15 and 25 targets in all, so waves 1, 2, 3 add 6, 8
 *   and 10 consumers (the rest in name order);
 * - failureThreshold 34%: a wave pauses the fleet only when more than a third of it failed. One
 *   consumer failing in a wave of three or more (at most 33%) is reported but does not stop the
 *   rollout; a failing canary (1 of 1 = 100%) would still pause everything;
 * - soak 0s: the demo runs on one machine in one go; a real rollout lets merges soak (e.g. 30m).
 */
export const DEMO_MANIFEST = `# The play-events migration (Fleetwave demo).
# Consumers read ${DATASET_V1} (Avro); they move to ${DATASET_V2} (Parquet, zstd), which Fleetwave
# converts from v1 with the transform below: user_id is called userId, legacy_flag is gone.
apiVersion: fleetwave/v1
kind: DatasetMigration
metadata:
  name: play-events-v2
  owner: data-platform
  description: Move play events to ${DATASET_V2}/ (Parquet), where user_id is called userId and legacy_flag is dropped.
  sensitive: false
  sunset: 2027-03-01

dataset:
  source: { uri: ${DATASET_V1}/, format: avro, table: ${TABLE_V1} }
  target: { uri: ${DATASET_V2}/, format: parquet, compression: zstd, table: ${TABLE_V2} }
  schema: ${SCHEMA_PATH}
  transform:                       # applied to the schema and to every record, in order
    - rename: { from: user_id, to: userId }
    - drop: legacy_flag            # the legacy client is gone; acme/legacy-audit must decide what to do
  verify:                          # v2 against v1 with the transform applied, before any PR
    key: event_id
    rowCount: exact
    checksums: all
    maxMismatchRatio: 0

consumers:
  discover:
    - search: ${DATASET_V1}           # code that reads the lake's files
    - search: ${TABLE_V1.split('.').pop()}           # SQL and Python that read the warehouse table
  include: [acme/*]

changes:
  - replace: { from: ${DATASET_V1}, to: ${DATASET_V2}, files: ["**/*.{ts,js,json,yaml,yml,sql}"] }
  - replace: { from: 'read_avro\\(([^)]*)/\\*\\.avro', to: 'read_parquet($1/*.parquet', regex: true, files: ["**/*.sql"] }
  - replace: { from: 'format: avro', to: 'format: parquet', files: ["config/**/*.{yaml,yml}"] }
  - renameField: { type: PlayEvent, from: user_id, to: userId }
  - sql: { dialect: bigquery, files: ["models/**/*.sql", "tests/**/*.sql", "jobs/**/*.sql"] }   # dbt models and data tests, BigQuery Runner jobs
  - python: { files: ["jobs/**/*.py", "tests/**/*.py"] }                       # pandas and PySpark jobs

rollout:
  canary: [${CANARY}]          # a sandbox first, alone
  waves: [25%, 60%, 100%]          # cumulative share of the fleet after each wave
  soak: 0s                         # the demo runs in one go; real rollouts soak (30m)
  maxOpenPRs: 25
  failureThreshold: 34%            # one failure in a wave of 3+ does not pause; a failed canary does
  automerge: true
  revertOnFailure: true
`;

export const DATASET_README = `# play-events

Play events of the music service: one Avro record per play (schema: \`${SCHEMA_PATH}\`),
in the data lake at \`${DATASET_V1}/\`.

## Migration to v2

\`${MANIFEST_PATH}\` moves every consumer to \`${DATASET_V2}/\`: Parquet (zstd), where
\`user_id\` is called \`userId\` and \`legacy_flag\` is gone. v2 is converted from v1 by Fleetwave
with the manifest's transform and verified against it before any consumer moves. Run it with Fleetwave:

    fleetwave plan ${MANIFEST_PATH} --fleet <fleet>
    fleetwave run ${MANIFEST_PATH} --fleet <fleet>
`;

/** Every file of the dataset repository. */
export function datasetRepoFiles(): Record<string, string> {
  return {
    'README.md': DATASET_README,
    [MANIFEST_PATH]: DEMO_MANIFEST,
    [SCHEMA_PATH]: `${JSON.stringify(PLAY_EVENT_SCHEMA_V1, null, 2)}\n`,
  };
}
