import type { ts } from 'ts-morph';
import type { z } from 'zod';
import type { TransformStep } from '../../data/transform/schema.js';
import type { Finding } from '../port.js';

/**
 * A change rule: the manifest names it as a one-key object (`- replace: {...}`), its parameters are
 * checked by `params` as part of the manifest schema.
 *
 * Three kinds (and the agent, below), run by the codemod engine (src/codemod/engine.ts) in the manifest's order:
 * - `text` rules rewrite any text file chosen by glob;
 * - `source` rules work on TypeScript/JavaScript parsed through ts-morph and return text-span edits
 *   (typed ones get a type checker over the prefiltered files);
 * - `repo` rules compute whole new file contents (custom codemods in a child process, generated
 *   declarations from a schema).
 */
interface RuleBase<P> {
  name: string;
  params: z.ZodType<P>;
  describe(params: P): string;
}

export interface TextRule<P> extends RuleBase<P> {
  kind: 'text';
  /** Does this rule look at this repository-relative path at all? */
  appliesTo(params: P, path: string): boolean;
  /** Cheap test on raw text before any work: false means the file cannot match. */
  prefilter(params: P, text: string): boolean;
  rewrite(params: P, text: string, path: string): { text: string; count: number };
}

/** A replacement of the text between `start` and `end` (offsets in the file's current text). */
export interface SpanEdit {
  start: number;
  end: number;
  text: string;
}

/** One parsed candidate file handed to a source rule. */
export interface ParsedFile {
  /** Repository-relative POSIX path. */
  path: string;
  sourceFile: ts.SourceFile;
}

export interface SourceRuleInput {
  files: ParsedFile[];
  /** Present for typed rules: the program over the candidate files (and what they import). */
  checker?: ts.TypeChecker;
  program?: ts.Program;
}

export interface SourceRuleOutput {
  /** Span edits by path. Spans of one file never overlap. */
  edits: Map<string, SpanEdit[]>;
  findings: Finding[];
}

export interface SourceRule<P> extends RuleBase<P> {
  kind: 'source';
  /** Needs the type checker (the engine then builds a program over the candidates). */
  typed: boolean;
  /** Does this rule look at this path (already a TS/JS file) at all? */
  appliesTo?(params: P, path: string): boolean;
  /** Cheap test on raw text: false means the file cannot match. */
  prefilter(params: P, text: string): boolean;
  /**
   * Typed rules only: a second, wider test. Files that pass `prefilter` but not `relevant`, and import
   * no relevant file, are left out of the program. Default: every prefiltered file is relevant.
   */
  relevant?(params: P, text: string): boolean;
  /**
   * Typed rules only: false when a function body with this text can hold none of the rule's edits or
   * findings. The engine then leaves the inside of such a body out of the program where no type
   * depends on it (a function with a stated return type: src/codemod/ts/skim.ts), and the rule sees
   * spaces there. Default: every body is parsed.
   */
  bodyMayMatch?(params: P, body: string): boolean;
  run(params: P, input: SourceRuleInput): SourceRuleOutput;
}

/**
 * What a repo rule can see: the repository's current files (after earlier rules) and, of the manifest,
 * the migration's name and its dataset's schema and transform.
 */
export interface RepoRuleContext {
  /** The migration's name (`metadata.name`). */
  migration: string;
  /** `dataset.schema` (an .avsc in the manifest repository) and `dataset.transform`. */
  dataset: {
    schema?: string;
    transform: TransformStep[];
    /** `dataset.source` and `dataset.target`: where the data is and goes, its format, and the table SQL names it by. */
    source: { uri: string; format: string; table?: string };
    target: { uri: string; format: string; table?: string };
  };
  repo: string;
  dir: string;
  manifestDir?: string;
  /** Repository-relative paths of every file the engine considers (generated files excluded). */
  paths: readonly string[];
  read(path: string): string | undefined;
}

export interface RepoRuleOutput {
  /** New contents by path; a path whose text did not change is ignored. */
  files: Map<string, string>;
  /** Changes per path, for the summary; defaults to 1 per changed file. */
  counts?: Map<string, number>;
  findings: Finding[];
}

export interface RepoRule<P> extends RuleBase<P> {
  kind: 'repo';
  run(params: P, ctx: RepoRuleContext): Promise<RepoRuleOutput>;
}

/**
 * The agent rule: not run by the engine's loop but after it and after impact analysis, on the targets
 * the deterministic rules leave blocked or with findings (src/codemod/engine.ts, src/codemod/agent/).
 */
export interface AgentRule<P> extends RuleBase<P> {
  kind: 'agent';
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyTextRule = TextRule<any>;
export type AnySourceRule = SourceRule<any>;
export type AnyRepoRule = RepoRule<any>;
export type AnyAgentRule = AgentRule<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type AnyRule = AnyTextRule | AnySourceRule | AnyRepoRule | AnyAgentRule;
