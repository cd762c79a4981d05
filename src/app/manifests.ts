/**
 * Finding manifests: which files of a push are manifests (the configured globs, and the text says
 * `kind: DatasetMigration`), and, for a webhook about a consumer's pull request, where the manifest of
 * a migration lives — one GraphQL query per 100 of the installation's repositories lists the names in
 * every manifest folder on each default branch (a `migrations/` folder may hold hundreds of SQL files:
 * their text is never asked for), then one more per 100 repositories that have files matching the
 * globs reads only those files. Nothing is remembered that GitHub cannot give back; the answer is
 * cached a few minutes to spare requests.
 *
 * Size (issue 14): the listing asks each entry's byte size, and a file over the manifest cap
 * (`yamlLimits.maxBytes`, 1 MiB, which parsing enforces) is never downloaded: it is returned as
 * skipped (`scanManifestFiles`) and logged at warn with its repository, path, size and the limit.
 */
import picomatch from 'picomatch';
import { parse } from 'yaml';
import type { GitHubClient } from '../forge/github/client.js';
import { LARGE_BATCH, perRepository } from '../forge/github/graphql.js';
import type { RepoName } from '../forge/port.js';
import { yamlLimits } from '../manifest/yaml-document.js';
import { createLogger, type Logger } from '../util/log.js';

export function manifestMatcher(globs: readonly string[]): (path: string) => boolean {
  return picomatch([...globs], { dot: true });
}

/** Manifests are YAML documents of kind DatasetMigration; other YAML under the same folder is ignored. */
export function looksLikeManifest(text: string): boolean {
  return /^kind:\s*["']?DatasetMigration["']?\s*(#.*)?$/m.test(text);
}

interface PushCommit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

/** Paths added or changed by the push that match the globs, in the order first seen; removed at the end are left out. */
export function changedManifestPaths(commits: readonly PushCommit[], globs: readonly string[]): string[] {
  const isManifest = manifestMatcher(globs);
  const state = new Map<string, boolean>();
  for (const c of commits) {
    for (const p of [...(c.added ?? []), ...(c.modified ?? [])]) if (isManifest(p)) state.set(p, true);
    for (const p of c.removed ?? []) if (state.has(p) || isManifest(p)) state.set(p, false);
  }
  return [...state].filter(([, present]) => present).map(([p]) => p);
}

/** The folder of a `dir/*.yaml` glob ('' for the repository's root). */
export function globFolder(glob: string): string {
  const i = glob.lastIndexOf('/');
  return i < 0 ? '' : glob.slice(0, i);
}

export interface ManifestLocation {
  repo: RepoName;
  path: string;
  text: string;
}

function migrationName(text: string): string | null {
  try {
    const doc = parse(text) as { kind?: unknown; metadata?: { name?: unknown } } | null;
    return doc?.kind === 'DatasetMigration' && typeof doc.metadata?.name === 'string' ? doc.metadata.name : null;
  } catch {
    return null;
  }
}

interface Folder {
  entries?: { name: string; type: string; size?: number | null }[];
}

/** A file the manifest globs match that was not read: larger than a manifest may be. */
export interface OversizeManifest {
  repo: RepoName;
  path: string;
  /** Its size in bytes, as GitHub lists it (or as its text measured, when the listing had none). */
  size: number;
  /** The cap: `yamlLimits.maxBytes`. */
  limit: number;
}

let appLog: Logger | undefined;
const defaultLog = (): Logger => (appLog ??= createLogger({ name: 'fleetwave-app' }));

/**
 * Every manifest on the default branch of `repos`, by migration name. Two manifests with one name: the
 * one at `holder(name)` (the claim's `repo:path`, src/rollout/identity.ts) wins, else the first found.
 * Files over the manifest cap are not read; each is logged on `log` at warn (scanManifestFiles returns them).
 */
export async function scanManifests(
  client: GitHubClient,
  repos: readonly RepoName[],
  globs: readonly string[],
  holder: (migration: string) => string | null = () => null,
  log: Pick<Logger, 'warn'> = defaultLog(),
): Promise<Map<string, ManifestLocation>> {
  const { found, oversize } = await scanManifestFiles(client, repos, globs, holder);
  for (const o of oversize) {
    log.warn(
      { repo: o.repo, path: o.path, size: o.size, limit: o.limit },
      `manifest ${o.repo}:${o.path} skipped unread: ${o.size} bytes, over the ${o.limit}-byte (1 MiB) cap on a manifest`,
    );
  }
  return found;
}

/** scanManifests, with the files it left unread because they are over the manifest cap. */
export async function scanManifestFiles(
  client: GitHubClient,
  repos: readonly RepoName[],
  globs: readonly string[],
  holder: (migration: string) => string | null = () => null,
): Promise<{ found: Map<string, ManifestLocation>; oversize: OversizeManifest[] }> {
  const isManifest = manifestMatcher(globs);
  const folders = [...new Set(globs.map(globFolder))];
  const limit = yamlLimits.maxBytes;
  const oversize: OversizeManifest[] = [];
  // 1: names, types and sizes only, in every manifest folder.
  const listing = folders
    .map((f, i) => `f${i}: object(expression: ${JSON.stringify(`HEAD:${f}`)}) { ... on Tree { entries { name type size } } }`)
    .join(' ');
  const listed = await perRepository<Record<string, Folder | null>>(
    client,
    'list manifest folders',
    repos,
    listing,
    undefined,
    '',
    LARGE_BATCH,
  );
  const candidates = new Map<RepoName, string[]>();
  for (const [repo, answer] of listed) {
    folders.forEach((folder, i) => {
      for (const e of answer?.[`f${i}`]?.entries ?? []) {
        const path = folder ? `${folder}/${e.name}` : e.name;
        if (e.type !== 'blob' || !isManifest(path)) continue;
        if (typeof e.size === 'number' && e.size > limit) {
          oversize.push({ repo, path, size: e.size, limit });
          continue;
        }
        const list = candidates.get(repo) ?? [];
        list.push(path);
        candidates.set(repo, list);
      }
    });
  }
  const found = new Map<string, ManifestLocation>();
  if (candidates.size === 0) return { found, oversize };
  // 2: the text of the files the globs match, in the repositories that have any (each asked for the same paths).
  const paths = [...new Set([...candidates.values()].flat())].sort();
  const reading = paths.map((p, j) => `m${j}: object(expression: ${JSON.stringify(`HEAD:${p}`)}) { ... on Blob { text } }`).join(' ');
  const texts = await perRepository<Record<string, { text?: string | null } | null>>(
    client,
    'read manifests',
    [...candidates.keys()],
    reading,
    undefined,
    '',
    LARGE_BATCH,
  );
  for (const [repo, answer] of texts) {
    paths.forEach((path, j) => {
      const text = answer?.[`m${j}`]?.text;
      if (!text || !candidates.get(repo)?.includes(path)) return;
      // A listing without sizes: the cap still holds, on the text.
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > limit) {
        oversize.push({ repo, path, size: bytes, limit });
        return;
      }
      if (!looksLikeManifest(text)) return;
      const name = migrationName(text);
      if (name && (!found.has(name) || holder(name) === `${repo}:${path}`)) found.set(name, { repo, path, text });
    });
  }
  return { found, oversize };
}

/** The installation's repositories, by name only (`GET /installation/repositories`, 100 a page). */
export async function installationRepositoryNames(client: GitHubClient): Promise<RepoName[]> {
  const names: RepoName[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request('GET /installation/repositories', { per_page: 100, page });
    for (const r of res.data.repositories) names.push(r.full_name);
    if (res.data.repositories.length < 100 || names.length >= res.data.total_count) return names;
  }
}

/** Where each installation's migrations live, remembered for `ttlMs`. */
export class ManifestLocator {
  private readonly cache = new Map<string, { at: number; found: Map<string, ManifestLocation> }>();

  constructor(
    private readonly globs: readonly string[],
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async locate(client: GitHubClient, installation: number, migration: string): Promise<ManifestLocation | null> {
    const key = String(installation);
    const cached = this.cache.get(key);
    if (cached && cached.at > this.now() - this.ttlMs && cached.found.has(migration)) return cached.found.get(migration)!;
    const repos = await installationRepositoryNames(client);
    const found = await scanManifests(client, repos, this.globs);
    this.cache.set(key, { at: this.now(), found });
    return found.get(migration) ?? null;
  }

  forget(installation: number): void {
    this.cache.delete(String(installation));
  }
}
