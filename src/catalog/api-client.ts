/**
 * A small client for the Backstage catalog REST API (`/api/catalog/...`), over the global `fetch`.
 * It returns raw JSON; validation is the caller's (see entity.ts). The token is sent as a bearer
 * token and never logged or put in an error message.
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

  /** `GET /entities/by-name/{kind}/{namespace}/{name}`; null on 404. */
  async byName(kind: string, namespace: string, name: string): Promise<unknown | null> {
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
    let res: Response;
    try {
      res = await this.doFetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      this.options.onRequest?.({ endpoint, status: 0 });
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
    if (!res.ok) {
      const text = (await res.text()).slice(0, 300);
      const transient = res.status === 429 || res.status >= 500;
      throw new ForgeError(`the Backstage catalog answered ${res.status} to ${method} ${url}${text ? `: ${text}` : ''}`, transient, {
        status: res.status,
      });
    }
    try {
      return (await res.json()) as unknown;
    } catch (err) {
      throw new ForgeError(
        `the Backstage catalog answered ${method} ${url} with a body that is not JSON: is the URL the backend's?`,
        false,
        { cause: err },
      );
    }
  }
}
