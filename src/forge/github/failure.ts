/**
 * What a failed GitHub request tells, read the same way by the request budget (retry now?) and by
 * the adapter's typed errors (retry on a later tick?): the HTTP status GitHub answered with (none when
 * no answer came), whether GitHub asks to wait (a rate limit), whether the failure may pass (a network
 * error with a transient code, a 5xx, a rate limit), and the repository the request was about.
 */
import { transientNetworkCode } from '../../util/errors.js';

export interface RequestFailure {
  name?: string;
  status?: number;
  message?: string;
  response?: { status?: number; headers?: Record<string, string | number | undefined>; data?: unknown };
  request?: { url?: string };
  cause?: unknown;
}

/**
 * The HTTP status GitHub answered with, or null when no answer came. Octokit reports a request that
 * got no answer (the fetch itself threw) as an `HttpError` of status 500 without a response.
 */
export function answeredStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as RequestFailure;
  if (typeof e.response?.status === 'number') return e.response.status;
  if (e.name === 'HttpError' && e.response === undefined) return null;
  return typeof e.status === 'number' ? e.status : null;
}

/** Response headers with lower-case names and string values. */
export function headersOf(err: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const headers = typeof err === 'object' && err !== null ? (err as RequestFailure).response?.headers : undefined;
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v === undefined ? undefined : String(v);
  return out;
}

/**
 * GitHub asks to wait: a 429, or a 403 that says when to retry (`retry-after`), that the primary
 * limit is spent (`x-ratelimit-remaining: 0`), or that a secondary rate limit was hit.
 */
export function isRateLimit(err: unknown): boolean {
  const status = answeredStatus(err);
  if (status === 429) return true;
  if (status !== 403) return false;
  const headers = headersOf(err);
  if (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0') return true;
  const e = err as RequestFailure;
  const message = `${e.message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`.toLowerCase();
  return message.includes('secondary rate limit') || message.includes('abuse');
}

/** The failure may pass: a transient network error, a 5xx or a rate limit. Anything else repeats if retried. */
export function isTransientFailure(err: unknown): boolean {
  if (transientNetworkCode(err) !== null) return true;
  const status = answeredStatus(err);
  return status !== null && (status >= 500 || isRateLimit(err));
}

/** `owner/name` from the request's URL (`…/repos/{owner}/{repo}/…`), or null for requests about no repository. */
export function repoOfRequest(err: unknown): string | null {
  const url = typeof err === 'object' && err !== null ? (err as RequestFailure).request?.url : undefined;
  const m = typeof url === 'string' ? /\/repos\/([^/?#]+)\/([^/?#]+)/.exec(url) : null;
  return m ? `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}` : null;
}

/** How the failure reads in a message: `HTTP 404`, `network: ECONNRESET`, or the error's kind (`TypeError`). */
export function describeFailure(err: unknown): string {
  const status = answeredStatus(err);
  if (status !== null) return `HTTP ${status}`;
  const code = transientNetworkCode(err);
  if (code !== null) return `network: ${code}`;
  const e = err as RequestFailure | null;
  // Octokit's wrapper of a fetch that threw says nothing; the error it wraps does.
  const inner = e?.name === 'HttpError' && e.cause instanceof Error ? e.cause : err;
  return `${inner instanceof Error ? inner.name : typeof inner}, not an answer from GitHub: not retried`;
}

/** GitHub's `message` (and the first validation error's), as one lower-case string. */
function answerText(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as RequestFailure;
  const data = e.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const errors = Array.isArray(data?.errors)
    ? data.errors.map((x: unknown) => (typeof x === 'string' ? x : typeof x === 'object' && x !== null ? JSON.stringify(x) : '')).join(' ')
    : '';
  return `${typeof data?.message === 'string' ? data.message : ''} ${errors} ${e.message ?? ''}`.toLowerCase();
}

/**
 * Why GitHub refused a write: its 422 ("Unprocessable Entity") and 405 answers share a status across
 * unrelated causes, told apart only by their message (docs/github-behaviour.md, "Writing"):
 *
 * - `workflows-permission`: "refusing to allow a GitHub App to create or update workflow `…` without
 *   `workflows` permission" (a commit, a ref or a merge that changes `.github/workflows/**`);
 * - `ref-exists`: "Reference already exists" (creating a branch that exists);
 * - `pull-request-exists`: "A pull request already exists for owner:branch.";
 * - `spammed`: "… has been spammed" (GitHub's abuse protection on creating content);
 * - `merge-method-not-allowed`: "Squash merges are not allowed on this repository." (and "Merge commits",
 *   "Rebase merges");
 * - `base-modified`: "Base branch was modified. Review and try the merge again." (a merge raced another);
 * - `not-mergeable`: "Pull Request is not mergeable" (conflicts, or mergeability not computed yet);
 * - `other`: anything else (a validation failure: the request itself is wrong).
 */
export type WriteRefusal =
  | 'workflows-permission'
  | 'ref-exists'
  | 'pull-request-exists'
  | 'spammed'
  | 'merge-method-not-allowed'
  | 'base-modified'
  | 'not-mergeable'
  | 'other';

export function writeRefusal(err: unknown): WriteRefusal {
  const text = answerText(err);
  if (/workflows?`? permission/.test(text) && text.includes('workflow')) return 'workflows-permission';
  if (text.includes('reference already exists')) return 'ref-exists';
  if (text.includes('a pull request already exists')) return 'pull-request-exists';
  if (text.includes('spammed')) return 'spammed';
  if (/(merge commits|squash merges|rebase merges) are not allowed/.test(text)) return 'merge-method-not-allowed';
  if (text.includes('base branch was modified')) return 'base-modified';
  if (text.includes('not mergeable')) return 'not-mergeable';
  return 'other';
}

/** GitHub's own message of a failed request, as it answered it (for error messages). */
export function answerMessage(err: unknown): string {
  const data = (typeof err === 'object' && err !== null ? (err as RequestFailure).response?.data : undefined) as
    { message?: unknown } | undefined;
  if (typeof data?.message === 'string') return data.message;
  return err instanceof Error ? err.message : String(err);
}
