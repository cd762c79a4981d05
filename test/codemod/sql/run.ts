/** Runs the `sql` rule in memory over a few files (no disk, no git): the rule's own output. */
import { runSql } from '../../../src/codemod/rules/sql.js';
import type { RepoRuleOutput } from '../../../src/codemod/rules/rule.js';
import { sqlParams } from '../../../src/manifest/change-rules.js';
import type { TransformStep } from '../../../src/data/transform/schema.js';

export interface SqlCase {
  files: Record<string, string>;
  dialect?: string;
  renameOutputs?: boolean;
  source?: string;
  target?: string;
  transform?: TransformStep[];
}

export const defaultTransform: TransformStep[] = [
  { rename: { from: 'user_id', to: 'userId' } },
  { drop: 'legacy_flag' },
  { cast: { field: 'amount', to: { type: 'decimal', precision: 12, scale: 2 } } },
];

export function runSqlCase(c: SqlCase): RepoRuleOutput {
  const params = sqlParams.parse({ dialect: c.dialect ?? 'bigquery', ...(c.renameOutputs ? { renameOutputs: true } : {}) });
  const files = new Map(Object.entries(c.files));
  return runSql(params, {
    migration: 'm',
    dataset: {
      transform: c.transform ?? defaultTransform,
      source: { uri: 'a/', format: 'avro', ...(c.source !== '' ? { table: c.source ?? 'analytics.events.play_events_v1' } : {}) },
      target: { uri: 'b/', format: 'parquet', table: c.target ?? 'analytics.events.play_events_v2' },
    },
    repo: 'acme/x',
    dir: '/nonexistent',
    paths: [...files.keys()].sort(),
    read: (p) => files.get(p),
  });
}

/** The one file's text after the rule (unchanged when the rule left it). */
export function after(c: SqlCase, path = Object.keys(c.files)[0]!): string {
  return runSqlCase(c).files.get(path) ?? c.files[path]!;
}
