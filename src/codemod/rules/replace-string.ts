import picomatch from 'picomatch';
import { ts } from 'ts-morph';
import type { SourceRule, SpanEdit } from './rule.js';
import { replaceStringParams, type ReplaceStringParams } from '../../manifest/change-rules.js';

const matchers = new WeakMap<ReplaceStringParams, (path: string) => boolean>();

function escapeFor(delimiter: string, s: string): string {
  let out = s.replace(/\\/g, '\\\\');
  if (delimiter === '`') out = out.replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  else out = out.replace(new RegExp(delimiter, 'g'), `\\${delimiter}`);
  return out;
}

/** Occurrences of `from` in `s` that are not already part of `to` (so a second run changes nothing). */
function occurrences(s: string, from: string, to: string): number[] {
  const out: number[] = [];
  const guard = to.includes(from) ? to.indexOf(from) : -1;
  for (let i = s.indexOf(from); i !== -1; i = s.indexOf(from, i + from.length)) {
    if (guard >= 0 && i - guard >= 0 && s.startsWith(to, i - guard)) continue;
    out.push(i);
  }
  return out;
}

/** `from` at `i` is not the start of a longer name (`…/v1` must not match `…/v10` or `…/v1-next`). */
function endsName(s: string, from: string, i: number): boolean {
  const next = s[i + from.length];
  return next === undefined || !/[A-Za-z0-9_.-]/.test(from[from.length - 1]!) || !/[A-Za-z0-9_.-]/.test(next);
}

function isModuleSpecifier(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if ((ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) && p.moduleSpecifier === node) return true;
  if (ts.isExternalModuleReference(p) || ts.isLiteralTypeNode(p)) return true;
  if (
    ts.isCallExpression(p) &&
    (p.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(p.expression) && p.expression.text === 'require'))
  )
    return true;
  return ts.isModuleDeclaration(p);
}

/** Edits for one literal's raw text (between its delimiters). */
function literalEdits(p: ReplaceStringParams, node: ts.Node, sf: ts.SourceFile, out: SpanEdit[]): void {
  const full = node.getText(sf);
  const start = node.getStart(sf);
  const open = 1;
  let close = 1;
  let delimiter = full[0]!;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) close = 2; // `…${ or }…${
  if (ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) delimiter = '`';
  const raw = full.slice(open, full.length - close);
  const whole = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
  const atStart = whole || ts.isTemplateHead(node);
  if (delimiter === '}') delimiter = '`';
  if (p.match === 'exact') {
    if (whole && raw === p.from) out.push({ start: start + open, end: start + open + raw.length, text: escapeFor(delimiter, p.to) });
    return;
  }
  if (p.match === 'prefix') {
    if (atStart && raw.startsWith(p.from) && endsName(raw, p.from, 0) && !(p.to.startsWith(p.from) && raw.startsWith(p.to))) {
      out.push({ start: start + open, end: start + open + p.from.length, text: escapeFor(delimiter, p.to) });
    }
    return;
  }
  for (const i of occurrences(raw, p.from, p.to))
    if (endsName(raw, p.from, i))
      out.push({ start: start + open + i, end: start + open + i + p.from.length, text: escapeFor(delimiter, p.to) });
}

function commentEdits(p: ReplaceStringParams, sf: ts.SourceFile, out: SpanEdit[]): void {
  const text = sf.text;
  const seen = new Set<number>();
  const visitRanges = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const body = text.slice(r.pos, r.end);
      for (const i of occurrences(body, p.from, p.to))
        if (endsName(body, p.from, i)) out.push({ start: r.pos + i, end: r.pos + i + p.from.length, text: p.to });
    }
  };
  const visit = (node: ts.Node) => {
    visitRanges(ts.getLeadingCommentRanges(text, node.pos));
    visitRanges(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/**
 * `replaceString`: a dataset URI or path inside TS/JS string and template literals (and JSX attribute
 * strings). `match: prefix` (default) rewrites literals that start with `from`, `exact` only literals
 * that are exactly `from`, `contains` any occurrence inside a literal. Identifiers, module specifiers
 * (use `renameImport`) and comments stay, unless `comments: true`.
 */
export const replaceStringRule: SourceRule<ReplaceStringParams> = {
  kind: 'source',
  name: 'replaceString',
  params: replaceStringParams,
  typed: false,
  describe: (p) =>
    `replace ${p.match === 'exact' ? 'string literals equal to' : p.match === 'prefix' ? 'string literals starting with' : 'inside string literals'} \`${p.from}\` → \`${p.to}\`${p.comments ? ' (and in comments)' : ''}`,
  appliesTo(p, path) {
    if (!p.files) return true;
    let m = matchers.get(p);
    if (!m) matchers.set(p, (m = picomatch(p.files, { dot: true })));
    return m(path);
  },
  prefilter: (p, text) => text.includes(p.from),
  run(p, { files }) {
    const edits = new Map<string, SpanEdit[]>();
    for (const { path, sourceFile: sf } of files) {
      const out: SpanEdit[] = [];
      const visit = (node: ts.Node): void => {
        if (
          (ts.isStringLiteral(node) ||
            ts.isNoSubstitutionTemplateLiteral(node) ||
            ts.isTemplateHead(node) ||
            ts.isTemplateMiddle(node) ||
            ts.isTemplateTail(node)) &&
          node.text.includes(p.from) &&
          !isModuleSpecifier(node)
        ) {
          literalEdits(p, node, sf, out);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
      if (p.comments) commentEdits(p, sf, out);
      if (out.length) edits.set(path, out);
    }
    return { edits, findings: [] };
  },
};
