import picomatch from 'picomatch';
import type { TextRule } from './rule.js';
import { replaceParams, type ReplaceParams } from '../../manifest/change-rules.js';
import { compileUserRegex, replaceAllMatches } from '../../manifest/user-regex.js';

const matchers = new WeakMap<ReplaceParams, (path: string) => boolean>();
function matcherFor(p: ReplaceParams): (path: string) => boolean {
  let m = matchers.get(p);
  if (!m) {
    m = picomatch(p.files, { dot: true });
    matchers.set(p, m);
  }
  return m;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `replace`: literal (or, with `regex: true`, regular-expression) replacement in any text file chosen
 * by glob. Used for dataset URIs in config, SQL and code. A user's regex runs in the linear-time engine
 * (manifest/user-regex.ts), never in V8's backtracking one.
 */
export const replaceRule: TextRule<ReplaceParams> = {
  kind: 'text',
  name: 'replace',
  params: replaceParams,
  describe: (p) => `replace \`${p.from}\` → \`${p.to}\`${p.regex ? ' (regex)' : ''} in ${p.files.join(', ')}`,
  appliesTo: (p, path) => matcherFor(p)(path),
  prefilter: (p, text) => (p.regex ? compileUserRegex(p.from).matcher(text).find() : text.includes(p.from)),
  rewrite(p, text) {
    if (!p.regex) {
      // When `to` contains `from` (v1 → v1-next), already-migrated text must stay as it is:
      // match `to` first and keep it, so that applying the rule twice changes nothing.
      const keep = p.to.includes(p.from) ? `${escapeRegExp(p.to)}|` : '';
      let count = 0;
      const out = text.replace(new RegExp(`${keep}${escapeRegExp(p.from)}`, 'g'), (m) => {
        if (m !== p.from) return m;
        count++;
        return p.to;
      });
      return { text: out, count };
    }
    return replaceAllMatches(compileUserRegex(p.from), text, (groups) =>
      p.to.replace(/\$(\$|&|\d+)/g, (_m, g: string) =>
        g === '$' ? '$' : g === '&' ? groups[0]! : ((Number(g) >= 1 ? groups[Number(g)] : undefined) ?? ''),
      ),
    );
  },
};
