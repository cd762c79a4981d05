/**
 * `npm run schema`: regenerate manifests/schema.json from the manifest schema (atomically).
 * Usage: node build/src/manifest/emit-json-schema.js [output path, default manifests/schema.json]
 */
import { resolve } from 'node:path';
import { writeManifestJsonSchema } from './json-schema.js';

const out = resolve(process.argv[2] ?? 'manifests/schema.json');
await writeManifestJsonSchema(out);
process.stdout.write(`wrote ${out}\n`);
