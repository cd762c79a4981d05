/**
 * Regular expressions written by a manifest's author (`replace` with `regex: true`) run in RE2's
 * linear-time engine (re2js, pure JavaScript), never in V8's backtracking one: `(a+)+$` on a 36-byte
 * file took V8 hours, and the App runs rules on its event loop. RE2 has no backreferences (`\1`) and
 * no lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`); a pattern using them is a manifest error.
 * docs/decisions/0006-linear-time-regex.md says why this engine.
 */
import { RE2JS } from 're2js';

export type UserRegex = RE2JS;

const compiled = new Map<string, RE2JS>();

/** The pattern compiled for RE2; throws (see userRegexProblem) when RE2 cannot take it. */
export function compileUserRegex(source: string): UserRegex {
  let re = compiled.get(source);
  if (!re) {
    re = RE2JS.compile(source);
    if (compiled.size >= 256) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** Why `source` is not a pattern the linear-time engine runs, or undefined when it is. */
export function userRegexProblem(source: string): string | undefined {
  try {
    compileUserRegex(source);
    return undefined;
  } catch (err) {
    const detail = (err as Error).message.replace(/^error parsing regexp: /, '');
    return (
      `is not a regular expression Fleetwave runs (${detail}); patterns run in a linear-time engine (RE2 syntax), ` +
      'which has no backreferences (\\1) and no lookaround ((?=, (?!, (?<=, (?<!); rewrite it without them, or use regex: false'
    );
  }
}

/** Every match of `re` in `text` replaced by `replace(groups)` (group 0 the whole match); and how many. */
export function replaceAllMatches(
  re: UserRegex,
  text: string,
  replace: (groups: readonly (string | undefined)[]) => string,
): { text: string; count: number } {
  const m = re.matcher(text);
  let out = '';
  let last = 0;
  let count = 0;
  while (m.find()) {
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
    out += text.slice(last, m.start()) + replace(groups);
    last = m.end();
    count++;
  }
  return { text: count ? out + text.slice(last) : text, count };
}
