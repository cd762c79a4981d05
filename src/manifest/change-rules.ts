/**
 * The parameters of every change rule a manifest can name (`changes: - replace: {…}`): zod schemas
 * alone, so that the manifest schema (schema.ts) and the codemod rules that implement them
 * (src/codemod/rules/, one file per rule) both import them and neither imports the other. Add a
 * rule: its parameters here and in `changeRuleParams`, its behaviour in one file under
 * src/codemod/rules/ registered in rules/registry.ts.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../util/duration.js';
import { userRegexProblem } from './user-regex.js';

/** `replace` (src/codemod/rules/replace.ts). */
export const replaceParams = z
  .strictObject({
    from: z.string().min(1, 'from must not be empty'),
    to: z.string(),
    files: z.array(z.string().min(1)).min(1).default(['**/*']),
    regex: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    const problem = p.regex ? userRegexProblem(p.from) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['from'], message: problem });
  });
export type ReplaceParams = z.infer<typeof replaceParams>;

/** `replaceString` (src/codemod/rules/replace-string.ts). */
export const replaceStringParams = z.strictObject({
  from: z.string().min(1, 'from must not be empty'),
  to: z.string(),
  match: z.enum(['prefix', 'exact', 'contains']).default('prefix'),
  comments: z.boolean().default(false),
  files: z.array(z.string().min(1)).min(1).optional().describe('Globs of the files to look at; default: every TS/JS file'),
});
export type ReplaceStringParams = z.infer<typeof replaceStringParams>;

// `renameField` (src/codemod/rules/rename-field.ts).
const fieldName = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'a field name that is a JavaScript identifier');

export const renameFieldParams = z.strictObject({
  type: fieldName.describe('The record type whose field is renamed, e.g. PlayEvent'),
  from: fieldName,
  to: fieldName,
});
export type RenameFieldParams = z.infer<typeof renameFieldParams>;

// `renameImport` (src/codemod/rules/rename-import.ts).
const exportedName = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'an exported name that is a JavaScript identifier');

export const renameImportParams = z.strictObject({
  from: z.string().min(1, 'from must name a module'),
  to: z.string().min(1, 'to must name a module'),
  names: z.record(exportedName, exportedName).default({}),
});
export type RenameImportParams = z.infer<typeof renameImportParams>;

// `renameCall` (src/codemod/rules/rename-call.ts).
const jsIdentifier = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'a JavaScript identifier');

export const renameCallParams = z.strictObject({
  from: z.string().regex(/^([A-Za-z_$][A-Za-z0-9_$]*\.)?[A-Za-z_$][A-Za-z0-9_$]*$/, 'a function name (readAvro) or Type.method'),
  to: jsIdentifier,
  module: z.string().min(1).optional().describe('The module the function is imported from'),
  args: z.array(z.string()).optional().describe('New argument list; $0, $1 … are the old arguments'),
});
export type RenameCallParams = z.infer<typeof renameCallParams>;

// `codemod` (src/codemod/rules/codemod.ts).
export const CODEMOD_MAX_TIMEOUT_MS = 10 * 60_000;
export const CODEMOD_MAX_MEMORY_MIB = 4096;
const modulePath = z
  .string()
  .min(1)
  .refine(
    (p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'),
    'a path inside the manifest repository, e.g. ./codemods/play-events-v2.ts',
  );

export const codemodParams = z.union([
  modulePath,
  z.strictObject({
    module: modulePath,
    // Capped: a custom codemod is untrusted code (docs/codemods.md, trust model); one that needs more
    // than 10 minutes or 4 GiB for one repository is a bug to fix, not a limit to raise.
    timeout: z
      .string()
      .refine((s) => parseDuration(s) !== undefined, 'a duration such as 60s or 2m')
      .refine((s) => (parseDuration(s) ?? 0) <= CODEMOD_MAX_TIMEOUT_MS, 'at most 10m (a custom codemod runs for one repository)')
      .refine((s) => (parseDuration(s) ?? 1) > 0, 'more than 0s')
      .default('60s'),
    memoryMiB: z.number().int().min(32).max(CODEMOD_MAX_MEMORY_MIB, 'at most 4096 (MiB)').default(512),
    files: z.array(z.string().min(1)).min(1).optional().describe('Globs of the files handed to the module; default: every TS/JS file'),
  }),
]);
export type CodemodParams = z.infer<typeof codemodParams>;

/** `schemaTypes` (src/codemod/rules/schema-types.ts). */
export const schemaTypesParams = z.strictObject({
  file: z
    .string()
    .min(1)
    .refine((p) => !isAbsolute(p) && !p.split('/').includes('..'), 'a path inside the consumer repository, e.g. src/types/play-event.ts'),
  type: z
    .string()
    .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'an interface name')
    .optional()
    .describe("The interface's name; default the Avro record's name"),
});
export type SchemaTypesParams = z.infer<typeof schemaTypesParams>;

/** The SQL dialects the `sql` rule reads (src/codemod/rules/sql.ts; which grammar reads each: docs/rules/sql.md). */
export const sqlDialects = ['bigquery', 'snowflake', 'postgres', 'spark', 'duckdb', 'ansi'] as const;
export type SqlDialect = (typeof sqlDialects)[number];

/** `sql` (src/codemod/rules/sql.ts). */
export const sqlParams = z.strictObject({
  dialect: z.enum(sqlDialects).describe('The SQL dialect of the files'),
  files: z
    .array(z.string().min(1))
    .min(1)
    .default(['**/*.sql'])
    .describe("Globs of the SQL files (dbt models included); a dbt project's sources YAML is found from its dbt_project.yml"),
  renameOutputs: z
    .boolean()
    .default(false)
    .describe("Rename the query's output columns too (default: a renamed column keeps its output name, userId AS user_id)"),
});
export type SqlParams = z.infer<typeof sqlParams>;

/** `python` (src/codemod/rules/python.ts). */
export const pythonParams = z.strictObject({
  files: z
    .array(z.string().min(1))
    .min(1)
    .default(['**/*.py'])
    .describe('Globs of the Python files (pandas, PySpark, polars) that may read the dataset'),
});
export type PythonParams = z.infer<typeof pythonParams>;

/**
 * Environment variable names that never reach an agent, whatever the manifest asks: the code host's and
 * the cloud's credentials, the runner's control plane, Fleetwave's own settings (src/agent/sandbox.ts).
 */
export const AGENT_ENV_DENIED =
  /^(GITHUB|GH|INPUT|ACTIONS|RUNNER|AWS|AZURE|GOOGLE|GCP|FLEETWAVE|NPM|SSH)_|^(PAGERDUTY|BACKSTAGE)|^(GIT_ASKPASS|SSH_AUTH_SOCK)$/i;

/** Longest a turn of the agent may run. */
export const AGENT_MAX_TIMEOUT_MS = 2 * 3_600_000;

/** `agent` (src/codemod/rules/agent.ts; the step: src/codemod/agent/, its runner src/agent/; docs/rules/agent.md). */
export const agentParams = z.strictObject({
  command: z
    .string()
    .min(1, 'command must name the agent program')
    .describe('The agent program, a shell command line run by /bin/sh -c in a scratch copy of the consumer'),
  prompt: z
    .string()
    .min(1)
    .refine(
      (p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'),
      'a path inside the manifest repository, e.g. prompts/play-events-v2.md',
    )
    .describe('The prompt file, in the manifest repository (reviewed like the manifest); its sha256 is in the PR body'),
  for: z
    .enum(['blocked', 'findings', 'all'])
    .default('blocked')
    .describe('Which targets the agent works on: those the rules leave blocked, those with any warning or blocking finding, or all'),
  maxTurns: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('Turns at most; each turn after the first sees the verifier failures of the one before'),
  timeout: z
    .string()
    .refine((s) => parseDuration(s) !== undefined, 'a duration such as 90s or 20m')
    .refine((s) => (parseDuration(s) ?? 0) > 0, 'more than 0s')
    .refine((s) => (parseDuration(s) ?? 0) <= AGENT_MAX_TIMEOUT_MS, 'at most 2h')
    .default('20m')
    .describe('Time limit of one turn of the agent program; its process group is killed then'),
  memoryMiB: z.number().int().min(64).max(32768).default(4096).describe('Memory limit of each process of the agent (RLIMIT_DATA), in MiB'),
  paths: z
    .array(z.string().min(1))
    .min(1)
    .describe('Globs of the only files the agent may change; what it writes elsewhere is thrown away and reported'),
  maxChangedLines: z.number().int().min(1).default(200).describe('Most lines added plus removed by the agent'),
  env: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
        .refine((n) => !AGENT_ENV_DENIED.test(n), 'a name that never reaches an agent (code host, cloud, runner or Fleetwave credentials)'),
    )
    .default([])
    .describe("Names of variables passed from Fleetwave's environment to the agent (its own vendor key, e.g. ANTHROPIC_API_KEY)"),
  network: z
    .enum(['none', 'host'])
    .default('none')
    .describe(
      'none: no network where Linux allows (unshare -n); host: the agent may reach its vendor (a hosted model needs it). Verifiers never get network',
    ),
  judge: z
    .string()
    .min(1)
    .optional()
    .describe('A command that gets the diff and the prompt on stdin and answers `pass: <reason>` or `fail: <reason>`'),
  fallback: z
    .enum(['annotate'])
    .optional()
    .describe(
      'annotate: when the agent does not pass, offer a draft PR that changes no code but adds a comment above each blocking read (never merged by Fleetwave)',
    ),
  guide: z.string().min(1).optional().describe('The migration guide the annotate comments point to (a URL or a path)'),
});
export type AgentParams = z.infer<typeof agentParams>;

/**
 * Every change rule the manifest can name, by name, in the order the docs list them; the codemod rule
 * registry (src/codemod/rules/registry.ts) holds the rule of each name.
 */
export const changeRuleParams = {
  replace: replaceParams,
  replaceString: replaceStringParams,
  renameField: renameFieldParams,
  renameImport: renameImportParams,
  renameCall: renameCallParams,
  codemod: codemodParams,
  schemaTypes: schemaTypesParams,
  sql: sqlParams,
  python: pythonParams,
  agent: agentParams,
} as const satisfies Record<string, z.ZodType>;

export const ruleNames: readonly string[] = Object.keys(changeRuleParams);

/** The parameter schema of the rule called `name`, if there is one. */
export function ruleParams(name: string): z.ZodType | undefined {
  return Object.hasOwn(changeRuleParams, name) ? changeRuleParams[name as keyof typeof changeRuleParams] : undefined;
}

/**
 * The schema of one `changes:` entry: an object naming exactly one rule, whose value its rule's
 * parameters check. Built as one strict object (not a union) so that a bad parameter is reported at
 * its own path (`changes[1].renameField.from`) and an unknown rule name as an unrecognized key.
 */
export const changeRuleSchema: z.ZodType<Record<string, unknown>> = z
  .strictObject(Object.fromEntries(Object.entries(changeRuleParams).map(([name, params]) => [name, params.optional()])))
  .superRefine((value, ctx) => {
    const named = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (named.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a change names exactly one rule (one of ${ruleNames.join(', ')}), found ${named.length ? named.join(' and ') : 'none'}`,
      });
    }
  }) as z.ZodType<Record<string, unknown>>;
