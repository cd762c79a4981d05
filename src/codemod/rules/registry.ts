import type { AnyRule, AnyTextRule } from './rule.js';
import { codemodRule } from './codemod.js';
import { renameCallRule } from './rename-call.js';
import { renameFieldRule } from './rename-field.js';
import { renameImportRule } from './rename-import.js';
import { replaceRule } from './replace.js';
import { replaceStringRule } from './replace-string.js';
import { schemaTypesRule } from './schema-types.js';
import { pythonRule } from './python.js';
import { sqlRule } from './sql.js';
import { agentRule } from './agent.js';

/**
 * Every change rule the manifest can name, in the order the docs list them. Add a rule: its
 * parameters in src/manifest/change-rules.ts, one file under rules/, one line here; the manifest
 * schema, the docs table and the engine pick it up (test/codemod/rules/registry.test.ts holds the two
 * lists equal).
 */
export const rules: readonly AnyRule[] = [
  replaceRule,
  replaceStringRule,
  renameFieldRule,
  renameImportRule,
  renameCallRule,
  codemodRule,
  schemaTypesRule,
  sqlRule,
  pythonRule,
  agentRule,
];

export function findRule(name: string): AnyRule | undefined {
  return rules.find((r) => r.name === name);
}

/** The text rules alone (kept for callers that only rewrite plain text). */
export const textRules: readonly AnyTextRule[] = rules.filter((r): r is AnyTextRule => r.kind === 'text');
