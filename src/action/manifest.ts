/**
 * The manifest loader, imported on first use: the manifest schema includes the codemod rules, which
 * bring the TypeScript compiler (most of the bundle), so convert and verify without a manifest never
 * parse it.
 */
import type { LoadedManifest } from '../manifest/types.js';

export async function loadManifestFile(path: string): Promise<LoadedManifest> {
  const { loadManifest } = await import('../manifest/load.js');
  return loadManifest(path);
}
