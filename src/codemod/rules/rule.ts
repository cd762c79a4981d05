import type { z } from 'zod';

/**
 * A change rule: the manifest names it as a one-key object (`- replace: {...}`), its parameters are
 * checked by `params` as part of the manifest schema.
 *
 * `text` rules rewrite any text file chosen by glob; `source` rules work on TypeScript/JavaScript
 * through ts-morph and are run by the codemod engine.
 */
export interface TextRule<P> {
  kind: 'text';
  name: string;
  params: z.ZodType<P>;
  describe(params: P): string;
  /** Does this rule look at this repository-relative path at all? */
  appliesTo(params: P, path: string): boolean;
  /** Cheap test on raw text before any work: false means the file cannot match. */
  prefilter(params: P, text: string): boolean;
  rewrite(params: P, text: string, path: string): { text: string; count: number };
}

export type AnyTextRule = TextRule<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
