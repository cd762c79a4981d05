/**
 * Temporary working copies of one commit, in a fresh folder under the OS temp dir:
 * - `cloneAt`: a `git clone --shared` of the bare repository (objects borrowed, not copied) checked
 *   out detached at the commit: a real repository, isolated from the fleet (checks run here);
 * - `exportAt`: only the commit's files, written by one git call with a throwaway index (codemods
 *   and impact analysis read here).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { ForgeError } from '../../util/errors.js';
import { git } from './git.js';

export interface WorkingCopy {
  /** The working copy (`<root>/repo`). */
  dir: string;
  /** The temp folder that holds it; removed by `dispose`. */
  root: string;
  dispose(): Promise<void>;
}

export async function cloneAt(gitDir: string, sha: string, purpose: string): Promise<WorkingCopy> {
  const root = await mkdtemp(join(tmpdir(), `fleetwave-${purpose}-`));
  const dir = join(root, 'repo');
  const dispose = () => rm(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    await simpleGit().clone(gitDir, dir, ['--shared', '--no-checkout', '--quiet']);
    await simpleGit(dir).raw(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', sha]);
  } catch (err) {
    await dispose();
    throw new ForgeError(`could not check out ${sha} of ${gitDir}: ${(err as Error).message}`, false, { cause: err });
  }
  return { dir, root, dispose };
}

export async function exportAt(gitDir: string, sha: string, purpose: string): Promise<WorkingCopy> {
  const root = await mkdtemp(join(tmpdir(), `fleetwave-${purpose}-`));
  const dir = join(root, 'repo');
  const dispose = () => rm(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    // The index is a temp file: the bare repository gets no index and no moved HEAD.
    await mkdir(dir);
    await git(['--work-tree', dir, 'checkout', '--force', sha, '--', '.'], { gitDir, env: { GIT_INDEX_FILE: join(root, 'index') } });
  } catch (err) {
    await dispose();
    throw err;
  }
  return { dir, root, dispose };
}
