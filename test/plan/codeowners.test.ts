/**
 * CODEOWNERS as GitHub reads it: each case is one of the examples of GitHub's "About code owners"
 * page (the example file and what it says each line matches), plus its precedence rule.
 */
import { describe, expect, it } from '@jest/globals';
import { ownersOf, ownersOfChange, parseCodeowners } from '../../src/plan/codeowners.js';

// The shape of GitHub's example CODEOWNERS file.
const EXAMPLE = `# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most precedence.
*.js    @js-owner #This is an inline comment.

*.go docs@example.com

*.txt @octo-org/octocats

/build/logs/ @doctocat

docs/* docs@example.com

apps/ @octocat

/docs/ @doctocat

/scripts/ @doctocat @octocat

**/logs @octocat

/apps/ @octocat
/apps/github
`;

describe('CODEOWNERS', () => {
  const c = parseCodeowners(EXAMPLE);

  it.each([
    ['README.md', ['@global-owner1', '@global-owner2']],
    ['src/index.js', ['@js-owner']],
    ['cmd/main.go', ['docs@example.com']],
    ['notes/todo.txt', ['@octo-org/octocats']],
    ['build/logs/today.log', ['@octocat']], // **/logs comes later than /build/logs/
    ['build/logs/sub/x.bin', ['@octocat']],
    ['docs/getting-started.md', ['@doctocat']], // /docs/ comes later than docs/*
    ['scripts/deploy.sh', ['@doctocat', '@octocat']],
    ['deeply/nested/logs/x.log', ['@octocat']],
    ['apps/web/index.html', ['@octocat']],
    ['apps/github/index.html', []], // a pattern without owners: nobody
    ['other/apps/thing.py', ['@octocat']], // apps/ matches an apps directory anywhere
  ])('%s → %j', (path, owners) => {
    expect(ownersOf(c, path)).toEqual(owners);
  });

  it('anchors a pattern with a slash, and a wildcard in the last segment stays in its directory', () => {
    const d = parseCodeowners('docs/* @docs\n');
    expect(ownersOf(d, 'docs/a.md')).toEqual(['@docs']);
    expect(ownersOf(d, 'docs/build-app/troubleshooting.md')).toEqual([]);
    expect(ownersOf(d, 'x/docs/a.md')).toEqual([]);
  });

  it('skips what GitHub does not support, saying why', () => {
    const d = parseCodeowners('!*.md @a\n*.[ch] @b\n\\#notes @c\n*.py not-an-owner\n*.rs @rust\n');
    expect(d.skipped.map((s) => [s.line, s.why])).toEqual([
      [1, 'a negated pattern (!) does not work in CODEOWNERS'],
      [2, 'a character range ([ ]) does not work in CODEOWNERS'],
      [3, 'an escaped # does not work in CODEOWNERS'],
      [4, '"not-an-owner" is not an owner (@user, @org/team or an email address)'],
    ]);
    expect(ownersOf(d, 'src/main.rs')).toEqual(['@rust']);
  });

  it('collects the owners of a whole change, each once', () => {
    expect(ownersOfChange(c, ['a.js', 'b.js', 'c.txt', 'apps/github/x'])).toEqual(['@js-owner', '@octo-org/octocats']);
  });
});
