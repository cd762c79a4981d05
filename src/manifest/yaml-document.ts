/**
 * Reads one YAML document defensively: a size cap, a nesting-depth cap (checked on the lexer's and
 * the parser's flat output, before anything recursive runs), an alias-expansion cap (billion laughs),
 * duplicate keys as errors, and every problem kept with its source offset.
 *
 * YAML 1.2 core schema: `2027-03-01` stays a string, `yes` stays a string, no `<<` merge keys.
 */
import { Composer, Lexer, LineCounter, Parser, isAlias, isScalar, visit, type CST, type Document, type Node } from 'yaml';

export const yamlLimits = {
  /** Largest accepted file, in bytes. Real manifests are a few kilobytes. */
  maxBytes: 1024 * 1024,
  /** Deepest accepted nesting of mappings and lists. Real manifests nest about six deep. */
  maxDepth: 64,
  /**
   * Most keys plus values (list entries count as values) in one document. The example manifests
   * have 40 to 160; one listing a thousand consumer repositories by hand about 3,000. Counted on the
   * syntax tree, before the document is composed or validated.
   */
  maxNodes: 10_000,
  /** Budget for alias expansion, as the `yaml` package counts it (expanded nodes per alias). */
  maxAliasCount: 100,
} as const;

/** A problem found while reading, at a byte offset of the text (turned into line:col by the caller). */
export interface OffsetProblem {
  offset: number;
  message: string;
}

export interface ReadYaml {
  /** The document, when the text could be parsed at all. */
  doc?: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain value (only when `fatal` is false). */
  value?: unknown;
  problems: OffsetProblem[];
  /** True when the problems leave no trustworthy value to validate further. */
  fatal: boolean;
}

const LEXER_CONTROL = new Set(['\x02', '\x18', '\x1f']);

/** Offset of the first flow collection (`[` or `{`) nested deeper than `max`, from the lexer alone. */
function tooDeepFlow(text: string, max: number): number | undefined {
  let offset = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > max) return offset;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    if (!LEXER_CONTROL.has(token)) offset += token.length;
  }
  return undefined;
}

/**
 * In the concrete syntax tree (no recursion): the offset of the first collection nested deeper than
 * `maxDepth`, and of the first key or value past the `maxNodes`th.
 */
function tooBigTree(tokens: readonly CST.Token[], maxDepth: number, maxNodes: number): { deep?: number; many?: number } {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  let nodes = 0;
  while (stack.length) {
    const { token, depth } = stack.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const inner = depth + 1;
        if (inner > maxDepth) return { deep: token.offset };
        for (const item of token.items) {
          if ('key' in item && item.key) stack.push({ token: item.key, depth: inner });
          if (item.value) stack.push({ token: item.value, depth: inner });
          nodes += 1 + ('key' in item && item.key ? 1 : 0);
          if (nodes > maxNodes) return { many: ('key' in item ? item.key?.offset : undefined) ?? item.value?.offset ?? token.offset };
        }
        break;
      }
      default:
        break;
    }
  }
  return {};
}

/**
 * Quoted strings and flow collections opened but never closed. The parser notices them only where the
 * text stops making sense (often the end of the file); the opening is where the fix is.
 */
function unclosedOpenings(tokens: readonly CST.Token[]): OffsetProblem[] {
  const found: OffsetProblem[] = [];
  const stack: (CST.Token | null | undefined)[] = [...tokens];
  while (stack.length) {
    const token = stack.pop();
    if (!token) continue;
    switch (token.type) {
      case 'document':
        stack.push(token.value);
        break;
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) stack.push('key' in item ? item.key : undefined, item.value);
        break;
      case 'flow-collection': {
        for (const item of token.items) stack.push(item.key, item.value);
        const close = token.start.source === '[' ? ']' : '}';
        if (!token.end.some((t) => t.source === close)) {
          found.push({
            offset: token.offset,
            message: `YAML syntax: this ${close === ']' ? 'list' : 'mapping'} is opened with ${token.start.source} but never closed with ${close}`,
          });
        }
        break;
      }
      case 'double-quoted-scalar':
      case 'single-quoted-scalar': {
        const quote = token.source[0]!;
        const closed =
          token.source.length > 1 && token.source.endsWith(quote) && !(quote === '"' && /(^|[^\\])(\\\\)*\\"$/.test(token.source));
        if (!closed) found.push({ offset: token.offset, message: `YAML syntax: this string is opened with ${quote} but never closed` });
        break;
      }
      default:
        break;
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Every repeated key of every mapping, with where it was first defined. The `yaml` package's own
 * check (`uniqueKeys`) compares each key with every earlier one of its mapping: quadratic, minutes
 * for a mapping of 100k keys. This one keeps a set per mapping: linear. Scalar keys compare by type
 * and value, as the package does; collection keys (never valid in a manifest) are not compared.
 */
function duplicateKeys(doc: Document.Parsed, lineCounter: LineCounter): OffsetProblem[] {
  const found: OffsetProblem[] = [];
  visit(doc, {
    Map(_key, map) {
      const first = new Map<string, Node>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key)) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        const earlier = first.get(id);
        if (!earlier) {
          first.set(id, key);
          continue;
        }
        const at = earlier.range ? lineCounter.linePos(earlier.range[0]) : undefined;
        found.push({
          offset: key.range?.[0] ?? 0,
          message: `duplicate key '${String(key.value)}'${at ? ` (first defined at line ${at.line}, col ${at.col})` : ''}; keep one`,
        });
      }
    },
  });
  return found;
}

function yamlMessage(message: string): string {
  // The package's messages sometimes end in a line with source context; keep the sentence.
  return (message.split('\n')[0] ?? message).replace(/\s+at line \d+, column \d+:?$/, '');
}

export function readYaml(text: string): ReadYaml {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > yamlLimits.maxBytes) {
    return {
      lineCounter,
      fatal: true,
      problems: [
        {
          offset: 0,
          message: `the file is ${bytes} bytes; a manifest may be at most ${yamlLimits.maxBytes} bytes (1 MiB); it is not read`,
        },
      ],
    };
  }
  const depthLimit = `nesting deeper than ${yamlLimits.maxDepth} levels; a manifest nests a few levels, so this document is refused`;
  const deepFlow = tooDeepFlow(text, yamlLimits.maxDepth);
  if (deepFlow !== undefined) {
    for (let i = text.indexOf('\n'); i >= 0 && i < deepFlow; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return { lineCounter, fatal: true, problems: [{ offset: deepFlow, message: depthLimit }] };
  }
  // The parser reports line starts, line 1 included (already added above).
  const onNewLine = (offset: number) => {
    if (offset > 0) lineCounter.addNewLine(offset);
  };
  const tokens = Array.from(new Parser(onNewLine).parse(text));
  const tooBig = tooBigTree(tokens, yamlLimits.maxDepth, yamlLimits.maxNodes);
  if (tooBig.deep !== undefined) return { lineCounter, fatal: true, problems: [{ offset: tooBig.deep, message: depthLimit }] };
  if (tooBig.many !== undefined) {
    const message = `more than ${yamlLimits.maxNodes} keys and values; a real manifest has a few hundred, so this document is refused`;
    return { lineCounter, fatal: true, problems: [{ offset: tooBig.many, message }] };
  }

  const composer = new Composer({ uniqueKeys: false, prettyErrors: false, version: '1.2', schema: 'core', merge: false });
  const docs = Array.from(composer.compose(tokens, true, text.length));
  const doc = docs[0]!;
  const problems: OffsetProblem[] = [];
  if (docs.length > 1) {
    problems.push({ offset: docs[1]!.range[0], message: 'a second YAML document (after ---); a manifest file holds exactly one document' });
  }
  let fatal = docs.length > 1;
  const reported = [...doc.errors, ...doc.warnings];
  // An unclosed quote or bracket: report its opening; what the parser said after it is its echo.
  const unclosed = reported.length ? unclosedOpenings(tokens) : [];
  if (unclosed.length) {
    fatal = true;
    problems.push(...unclosed);
  }
  const syntaxLines = new Set<number>();
  for (const error of reported) {
    const offset = error.pos[0];
    if (unclosed.length && offset >= unclosed[0]!.offset) continue;
    fatal = true;
    // One syntax error per line: the parser often adds follow-on complaints about the same spot.
    const line = lineCounter.linePos(offset).line;
    if (syntaxLines.has(line)) continue;
    syntaxLines.add(line);
    problems.push({ offset, message: `YAML syntax: ${yamlMessage(error.message)}` });
  }
  problems.push(...duplicateKeys(doc, lineCounter));
  if (fatal) return { doc, lineCounter, problems, fatal };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: yamlLimits.maxAliasCount });
  } catch (err) {
    if (err instanceof ReferenceError && /excessive alias count/i.test(err.message)) {
      problems.push({
        offset: firstAliasOffset(doc),
        message: `aliases expand beyond the limit (maxAliasCount ${yamlLimits.maxAliasCount}): this looks like an alias bomb ("billion laughs"); the document is refused`,
      });
      return { doc, lineCounter, problems, fatal: true };
    }
    if (err instanceof ReferenceError) {
      // e.g. an alias to an anchor defined later, or to one that does not exist.
      problems.push({ offset: firstAliasOffset(doc), message: `YAML: ${err.message}` });
      return { doc, lineCounter, problems, fatal: true };
    }
    throw err;
  }
  return { doc, lineCounter, value, problems, fatal: false };
}

/** The node an alias points at, or the node itself. */
export function resolveNode(doc: Document.Parsed, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 64; hops++) current = current.resolve(doc);
  return current;
}
