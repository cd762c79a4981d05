/**
 * The agent command lines the docs recommend are the ones scripts/check-agent-command-lines.mjs runs
 * against the real programs: a line changed in one place and not the other would be an untested line.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain .mjs script without types
import { AGENTS } from '../../scripts/check-agent-command-lines.mjs';

const docs = readFileSync('docs/rules/agent.md', 'utf8');
const tested = docs.slice(docs.indexOf('## Tested command lines'));

describe('the tested agent command lines', () => {
  const agents = AGENTS as { name: string; package: string; command: string; env: string }[];

  it('are the ones the docs give, with their versions and vendor keys', () => {
    expect(agents.map((a) => a.name)).toEqual(['claude', 'codex']);
    for (const a of agents) {
      expect(tested).toContain(`  command: ${a.command}\n  env: [${a.env}]\n  network: host\n`);
      expect(tested).toContain(` ${a.package.split('@').at(-1)} (`);
    }
  });

  it('the docs recommend no other line for these agents', () => {
    const lines = [...tested.matchAll(/^ {2}command: ((claude|codex) .*)$/gm)].map((m) => m[1]);
    expect(lines).toEqual(agents.map((a) => a.command));
  });
});
