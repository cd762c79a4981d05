/**
 * The agent's prompt: a file in the manifest repository, reviewed like the manifest, read whole and
 * hashed (sha256 of its bytes; the hash keys the cache and is shown in the pull request).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../../util/errors.js';
import { insideRoot } from '../../util/inside-root.js';

export interface AgentPrompt {
  path: string;
  text: string;
  hash: string;
}

export function readAgentPrompt(manifestDir: string, path: string, field = 'agent.prompt'): AgentPrompt {
  const file = insideRoot(manifestDir, path, field, 'the manifest repository');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError(
      `${field}: cannot read ${path} in the manifest repository (${(err as NodeJS.ErrnoException).code ?? String(err)}); add the prompt file next to the manifest`,
    );
  }
  return { path, text: bytes.toString('utf8'), hash: createHash('sha256').update(bytes).digest('hex') };
}
