/**
 * The codemod rule registry and the manifest's rule parameters (src/manifest/change-rules.ts) are two
 * lists of the same rules: each name the manifest accepts has its rule, checked by the same schema.
 */
import { describe, expect, it } from '@jest/globals';
import { rules } from '../../../src/codemod/rules/registry.js';
import { changeRuleParams, ruleNames, ruleParams } from '../../../src/manifest/change-rules.js';

describe('the rule registry', () => {
  it('holds one rule for each rule the manifest can name, in the same order', () => {
    expect(rules.map((r) => r.name)).toEqual([...ruleNames]);
  });

  it("checks each rule's parameters with the manifest's schema of that rule", () => {
    for (const rule of rules) expect(rule.params).toBe(ruleParams(rule.name));
    expect(Object.keys(changeRuleParams)).toHaveLength(rules.length);
  });

  it('knows no parameters for a name that is no rule', () => {
    expect(ruleParams('toString')).toBeUndefined();
    expect(ruleParams('replaceAll')).toBeUndefined();
  });
});
