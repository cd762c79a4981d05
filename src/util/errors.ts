/**
 * The typed error hierarchy. Every error says what was wrong, where, and what to do.
 * Entry points map the kind to an exit code: bad input → 2, everything else → 1.
 */
export abstract class FleetwaveError extends Error {
  abstract readonly kind: 'input' | 'state' | 'forge' | 'data' | 'internal';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user gave us something we cannot use (a bad manifest, a missing file, a wrong flag). Exit 2. */
export class InputError extends FleetwaveError {
  readonly kind = 'input' as const;
}

/** A position in a file, 1-based, as editors and GitHub annotations count. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface Problem extends SourcePosition {
  message: string;
  /** Dotted path of the field in the document, e.g. `rollout.waves[2]`. */
  path: string;
}

/** A manifest (or other YAML document) with one or more problems, all reported at once. */
export class ValidationError extends InputError {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** Data that cannot be read or written as asked (corrupt Avro, a lossy cast). */
export class DataError extends FleetwaveError {
  readonly kind = 'data' as const;
}

/** The code host refused or failed a request. `transient` errors may be retried. */
export class ForgeError extends FleetwaveError {
  readonly kind = 'forge' as const;
  constructor(message: string, readonly transient: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Stored state that contradicts what we expect (a corrupt store, a foreign branch). */
export class StateError extends FleetwaveError {
  readonly kind = 'state' as const;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof InputError ? 2 : 1;
}
