import { DATASET_V1, DATASET_V2, PLAY_EVENT_SCHEMA_V1 } from './play-events.js';

/** The dataset's own repository: it holds the migration manifest and the Avro schema. */
export const MANIFEST_REPO = 'acme/play-events';
export const MANIFEST_PATH = 'migrations/play-events-v2.yaml';
export const SCHEMA_PATH = 'schemas/play-event.avsc';
/** The canary: a sandbox whose failure would hurt no one. */
export const CANARY = 'acme/recs-sandbox';

/**
 * The demo migration. Rollout numbers, for the demo's 22 consumers (the opted-out repository and
 * the dataset repository itself are not targets):
 * - canary acme/recs-sandbox goes first and alone (wave 0);
 * - waves [25%, 60%, 100%] are cumulative: 6, 14 and 22 targets in all, so waves 1, 2, 3 add 5, 8
 *   and 8 consumers (the rest in name order). acme/listener-stats, the one consumer that reads
 *   `user_id`, lands in wave 2 of 8;
 * - failureThreshold 34%: a wave pauses the fleet only when more than a third of it failed. One broken
 *   consumer in a wave of three or more (at most 33%) is reported but does not stop the rollout, so the
 *   demo runs to completion with exactly acme/listener-stats failed (1 of 8 = 12.5%); a failing canary
 *   (1 of 1 = 100%) would still pause everything;
 * - soak 0s: the demo runs on one machine in one go; a real rollout lets merges soak (e.g. 30m).
 */
export const DEMO_MANIFEST = `# The play-events migration (Fleetwave demo).
# Consumers read ${DATASET_V1}; they move to ${DATASET_V2}, where user_id is called userId.
apiVersion: fleetwave/v1
kind: DatasetMigration
metadata:
  name: play-events-v2
  owner: data-platform
  description: Move play events to ${DATASET_V2}/, where user_id is called userId.
  sensitive: false
  sunset: 2027-03-01

dataset:
  source: { uri: ${DATASET_V1}/, format: avro }
  target: { uri: ${DATASET_V2}/, format: avro, compression: none }
  schema: ${SCHEMA_PATH}
  verify:
    key: event_id
    rowCount: exact

consumers:
  discover:
    - search: ${DATASET_V1}
  include: [acme/*]

changes:
  - replace: { from: ${DATASET_V1}, to: ${DATASET_V2}, files: ["**/*.{ts,js,json,yaml,yml,sql}"] }

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

\`${MANIFEST_PATH}\` moves every consumer to \`${DATASET_V2}/\`, where \`user_id\` is called
\`userId\`. Run it with Fleetwave:

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
