/**
 * A small client for the Backstage catalog REST API (`/api/catalog/...`), over the global `fetch`.
 * It returns raw JSON; validation is the caller's (see entity.ts). The token is sent as a bearer
 * token and never logged or put in an error message.
 *
 * Bounded (issue 14): every request has a deadline (`timeoutMs`, 30 s, the body included), a body
 * over `maxResponseBytes` (32 MiB) is refused as it streams in, and an entity reference's parts must
 * be Backstage names (letters, digits and single `-_.` between them), so that nothing (`..`, `/`,
 * `?`, `#`, `%2e%2e`) can change which URL is asked.
 */
import { ForgeError, InputError, transientNetworkCode } from '../util/errors.js';

export interface CatalogApiOptions {
  /** The Backstage backend's base URL, e.g. `https://backstage.acme.io` (the API is under `/api/catalog`). */
  baseUrl: string;
  /** A static or service token (`backend.auth.externalAccess`); sent as `Authorization: Bearer`. */
  token?: string;
  /** Page size for `by-query`. */
  pageSize?: number;
  /** For tests and instrumentation; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Called after every request with the response status, 0 when no response came (metrics). */
  onRequest?: (info: { endpoint: string; status: number }) => void;
  /** Deadline of one request, its body included (default 30,000 ms). */
  timeoutMs?: number;
  /** Largest response body accepted (default 32 MiB). */
  maxResponseBytes?: number;
}

export const catalogClientDefaults = { timeoutMs: 30_000, maxResponseBytes: 32 * 1024 * 1024 } as const;

/** Backstage's rules for the parts of an entity reference (catalog-model's KubernetesValidatorFunctions, in linear checks). */
const refParts = {
  kind: { max: 63, re: /^[A-Za-z][A-Za-z0-9]*$/ },
  namespace: { max: 63, re: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/ },
  name: { max: 63, re: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/ },
} as const;

function checkRefPart(part: keyof typeof refParts, value: string): void {
  const rule = refParts[part];
  if (value.length > rule.max || !rule.re.test(value) || /[-_.]{2}/.test(value)) {
    throw new InputError(
      `the catalog entity ${part} ${JSON.stringify(value.slice(0, 80))} is not a Backstage ${part}: letters and digits${part === 'kind' ? '' : ' with single - _ . between them'}, at most ${rule.max} characters; check the entity reference`,
    );
  }
}

export interface QueryPage {
  items: unknown[];
  totalItems?: number;
  pageInfo?: { nextCursor?: string; prevCursor?: string };
}

export class CatalogApiClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: CatalogApiOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new InputError(
        `the Backstage URL ${JSON.stringify(options.baseUrl)} is not a URL: pass the backend's base URL, e.g. https://backstage.example.com`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`the Backstage URL ${options.baseUrl} must be http(s)`);
    this.base = url.href.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  /** Where the catalog lives, for messages. */
  get location(): string {
    return `${this.base}/api/catalog`;
  }

  /** `GET /entities/by-name/{kind}/{namespace}/{name}`; null on 404. Each part is checked first (see checkRefPart). */
  async byName(kind: string, namespace: string, name: string): Promise<unknown | null> {
    checkRefPart('kind', kind);
    checkRefPart('namespace', namespace);
    checkRefPart('name', name);
    const path = `/entities/by-name/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
    return this.request('by-name', 'GET', path, undefined, true);
  }

  /** `POST /entities/by-refs`: one item per ref, in order, null where the catalog has no such entity. */
  async byRefs(entityRefs: string[], fields?: string[]): Promise<(unknown | null)[]> {
    if (entityRefs.length === 0) return [];
    const body = await this.request('by-refs', 'POST', '/entities/by-refs', { entityRefs, ...(fields ? { fields } : {}) }, false);
    const items = (body as { items?: unknown }).items;
    if (!Array.isArray(items) || items.length !== entityRefs.length) {
      throw new ForgeError(
        `${this.location}/entities/by-refs answered ${Array.isArray(items) ? items.length : 'no'} items for ${entityRefs.length} refs: is this a Backstage catalog?`,
        false,
      );
    }
    return items as (unknown | null)[];
  }

  /** `GET /entities/by-query` with `filter` (e.g. `kind=component`), every page followed through `pageInfo.nextCursor`. */
  async byQuery(filters: string[], fields?: string[]): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | undefined;
    const limit = String(this.options.pageSize ?? 200);
    for (let page = 0; ; page++) {
      const params = new URLSearchParams();
      if (cursor) params.set('cursor', cursor);
      else {
        for (const f of filters) params.append('filter', f);
        if (fields) params.set('fields', fields.join(','));
      }
      params.set('limit', limit);
      const body = (await this.request('by-query', 'GET', `/entities/by-query?${params}`, undefined, false)) as QueryPage;
      if (!Array.isArray(body.items))
        throw new ForgeError(`${this.location}/entities/by-query answered without an items array: is this a Backstage catalog?`, false);
      items.push(...body.items);
      cursor = body.pageInfo?.nextCursor;
      if (!cursor || body.items.length === 0) return items;
      if (page > 10_000) throw new ForgeError(`${this.location}/entities/by-query: more than 10000 pages; narrow the filter`, false);
    }
  }

  private async request(endpoint: string, method: 'GET' | 'POST', path: string, body: unknown, allow404: boolean): Promise<unknown> {
    const url = `${this.location}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.options.timeoutMs ?? catalogClientDefaults.timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const timedOut = (err: unknown) =>
      signal.aborted
        ? new ForgeError(`the Backstage catalog at ${this.location} did not answer ${method} ${endpoint} within ${timeoutMs} ms`, true, {
            cause: err,
          })
        : undefined;
    let res: Response;
    try {
      res = await this.doFetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (err) {
      this.options.onRequest?.({ endpoint, status: 0 });
      const late = timedOut(err);
      if (late) throw late;
      // Only a network error that may pass is retried; a bad URL (fetch's TypeError) is not.
      const code = transientNetworkCode(err);
      throw new ForgeError(
        `cannot reach the Backstage catalog at ${this.location}${code ? ` (${code})` : ''}: ${(err as Error).message}`,
        code !== null,
        { cause: err },
      );
    }
    this.options.onRequest?.({ endpoint, status: res.status });
    if (res.status === 404 && allow404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new InputError(
        `the Backstage catalog at ${this.location} refused the request (${res.status}): ${this.options.token ? 'the token was not accepted; check BACKSTAGE_TOKEN and backend.auth.externalAccess' : 'it needs a token; set BACKSTAGE_TOKEN'}`,
      );
    }
    let text: string;
    try {
      text = await this.readBody(
        res,
        method,
        url,
        res.ok ? (this.options.maxResponseBytes ?? catalogClientDefaults.maxResponseBytes) : 4096,
      );
    } catch (err) {
      throw timedOut(err) ?? err;
    }
    if (!res.ok) {
      const shown = text.slice(0, 300);
      const transient = res.status === 429 || res.status >= 500;
      throw new ForgeError(`the Backstage catalog answered ${res.status} to ${method} ${url}${shown ? `: ${shown}` : ''}`, transient, {
        status: res.status,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new ForgeError(
        `the Backstage catalog answered ${method} ${url} with a body that is not JSON: is the URL the backend's?`,
        false,
        { cause: err },
      );
    }
  }

  /** The body as text, refused past `max` bytes (a declared Content-Length first, then as it streams in); an error body is cut at `max`. */
  private async readBody(res: Response, method: string, url: string, max: number): Promise<string> {
    const tooLarge = (size: string) =>
      new ForgeError(
        `the Backstage catalog answered ${method} ${url} with ${size}, over the limit of ${max} bytes; refused (narrow the query or raise maxResponseBytes)`,
        false,
      );
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (res.ok && declared > max) {
      await res.body?.cancel();
      throw tooLarge(`a body of ${declared} bytes`);
    }
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel();
        if (!res.ok) break;
        throw tooLarge(`more than ${max} bytes`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
