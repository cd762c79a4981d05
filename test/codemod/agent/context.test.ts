/**
 * What the agent is told besides the prompt (FLEETWAVE_AGENT_CONTEXT, docs/rules/agent.md "The
 * context") and which targets it works on (`for:`). Pure.
 */
import { describe, expect, it } from '@jest/globals';
import { agentContext, agentWanted } from '../../../src/codemod/agent/context.js';
import type { Finding } from '../../../src/codemod/port.js';
import type { AgentParams } from '../../../src/manifest/change-rules.js';
import { parseManifest } from '../../../src/manifest/load.js';

const loaded = parseManifest(
  `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data }
dataset:
  source: { uri: data/play-events/v1, format: avro, table: analytics.play_events_v1 }
  target: { uri: data/play-events/v2, format: parquet, table: analytics.play_events_v2 }
  transform:
    - rename: { from: userId, to: user_id }
    - cast: { field: amount, to: { type: decimal, precision: 12, scale: 2 } }
    - drop: legacy_flag
consumers:
  discover: [{ repos: [acme/recs] }]
changes:
  - sql: { dialect: bigquery }
  - agent: { command: my-agent, prompt: prompts/p.md, paths: ["src/**"], maxTurns: 4, maxChangedLines: 80 }
`,
  'm.yaml',
).manifest;
const params = (loaded.changes as Record<string, unknown>[]).find((c) => c.agent)!.agent as AgentParams;

const info: Finding = { severity: 'info', message: 'nothing to see' };
const warning: Finding = { severity: 'warning', file: 'src/a.ts', message: 'a dynamic read' };
const blocking: Finding = { severity: 'blocking', file: 'src/score.ts', line: 12, field: 'legacy_flag', message: 'legacy_flag is dropped' };

describe('the agent context', () => {
  it('holds the field mapping from dataset.transform, the old and new locations and tables, the findings with file:line, paths and turns', () => {
    const ctx = agentContext(loaded, 'acme/recs', [info, warning, blocking], params);
    expect(ctx).toEqual({
      migration: 'play-events-v2',
      repo: 'acme/recs',
      dataset: {
        old: { uri: 'data/play-events/v1', format: 'avro', table: 'analytics.play_events_v1' },
        new: { uri: 'data/play-events/v2', format: 'parquet', table: 'analytics.play_events_v2' },
      },
      fieldMapping: [
        {
          from: 'amount',
          to: 'amount',
          dropped: false,
          cast: { type: 'decimal', precision: 12, scale: 2 },
          steps: ['dataset.transform[1]'],
        },
        { from: 'legacy_flag', to: null, dropped: true, cast: null, steps: ['dataset.transform[2]'] },
        { from: 'userId', to: 'user_id', dropped: false, cast: null, steps: ['dataset.transform[0]'] },
      ],
      // info findings are not the agent's business
      findings: [
        { severity: 'warning', at: 'src/a.ts', file: 'src/a.ts', line: null, field: null, message: 'a dynamic read' },
        {
          severity: 'blocking',
          at: 'src/score.ts:12',
          file: 'src/score.ts',
          line: 12,
          field: 'legacy_flag',
          message: 'legacy_flag is dropped',
        },
      ],
      paths: ['src/**'],
      maxChangedLines: 80,
      turn: 1,
      maxTurns: 4,
      previousFailures: [],
    });
  });
});

describe('for: which targets the agent works on', () => {
  const wanted = (f: AgentParams['for'], findings: Finding[]) => agentWanted({ for: f }, findings);
  it('blocked: only a target with a blocking finding', () => {
    expect(wanted('blocked', [blocking])).toBe(true);
    expect(wanted('blocked', [warning, info])).toBe(false);
    expect(wanted('blocked', [])).toBe(false);
  });
  it('findings: a warning or a blocking finding, not info alone', () => {
    expect(wanted('findings', [warning])).toBe(true);
    expect(wanted('findings', [blocking])).toBe(true);
    expect(wanted('findings', [info])).toBe(false);
  });
  it('all: every target', () => {
    expect(wanted('all', [])).toBe(true);
    expect(wanted('all', [info])).toBe(true);
  });
});
