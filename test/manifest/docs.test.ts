import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ruleNames } from '../../src/manifest/change-rules.js';
import { manifestJsonSchema } from '../../src/manifest/json-schema.js';

const docPath = 'docs/manifest.md';
const doc = readFileSync(docPath, 'utf8');

type Json = { properties?: Record<string, Json>; items?: Json; anyOf?: Json[] };

/** Every property name of the manifest, with its dotted path (change-rule parameters left to the rule pages). */
function fields(schema: Json, prefix: string, out: string[] = []): string[] {
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (path === 'changes') continue;
    fields(value, path, out);
    for (const branch of [value.items, ...(value.anyOf ?? []), ...(value.items?.anyOf ?? [])]) if (branch) fields(branch, path, out);
  }
  return out;
}

/** A name is documented when it appears in backticks, alone or as the end of a dotted path. */
function documented(name: string): boolean {
  return doc.includes(`\`${name}\``) || doc.includes(`.${name}\``) || doc.includes(`\`${name}:`) || doc.includes(`\`${name} (`);
}

describe('docs/manifest.md', () => {
  it('documents every field of the schema', () => {
    const missing = fields(manifestJsonSchema() as Json, '').filter((path) => !documented(path.split('.').pop()!));
    expect(missing).toEqual([]);
  });

  it('documents every registered change rule, here or on its own page', () => {
    const missing = ruleNames.filter((name) => !documented(name) && !existsSync(`docs/rules/${name}.md`));
    expect(missing).toEqual([]);
  });

  it('has no relative link to a file that does not exist', () => {
    const targets = [...doc.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(3);
    expect(targets.filter((t) => !existsSync(join(dirname(docPath), t)))).toEqual([]);
  });
});
