/**
 * What an agent is told besides the prompt (`FLEETWAVE_AGENT_CONTEXT`, JSON): the field mapping built
 * from `dataset.transform`, the old and new locations and tables, the findings with `file:line`, the
 * files it may change, and the previous turn's failures. Pure.
 */
import type { CastTarget } from '../../data/transform/schema.js';
import type { Manifest } from '../../manifest/types.js';
import type { AgentParams } from '../../manifest/change-rules.js';
import { fieldMapping } from '../field-mapping.js';
import type { Finding } from '../port.js';

export interface AgentContext {
  migration: string;
  repo: string;
  dataset: {
    old: { uri: string; format: string; table: string | null };
    new: { uri: string; format: string; table: string | null };
  };
  /**
   * One row per column the migration touches, by its name before the migration: `to` is its name in the
   * new dataset (the same when it is only cast), null when it is dropped.
   */
  fieldMapping: { from: string; to: string | null; dropped: boolean; cast: CastTarget | null; steps: string[] }[];
  findings: {
    severity: Finding['severity'];
    at: string | null;
    file: string | null;
    line: number | null;
    field: string | null;
    message: string;
  }[];
  /** Globs of the only files it may change, and how many lines at most. */
  paths: string[];
  maxChangedLines: number;
  /** The turn (1-based) and the turns allowed. */
  turn: number;
  maxTurns: number;
  /** What failed on the previous turn: verifier error lines and broken guards (empty on turn 1). */
  previousFailures: string[];
}

export function agentContext(manifest: Manifest, repo: string, findings: readonly Finding[], params: AgentParams): AgentContext {
  const mapping = fieldMapping(manifest.dataset.transform);
  const { source, target } = manifest.dataset;
  return {
    migration: manifest.metadata.name,
    repo,
    dataset: {
      old: { uri: source.uri, format: source.format, table: source.table ?? null },
      new: { uri: target.uri, format: target.format, table: target.table ?? null },
    },
    fieldMapping: [...mapping.columns.values()]
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
      .map((c) => ({
        from: c.from,
        to: c.dropped ? null : (c.to ?? c.from),
        dropped: c.dropped,
        cast: c.cast ?? null,
        steps: [...c.steps],
      })),
    findings: findings
      .filter((f) => f.severity !== 'info')
      .map((f) => ({
        severity: f.severity,
        at: f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : null,
        file: f.file ?? null,
        line: f.line ?? null,
        field: f.field ?? null,
        message: f.message,
      })),
    paths: [...params.paths],
    maxChangedLines: params.maxChangedLines,
    turn: 1,
    maxTurns: params.maxTurns,
    previousFailures: [],
  };
}

/** Which targets the agent works on (`for:`): blocked ones, those with any warning or blocking finding, or all. */
export function agentWanted(params: Pick<AgentParams, 'for'>, findings: readonly Finding[]): boolean {
  if (params.for === 'all') return true;
  if (params.for === 'blocked') return findings.some((f) => f.severity === 'blocking');
  return findings.some((f) => f.severity !== 'info');
}
