/**
 * Zod issues → problems a person can act on: "expected a number, got string 'ten'", "unknown key
 * 'wavez' (did you mean 'waves'?)", "missing required field 'owner'". Each problem keeps the value's
 * path and says whether it points at the value, at its key, or at the container of a missing field.
 */
import type { z } from 'zod';
import { closest, didYouMean } from './did-you-mean.js';
import { allowedKeysAt } from './schema-walk.js';
import { formatPath } from './yaml-positions.js';

export interface PathProblem {
  path: PropertyKey[];
  /** Which node the position is taken from. */
  at: 'value' | 'key' | 'missing';
  message: string;
}

/** Returned by the per-parse error map, so that zod's default wording can be told from the schema's own. */
const DEFAULT = '\u0000default';
export const defaultMessages: z.core.$ZodErrorMap = () => DEFAULT;

type Issue = z.core.$ZodIssue;

/** The raw (YAML) value at `path`, or undefined when absent. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** `string 'abc'`, `number 12`, `a mapping`, `a list`, `nothing (an empty value)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'nothing (an empty value)';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string '${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'nothing',
  date: 'a date',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** A schema's own message, phrased as "expected …" when it is a noun phrase ("a duration such as 30m"). */
function ownMessage(message: string, raw: unknown): string {
  const text = /^an? /.test(message) ? `expected ${message}` : message;
  return /^expected /.test(text) ? `${text}, got ${describeValue(raw)}` : text;
}

function sizeMessage(issue: Issue & { code: 'too_small' | 'too_big' }, raw: unknown): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
    case 'set':
      return small
        ? `needs at least ${bound} entr${Number(bound) === 1 ? 'y' : 'ies'}`
        : `may have at most ${bound} entries, has ${(raw as unknown[]).length}`;
    case 'string':
      if (small && Number(bound) === 1) return 'must not be empty';
      return small ? `must be at least ${bound} characters long` : `must be at most ${bound} characters long`;
    default:
      return `must be ${small ? (inclusive ? 'at least' : 'above') : inclusive ? 'at most' : 'below'} ${bound}, got ${describeValue(raw)}`;
  }
}

/**
 * Explains issues of a parse of `root` (the whole document's value). `schema` validated the value
 * `depth` segments down the issue paths (0: the whole document), to list the keys allowed at a path.
 */
class IssueExplainer {
  constructor(
    private readonly root: unknown,
    private readonly schema: z.core.$ZodType,
    private readonly depth = 0,
  ) {}

  explain(issue: Issue): PathProblem[] {
    const path = [...issue.path];
    const where = formatPath(path);
    const raw = valueAt(this.root, path);
    const own = issue.message !== DEFAULT;
    const at = (message: string): PathProblem[] => [{ path, at: 'value', message: where ? `${where}: ${message}` : message }];
    switch (issue.code) {
      case 'invalid_type': {
        if (raw === undefined) {
          const field = path[path.length - 1];
          const container = formatPath(path.slice(0, -1));
          return [
            { path, at: 'missing', message: `${where}: missing required field '${String(field)}'${container ? ` in ${container}` : ''}` },
          ];
        }
        if (own) return at(ownMessage(issue.message, raw));
        return at(`expected ${typeName(issue.expected)}, got ${describeValue(raw)}`);
      }
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(this.schema, path.slice(this.depth));
        return issue.keys.map((key) => ({
          path: [...path, key],
          at: 'key' as const,
          message: `${formatPath([...path, key])}: unknown key '${key}'${didYouMean(key, allowed)}${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}`,
        }));
      }
      case 'invalid_value': {
        if (own) return at(ownMessage(issue.message, raw));
        const hint =
          typeof raw === 'string'
            ? didYouMean(
                raw,
                issue.values.filter((v): v is string => typeof v === 'string'),
              )
            : '';
        return at(`expected one of ${quoteList(issue.values)}, got ${describeValue(raw)}${hint}`);
      }
      case 'invalid_format':
        if (own) return at(ownMessage(issue.message, raw));
        return at(
          `expected ${issue.format === 'regex' ? `text matching ${issue.pattern}` : `a valid ${issue.format}`}, got ${describeValue(raw)}`,
        );
      case 'too_small':
      case 'too_big':
        return at(own ? ownMessage(issue.message, raw) : sizeMessage(issue, raw));
      case 'not_multiple_of':
        return at(own ? ownMessage(issue.message, raw) : `must be a multiple of ${issue.divisor}, got ${describeValue(raw)}`);
      case 'invalid_union': {
        if (own) return at(ownMessage(issue.message, raw));
        return this.union(issue, raw, path) ?? at(unionTypes(issue, raw));
      }
      case 'custom':
        return at(own ? ownMessage(issue.message, raw) : `is not valid, got ${describeValue(raw)}`);
      case 'invalid_key': {
        // A bad key of a free-form mapping (e.g. renameImport's `names`): the issue path ends in the key.
        const key = String(path[path.length - 1]);
        const inner = issue.issues[0];
        const why =
          inner && inner.message !== DEFAULT ? ownMessage(inner.message, key) : `is not an allowed key, got ${describeValue(key)}`;
        return [{ path, at: 'key', message: `${where}: key '${key}' ${why.replace(/^expected/, 'is not valid: expected')}` }];
      }
      default:
        return at(own ? issue.message : `is not valid (${issue.code}), got ${describeValue(raw)}`);
    }
  }

  /** The branch of a failed union that got past the type check, when exactly one did: its own problems. */
  private union(issue: Issue & { code: 'invalid_union' }, _raw: unknown, path: PropertyKey[]): PathProblem[] | undefined {
    const typeOnly = (errs: readonly Issue[]) => errs.every((e) => e.code === 'invalid_type' && e.path.length === 0);
    const deeper = issue.errors.filter((errs) => errs.length && !typeOnly(errs));
    if (deeper.length !== 1) return undefined;
    return deeper[0]!.flatMap((e) => this.explain({ ...e, path: [...path, ...e.path] } as Issue));
  }
}

/** "expected a list or a number, got string 'x'" from the type errors of every branch. */
function unionTypes(issue: Issue & { code: 'invalid_union' }, raw: unknown): string {
  const expected = [
    ...new Set(
      issue.errors.flatMap((errs) =>
        errs.filter((e) => e.code === 'invalid_type' && e.path.length === 0).map((e) => typeName((e as { expected: string }).expected)),
      ),
    ),
  ];
  return expected.length
    ? `expected ${expected.join(' or ')}, got ${describeValue(raw)}`
    : `does not match any allowed form, got ${describeValue(raw)}`;
}

/** Explain every issue of a failed parse of `value` against `schema`. */
export function explainIssues(issues: readonly Issue[], value: unknown, schema: z.core.$ZodType): PathProblem[] {
  const explainer = new IssueExplainer(value, schema);
  return issues.flatMap((issue) => explainer.explain(issue));
}

/**
 * A list whose entries each name one kind by a single key (`- replace: {...}`, `- rename: {...}`).
 * Zod's union errors for such entries are unhelpful, so each entry is judged by its key: an unknown
 * key is reported with the closest known name and the full list; a known one by its own schema.
 */
export interface KeyedList {
  /** Where the list is, e.g. `['changes']`. */
  path: readonly string[];
  /** What one entry names: `rule`, `transform step`, `discovery source`. */
  noun: string;
  /** Every known name, in the order to list them. */
  names: readonly string[];
  /** The schema of the value under a name. */
  branch(name: string): z.core.$ZodType | undefined;
  /** Shown after an entry of the wrong shape, e.g. `- replace: { from: a, to: b }`. */
  example: string;
}

/** Problems of each entry of a keyed list; `issues` should then be filtered of that list's entries. */
export function explainKeyedList(list: KeyedList, root: unknown): PathProblem[] {
  const entries = valueAt(root, list.path);
  if (!Array.isArray(entries)) return [];
  const problems: PathProblem[] = [];
  const known = `${list.noun}s: ${list.names.join(', ')}`;
  entries.forEach((entry, index) => {
    const entryPath = [...list.path, index];
    const where = formatPath(entryPath);
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({
        path: entryPath,
        at: 'value',
        message: `${where}: expected a mapping naming one ${list.noun}, e.g. ${list.example}, got ${describeValue(entry)}`,
      });
      return;
    }
    const keys = Object.keys(entry);
    if (keys.length === 0) {
      problems.push({ path: entryPath, at: 'value', message: `${where}: an empty entry; name one ${list.noun} (${known})` });
      return;
    }
    const named = keys.filter((key) => list.names.includes(key));
    for (const key of keys) {
      if (named.includes(key)) continue;
      // A parameter indented one level too little lands beside the rule: say so.
      const owner = named.find((n) => {
        const branch = list.branch(n);
        return branch !== undefined && allowedKeysAt(branch, []).includes(key);
      });
      const suggestion = closest(key, list.names);
      problems.push({
        path: [...entryPath, key],
        at: 'key',
        message: owner
          ? `${where}: '${key}' is a parameter of ${owner}, not a ${list.noun}; indent it under ${owner} (or put it inside its { })`
          : `${where}: unknown ${list.noun} '${key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${known}`,
      });
    }
    if (named.length > 1) {
      problems.push({
        path: [...entryPath, named[1]!],
        at: 'key',
        message: `${where}: one entry names one ${list.noun}, this one names ${named.length} (${named.join(', ')}); put each in its own list entry`,
      });
      return;
    }
    if (named.length === 0) return;
    const name = named[0]!;
    const schema = list.branch(name);
    if (!schema) return;
    const result = (schema as z.ZodType).safeParse((entry as Record<string, unknown>)[name], { error: defaultMessages });
    if (!result.success) {
      const prefixed = result.error.issues.map((i) => ({ ...i, path: [...entryPath, name, ...i.path] }) as Issue);
      const explainer = new IssueExplainer(root, schema, entryPath.length + 1);
      problems.push(...prefixed.flatMap((issue) => explainer.explain(issue)));
    }
  });
  return problems;
}

/** True when `path` lies inside an entry of the keyed list (those issues are re-explained per entry). */
export function isInKeyedList(path: readonly PropertyKey[], list: KeyedList): boolean {
  return (
    path.length > list.path.length && list.path.every((segment, i) => path[i] === segment) && typeof path[list.path.length] === 'number'
  );
}
