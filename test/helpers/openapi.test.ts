import { describe, expect, it } from '@jest/globals';
import { checkGitHubRequest } from './openapi.js';

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
