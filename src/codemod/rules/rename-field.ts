import type { Finding } from '../port.js';
import { findFieldRefs, renameEdit } from '../ts/field-refs.js';
import { lineOfNode } from '../ts/parse.js';
import type { SourceRule, SpanEdit } from './rule.js';
import { renameFieldParams, type RenameFieldParams } from '../../manifest/change-rules.js';

const wordRe = new Map<string, RegExp>();
function word(name: string): RegExp {
  let re = wordRe.get(name);
  if (!re) wordRe.set(name, (re = new RegExp(`(?<![A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}(?![A-Za-z0-9_$])`)));
  return re;
}

/**
 * `renameField`: renames a field of one record type, type-aware. Property access (also `?.`), string
 * keys, `in`, destructuring, object literal keys, interface/type-literal/JSDoc members, JSX props and
 * `keyof` literals (`Pick<PlayEvent, 'user_id'>`) that resolve to the type's field are renamed; the same
 * name on another type, in comments or in unrelated strings stays. Where the checker cannot resolve
 * the value's type (any), the rule changes nothing and leaves a warning finding for the PR body.
 */
export const renameFieldRule: SourceRule<RenameFieldParams> = {
  kind: 'source',
  name: 'renameField',
  params: renameFieldParams,
  typed: true,
  describe: (p) => `rename field \`${p.type}.${p.from}\` → \`${p.type}.${p.to}\``,
  prefilter: (p, text) => text.includes(p.from) && word(p.from).test(text),
  relevant: (p, text) => text.includes(p.type) && word(p.type).test(text),
  run(p, { files, checker }) {
    const edits = new Map<string, SpanEdit[]>();
    const findings: Finding[] = [];
    if (!checker) throw new Error('renameField needs the type checker');
    const typeNames = new Set([p.type]);
    for (const { path, sourceFile } of files) {
      const { refs, unresolved } = findFieldRefs(sourceFile, checker, { typeNames, wants: (f) => f === p.from, reportUnresolved: true });
      if (refs.length)
        edits.set(
          path,
          refs.map((r) => renameEdit(r, p.to)),
        );
      for (const u of unresolved) {
        findings.push({
          severity: 'warning',
          file: path,
          line: lineOfNode(u.node),
          field: p.from,
          message: `renameField ${p.type}.${p.from}: ${u.why}; check by hand`,
        });
      }
    }
    return { edits, findings };
  },
};
