/**
 * A repository's CODEOWNERS, read as GitHub reads it ("About code owners",
 * docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
 *
 * - the first file found of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS` is used;
 * - each line is a pattern and its owners (`@user`, `@org/team`, or an email address); `#` starts a
 *   comment; a pattern with no owner leaves the files it matches without one;
 * - patterns follow gitignore's rules (a pattern without a slash matches at any depth, one with a
 *   leading or middle slash is anchored at the root, a trailing slash matches a directory's contents,
 *   `*` stays within a path segment, `**` crosses them, and a wildcard in the last segment matches
 *   files of that directory only) except that `!` negation, `[ ]` ranges and a
 *   `\#` escape do not work: such lines are skipped;
 * - the LAST pattern that matches a file decides its owners.
 *
 * Pure: parsing and matching; reading the file is the caller's.
 */
import picomatch from 'picomatch';

/** Where GitHub looks for the file, in the order it looks. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
  matches: (path: string) => boolean;
}

export interface Codeowners {
  rules: CodeownersRule[];
  /** Lines GitHub would not use, with why (shown as findings, never guessed at). */
  skipped: { line: number; text: string; why: string }[];
}

const OWNER = /^(@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

/** A gitignore-style pattern as picomatch globs (relative to the repository root, no leading slash). */
function globsOf(pattern: string): string[] {
  let p = pattern;
  const directoryOnly = p.endsWith('/');
  if (directoryOnly) p = p.replace(/\/+$/, '');
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  if (p === '' || p === '*' || p === '**') return ['**'];
  const base = anchored ? p : `**/${p}`;
  if (directoryOnly) return [`${base}/**`];
  // A name covers a directory's contents too (`/apps/github`, `**/logs`); a wildcard in the last
  // segment does not reach deeper (GitHub: `docs/*` matches docs/a.md, not docs/build/b.md).
  return p.split('/').pop()!.includes('*') ? [base] : [base, `${base}/**`];
}

export function parseCodeowners(text: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const skipped: Codeowners['skipped'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!content) return;
    const [pattern, ...owners] = content.split(/\s+/);
    if (pattern!.startsWith('!')) return void skipped.push({ line, text: raw, why: 'a negated pattern (!) does not work in CODEOWNERS' });
    if (/[[\]]/.test(pattern!)) return void skipped.push({ line, text: raw, why: 'a character range ([ ]) does not work in CODEOWNERS' });
    if (pattern!.startsWith('\\#')) return void skipped.push({ line, text: raw, why: 'an escaped # does not work in CODEOWNERS' });
    const bad = owners.find((o) => !OWNER.test(o));
    if (bad) return void skipped.push({ line, text: raw, why: `"${bad}" is not an owner (@user, @org/team or an email address)` });
    const match = picomatch(globsOf(pattern!), { dot: true });
    rules.push({ pattern: pattern!, owners, line, matches: (path) => match(path.replace(/^\/+/, '')) });
  });
  return { rules, skipped };
}

/** The owners of `path`: those of the last rule that matches it ([] when none does, or it names none). */
export function ownersOf(codeowners: Codeowners, path: string): string[] {
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i]!;
    if (rule.matches(path)) return rule.owners;
  }
  return [];
}

/** The owners of a change: every owner of any of `paths`, in first-seen order. */
export function ownersOfChange(codeowners: Codeowners, paths: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const path of paths) for (const o of ownersOf(codeowners, path)) seen.add(o);
  return [...seen];
}
