/**
 * GitHub's GraphQL API for the GitHub double, from GitHub's published schema (`@octokit/graphql-schema`:
 * GitHub's introspection of api.github.com, schema.json):
 *
 * - The request: its document must parse and pass graphql-js `validate` against the schema (fields,
 *   arguments, fragments on the right types, variables declared and used where their type is allowed),
 *   and its variables must coerce to their declared types (`getVariableValues`). GitHub answers an
 *   invalid document with HTTP 200 and `errors` (its own wording; here graphql-js's), carrying nothing out.
 * - The answer (`executeGraphql`): the document is EXECUTED by graphql-js against the schema, with the
 *   double's state as the root value (test/forge/github/simulator.ts `gqlRoot`): each field of an object
 *   is its property, or a function of the field's arguments (`(args, info) => value`), so aliases,
 *   arguments, fragments and `__typename` are graphql-js's business, not the double's. The design keeps
 *   one checker for both uses: the same strict resolver checks every value a field yields (graphql-js
 *   serializes leniently, so scalars are checked here: String, ID and GitHub's custom scalars are strings,
 *   Int and Float numbers, Boolean booleans), graphql-js reports a null in a non-null field, an enum value
 *   the schema lacks and an object where a list is due, and a member of an interface or union must have a
 *   `__typename` naming one of its possible types. A field the state does not have is "not implemented
 *   by the double". Each such fault is an error naming the path, and fails the test.
 * - GitHub's own errors are thrown by the resolvers as `GitHubGraphqlError` (NOT_FOUND, UNPROCESSABLE,
 *   FORBIDDEN from the permission guard, test/helpers/github-permissions.ts `answerGraphql`), answered in
 *   GitHub's format `{"type":…,"path":[…],"locations":[…],"message":…}`; graphql-js's null propagation
 *   puts null at the nearest nullable position, as the GraphQL spec (§6.4.4) and GitHub do.
 * - `graphqlAnswerErrors`/`checkGraphql` hold an answer built by hand (a test's own nock) to the schema the
 *   same way, reading each field by its response key (`info.path.key`, so an alias `r0` reads `data.r0`).
 *
 * The schema is built once per module instance (jest gives each test file its own), lazily, from the
 * introspection JSON with `buildClientSchema`: on this machine that took 110–150 ms, against 270–300 ms for
 * `buildSchema` over the SDL (schema.graphql), which moreover defines two fields of `EnterpriseOwnerInfo`
 * twice in 15.26.1 and builds only with `assumeValidSDL`. The JSON is read from the package's folder, not
 * through its index, which builds a schema of its own on import.
 */
import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type IntrospectionQuery,
  buildClientSchema,
  executeSync,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';

/** A GraphQL request as Octokit sends it. */
export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

let built: GraphQLSchema | undefined;

/** GitHub's GraphQL schema (`@octokit/graphql-schema`'s schema.json), built on first use. */
export function githubSchema(): GraphQLSchema {
  built ??= buildClientSchema(
    JSON.parse(
      readFileSync(new URL('../../node_modules/@octokit/graphql-schema/schema.json', import.meta.url), 'utf8'),
    ) as IntrospectionQuery,
  );
  return built;
}

type Parsed =
  | { ok: true; document: DocumentNode; operation: OperationDefinitionNode; variables: Record<string, unknown> }
  | { ok: false; errors: readonly GraphQLError[] };

function parseRequest(request: GraphqlRequest): Parsed {
  const schema = githubSchema();
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (err) {
    if (err instanceof GraphQLError) return { ok: false, errors: [err] };
    throw err;
  }
  const invalid = validate(schema, document);
  if (invalid.length) return { ok: false, errors: [...invalid] };
  const operation = getOperationAST(document, request.operationName);
  if (!operation)
    return { ok: false, errors: [new GraphQLError('the document has no operation to run (or several and no operationName)')] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (coerced.errors) return { ok: false, errors: coerced.errors };
  return { ok: true, document, operation, variables: coerced.coerced };
}

function describe(error: GraphQLError): string {
  const at = error.path ? ` at ${error.path.join('.')}` : '';
  const where = !error.path && error.locations?.length ? ` (line ${error.locations[0]!.line}, column ${error.locations[0]!.column})` : '';
  return `${error.message}${at}${where}`;
}

/** What GitHub's schema says is wrong with the request (its document or variables); empty when valid. */
export function graphqlRequestErrors(request: GraphqlRequest): string[] {
  const parsed = parseRequest(request);
  return parsed.ok ? [] : parsed.errors.map(describe);
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** A leaf value GitHub could send for the scalar `name`: GitHub's custom scalars (DateTime, URI, GitObjectID, BigInt, …) are strings. */
function scalarProblem(name: string, value: unknown): string | null {
  const want = name === 'Int' || name === 'Float' ? 'number' : name === 'Boolean' ? 'boolean' : 'string';
  if (typeof value !== want) return `${name} must be a ${want}, got ${show(value)}`;
  if (name === 'Int' && !Number.isInteger(value)) return `Int must be a whole number, got ${show(value)}`;
  return null;
}

/** Checks `value` against `type` down to the next object (whose fields the executor resolves). */
function valueProblem(type: GraphQLOutputType, value: unknown): string | null {
  if (value === null || value === undefined) return null; // graphql-js reports a null in a non-null field
  const inner = getNullableType(type);
  if (isListType(inner)) {
    if (!Array.isArray(value)) return null; // graphql-js: "Expected Iterable …"
    for (const [i, item] of value.entries()) {
      const p = valueProblem(inner.ofType, item);
      if (p) return `[${i}]: ${p}`;
    }
    return null;
  }
  if (isScalarType(inner)) return scalarProblem(inner.name, value);
  if (isEnumType(inner)) return null; // graphql-js: "Enum … cannot represent value"
  if (typeof value !== 'object' || Array.isArray(value)) return `${inner.toString()} must be an object, got ${show(value)}`;
  const typename = (value as { __typename?: unknown }).__typename;
  if (isObjectType(inner) && typename !== undefined && typename !== inner.name)
    return `${inner.name} cannot be a ${show(typename)} (its __typename)`;
  return null;
}

/** Throws when `value` is not of the field's type (strictly for scalars); returns it otherwise. */
function checkedValue(info: GraphQLResolveInfo, value: unknown): unknown {
  const problem = valueProblem(info.returnType, value);
  if (problem) throw new Error(`${info.parentType.name}.${info.fieldName}: ${problem}`);
  return value;
}

/** Reads each field of a hand-built answer by its response key (the alias when given), checking the value's type. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  const key = String(info.path.key);
  const obj = source as Record<string, unknown>;
  if (!Object.hasOwn(obj, key))
    throw new Error(`the answer has no "${key}" (${info.parentType.name}.${info.fieldName}), which the document asks for`);
  return checkedValue(info, obj[key]);
};

/** An interface or union member is the object type its `__typename` names, if that is one of the possible types. */
const byTypename: GraphQLTypeResolver<unknown, unknown> = (value, _context, info, abstract) => {
  const typename = (value as { __typename?: unknown }).__typename;
  const possible = info.schema.getPossibleTypes(abstract).map((t) => t.name);
  if (typeof typename !== 'string')
    throw new Error(`a ${abstract.name} (${info.parentType.name}.${info.fieldName}) needs a __typename, one of ${possible.join(', ')}`);
  if (!possible.includes(typename))
    throw new Error(
      `${show(typename)} is no ${abstract.name} (${info.parentType.name}.${info.fieldName}); GitHub's are ${possible.join(', ')}`,
    );
  return typename;
};

/**
 * What GitHub's schema says is wrong with `answer` (`{ data, errors }`) as the answer to `request`;
 * empty when it has GitHub's shape. The request must be valid (`graphqlRequestErrors`).
 */
export function graphqlAnswerErrors(request: GraphqlRequest, answer: unknown): string[] {
  const parsed = parseRequest(request);
  return parsed.ok ? answerProblems(parsed, answer) : parsed.errors.map(describe);
}

function answerProblems(parsed: Extract<Parsed, { ok: true }>, answer: unknown): string[] {
  if (typeof answer !== 'object' || answer === null) return [`the answer must be an object with data or errors, got ${show(answer)}`];
  const { data, errors } = answer as { data?: unknown; errors?: unknown };
  const problems: string[] = [];
  if (errors !== undefined) {
    if (!Array.isArray(errors) || errors.length === 0) problems.push(`errors must be a non-empty list, got ${show(errors)}`);
    else
      for (const [i, e] of errors.entries())
        if (typeof (e as { message?: unknown } | null)?.message !== 'string') problems.push(`errors.${i} has no message: ${show(e)}`);
  }
  if (data === undefined || data === null) {
    if (errors === undefined) problems.push('the answer has neither data nor errors');
    return problems;
  }
  if (typeof data !== 'object' || Array.isArray(data)) return [...problems, `data must be an object, got ${show(data)}`];
  const result = executeSync({
    schema: githubSchema(),
    document: parsed.document,
    operationName: parsed.operation.name?.value,
    rootValue: data,
    variableValues: parsed.variables,
    fieldResolver: byResponseKey,
    typeResolver: byTypename,
  });
  for (const e of result.errors ?? []) problems.push(describe(e));
  return problems;
}

/** GitHub's answer to a document it refuses: HTTP 200 with `errors` and no `data`. */
export interface RefusedAnswer {
  errors: { message: string; locations?: readonly { line: number; column: number }[] }[];
}

/**
 * The schema check of one request the double answers. `invalid`: the request is not valid against
 * GitHub's schema, and this is GitHub's answer to it (nothing is carried out). `checked(answer)`: the
 * double's answer if it has GitHub's shape; else an answer whose error says what is wrong. Each problem
 * is noted in `failures` (the double fails the test with them when disposed of).
 */
export function checkGraphql(
  request: GraphqlRequest,
  failures: string[],
): { invalid: RefusedAnswer | null; checked: (answer: unknown) => unknown } {
  const parsed = parseRequest(request);
  if (!parsed.ok) {
    const first = /^[^\n]*/.exec(request.query.trim())![0];
    failures.push(`GraphQL request refused by GitHub's schema (${first}): ${parsed.errors.map(describe).join('; ')}`);
    return {
      invalid: { errors: parsed.errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}) })) },
      checked: (answer) => answer,
    };
  }
  return {
    invalid: null,
    checked: (answer) => {
      const problems = answerProblems(parsed, answer);
      if (problems.length === 0) return answer;
      const name = parsed.operation.name?.value ?? parsed.operation.operation;
      const message = `GitHub double: its answer to ${name} has not GitHub's shape: ${problems.join('; ')}`;
      failures.push(message);
      return { errors: [{ message }] };
    },
  };
}

/**
 * An error GitHub itself gives (not a fault of the double): thrown by a resolver, it becomes an entry of
 * `errors` in GitHub's format, `{"type":"FORBIDDEN","path":[…],"locations":[…],"message":…}` (`type` at
 * the top level, as src/forge/github/graphql.ts reads it), and graphql-js nulls the nearest nullable
 * position above the field, as GitHub does.
 */
export class GitHubGraphqlError extends GraphQLError {
  constructor(
    readonly type: string,
    message: string,
    readonly githubExtensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The resolver of the double's state: a field `f` of an object is its property `f`; a function there is
 * called with the field's arguments (`(args, info) => value`), so an alias is just another call. A field
 * the object has no property for is a field the double does not implement: an error naming it (a double
 * fault, not GitHub's answer). Every value is checked against the field's type (strict scalars), and
 * `guard` (the App's permissions) may refuse a field before it is read.
 */
function stateResolver(guard?: (info: GraphQLResolveInfo) => void): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, _context, info) => {
    guard?.(info);
    const obj = source as Record<string, unknown>;
    if (typeof obj !== 'object' || obj === null || !(info.fieldName in obj))
      throw new Error(`the GitHub double does not implement ${info.parentType.name}.${info.fieldName}, which the document asks for`);
    const raw = obj[info.fieldName];
    const value: unknown = typeof raw === 'function' ? (raw as (a: unknown, i: GraphQLResolveInfo) => unknown).call(obj, args, info) : raw;
    return checkedValue(info, value);
  };
}

/** One entry of GitHub's `errors`. */
export interface GitHubErrorEntry {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * GitHub's answer to `request`, EXECUTED by graphql-js against GitHub's schema with `root` (the double's
 * `Query` and `Mutation` objects over its state) as the root value, `stateResolver` reading each field,
 * and `byTypename` telling the members of interfaces and unions. An invalid request gets GitHub's refusal
 * (200, `errors`, nothing run). Errors resolvers throw as `GitHubGraphqlError` are GitHub's (FORBIDDEN,
 * NOT_FOUND, UNPROCESSABLE), in GitHub's format; any other error is a fault of the double (a field it
 * does not implement, a value of the wrong type, a null non-null field): noted in `failures`, and the
 * answer is an error saying so.
 */
export function executeGraphql(
  request: GraphqlRequest,
  root: Record<string, unknown>,
  failures: string[],
  guard?: (info: GraphQLResolveInfo) => void,
): { data?: unknown; errors?: GitHubErrorEntry[] } {
  const parsed = parseRequest(request);
  if (!parsed.ok) {
    const first = /^[^\n]*/.exec(request.query.trim())![0];
    failures.push(`GraphQL request refused by GitHub's schema (${first}): ${parsed.errors.map(describe).join('; ')}`);
    return { errors: parsed.errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}) })) };
  }
  const result = executeSync({
    schema: githubSchema(),
    document: parsed.document,
    operationName: parsed.operation.name?.value,
    rootValue: root,
    variableValues: parsed.variables,
    fieldResolver: stateResolver(guard),
    typeResolver: byTypename,
  });
  const github: GitHubErrorEntry[] = [];
  const faults: string[] = [];
  for (const e of result.errors ?? []) {
    const original = e.originalError;
    if (original instanceof GitHubGraphqlError)
      github.push({
        type: original.type,
        ...(e.path ? { path: e.path } : {}),
        ...(e.locations ? { locations: e.locations } : {}),
        message: original.message,
        ...(original.githubExtensions ? { extensions: original.githubExtensions } : {}),
      });
    else faults.push(describe(e));
  }
  if (faults.length) {
    const name = parsed.operation.name?.value ?? parsed.operation.operation;
    const message = `GitHub double: its answer to ${name} has not GitHub's shape: ${faults.join('; ')}`;
    failures.push(message);
    return { errors: [{ message }] };
  }
  return { data: result.data ?? null, ...(github.length ? { errors: github } : {}) };
}
