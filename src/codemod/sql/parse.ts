/**
 * The one call into sql-parser-cst's parser (docs/decisions/0009-sql-parser.md), with V8 told not to
 * optimize the parser's outer function.
 *
 * sql-parser-cst is a Peggy parser: `peg$parse`, called once per file, holds every rule function and
 * builds the grammar's thousands of expectation objects and closures on each call, then calls the
 * rules. After a few hundred files V8 marks it hot and TurboFan compiles it: one compile of that
 * 6.5 MB function took ~250 MiB of compiler memory and ~1.9 s of CPU on the benchmark's 2,000 models
 * (peak RSS 429 → 179 MiB and CPU 7.3 → 5.5 s without it, docs/rules/sql.md, Benchmark), while the
 * optimized code gains nothing: the function runs once per file, and its rules (compiled separately,
 * still optimized) do the parsing. `--turbo-filter=-peg$parse` keeps that one name out of TurboFan;
 * the flag is set once, on the first parse, so a process that never reads SQL is left alone. It names
 * only Peggy's entry function (any Peggy parser in the process is served the same way) and replaces a
 * `--turbo-filter` given on the command line.
 */
import { setFlagsFromString } from 'node:v8';
import { parse, type DialectName } from 'sql-parser-cst';
import type { Node } from './resolve.js';

let tiered = false;

/** `text` parsed with `grammar`, with every node's range (span edits need them); throws a syntax error. */
export function parseSql(text: string, grammar: DialectName, path: string): Node {
  if (!tiered) {
    tiered = true;
    setFlagsFromString('--turbo-filter=-peg$parse');
  }
  return parse(text, { dialect: grammar, includeRange: true, filename: path }) as unknown as Node;
}
