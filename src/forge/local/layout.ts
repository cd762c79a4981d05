/**
 * Where things live in a local fleet:
 *
 *   <fleet>/<owner>/<name>.git                 a bare git repository per consumer (humans clone it)
 *   <fleet>/.forge/fleet.json                  marks the folder as a fleet
 *   <fleet>/.forge/archived                    archived repositories, one `owner/name` a line
 *   <fleet>/.forge/pulls/<owner>/<name>.json   pull request records of one repository
 *   <fleet>/.forge/checks/<owner>/<name>/<sha>.json|.log   check results (and output tail) by commit
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../util/errors.js';
import type { RepoName } from '../port.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Split and check `owner/name`; anything else (paths, `..`, dots first) is bad input. */
export function parseRepoName(repo: string): { owner: string; name: string } {
  const parts = repo.split('/');
  const [owner, name] = parts;
  if (parts.length !== 2 || !owner || !name || !SEGMENT.test(owner) || !SEGMENT.test(name) || name.endsWith('.git')) {
    throw new InputError(`"${repo}" is not a repository name: expected owner/name (letters, digits, '_', '-', '.'; no ".git" suffix)`);
  }
  return { owner, name };
}

export class FleetLayout {
  constructor(readonly root: string) {}

  get forgeDir(): string {
    return join(this.root, '.forge');
  }
  get markerFile(): string {
    return join(this.forgeDir, 'fleet.json');
  }
  get archivedFile(): string {
    return join(this.forgeDir, 'archived');
  }
  repoDir(repo: RepoName): string {
    const { owner, name } = parseRepoName(repo);
    return join(this.root, owner, `${name}.git`);
  }
  pullsFile(repo: RepoName): string {
    const { owner, name } = parseRepoName(repo);
    return join(this.forgeDir, 'pulls', owner, `${name}.json`);
  }
  checksDir(repo: RepoName): string {
    const { owner, name } = parseRepoName(repo);
    return join(this.forgeDir, 'checks', owner, name);
  }

  /** Every `<owner>/<name>.git` that is a bare repository, sorted by name. */
  async scanRepositories(): Promise<RepoName[]> {
    const repos: RepoName[] = [];
    for (const owner of await listDirs(this.root)) {
      if (!SEGMENT.test(owner)) continue;
      for (const entry of await listDirs(join(this.root, owner))) {
        if (!entry.endsWith('.git')) continue;
        const name = entry.slice(0, -'.git'.length);
        if (SEGMENT.test(name) && isBareRepository(join(this.root, owner, entry))) repos.push(`${owner}/${name}`);
      }
    }
    return repos.sort();
  }

  /** Working copies at `<owner>/<name>` (not bare): named in the error when a folder is not a fleet. */
  async scanWorkingCopies(): Promise<string[]> {
    const found: string[] = [];
    for (const owner of await listDirs(this.root)) {
      if (owner.startsWith('.')) continue;
      for (const entry of await listDirs(join(this.root, owner))) {
        if (existsSync(join(this.root, owner, entry, '.git'))) found.push(`${owner}/${entry}`);
      }
    }
    return found.sort();
  }
}

export function isBareRepository(dir: string): boolean {
  return (
    existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs')) && !existsSync(join(dir, '.git'))
  );
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
