/**
 * The `ChangeApplier` the rollout uses: the codemod engine's edits for a repository.
 */
import type { ChangeApplier } from './port.js';
import { CodemodEngine, type EngineOptions } from './codemod-engine.js';

export { CodemodEngine, type EngineOptions } from './codemod-engine.js';

export function createChangeApplier(options: EngineOptions = {}): ChangeApplier {
  return new CodemodEngine(options);
}
