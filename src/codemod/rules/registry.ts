import type { AnyTextRule } from './rule.js';
import { replaceRule } from './replace.js';

/**
 * Every change rule the manifest can name, by name. Add a rule: one file under rules/, one line here;
 * the manifest schema, the docs table and the engine pick it up from this list.
 */
export const textRules: readonly AnyTextRule[] = [replaceRule];

export const ruleNames: readonly string[] = textRules.map((r) => r.name);

export function findTextRule(name: string): AnyTextRule | undefined {
  return textRules.find((r) => r.name === name);
}
