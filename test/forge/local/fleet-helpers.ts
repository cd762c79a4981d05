/** Temp fleets and human clones for the local forge's tests (real bare repositories, real git). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { openLocalFleet, type LocalForge, type LocalForgeOptions } from '../../../src/forge/local/index.js';

export interface TempFleet {
  root: string;
  fleet: string;
  cleanup(): void;
}

export function tempFleet(): TempFleet {
  const root = mkdtempSync(join(tmpdir(), 'fleetwave-local-forge-test-'));
  return { root, fleet: join(root, 'fleet'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function forgeFor(fleet: string, options: LocalForgeOptions = {}): Promise<LocalForge> {
  return openLocalFleet(fleet, options);
}

/** A human's clone of `<fleet>/<repo>.git`, with a human identity configured. */
export async function humanClone(
  root: string,
  fleet: string,
  repo: string,
  who = { name: 'Hannah Human', email: 'hannah@example.com' },
): Promise<{ dir: string; git: SimpleGit }> {
  const dir = mkdtempSync(join(root, 'clone-'));
  await simpleGit().clone(join(fleet, `${repo}.git`), dir);
  const git = simpleGit(dir);
  await git.addConfig('user.name', who.name).addConfig('user.email', who.email).addConfig('commit.gpgsign', 'false');
  return { dir, git };
}

/** A person's commit of `file` (with `text`) pushed to `branch` of `repo`, through a clone of their own. */
export async function pushTo(root: string, fleet: string, repo: string, branch: string, file: string, text: string): Promise<void> {
  const human = await humanClone(root, fleet, repo);
  await human.git.checkout(branch);
  writeFileSync(join(human.dir, file), text);
  await human.git.add(file).commit(`edit ${file}`);
  await human.git.push('origin', branch);
}

export const edit = (path: string, before: string | null, after: string | null) => ({ path, before, after });
