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
  /** The HTTP status of the answer, or null when no answer came (or none was asked for). */
  readonly status: number | null;
  /** The repository (`owner/name`) the request was about, or null when it was about none or is not known. */
  readonly repo: string | null;
  constructor(
    message: string,
    readonly transient: boolean,
    options: { cause?: unknown; status?: number | null; repo?: string | null } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? null;
    this.repo = options.repo ?? null;
  }
}

/**
 * The error codes of a request that got no answer for a reason that may pass: the connection was
 * reset, refused, timed out or broken, or DNS said "try again". Node's system errors
 * (https://nodejs.org/api/errors.html#common-system-errors, and `EAI_AGAIN` from getaddrinfo:
 * https://nodejs.org/api/dns.html#error-codes) and undici's (the fetch behind Octokit and the
 * Backstage client: https://undici.nodejs.org/#/docs/api/Errors) socket and timeout errors.
 * `ENOTFOUND` is left out on purpose: the name does not exist, which a mistyped host keeps doing.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * The transient network code of `err` or of an error in its `cause` chain (fetch throws
 * `TypeError('fetch failed')` with the socket's error as its cause; Octokit wraps that again), or
 * null: a failure with no such code is not a network failure, and retrying it repeats it.
 */
export function transientNetworkCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Stored state that contradicts what we expect (a corrupt store, a foreign branch). */
export class StateError extends FleetwaveError {
  readonly kind = 'state' as const;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof InputError ? 2 : 1;
}
