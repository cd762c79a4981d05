/**
 * The App permissions a GitHub request needs, from one source for the permissions test
 * (test/forge/github/permissions.test.ts) and the GitHub double (test/forge/github/simulator.ts):
 *
 * - REST: docs/github-app.md's table "Every request and the permission it needs", which is GitHub's
 *   "Permissions required for GitHub Apps" page
 *   (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps) for every
 *   route Fleetwave calls; a request is matched to its route through `@octokit/openapi` (`githubOperation`).
 * - The permissions an installation has by default: app.yml's `default_permissions`.
 * - GraphQL: GitHub publishes no per-field permission table. "App installations can also use the
 *   GraphQL API. Similar to the REST API, the app must have certain permissions to access objects in the
 *   GraphQL API" (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation)
 *   is all it says; so a document needs the read permission of each kind of object it reads (the REST
 *   permission of the same objects, as docs/github-app.md states below its table), and a mutation the
 *   write permissions of the REST request doing the same (`enablePullRequestAutoMerge`: a merge).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type nock from 'nock';
import { parse } from 'yaml';
import type { GraphQLResolveInfo } from 'graphql';
import { executeGraphql, GitHubGraphqlError, type GraphqlRequest } from './github-graphql-schema.js';
import { githubOperation } from './openapi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export type Access = 'read' | 'write';

export interface PermissionRow {
  route: string;
  needs: Map<string, Access>;
}

/** The rows of docs/github-app.md's "Every request and the permission it needs" table. */
export function documentedRoutes(): PermissionRow[] {
  const doc = readFileSync(join(root, 'docs/github-app.md'), 'utf8');
  const section = doc.split('### Every request and the permission it needs')[1]?.split('\n#')[0] ?? '';
  const rows: PermissionRow[] = [];
  for (const line of section.split('\n')) {
    const m = /^\| `((?:GET|POST|PUT|PATCH|DELETE) [^`]+)` \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    const needs = new Map<string, Access>();
    // Only the first clause is always needed; "(and workflows: write when …)" is conditional.
    const always = m[2]!.split('(')[0]!;
    for (const p of always.matchAll(/\b([a-z_]+): (read|write)\b/g)) needs.set(p[1]!, p[2] as Access);
    rows.push({ route: m[1]!, needs });
  }
  return rows;
}

/** app.yml's `default_permissions`: what an installation token of the App has. */
export function appPermissions(): Map<string, Access> {
  const app = parse(readFileSync(join(root, 'app.yml'), 'utf8')) as { default_permissions: Record<string, Access> };
  return new Map(Object.entries(app.default_permissions));
}

/** The permissions of `needs` that `granted` lacks, as `name: access` (write includes read). */
export function missingPermissions(granted: ReadonlyMap<string, Access>, needs: ReadonlyMap<string, Access>): string[] {
  return [...needs].filter(([p, a]) => granted.get(p) !== 'write' && granted.get(p) !== a).map(([p, a]) => `${p}: ${a}`);
}

let table: Map<string, PermissionRow> | undefined;

/**
 * What a REST request needs: its route (GitHub's template), the permissions of its row, and the
 * operation's reference page (GitHub's `documentation_url`). Throws when no row of docs/github-app.md
 * names the route: a request nobody has looked up the permission of must not pass silently.
 */
export function restPermission(method: string, url: string): { route: string; needs: Map<string, Access>; docs: string | null } {
  table ??= new Map(documentedRoutes().map((r) => [r.route, r]));
  const op = githubOperation(method, url);
  if (!op) throw new Error(`GitHub double: ${method} ${url} is no operation of GitHub's REST description (@octokit/openapi)`);
  const row = table.get(op.route);
  if (!row)
    throw new Error(
      `GitHub double: ${op.route} (${method} ${url}) has no row in docs/github-app.md's "Every request and the permission it needs": ` +
        'look its permission up in https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps and add the row',
    );
  return { route: op.route, needs: row.needs, docs: op.docs };
}

/** The permission reading each kind of GraphQL object needs (by field name). */
const GRAPHQL_READS: Record<string, Record<string, Access>> = {
  repository: { metadata: 'read' },
  repositoryOwner: { metadata: 'read' },
  pullRequests: { pull_requests: 'read' },
  pullRequest: { pull_requests: 'read' },
  // The rollup of a commit: the commit, its statuses and its check runs.
  statusCheckRollup: { contents: 'read', statuses: 'read', checks: 'read' },
  // Git objects by expression (`HEAD:path`): trees, blobs and their text; a commit's history.
  object: { contents: 'read' },
  history: { contents: 'read' },
};

/** The permissions reading the field `name` needs, if any. */
function readsOf(name: string): Record<string, Access> | undefined {
  return Object.hasOwn(GRAPHQL_READS, name) ? GRAPHQL_READS[name] : undefined;
}

/** Each mutation Fleetwave sends, with the write permissions of the REST request doing the same. */
const GRAPHQL_MUTATIONS: Record<string, Record<string, Access>> = {
  // Auto-merge merges: PUT …/pulls/{n}/merge needs contents: write; enabling it changes the PR.
  enablePullRequestAutoMerge: { pull_requests: 'write', contents: 'write' },
};

/** The document without comments, strings and arguments: its selections only. */
function selections(query: string): string {
  let s = query.replace(/"""[\s\S]*?"""|"(?:[^"\\]|\\.)*"/g, '""').replace(/#[^\n]*/g, '');
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/\([^()]*\)/g, '');
  }
  return s;
}

/**
 * The root fields of the document's operation (`r0: repository` → field `repository`), and the keys
 * of the answer's `data` they fill (the alias when given: `r0`).
 */
function rootFields(sel: string): { kind: 'query' | 'mutation'; fields: string[]; keys: string[] } {
  const op = /^\s*(query|mutation|subscription)?\b[^{]*\{/.exec(sel);
  if (!op) throw new Error('GitHub double: a GraphQL document without an operation');
  if (op[1] === 'subscription') throw new Error('GitHub double: GitHub has no GraphQL subscriptions');
  const fields: string[] = [];
  const keys: string[] = [];
  let alias: string | null = null;
  let depth = 1;
  let i = op[0].length;
  for (; i < sel.length && depth > 0; i++) {
    const c = sel[i]!;
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 1 && /[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_]\w*/.exec(sel.slice(i))![0];
      if (/^\s*:/.test(sel.slice(i + word.length))) alias = word;
      else {
        fields.push(word);
        keys.push(alias ?? word);
        alias = null;
      }
      i += word.length - 1;
    }
  }
  return { kind: op[1] === 'mutation' ? 'mutation' : 'query', fields, keys };
}

/**
 * What a GraphQL document needs: its kind, its root fields, and the permissions of what it touches.
 * Throws on a root field or a mutation this table does not know: add it here with its permission.
 */
export function graphqlPermission(query: string): {
  kind: 'query' | 'mutation';
  fields: string[];
  keys: string[];
  needs: Map<string, Access>;
} {
  const sel = selections(query);
  const { kind, fields, keys } = rootFields(sel);
  const needs = new Map<string, Access>();
  const add = (perms: Record<string, Access>) => {
    for (const [p, a] of Object.entries(perms)) if (needs.get(p) !== 'write') needs.set(p, a);
  };
  for (const f of fields) {
    const known =
      kind === 'mutation'
        ? Object.hasOwn(GRAPHQL_MUTATIONS, f)
          ? GRAPHQL_MUTATIONS[f]
          : undefined
        : f === 'repository' || f === 'repositoryOwner'
          ? readsOf(f)
          : undefined;
    if (!known)
      throw new Error(
        `GitHub double: the GraphQL ${kind} field ${f} has no permission in test/helpers/github-permissions.ts: add it with the permission GitHub needs for it`,
      );
    add(known);
  }
  for (const m of sel.matchAll(/\b[A-Za-z_]\w*\b/g)) {
    const perms = readsOf(m[0]);
    if (perms) add(perms);
  }
  return { kind, fields, keys, needs };
}

/** GitHub's answer to a request the installation token has no permission for. */
export const NOT_ACCESSIBLE = 'Resource not accessible by integration';

/**
 * Puts GitHub's permission check in front of every route of `api` (call it before the routes are
 * added: nock tries interceptors in order). A request whose permission `granted()` lacks is answered
 * as GitHub answers it, and noted in `refused` (`METHOD /path: needs issues: write`):
 * - REST: 403 `{"message":"Resource not accessible by integration","documentation_url":…}`, the
 *   documentation_url being the operation's reference page (as in
 *   https://github.com/orgs/community/discussions/24374: an App creating a review comment without the
 *   permission got "403 and {'message': 'Resource not accessible by integration', 'documentation_url': …}");
 * - GraphQL (`answerGraphql`): HTTP 200, null at the nearest nullable position and an error `{"type":"FORBIDDEN",
 *   "path":[field],"locations":[…],"message":"Resource not accessible by integration"}` (as GitHub answered a mutation,
 *   https://github.com/github-community-projects/contributors/issues/492, and a query's field,
 *   https://github.com/fpicalausa/remove-stale-branches/issues/49).
 * A route or GraphQL field with no known permission makes the request fail with an error saying so
 * (the client sees a failed request carrying that message), noted in `refused` and in `unknown`: never
 * silently allowed.
 */
export function enforcePermissions(
  api: nock.Scope,
  granted: () => ReadonlyMap<string, Access>,
  refused: string[],
  unknown: string[],
): void {
  const rest = (method: string, path: string): { missing: string[]; docs: string | null } | Error => {
    try {
      const { needs, docs } = restPermission(method, path);
      return { missing: missingPermissions(granted(), needs), docs };
    } catch (err) {
      return err as Error;
    }
  };
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    api
      .intercept((path: string) => {
        if (method === 'POST' && path === '/graphql') return false;
        const r = rest(method, path);
        return r instanceof Error || r.missing.length > 0;
      }, method)
      .reply((path, _body, answer) => {
        const r = rest(method, path);
        if (r instanceof Error) {
          refused.push(r.message);
          unknown.push(r.message);
          return answer(r, [500, r.message]);
        }
        refused.push(`${method} ${path}: needs ${r.missing.join(', ')}`);
        return answer(null, [403, { message: NOT_ACCESSIBLE, documentation_url: r.docs ?? 'https://docs.github.com/rest' }]);
      });
  }
  // GraphQL: a document whose fields have no known permission fails; the rest is `answerGraphql`'s.
  api
    .post('/graphql', (body: { query: string }) => {
      try {
        graphqlPermission(body.query);
        return false;
      } catch {
        return true;
      }
    })
    .reply((_path, body, answer) => {
      const err = (() => {
        try {
          graphqlPermission((body as { query: string }).query);
          return new Error('GitHub double: a GraphQL document refused, then accepted');
        } catch (e) {
          return e as Error;
        }
      })();
      refused.push(err.message);
      unknown.push(err.message);
      return answer(err, [500, err.message]);
    });
}

/**
 * GitHub's answer to a GraphQL request from a token with `granted`, executed over the double's state
 * (`root`, see `executeGraphql`) with the permission check inside execution: each field needs the
 * permission of what it reads (`GRAPHQL_READS`; a root mutation field, `GRAPHQL_MUTATIONS`), and a field
 * whose permission is missing is refused before its resolver runs (a mutation is not carried out). The
 * refusal is GitHub's: an error `{"type":"FORBIDDEN","path":[…the field…],"locations":[…],"message":
 * "Resource not accessible by integration"}` (as `['repository','refs','edges',3,'node','associatedPullRequests']`
 * in https://github.com/fpicalausa/remove-stale-branches/issues/49), and graphql-js's null propagation
 * nulls the nearest nullable position: the field itself when it is nullable (`statusCheckRollup`), its
 * parent when it is not (`Repository.pullRequests` is `PullRequestConnection!`, so `r0` is null), as the
 * GraphQL spec (§6.4.4 "Handling Field Errors") and so GitHub does. Refusals are noted in `refused`, faults of
 * the double in `failures`.
 */
export function answerGraphql(
  request: GraphqlRequest,
  granted: ReadonlyMap<string, Access>,
  refused: string[],
  failures: string[],
  root: Record<string, unknown>,
): unknown {
  const { kind, fields } = graphqlPermission(request.query);
  const missingAll = new Set<string>();
  const guard = (info: GraphQLResolveInfo): void => {
    const atRoot = info.path.prev === undefined;
    const perms =
      atRoot && info.operation.operation === 'mutation'
        ? Object.hasOwn(GRAPHQL_MUTATIONS, info.fieldName)
          ? GRAPHQL_MUTATIONS[info.fieldName]
          : undefined
        : readsOf(info.fieldName);
    const missing = perms ? missingPermissions(granted, new Map(Object.entries(perms))) : [];
    if (missing.length === 0) return;
    for (const m of missing) missingAll.add(m);
    throw new GitHubGraphqlError('FORBIDDEN', NOT_ACCESSIBLE, { saml_failure: false });
  };
  const answer = executeGraphql(request, root, failures, guard);
  if (missingAll.size) refused.push(`POST /graphql (${kind} ${fields.join(', ')}): needs ${[...missingAll].join(', ')}`);
  return answer;
}
