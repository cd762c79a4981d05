import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's location (test/data/avro/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared Apache Avro conformance corpus: `../shared/data/avro` beside the repository. */
export const corpusDir = resolve(repoRoot, '../shared/data/avro');

export const corpusFile = (name: string): string => join(corpusDir, name);
