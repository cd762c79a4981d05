/**
 * Checks every GitHub API request made in a test against GitHub's published OpenAPI description
 * (`@octokit/openapi`, api.github.com): the method and path must match an operation, required query
 * parameters must be present, and the JSON body must satisfy the operation's request schema (required
 * fields, types, enums, nested objects and arrays). A call GitHub would reject fails the test.
 *
 * Use `githubApi()` instead of `nock('https://api.github.com')`: the scope it returns records each
 * intercepted request, and `openapiViolations()` / `expectValidGitHubRequests()` report the bad ones.
 * GraphQL (`POST /graphql`) is not in the REST description; it must carry a `query` string and, when
 * given, `variables` as an object.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nock from 'nock';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: Json[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
}

interface Operation {
  operationId: string;
  externalDocs?: { url: string };
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter> };
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  literals: number;
  operation: Operation;
}

let spec: Spec | undefined;
let routes: Route[] | undefined;

function load(): { spec: Spec; routes: Route[] } {
  if (!spec || !routes) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    routes = [];
    for (const [template, ops] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
        const segments = template.split('/');
        const regex = new RegExp(
          '^' + segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '$',
        );
        routes.push({
          method: method.toUpperCase(),
          template,
          regex,
          literals: segments.filter((s) => !s.startsWith('{')).length,
          operation,
        });
      }
    }
  }
  return { spec, routes };
}

function resolve<T extends { $ref?: string }>(node: T): T {
  let n: T = node;
  for (let i = 0; i < 20 && n.$ref; i++) {
    const parts = n.$ref.replace(/^#\//, '').split('/');
    let cur: unknown = load().spec;
    for (const p of parts) cur = (cur as Record<string, unknown>)[p];
    n = cur as T;
  }
  return n;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Problems of `value` against `schema`, each as `where: what`. */
function validate(value: unknown, schemaIn: Schema, where: string, depth = 0): string[] {
  const schema = resolve(schemaIn);
  if (depth > 12) return [];
  if (schema.allOf) return schema.allOf.flatMap((s) => validate(value, s, where, depth + 1));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const results = alternatives.map((s) => validate(value, s, where, depth + 1));
    return results.some((r) => r.length === 0)
      ? []
      : [`${where}: matches none of the allowed shapes (${results.map((r) => r[0]).join(' | ')})`];
  }
  if (value === null) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    return schema.nullable || types.includes('null') || schema.type === undefined ? [] : [`${where}: must not be null`];
  }
  const actual = typeOf(value);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${where}: expected ${types.join('|')}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value as Json))
    return [`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  const problems: string[] = [];
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj) || obj[key] === undefined) problems.push(`${where}.${key}: required`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      if (prop) problems.push(...validate(v, prop, `${where}.${key}`, depth + 1));
      else if (schema.properties && schema.additionalProperties === false) problems.push(`${where}.${key}: not a known field`);
    }
  }
  if (actual === 'array' && schema.items)
    (value as unknown[]).forEach((v, i) => problems.push(...validate(v, schema.items!, `${where}[${i}]`, depth + 1)));
  return problems;
}

/**
 * The operation of GitHub's REST description that answers `method url` (the most literal template
 * wins, as in `checkGitHubRequest`), with its reference page; null when there is none.
 */
export function githubOperation(method: string, url: string): { route: string; operationId: string; docs: string | null } | null {
  const path = new URL(url, 'https://api.github.com').pathname;
  const m = method.toUpperCase();
  const route = load()
    .routes.filter((r) => r.method === m && r.regex.test(path))
    .sort((a, b) => b.literals - a.literals)[0];
  return route
    ? { route: `${m} ${route.template}`, operationId: route.operation.operationId, docs: route.operation.externalDocs?.url ?? null }
    : null;
}

/** The problems GitHub's description finds with one request; empty when it is valid. */
export function checkGitHubRequest(method: string, url: string, body: unknown): string[] {
  const { routes } = load();
  const parsed = new URL(url, 'https://api.github.com');
  const path = parsed.pathname;
  const m = method.toUpperCase();
  if (path === '/graphql' && m === 'POST') {
    const b = body as { query?: unknown; variables?: unknown } | undefined;
    const problems: string[] = [];
    if (typeof b?.query !== 'string' || !b.query.trim()) problems.push('graphql: body.query must be a non-empty string');
    if (b?.variables !== undefined && typeOf(b.variables) !== 'object') problems.push('graphql: body.variables must be an object');
    return problems;
  }
  const candidates = routes.filter((r) => r.method === m && r.regex.test(path)).sort((a, b) => b.literals - a.literals);
  const route = candidates[0];
  if (!route) return [`${m} ${path}: no such operation in GitHub's REST API description`];
  const label = `${m} ${route.template} (${route.operation.operationId})`;
  const problems: string[] = [];
  for (const p of (route.operation.parameters ?? []).map((x) => resolve(x))) {
    if (p.in === 'query' && p.required && !parsed.searchParams.has(p.name))
      problems.push(`${label}: query parameter ${p.name} is required`);
  }
  const rb = route.operation.requestBody;
  const schema = rb?.content?.['application/json']?.schema;
  const empty = body === undefined || body === '' || (typeOf(body) === 'object' && Object.keys(body as object).length === 0);
  if (rb?.required && empty && schema && (resolve(schema).required?.length ?? 0) > 0) problems.push(`${label}: a request body is required`);
  if (!empty && schema) problems.push(...validate(body, schema, `${label} body`));
  if (!empty && !rb && m !== 'GET' && m !== 'DELETE') problems.push(`${label}: takes no request body`);
  return problems;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

const recorded: RecordedRequest[] = [];
const violations: string[] = [];

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body === '') return body === '' ? undefined : body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** A nock scope for api.github.com whose every intercepted request is checked and recorded. */
export function githubApi(options?: nock.Options): nock.Scope {
  const scope = nock('https://api.github.com', options);
  scope.on('request', (req: { method: string; path: string }, _interceptor: unknown, body: unknown) => {
    const parsed = parseBody(body);
    recorded.push({ method: req.method, path: req.path, body: parsed });
    for (const p of checkGitHubRequest(req.method, req.path, parsed)) violations.push(p);
  });
  return scope;
}

/** Requests intercepted since the last `resetGitHubRequests()`, in order. */
export function githubRequests(): readonly RecordedRequest[] {
  return recorded;
}

export function openapiViolations(): readonly string[] {
  return violations;
}

export function resetGitHubRequests(): void {
  recorded.length = 0;
  violations.length = 0;
}
