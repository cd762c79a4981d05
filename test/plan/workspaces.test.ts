/**
 * Monorepo workspaces (src/plan/workspaces.ts): which workspace a file belongs to (globs, `auto`),
 * target names, branch-safe folders, and how a repository's change set is cut into its workspaces'.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChangeSet } from '../../src/codemod/port.js';
import {
  isBranchSafeFolder,
  partMatters,
  partOf,
  splitTarget,
  targetId,
  workspaceOfFile,
  workspacesOfChangeSet,
  workspaceSpec,
} from '../../src/plan/workspaces.js';
import { branchName, migrationOfBranch } from '../../src/rollout/marker.js';
import { trialBranchName } from '../../src/rollout/trial.js';

const globs = { folders: ['packages/*', 'dbt/*'], prs: 'per-workspace' as const };

describe('workspaceOfFile', () => {
  it('gives a file the deepest folder above it that a glob matches, and the root none', () => {
    const none = () => false;
    expect(workspaceOfFile('packages/billing/src/a.ts', globs, none)).toBe('packages/billing');
    expect(workspaceOfFile('dbt/analytics/models/x.sql', globs, none)).toBe('dbt/analytics');
    expect(workspaceOfFile('packages/README.md', globs, none)).toBeNull();
    expect(workspaceOfFile('config.yaml', globs, none)).toBeNull();
    const deep = { folders: ['services/**'], prs: 'per-workspace' as const };
    expect(workspaceOfFile('services/a/b/c.ts', deep, none)).toBe('services/a/b');
  });

  it('with auto, takes the nearest folder holding a package.json, dbt_project.yml or pyproject.toml', () => {
    const files = new Set(['apps/web/package.json', 'apps/web/pkg/inner/pyproject.toml', 'warehouse/dbt_project.yml', 'package.json']);
    const exists = (f: string) => files.has(f);
    const auto = { folders: 'auto' as const, prs: 'per-workspace' as const };
    expect(workspaceOfFile('apps/web/src/x.ts', auto, exists)).toBe('apps/web');
    expect(workspaceOfFile('apps/web/pkg/inner/mod.py', auto, exists)).toBe('apps/web/pkg/inner');
    expect(workspaceOfFile('warehouse/models/m.sql', auto, exists)).toBe('warehouse');
    // The root's package.json makes no workspace: its files are the repository's own target.
    expect(workspaceOfFile('scripts/x.ts', auto, exists)).toBeNull();
  });
});

describe('workspaceSpec', () => {
  it('reads auto and a list as per-workspace, the full form as it is, and nothing as no split', () => {
    expect(workspaceSpec('auto')).toEqual({ folders: 'auto', prs: 'per-workspace' });
    expect(workspaceSpec(['packages/*'])).toEqual({ folders: ['packages/*'], prs: 'per-workspace' });
    expect(workspaceSpec({ folders: ['a/*'], prs: 'one' })).toEqual({ folders: ['a/*'], prs: 'one' });
    expect(workspaceSpec(undefined)).toBeNull();
  });
});

describe('target names and branches', () => {
  it('names a workspace target owner/name/<folder> and splits it back', () => {
    expect(targetId('acme/mono', 'packages/billing')).toBe('acme/mono/packages/billing');
    expect(targetId('acme/mono', null)).toBe('acme/mono');
    expect(splitTarget('acme/mono/packages/billing')).toEqual({ repo: 'acme/mono', folder: 'packages/billing' });
    expect(splitTarget('acme/mono')).toEqual({ repo: 'acme/mono', folder: null });
  });

  it('gives a workspace its own PR and trial branch, which still names the migration', () => {
    expect(branchName('events-v2', 'packages/billing')).toBe('fleetwave/events-v2.ws/packages/billing');
    expect(branchName('events-v2')).toBe('fleetwave/events-v2');
    expect(trialBranchName('events-v2', 'dbt/x')).toBe('fleetwave-trial/events-v2.ws/dbt/x');
    expect(migrationOfBranch('fleetwave/events-v2.ws/packages/billing')).toBe('events-v2');
    expect(migrationOfBranch('refs/heads/fleetwave/events-v2.ws/dbt/x')).toBe('events-v2');
    expect(migrationOfBranch('fleetwave/events-v2.wsx/a')).toBeNull();
  });

  it('refuses folders git cannot put in a branch name', () => {
    expect(isBranchSafeFolder('packages/billing')).toBe(true);
    for (const bad of ['packages/.hidden', 'a b', 'x.lock', 'a..b', 'a@{b', 'a:b', 'tab\there', 'end.'])
      expect([bad, isBranchSafeFolder(bad)]).toEqual([bad, false]);
  });
});

describe('cutting a change set into workspaces', () => {
  const set: ChangeSet = {
    edits: [
      { path: 'config.yaml', before: 'a', after: 'b' },
      { path: 'packages/billing/config.yaml', before: 'a', after: 'b' },
      { path: 'packages/search/config.yaml', before: 'a', after: 'b' },
    ],
    summaries: [
      {
        rule: 'replace',
        description: 'x → y',
        files: [
          { path: 'config.yaml', count: 1 },
          { path: 'packages/billing/config.yaml', count: 2 },
          { path: 'packages/search/config.yaml', count: 1 },
        ],
      },
    ],
    findings: [
      { severity: 'blocking', file: 'packages/search/src/read.ts', line: 3, message: 'reads a dropped field' },
      { severity: 'warning', message: 'the dataset has no key' },
    ],
  };
  const { workspaces, unsafe } = workspacesOfChangeSet(set, globs, () => false);
  const cut = { ...set, workspaces };

  it('notes the workspace of every edited file and of every finding with a file', () => {
    expect(workspaces).toEqual({
      'packages/billing/config.yaml': 'packages/billing',
      'packages/search/config.yaml': 'packages/search',
      'packages/search/src/read.ts': 'packages/search',
    });
    expect(unsafe).toEqual([]);
  });

  it('gives each workspace its files, summaries and findings, and every part the findings without a file', () => {
    const billing = partOf(cut, 'packages/billing');
    expect(billing.edits.map((e) => e.path)).toEqual(['packages/billing/config.yaml']);
    expect(billing.summaries[0]!.files).toEqual([{ path: 'packages/billing/config.yaml', count: 2 }]);
    expect(billing.findings).toEqual([{ severity: 'warning', message: 'the dataset has no key' }]);
    const search = partOf(cut, 'packages/search');
    expect(search.findings.map((f) => f.severity)).toEqual(['blocking', 'warning']);
    const own = partOf(cut, null);
    expect(own.edits.map((e) => e.path)).toEqual(['config.yaml']);
    expect(partMatters(own)).toBe(true);
    expect(partMatters(partOf(cut, 'packages/none'))).toBe(false);
  });

  it('marks every part of a set the agent touched as the agent’s, so none is merged by Fleetwave', () => {
    const agent = { status: 'passed' } as unknown as NonNullable<ChangeSet['agent']>;
    for (const folder of ['packages/billing', 'packages/search', null]) expect(partOf({ ...cut, agent }, folder).agent).toBe(agent);
    expect(partOf(cut, 'packages/billing').agent).toBeUndefined();
  });

  it('leaves a folder that cannot name a branch with the repository, and says which', () => {
    const odd = { folders: ['pkgs/*'], prs: 'per-workspace' as const };
    const r = workspacesOfChangeSet(
      { ...set, edits: [{ path: 'pkgs/.cfg/x.yaml', before: 'a', after: 'b' }], findings: [] },
      odd,
      () => false,
    );
    expect(r).toEqual({ workspaces: {}, unsafe: [] });
    const r2 = workspacesOfChangeSet(
      { ...set, edits: [{ path: 'pkgs/my pkg/x.yaml', before: 'a', after: 'b' }], findings: [] },
      odd,
      () => false,
    );
    expect(r2).toEqual({ workspaces: {}, unsafe: ['pkgs/my pkg'] });
  });
});
