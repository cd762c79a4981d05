import { z } from 'zod';
import type { AnyRule, AnyTextRule } from './rule.js';
import { codemodRule } from './codemod.js';
import { renameCallRule } from './rename-call.js';
import { renameFieldRule } from './rename-field.js';
import { renameImportRule } from './rename-import.js';
import { replaceRule } from './replace.js';
import { replaceStringRule } from './replace-string.js';
import { schemaTypesRule } from './schema-types.js';

/**
 * Every change rule the manifest can name, by name, in the order the docs list them. Add a rule: one
 * file under rules/, one line here; the manifest schema, the docs table and the engine pick it up.
 */
export const rules: readonly AnyRule[] = [replaceRule, replaceStringRule, renameFieldRule, renameImportRule, renameCallRule, codemodRule, schemaTypesRule];

export const ruleNames: readonly string[] = rules.map((r) => r.name);

export function findRule(name: string): AnyRule | undefined {
  return rules.find((r) => r.name === name);
}

/** The text rules alone (kept for callers that only rewrite plain text). */
export const textRules: readonly AnyTextRule[] = rules.filter((r): r is AnyTextRule => r.kind === 'text');

export function findTextRule(name: string): AnyTextRule | undefined {
  return textRules.find((r) => r.name === name);
}

/**
 * The schema of one `changes:` entry: an object naming exactly one rule, whose value its rule's
 * `params` check. Built as one strict object (not a union) so that a bad parameter is reported at
 * its own path (`changes[1].renameField.from`) and an unknown rule name as an unrecognized key.
 */
export const changeRuleSchema: z.ZodType<Record<string, unknown>> = z
  .strictObject(Object.fromEntries(rules.map((r) => [r.name, r.params.optional()])))
  .superRefine((value, ctx) => {
    const named = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (named.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a change names exactly one rule (one of ${ruleNames.join(', ')}), found ${named.length ? named.join(' and ') : 'none'}`,
      });
    }
  }) as z.ZodType<Record<string, unknown>>;
