/**
 * `fleetwave demo --agent`: the demo's second mode, where the manifest's owner adds an `agent` rule
 * (docs/rules/agent.md) for the two consumers impact analysis blocks on the dropped legacy_flag. The
 * agent is a scripted program standing in for Claude Code or Codex (no model, no network, no key):
 *
 * - acme/legacy-clients (a BigQuery job): the legacy client is gone in v2, so its plays count 0 from
 *   then on — `COUNTIF(legacy_flag)` becomes `0`; the job's own check (DuckDB over the lake) passes,
 *   and the change comes as a draft PR people review, never merged by Fleetwave;
 * - acme/legacy-audit (TypeScript): the agent may change only `jobs/**`, so it changes nothing there and
 *   does not pass; `fallback: annotate` then offers a draft PR that only comments the reads.
 *
 * The default demo keeps both blocked. The program and the prompt live in the manifest repository; the
 * manifest names the program by where the demo's working copy of that repository holds it.
 */
import { parseDocument } from 'yaml';

export const DEMO_AGENT_PATH = 'agents/demo-agent.mjs';
export const DEMO_PROMPT_PATH = 'prompts/legacy-flag.md';
export const DEMO_GUIDE = 'https://wiki.acme.example/data/play-events-v2#legacy-flag';

/** The scripted agent (Node, ESM): reads FLEETWAVE_AGENT_CONTEXT, edits the SQL files its findings name. */
export const DEMO_AGENT_MJS = String.raw`#!/usr/bin/env node
// The demo's scripted coding agent (fleetwave demo --agent), standing in for a real one. It reads the
// context Fleetwave gives every agent (FLEETWAVE_AGENT_CONTEXT: the field mapping, the findings with
// file:line) and, in the SQL files the findings name, counts the plays of a dropped flag as 0.
import { readFileSync, writeFileSync } from 'node:fs';

const context = JSON.parse(process.env.FLEETWAVE_AGENT_CONTEXT);
const dropped = context.fieldMapping.filter((m) => m.dropped).map((m) => m.from);
const files = [...new Set(context.findings.map((f) => f.file).filter((f) => f && f.endsWith('.sql')))];
for (const file of files) {
  const before = readFileSync(file, 'utf8');
  let after = before;
  for (const field of dropped) after = after.replace(new RegExp('COUNTIF\\(\\s*' + field + '\\s*\\)', 'g'), '0');
  if (after !== before) {
    writeFileSync(file, after);
    console.log('turn ' + process.env.FLEETWAVE_AGENT_TURN + ': ' + file + ': counted the dropped ' + dropped.join(', ') + ' as 0');
  }
}
if (files.length === 0) console.log('no SQL file to change here: leaving it to people');
`;

export const DEMO_PROMPT = `# play-events v2: legacy_flag is dropped

The legacy client is gone: v2 of play-events has no \`legacy_flag\`. In a report of the legacy client's
plays, count them as 0 from v2 on (\`COUNTIF(legacy_flag)\` becomes \`0\`) and keep everything else as it
is. Do not touch tests or checks. If a read of \`legacy_flag\` is not such a count, leave it to people.
`;

/**
 * The dataset repository's files with the agent added: its program, its prompt and the manifest's
 * `agent` rule, whose command names the program where the demo's working copy of the repository
 * will hold it (`agentPath`, absolute). Added before v2 is converted and verified, so the
 * verification record is for this manifest. Pure.
 */
export function withDemoAgent(files: Readonly<Record<string, string>>, manifestPath: string, agentPath: string): Record<string, string> {
  const doc = parseDocument(files[manifestPath]!);
  doc.addIn(['changes'], {
    agent: {
      command: `node ${JSON.stringify(agentPath)}`,
      prompt: DEMO_PROMPT_PATH,
      for: 'blocked',
      maxTurns: 2,
      timeout: '2m',
      paths: ['jobs/**'],
      maxChangedLines: 20,
      fallback: 'annotate',
      guide: DEMO_GUIDE,
    },
  });
  return { ...files, [manifestPath]: doc.toString(), [DEMO_AGENT_PATH]: DEMO_AGENT_MJS, [DEMO_PROMPT_PATH]: DEMO_PROMPT };
}
