import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { simpleGit } from 'simple-git';

/** One repository of a demo fleet as a test sees it: a clone of `main`, its files and its history. */
export interface RepoSnapshot {
  repo: string;
  gitDir: string;
  clone: string;
  /** Repository-relative paths, sorted. */
  files: string[];
  /** `author <email>|committer|author date` per commit, newest first. */
  log: string[];
  read(path: string): string;
}

export function bareRepos(fleetDir: string): string[] {
  return readdirSync(fleetDir, { withFileTypes: true })
    .filter((o) => o.isDirectory() && !o.name.startsWith('.'))
    .flatMap((o) =>
      readdirSync(join(fleetDir, o.name))
        .filter((n) => n.endsWith('.git'))
        .map((n) => `${o.name}/${n.slice(0, -4)}`),
    )
    .sort();
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === '.git') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? walk(path, root) : [relative(root, path).split('\\').join('/')];
  });
}

/** Clone every repository of the fleet into `into` (a few at a time: git processes are the cost). */
export async function snapshotFleet(fleetDir: string, into: string): Promise<Map<string, RepoSnapshot>> {
  const repos = bareRepos(fleetDir);
  const out = new Map<string, RepoSnapshot>();
  for (let i = 0; i < repos.length; i += 4) {
    await Promise.all(
      repos.slice(i, i + 4).map(async (repo) => {
        const gitDir = join(fleetDir, `${repo}.git`);
        const clone = join(into, repo);
        await simpleGit().clone(gitDir, clone, ['--quiet']);
        const log = (await simpleGit(clone).raw(['log', '--format=%an <%ae>|%cn|%aI', 'main'])).trim().split('\n');
        out.set(repo, { repo, gitDir, clone, files: walk(clone).sort(), log, read: (path) => readFileSync(join(clone, path), 'utf8') });
      }),
    );
  }
  return out;
}
