/**
 * Monorepos (`consumers.workspaces`): a repository whose packages or dbt projects consume the dataset is
 * split into one target per workspace folder, each with its own branch, pull request, owners (the
 * CODEOWNERS of its files), checks and wave. Files outside every workspace stay with the repository's
 * own target. Pure: the caller says which files exist.
 *
 * A target is named by a string: `owner/name` for a repository, `owner/name/<folder>` for a workspace of
 * it (`acme/mono/packages/billing`). A repository name has exactly one `/`, so the two never collide.
 */
import picomatch from 'picomatch';
import type { ChangeSet, Finding } from '../codemod/port.js';

export interface WorkspaceSpec {
  /** Folder globs (`packages/*`), or `auto`: every folder holding one of WORKSPACE_MARKERS. */
  folders: 'auto' | readonly string[];
  /** `per-workspace`: a target per workspace; `one`: one pull request per repository, a section per workspace. */
  prs: 'per-workspace' | 'one';
}

/**
 * The manifest's `consumers.workspaces` in its one full form: `auto` and a list of globs are short for
 * `{ folders: <it>, prs: per-workspace }`. Null when the manifest does not split repositories.
 */
export function workspaceSpec(
  value: 'auto' | readonly string[] | { folders: 'auto' | readonly string[]; prs: 'per-workspace' | 'one' } | undefined,
): WorkspaceSpec | null {
  if (value === undefined) return null;
  if (value === 'auto' || Array.isArray(value)) return { folders: value as 'auto' | readonly string[], prs: 'per-workspace' };
  return value as WorkspaceSpec;
}

/** The files that make a folder a workspace under `folders: auto`. */
export const WORKSPACE_MARKERS = ['package.json', 'dbt_project.yml', 'pyproject.toml'] as const;

/** A target's repository and workspace folder (null: the repository's own target). */
export interface TargetName {
  repo: string;
  folder: string | null;
}

/** The target of `folder` in `repo` (the repository's own target when `folder` is null). */
export function targetId(repo: string, folder: string | null): string {
  return folder === null ? repo : `${repo}/${folder}`;
}

/** The repository and workspace folder of a target (`owner/name` or `owner/name/<folder>`). */
export function splitTarget(target: string): TargetName {
  const i = target.indexOf('/');
  const j = i < 0 ? -1 : target.indexOf('/', i + 1);
  return j < 0 ? { repo: target, folder: null } : { repo: target.slice(0, j), folder: target.slice(j + 1) };
}

/** The repository a target lives in. */
export function repoOf(target: string): string {
  return splitTarget(target).repo;
}

/**
 * Whether a folder can name a git branch (`git check-ref-format`): no component starting with `.` or
 * ending in `.lock`, none of space, `~^:?*[\`, control characters, `..` or `@{`. A folder that cannot
 * is not split off; its files stay with the repository's target (and a finding says so).
 */
export function isBranchSafeFolder(folder: string): boolean {
  if ([...folder].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) || /[\s~^:?*[\\]|\.\.|@\{/.test(folder)) return false;
  return folder.split('/').every((c) => c.length > 0 && !c.startsWith('.') && !c.endsWith('.lock') && !c.endsWith('.'));
}

/**
 * The workspace folder `path` (a file, relative to the repository root) belongs to: the deepest folder
 * above it that a folder glob matches (or, with `auto`, that holds a marker file); null when none does.
 * The root is never a workspace: its files are the repository's own target.
 */
export function workspaceOfFile(path: string, spec: WorkspaceSpec, exists: (file: string) => boolean): string | null {
  const parts = path.split('/').slice(0, -1);
  const matches = spec.folders === 'auto' ? null : picomatch([...spec.folders], { dot: false });
  for (let n = parts.length; n >= 1; n--) {
    const folder = parts.slice(0, n).join('/');
    const is = matches ? matches(folder) : WORKSPACE_MARKERS.some((m) => exists(`${folder}/${m}`));
    if (is) return folder;
  }
  return null;
}

/** The workspace of every file a change set edits or names in a finding (files outside every workspace are left out). */
export function workspacesOfChangeSet(
  set: ChangeSet,
  spec: WorkspaceSpec,
  exists: (file: string) => boolean,
): { workspaces: Record<string, string>; unsafe: string[] } {
  const workspaces: Record<string, string> = {};
  const unsafe = new Set<string>();
  const files = new Set([...set.edits.map((e) => e.path), ...set.findings.flatMap((f) => (f.file ? [f.file] : []))]);
  for (const file of [...files].sort()) {
    const folder = workspaceOfFile(file, spec, exists);
    if (folder === null) continue;
    if (isBranchSafeFolder(folder)) workspaces[file] = folder;
    else unsafe.add(folder);
  }
  return { workspaces, unsafe: [...unsafe].sort() };
}

/** The workspace folders a change set touches, sorted (from its `workspaces` map). */
export function foldersOf(set: ChangeSet): string[] {
  return [...new Set(Object.values(set.workspaces ?? {}))].sort();
}

/**
 * The part of a repository's change set that belongs to `folder` (null: the files outside every
 * workspace). Edits, rule summaries and findings go with their file; a finding without a file (about
 * the dataset, not a place in the code) goes with every part, as it concerns each. The agent's report
 * goes with every part: its edits cannot be told from the rules' once in one set, and an agent's edit
 * must never be merged by Fleetwave, so each workspace's pull request is then people's to merge.
 */
export function partOf(set: ChangeSet, folder: string | null): ChangeSet {
  const map = set.workspaces ?? {};
  const mine = (file: string) => (map[file] ?? null) === folder;
  const findings: Finding[] = set.findings.filter((f) => (f.file ? mine(f.file) : true));
  return {
    edits: set.edits.filter((e) => mine(e.path)),
    summaries: set.summaries.map((s) => ({ ...s, files: s.files.filter((f) => mine(f.path)) })).filter((s) => s.files.length > 0),
    findings,
    ...(set.agent ? { agent: set.agent } : {}),
  };
}

/** Whether a part has anything for a target: edits, or findings tied to its files. */
export function partMatters(part: ChangeSet): boolean {
  return part.edits.length > 0 || part.findings.some((f) => f.file !== undefined);
}
