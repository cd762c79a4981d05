/**
 * Skimming a TypeScript file for a typed rule: the bodies of functions that cannot hold anything the
 * rule looks for are blanked to spaces before the file is parsed, so the compiler neither parses nor
 * binds them. Offsets and lines stay what they were (only characters other than line breaks become
 * spaces), so every location found in the skimmed file is a location in the real one.
 *
 * A body is blanked only where that cannot change a type the rule sees:
 * - the function states its return type (`(…): T {`, `(…): T => {`): nothing outside the body is
 *   inferred from it (constructors and setters, which state none, always keep theirs);
 * - the body is not inside another function (or an `if`/`for` block, anything opened after `)` or `=>`):
 *   what it could assign is then only a module-level variable, and
 * - the file declares no module-level `let` or `var` (an assignment in a body to one changes how
 *   TypeScript narrows it in other functions);
 * - `keep(body)` is false (the rule's own test: the body does not spell the field);
 * - the file is TypeScript (`.ts`, `.mts`, `.cts`; not `.d.ts`, not JSX, where text in tags is not
 *   code, not JavaScript, whose assignments in bodies declare members).
 * The scan below is lexical (strings, comments, templates and regular expressions skipped, braces
 * matched), so `verifySkim` checks the parsed result: no syntax error, and every blanked range is the
 * body of a function with a stated return type. When it is not, the file is parsed whole.
 */
import { ts } from 'ts-morph';

export interface Skimmed {
  text: string;
  /** Blanked bodies: offsets of each `{` and its `}`. */
  ranges: [number, number][];
}

const SKIMMABLE = /\.(ts|mts|cts)$/;

/** Can this file be skimmed at all (by its name)? */
export function skimmable(fileName: string): boolean {
  return SKIMMABLE.test(fileName) && !/\.d\.(ts|mts|cts)$/.test(fileName) && !/\.d\.[\w-]+\.ts$/.test(fileName);
}

const enum C {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  SQuote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Backtick = 96,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

/** Keywords after which a `/` starts a regular expression. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === C.Dollar || c > 127;
}

/** Where a return type annotation stands: after `)`, after `):`, inside the type, after `): T =>`. */
const enum Sig {
  None,
  Paren,
  Colon,
  Type,
  Arrow,
}

/** An open brace: a function body that may be blanked, another function-like block, or other braces. */
const enum Open {
  Body,
  Block,
  Other,
  Template,
  /** An object type inside a return type (`): { a: A } {`, `): Promise<{ a: A }> {`, `): A & { b: B } {`): the type goes on after it. */
  TypeBrace,
}

/**
 * The text with the blankable bodies (see the module comment) blanked, or undefined when nothing is
 * blanked (or the scan met something it does not read: then the file is parsed as it is).
 */
export function skimBodies(text: string, keep: (body: string) => boolean): Skimmed | undefined {
  const stack: { kind: Open; start: number; angle?: number }[] = [];
  /** Open function-like blocks (bodies and blocks after `)` or `=>`): a body inside one is kept. */
  let inFunction = 0;
  const ranges: [number, number][] = [];
  let sig = Sig.None;
  /** Open `<` of the return type being read. */
  let angle = 0;
  /** The last significant token: 'id' (identifier, number, string, `)`, `]`), a keyword, or punctuation. */
  let prev = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.Space || c === C.Tab || c === C.LF || c === C.CR) {
      i++;
      continue;
    }
    if (c === C.Slash) {
      const d = text.charCodeAt(i + 1);
      if (d === C.Slash) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end;
        continue;
      }
      if (d === C.Star) {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) return undefined;
        i = end + 2;
        continue;
      }
      if (prev === 'id' || prev === ')' || prev === ']') {
        // division
        prev = '/';
        sig = Sig.None;
        i++;
        continue;
      }
      // a regular expression literal
      let j = i + 1;
      let inClass = false;
      for (; j < n; j++) {
        const r = text.charCodeAt(j);
        if (r === C.LF || r === C.CR) return undefined;
        if (r === C.Backslash) j++;
        else if (r === C.LBracket) inClass = true;
        else if (r === C.RBracket) inClass = false;
        else if (r === C.Slash && !inClass) break;
      }
      if (j >= n) return undefined;
      i = j + 1;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      prev = 'id';
      sig = Sig.None;
      continue;
    }
    if (c === C.SQuote || c === C.DQuote) {
      let j = i + 1;
      for (; j < n; j++) {
        const r = text.charCodeAt(j);
        if (r === C.Backslash) j++;
        else if (r === c) break;
        else if (r === C.LF) return undefined;
      }
      if (j >= n) return undefined;
      i = j + 1;
      prev = 'id';
      if (sig === Sig.Colon || sig === Sig.Type)
        sig = Sig.Type; // a literal type
      else sig = Sig.None;
      continue;
    }
    if (c === C.Backtick || (c === C.RBrace && stack.length > 0 && stack[stack.length - 1]!.kind === Open.Template)) {
      // template text up to the closing backtick or the next `${`
      if (c === C.RBrace) stack.pop();
      let j = i + 1;
      for (; j < n; j++) {
        const r = text.charCodeAt(j);
        if (r === C.Backslash) j++;
        else if (r === C.Backtick) break;
        else if (r === C.Dollar && text.charCodeAt(j + 1) === C.LBrace) break;
      }
      if (j >= n) return undefined;
      if (text.charCodeAt(j) === C.Backtick) {
        i = j + 1;
        prev = 'id';
      } else {
        stack.push({ kind: Open.Template, start: j + 1 });
        i = j + 2;
        prev = '{';
      }
      sig = Sig.None;
      continue;
    }
    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      if ((word === 'let' || word === 'var') && inFunction === 0 && prev !== '.') return undefined;
      prev = BEFORE_REGEX.has(word) ? word : 'id';
      sig = sig === Sig.Colon || sig === Sig.Type ? Sig.Type : Sig.None;
      i = j;
      continue;
    }
    // punctuation
    if (c === C.LBrace) {
      let kind = Open.Other;
      if (sig === Sig.Colon || (sig === Sig.Type && (angle > 0 || prev === '&' || prev === '|'))) kind = Open.TypeBrace;
      else if (sig === Sig.Type || sig === Sig.Arrow) kind = inFunction === 0 ? Open.Body : Open.Block;
      else if (sig === Sig.Paren || prev === '=>') kind = Open.Block;
      stack.push({ kind, start: i, angle });
      if (kind === Open.Body || kind === Open.Block) inFunction++;
      prev = '{';
      sig = Sig.None;
      i++;
      continue;
    }
    if (c === C.RBrace) {
      const open = stack.pop();
      if (!open) return undefined;
      if (open.kind === Open.Body || open.kind === Open.Block) inFunction--;
      if (open.kind === Open.Body && !keep(text.slice(open.start + 1, i))) ranges.push([open.start, i]);
      prev = '}';
      sig = open.kind === Open.TypeBrace ? Sig.Type : Sig.None;
      angle = open.angle ?? 0;
      i++;
      continue;
    }
    if (c === C.RParen) {
      prev = ')';
      sig = Sig.Paren;
      angle = 0;
      i++;
      continue;
    }
    if (c === C.Colon) {
      prev = ':';
      sig = sig === Sig.Paren ? Sig.Colon : sig === Sig.Type ? Sig.Type : Sig.None;
      i++;
      continue;
    }
    if (c === C.Eq && text.charCodeAt(i + 1) === C.Gt) {
      prev = '=>';
      sig = sig === Sig.Type ? Sig.Arrow : Sig.None;
      i += 2;
      continue;
    }
    // type punctuation that may stand in a return type: `.`, `<`, `>`, `[`, `]`, `|`, `&`, `,`, `?`
    const inType =
      c === C.Dot ||
      c === C.Lt ||
      c === C.Gt ||
      c === C.LBracket ||
      c === C.RBracket ||
      c === C.Pipe ||
      c === C.Amp ||
      c === C.Comma ||
      c === C.Question;
    sig = inType && (sig === Sig.Colon || sig === Sig.Type) ? Sig.Type : Sig.None;
    if (sig === Sig.Type && c === C.Lt) angle++;
    else if (sig === Sig.Type && c === C.Gt && angle > 0) angle--;
    prev = c === C.RBracket ? ']' : String.fromCharCode(c);
    i++;
  }
  if (stack.length > 0 || ranges.length === 0) return undefined;
  // only the outermost blanked bodies (a body inside a blanked one went with it)
  ranges.sort((a, b) => a[0] - b[0]);
  const outer: [number, number][] = [];
  for (const r of ranges) if (!outer.length || r[0] > outer[outer.length - 1]![1]) outer.push(r);
  let out = '';
  let at = 0;
  for (const [start, end] of outer) {
    out += text.slice(at, start + 1) + text.slice(start + 1, end).replace(/[^\n\r\u2028\u2029]/g, ' ');
    at = end;
  }
  out += text.slice(at);
  return { text: out, ranges: outer };
}

/**
 * Does the file parsed from the skimmed text read as intended: no syntax error, and each blanked range
 * exactly the body of a function, method or arrow with a stated return type?
 */
export function verifySkim(sf: ts.SourceFile, ranges: readonly [number, number][]): boolean {
  const diags = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diags.length > 0) return false;
  for (const [start, end] of ranges) {
    let node: ts.Node = sf;
    let found = false;
    for (;;) {
      let next: ts.Node | undefined;
      ts.forEachChild(node, (child) => {
        if (child.pos <= start && start < child.end) {
          next = child;
          return true;
        }
        return undefined;
      });
      if (!next) break;
      if (ts.isBlock(next) && next.getStart(sf) === start) {
        found =
          next.end === end + 1 &&
          ts.isFunctionLike(node) &&
          (node as ts.FunctionLikeDeclaration).body === next &&
          (node as ts.FunctionLikeDeclaration).type !== undefined;
        break;
      }
      node = next;
    }
    if (!found) return false;
  }
  return true;
}
