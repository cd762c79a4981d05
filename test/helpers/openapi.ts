/**
 * Checks every GitHub API request made in a test, and every answer a test double gives, against GitHub's
 * published OpenAPI description (`@octokit/openapi`, api.github.com):
 *
 * - The request: the method and path must match an operation, required query parameters must be
 *   present, and the JSON body must satisfy the operation's request schema (required fields, types,
 *   enums, nested objects and arrays).
 * - The answer (`checkGitHubResponse`): the status must be one the operation documents, or one GitHub
 *   gives on any operation (`ANY_OPERATION`, with a `basic-error` body); a JSON body must satisfy the
 *   documented schema of that status (types, enums, nullable, nested objects and arrays; with `required`,
 *   every property GitHub always sends); a body where GitHub documents none is reported. Raw (non-JSON)
 *   bodies are not checked.
 * - `githubExample`/`onExample`: GitHub's documented example of an answer, and the double's state laid
 *   over it, so a double's answer carries GitHub's whole shape.
 *
 * Use `githubApi()` instead of `nock('https://api.github.com')`: the scope it returns records and checks
 * each intercepted request and each answer it gives (through a default reply header nock computes for
 * every reply: a status and a body, a function, a callback), and `openapiViolations()` reports the bad
 * ones, which fail the test (test/forge/github/setup.ts `useNock` expects none after each test). Answers written by hand in a
 * test are held to types, enums and statuses but not to every required property (`required: false`,
 * the default); the GitHub double asks for the full check. GraphQL (`POST /graphql`) is not in the REST
 * description; its request must carry a `query` string and, when given, `variables` as an object, and
 * its answers are test/helpers/github-graphql-schema.ts's.
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
  responses?: Record<string, ResponseObject>;
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: Schema; examples?: Record<string, { $ref?: string; value?: unknown }> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter>; responses: Record<string, ResponseObject> };
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
function validate(value: unknown, schemaIn: Schema, where: string, depth = 0, required = true): string[] {
  const schema = resolve(schemaIn);
  if (depth > 12) return [];
  if (schema.allOf) return schema.allOf.flatMap((s) => validate(value, s, where, depth + 1, required));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const results = alternatives.map((s) => validate(value, s, where, depth + 1, required));
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
    if (required)
      for (const key of schema.required ?? []) if (!(key in obj) || obj[key] === undefined) problems.push(`${where}.${key}: required`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      if (prop) problems.push(...validate(v, prop, `${where}.${key}`, depth + 1, required));
      else if (schema.properties && schema.additionalProperties === false) problems.push(`${where}.${key}: not a known field`);
    }
  }
  if (actual === 'array' && schema.items)
    (value as unknown[]).forEach((v, i) => problems.push(...validate(v, schema.items!, `${where}[${i}]`, depth + 1, required)));
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
  const route = findRoute(m, path);
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

/**
 * Statuses GitHub may answer on any operation, whether its description lists them or not, each
 * with a `basic-error` body. "Getting started with the REST API" (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api)
 * and "Troubleshooting the REST API" (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api):
 * 400 "Problems parsing JSON"; 401 "Bad credentials" / "Requires authentication"; 403 a missing App
 * permission ("Resource not accessible by integration") or a primary rate limit; 404 "Not Found" for a
 * resource that does not exist or that the token may not see ("GitHub may return a 404 instead of a
 * 403 to avoid confirming the existence of a private resource"); 422 "Validation Failed" for invalid
 * fields, or "the endpoint has been spammed"; 429 a secondary rate limit ("Rate limits for the REST API":
 * "you will receive a 403 or 429 response"); 5xx a timeout ("If GitHub takes more than 10 seconds to
 * process an API request, GitHub will terminate the request and you will receive a timeout response").
 */
const ANY_OPERATION = new Set([400, 401, 403, 404, 422, 429, 500, 502, 503, 504]);

function findRoute(method: string, path: string): Route | undefined {
  return load()
    .routes.filter((r) => r.method === method && r.regex.test(path))
    .sort((a, b) => b.literals - a.literals)[0];
}

/** The documented answer of `route` for `status` (its `2XX` or `default` when the status is not listed). */
function documentedResponse(route: Route, status: number): ResponseObject | undefined {
  const responses = route.operation.responses ?? {};
  const found = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  return found && resolve(found);
}

/** The JSON answer a test double gave, parsed (nock has a static body as its JSON text already). */
function jsonBody(body: unknown): unknown {
  if (typeof body === 'string') {
    if (!/^\s*[[{]/.test(body)) return undefined;
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (Buffer.isBuffer(body) || body === null || typeof body !== 'object') return undefined;
  // As it goes on the wire: properties whose value is undefined are not sent.
  return JSON.parse(JSON.stringify(body)) as unknown;
}

/**
 * The problems GitHub's description finds with one answer of a test double to `method url`; empty
 * when GitHub could give it. The status must be one the operation documents (or one GitHub may give
 * on any operation, `ANY_OPERATION`, with its `basic-error` body); a JSON body must satisfy the
 * documented schema of that status (types, enums, nullable, nested objects and arrays, and with
 * `required` the properties GitHub always sends); a body where GitHub documents none is reported. A
 * body that is no JSON (raw file contents, an empty body) is not checked. The request itself is
 * `checkGitHubRequest`'s (an unknown operation is reported there).
 */
export function checkGitHubResponse(
  method: string,
  url: string,
  status: number,
  body: unknown,
  options: { required?: boolean } = {},
): string[] {
  const path = new URL(url, 'https://api.github.com').pathname;
  const m = method.toUpperCase();
  if (path === '/graphql' && m === 'POST') return []; // test/helpers/github-graphql-schema.ts holds GraphQL answers
  const route = findRoute(m, path);
  if (!route) return [];
  const label = `${m} ${route.template} (${route.operation.operationId})`;
  let documented = documentedResponse(route, status);
  if (!documented) {
    if (!ANY_OPERATION.has(status))
      return [
        `${label}: answered ${status}, a status GitHub does not document for it (${Object.keys(route.operation.responses ?? {}).join(', ')})`,
      ];
    documented = { content: { 'application/json': { schema: { $ref: '#/components/schemas/basic-error' } } } };
  }
  const json = jsonBody(body);
  if (json === undefined) return [];
  const schema = documented.content?.['application/json']?.schema;
  if (!schema) {
    const empty = typeOf(json) === 'object' && Object.keys(json as object).length === 0;
    return empty ? [] : [`${label}: answered ${status} with a JSON body, where GitHub documents none`];
  }
  return validate(json, schema, `${label} ${status} answer`, 0, options.required ?? true);
}

/**
 * GitHub's documented example of the JSON answer of `method url` with `status` (the spec's `examples`
 * under the response content; the first when there are several, or the one named `example`), a fresh
 * copy; undefined when GitHub documents none. The GitHub double builds its answers on it, so they carry
 * GitHub's whole shape, overridden with the double's state (`onExample`).
 */
export function githubExample(method: string, url: string, status: number, name?: string): unknown {
  const route = findRoute(method.toUpperCase(), new URL(url, 'https://api.github.com').pathname);
  const content = route && documentedResponse(route, status)?.content?.['application/json'];
  const examples = content?.examples;
  if (!examples) return undefined;
  const chosen = (name !== undefined ? examples[name] : undefined) ?? Object.values(examples)[0];
  const value = chosen && resolve(chosen).value;
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/**
 * `state` laid over GitHub's `example`: objects merged key by key (the state's keys win, `null` too),
 * a list of the state's items each laid over the example's first item, anything else the state's.
 */
export function onExample(example: unknown, state: unknown): unknown {
  if (Array.isArray(state)) {
    const item = Array.isArray(example) ? example[0] : undefined;
    return state.map((s) => (item === undefined ? s : onExample(JSON.parse(JSON.stringify(item)), s)));
  }
  if (state !== null && typeof state === 'object' && example !== null && typeof example === 'object' && !Array.isArray(example)) {
    const out: Record<string, unknown> = { ...(example as Record<string, unknown>) };
    for (const [k, v] of Object.entries(state)) out[k] = onExample(out[k], v);
    return out;
  }
  return state;
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

/**
 * A nock scope for api.github.com whose every intercepted request, and every answer it gives, is
 * checked (`checkGitHubRequest`, `checkGitHubResponse`) and recorded. The answer is checked through a
 * default reply header whose value nock computes from the request, the response (its status set)
 * and the body, for every way of replying (a status and a body, a function of either, a callback):
 * `x-github-double: openapi-checked`. `required: false` (answers written by hand in a test, which
 * give the fields the code reads) leaves out the check that every property GitHub always sends is
 * there; the GitHub double (test/forge/github/simulator.ts) checks it, its answers being built on
 * GitHub's examples.
 */
export function githubApi(options?: nock.Options, check: { required?: boolean } = { required: false }): nock.Scope {
  const scope = nock('https://api.github.com', options);
  scope.on('request', (req: { method: string; path: string }, _interceptor: unknown, body: unknown) => {
    const parsed = parseBody(body);
    recorded.push({ method: req.method, path: req.path, body: parsed });
    for (const p of checkGitHubRequest(req.method, req.path, parsed)) violations.push(p);
  });
  scope.defaultReplyHeaders({
    'x-github-double': (req, res, body) => {
      const r = req as unknown as { method: string; path: string };
      for (const p of checkGitHubResponse(r.method, r.path, res.statusCode ?? 200, body, check)) violations.push(p);
      return 'openapi-checked';
    },
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
