/**
 * The migration the agent tests run (issue 19): `<table>` v1 → v2 with `legacy_flag` dropped, so the
 * `sql` rule leaves a job that reads the column blocked and the `agent` rule takes over; and the
 * consumer's SQL and check that go with it.
 */

/** A job that reads the dropped column: the sql rule alone leaves it blocked. */
export const LEGACY_SQL = 'SELECT\n  legacy_flag,\n  country\nFROM events_v1\n';

/** A consumer's `.fleetwave/check`: fails while a job on events_v2 still reads legacy_flag, naming it. */
export const LEGACY_CHECK = `#!/bin/sh
# legacy_flag is not a column of events_v2
for f in jobs/*.sql; do
  if grep -q events_v2 "$f" && grep -n legacy_flag "$f"; then echo "$f: error: legacy_flag is not a column of events_v2"; exit 1; fi
done
`;

export interface AgentMigration {
  /** The `agent` rule as written after `- agent:` (a flow mapping, or a newline and its block lines indented six). */
  agent: string;
  /** metadata.name (default events-v2). */
  name?: string;
  /** The dataset's name: data/<table>/v1/ and tables <table>_v1, <table>_v2 (default events). */
  table?: string;
  /** metadata lines after name and owner, indented two (description, sunset…). */
  metadata?: string[];
  /** The sql rule's `files` (default none: every SQL file). */
  sqlFiles?: string[];
  /** The rollout block's lines, indented two (none: no rollout block). */
  rollout?: string[];
}

export function agentMigration(m: AgentMigration): string {
  const table = m.table ?? 'events';
  const files = m.sqlFiles ? `, files: [${m.sqlFiles.map((f) => JSON.stringify(f)).join(', ')}]` : '';
  return `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata:
  name: ${m.name ?? 'events-v2'}
  owner: data-platform
${(m.metadata ?? []).map((l) => `  ${l}\n`).join('')}dataset:
  source: { uri: data/${table}/v1/, format: avro, table: ${table}_v1 }
  target: { uri: data/${table}/v2/, format: parquet, table: ${table}_v2 }
  transform:
    - drop: legacy_flag
  gate: none
consumers:
  discover:
    - search: ${table}_v1
changes:
  - sql: { dialect: ansi${files} }
  - agent:${m.agent.startsWith('\n') ? '' : ' '}${m.agent}
${m.rollout ? `rollout:\n${m.rollout.map((l) => `  ${l}\n`).join('')}` : ''}`;
}
