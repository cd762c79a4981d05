/**
 * The manifest's JSON Schema, generated from `manifestSchema` (the one source), for editors
 * (`# yaml-language-server: $schema=./schema.json`) and other tools. Committed as manifests/schema.json;
 * a test fails when the committed file differs from a fresh generation (`npm run schema` rewrites it).
 */
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';
import { changeRuleSchema } from './change-rules.js';
import { manifestSchema } from './schema.js';

export const manifestSchemaId = 'https://fleetwave.dev/schemas/manifest/fleetwave-v1.json';

/** The JSON Schema (draft 2020-12) of what a manifest file may contain: defaults optional, as written. */
export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(manifestSchema, {
    io: 'input',
    target: 'draft-2020-12',
    override(ctx) {
      // A `changes:` entry names exactly one rule (the loader checks the same and says which).
      if ((ctx.zodSchema as unknown) === changeRuleSchema) Object.assign(ctx.jsonSchema, { minProperties: 1, maxProperties: 1 });
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: manifestSchemaId, title: 'Fleetwave manifest (fleetwave/v1)', ...rest };
}

/** The file's exact text: two-space JSON and a final newline. */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

/** Write the schema to `path`, whole or not at all. */
export async function writeManifestJsonSchema(path: string): Promise<void> {
  await writeFileAtomic(path, manifestJsonSchemaText());
}
