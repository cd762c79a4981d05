/**
 * The App asks for exactly the permissions its requests need. `@octokit/openapi` carries no per-endpoint
 * App permission, so docs/github-app.md holds GitHub's published answer ("Permissions required for
 * GitHub Apps", https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps)
 * for every route Fleetwave calls, and this test holds the code, that table, GitHub's REST description
 * and app.yml to each other:
 *
 * - every REST route called in src/ (`request('METHOD /path')`, `octokit.rest.<ns>.<method>(`) has a row,
 *   and every row is a route src/ calls;
 * - every route exists in `@octokit/openapi`;
 * - app.yml grants every permission a row names, at the access named, and asks for nothing no row needs
 *   (`metadata: read` is every App's).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Access, appPermissions, documentedRoutes } from '../../helpers/github-permissions.js';
import { checkGitHubRequest } from '../../helpers/openapi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `checks/create` → `POST /repos/{owner}/{repo}/check-runs`, from GitHub's description. */
function routesByOperationId(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const out = new Map<string, string>();
  for (const [path, ops] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(ops)) if (op.operationId) out.set(op.operationId, `${method.toUpperCase()} ${path}`);
  return out;
}

/** Every REST route the code calls, with the files that call it. */
function calledRoutes(): Map<string, string[]> {
  const byOperation = routesByOperationId();
  const out = new Map<string, string[]>();
  const add = (route: string, file: string) => out.set(route, [...(out.get(route) ?? []), file]);
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const rel = file.slice(root.length + 1);
    for (const m of text.matchAll(/request\(\s*['"`]((?:GET|POST|PUT|PATCH|DELETE) \/[^'"`\s]*)['"`]/g)) add(m[1]!, rel);
    for (const m of text.matchAll(/\.rest\.(\w+)\.(\w+)\(/g)) {
      const id = `${m[1]}/${m[2]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      add(byOperation.get(id) ?? `unknown operation ${id}`, rel);
    }
  }
  return out;
}

describe('the App permissions (app.yml) against every request the code makes', () => {
  const rows = documentedRoutes();
  const documented = new Map(rows.map((r) => [r.route, r]));

  it('documents every REST route the code calls, and only those', () => {
    const called = calledRoutes();
    expect(rows.length).toBeGreaterThan(20);
    const undocumented = [...called].filter(([route]) => !documented.has(route)).map(([route, files]) => `${route} (${files.join(', ')})`);
    expect(undocumented).toEqual([]);
    expect(rows.map((r) => r.route).filter((route) => !called.has(route))).toEqual([]);
  });

  it('names routes that exist in GitHub’s REST description', () => {
    const unknown = rows.filter((r) => {
      const [method, template] = r.route.split(' ') as [string, string];
      return checkGitHubRequest(method, template.replace(/\{[^}]+\}/g, 'x'), undefined).some((p) => p.includes('no such operation'));
    });
    expect(unknown.map((r) => r.route)).toEqual([]);
  });

  it('grants in app.yml every permission a route needs', () => {
    const granted = appPermissions();
    const missing: string[] = [];
    for (const row of rows)
      for (const [permission, access] of row.needs) {
        const has = granted.get(permission);
        if (has !== 'write' && has !== access) missing.push(`${row.route} needs ${permission}: ${access}, app.yml has ${has ?? 'none'}`);
      }
    expect(missing).toEqual([]);
  });

  it('asks in app.yml for nothing a route does not need (metadata: read is every App’s)', () => {
    const needed = new Map<string, Access>([['metadata', 'read']]);
    for (const row of rows) for (const [p, a] of row.needs) if (needed.get(p) !== 'write') needed.set(p, a);
    // GraphQL reads commit statuses in the check rollup (docs/github-app.md): no REST route of ours does.
    needed.set('statuses', 'read');
    expect(Object.fromEntries(appPermissions())).toEqual(Object.fromEntries(needed));
  });

  it('lists in the README and docs/github-app.md exactly the permissions app.yml asks for', () => {
    const names: Record<string, string> = {
      Contents: 'contents',
      'Pull requests': 'pull_requests',
      Checks: 'checks',
      'Commit statuses': 'statuses',
      Issues: 'issues',
      Actions: 'actions',
      Metadata: 'metadata',
      Workflows: 'workflows',
    };
    const granted = Object.fromEntries(appPermissions());
    for (const file of ['README.md', 'docs/github-app.md']) {
      const listed: Record<string, string> = {};
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/^\| ([A-Z][a-z]+(?: [a-z]+)?) \| (read|write) \|/gm))
        listed[names[m[1]!] ?? m[1]!] = m[2]!;
      expect({ file, listed }).toEqual({ file, listed: granted });
    }
  });

  it('re-running failed checks is granted (actions: read to list runs, actions: write to re-run them)', () => {
    expect(documented.get('GET /repos/{owner}/{repo}/actions/runs')?.needs).toEqual(new Map([['actions', 'read']]));
    expect(documented.get('POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs')?.needs).toEqual(
      new Map([['actions', 'write']]),
    );
    expect(appPermissions().get('actions')).toBe('write');
  });
});
