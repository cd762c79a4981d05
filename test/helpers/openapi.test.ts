import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  checkGitHubRequest,
  checkGitHubResponse,
  githubApi,
  githubExample,
  onExample,
  openapiViolations,
  resetGitHubRequests,
} from './openapi.js';

describe('the OpenAPI request check', () => {
  it('accepts requests GitHub documents', () => {
    expect(
      checkGitHubRequest('POST', '/repos/acme/recs/git/trees', {
        base_tree: 'a'.repeat(40),
        tree: [{ path: 'a.txt', mode: '100644', type: 'blob', content: 'x' }],
      }),
    ).toEqual([]);
    expect(checkGitHubRequest('PATCH', '/repos/acme/recs/git/refs/heads%2Ffleetwave%2Fx', { sha: 'b'.repeat(40), force: true })).toEqual(
      [],
    );
    expect(checkGitHubRequest('GET', '/installation/repositories?per_page=100&page=1', undefined)).toEqual([]);
    expect(
      checkGitHubRequest('POST', '/repos/acme/recs/git/trees', { tree: [{ path: 'gone.txt', mode: '100644', type: 'blob', sha: null }] }),
    ).toEqual([]);
  });

  it('refuses an unknown path, a wrong method, a missing required field, a bad enum and a missing query', () => {
    expect(checkGitHubRequest('GET', '/repos/acme/recs/nonsense', undefined)[0]).toMatch(/no such operation/);
    expect(checkGitHubRequest('DELETE', '/repos/acme/recs/pulls', undefined)[0]).toMatch(/no such operation/);
    expect(checkGitHubRequest('POST', '/repos/acme/recs/git/commits', { message: 'm' }).join()).toMatch(/body\.tree: required/);
    expect(
      checkGitHubRequest('POST', '/repos/acme/recs/git/trees', { tree: [{ path: 'a', mode: '644', type: 'blob', content: 'x' }] }).join(),
    ).toMatch(/mode/);
    expect(checkGitHubRequest('PUT', '/repos/acme/recs/pulls/3/merge', { merge_method: 'fast-forward' }).join()).toMatch(/merge_method/);
    expect(checkGitHubRequest('GET', '/search/code', undefined).join()).toMatch(/query parameter q is required/);
    expect(checkGitHubRequest('POST', '/graphql', { variables: {} }).join()).toMatch(/query/);
  });
});

describe('the OpenAPI answer check', () => {
  const commit = (extra: Record<string, unknown> = {}) =>
    onExample(githubExample('POST', '/repos/acme/recs/git/commits', 201), { sha: 'c'.repeat(40), message: 'm', ...extra });

  it('accepts an answer built on GitHub’s example with the double’s state laid over', () => {
    expect(checkGitHubResponse('POST', '/repos/acme/recs/git/commits', 201, commit())).toEqual([]);
    expect((commit() as { message: string }).message).toBe('m');
    // Raw file contents (no JSON) and an empty body are not held to a schema.
    expect(checkGitHubResponse('GET', '/repos/acme/recs/contents/a.txt', 200, 'just text')).toEqual([]);
    expect(checkGitHubResponse('DELETE', '/repos/acme/recs/git/refs/heads%2Fx', 204, '')).toEqual([]);
    // Statuses GitHub gives on any operation: a permission refusal, a rate limit, a timeout.
    expect(
      checkGitHubResponse('GET', '/repos/acme/recs/actions/runs?head_sha=x', 403, { message: 'Resource not accessible by integration' }),
    ).toEqual([]);
  });

  it('reports a missing required property, a wrong type, a bad enum, a null where none is allowed', () => {
    const { verification: _v, ...unverified } = commit() as Record<string, unknown>;
    expect(checkGitHubResponse('POST', '/repos/acme/recs/git/commits', 201, unverified)).toEqual([
      'POST /repos/{owner}/{repo}/git/commits (git/create-commit) 201 answer.verification: required',
    ]);
    // Hand-written answers in tests are not held to every required property.
    expect(checkGitHubResponse('POST', '/repos/acme/recs/git/commits', 201, { sha: 'c'.repeat(40) }, { required: false })).toEqual([]);
    expect(checkGitHubResponse('POST', '/repos/acme/recs/git/commits', 201, { sha: 7 }, { required: false })).toEqual([
      'POST /repos/{owner}/{repo}/git/commits (git/create-commit) 201 answer.sha: expected string, got integer',
    ]);
    expect(checkGitHubResponse('GET', '/repos/acme/recs/pulls/3', 200, { state: 'merged' }, { required: false }).join()).toMatch(
      /answer\.state: "merged" is not one of \["open","closed"\]/,
    );
    expect(checkGitHubResponse('GET', '/repos/acme/recs/pulls/3', 200, { number: null }, { required: false }).join()).toMatch(
      /answer\.number: must not be null/,
    );
  });

  it('reports a status the operation does not document, and a body where GitHub sends none', () => {
    expect(checkGitHubResponse('POST', '/repos/acme/recs/git/commits', 200, commit())).toEqual([
      'POST /repos/{owner}/{repo}/git/commits (git/create-commit): answered 200, a status GitHub does not document for it (201, 404, 409, 422)',
    ]);
    expect(checkGitHubResponse('DELETE', '/repos/acme/recs/git/refs/heads%2Fx', 204, { deleted: true })).toEqual([
      'DELETE /repos/{owner}/{repo}/git/refs/{ref} (git/delete-ref): answered 204 with a JSON body, where GitHub documents none',
    ]);
  });

  it('checks every answer given through githubApi(), a status and a body or a reply function', async () => {
    resetGitHubRequests();
    nock.disableNetConnect();
    const api = githubApi();
    api.get('/repos/acme/recs/pulls/1').reply(200, { number: 'one' });
    api.get('/repos/acme/recs/pulls/2').reply(() => [200, { number: 2, state: 'open' }]);
    api.put('/repos/acme/recs/pulls/2/merge').reply(418, { message: 'teapot' });
    const get = (path: string, method = 'GET') =>
      fetch(`https://api.github.com${path}`, { method, body: method === 'PUT' ? '{}' : undefined });
    await get('/repos/acme/recs/pulls/1');
    await get('/repos/acme/recs/pulls/2');
    await get('/repos/acme/recs/pulls/2/merge', 'PUT');
    expect(openapiViolations()).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get) 200 answer.number: expected integer, got string',
      'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge (pulls/merge): answered 418, a status GitHub does not document for it (200, 403, 404, 405, 409, 422)',
    ]);
    nock.cleanAll();
    nock.enableNetConnect();
    resetGitHubRequests();
  });

  it('lays the double’s state over GitHub’s example: objects key by key, lists item by item, undefined drops a key', () => {
    expect(onExample({ a: 1, b: { c: 2, d: 3 }, e: 4 }, { b: { c: 5 }, e: undefined })).toEqual({ a: 1, b: { c: 5, d: 3 }, e: undefined });
    expect(onExample([{ id: 1, name: 'x' }], [{ id: 7 }, { id: 8 }])).toEqual([
      { id: 7, name: 'x' },
      { id: 8, name: 'x' },
    ]);
    expect(onExample({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });
});
