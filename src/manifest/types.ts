import type { z } from 'zod';
import type { manifestSchema } from './schema.js';

/** A validated manifest with every default filled in. */
export type Manifest = z.output<typeof manifestSchema>;
export type RolloutSpec = Manifest['rollout'];

/** A manifest as loaded from a file: the parsed value, where it came from, and its content hash. */
export interface LoadedManifest {
  manifest: Manifest;
  /** Path of the file it was read from. */
  path: string;
  /** sha256 of the file's bytes, hex; PR markers and approvals are bound to it. */
  hash: string;
  /** The file's text, for re-reporting positions. */
  text: string;
}
