/** Folders the commands work in: the manifest's repository and a consumer repository's checkout. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './errors.js';

/** The manifest repository: the git work tree holding the manifest, else the manifest's folder. */
export function manifestRepoDir(manifestPath: string, explicit?: string): string {
  if (explicit) return resolve(explicit);
  const dir = dirname(resolve(manifestPath));
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return dir;
  }
}

export function checkRepoDir(repoDir: string): string {
  const abs = resolve(repoDir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new InputError(`${repoDir}: no such folder; give the consumer repository's checkout`);
  return abs;
}
