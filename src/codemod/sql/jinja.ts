/**
 * dbt models are SQL with Jinja in it. Before parsing, every Jinja span is replaced by text of the
 * same length, so that every offset the parser reports is the offset in the file as written and
 * edits never move the Jinja:
 * - `{{ … }}` (an expression: `source('x','y')`, `ref('y')`, `var('d')`, `this`) becomes one
 *   identifier, `j` then underscores, which SQL reads where the expression stood (a table, a value);
 *   the placeholder's offset maps back to the expression's text, so `source()`/`ref()` can be resolved;
 * - `{{ config(…) }}`, `{% … %}` (statements) and `{# … #}` (comments) become spaces (newlines kept).
 * An `{% if %}…{% else %}…{% endif %}` keeps both branches' SQL; when that does not parse, the file is
 * a warning finding (never a guess). Jinja text itself is never edited.
 */
export interface JinjaExpr {
  start: number;
  end: number;
  /** The text between the braces, trimmed. */
  code: string;
}

export interface MaskedSql {
  text: string;
  /** By start offset: the `{{ … }}` expressions that became placeholders. */
  exprs: Map<number, JinjaExpr>;
  hasJinja: boolean;
}

const JINJA = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

export function maskJinja(sql: string): MaskedSql {
  const exprs = new Map<number, JinjaExpr>();
  if (!sql.includes('{{') && !sql.includes('{%') && !sql.includes('{#')) return { text: sql, exprs, hasJinja: false };
  const text = sql.replace(JINJA, (m: string, offset: number) => {
    const code = m.slice(2, -2).replace(/^-|-$/g, '').trim();
    if (m.startsWith('{{') && !/^config\s*\(/.test(code)) {
      exprs.set(offset, { start: offset, end: offset + m.length, code });
      return `j${'_'.repeat(m.length - 1)}`;
    }
    return m.replace(/[^\n]/g, ' ');
  });
  return { text, exprs, hasJinja: true };
}

/** `source('x', 'y')` → ['x','y']; `ref('y')` / `ref('pkg','y')` → ['y']; anything else: undefined. */
export function dbtRelationCall(
  code: string,
): { kind: 'source'; source: string; table: string } | { kind: 'ref'; model: string } | undefined {
  const str = `\\s*(?:'([^']*)'|"([^"]*)")\\s*`;
  const src = new RegExp(`^source\\(${str},${str}\\)$`).exec(code);
  if (src) return { kind: 'source', source: (src[1] ?? src[2])!, table: (src[3] ?? src[4])! };
  const ref = new RegExp(`^ref\\(${str}(?:,${str})?\\)$`).exec(code);
  if (ref) return { kind: 'ref', model: (ref[3] ?? ref[4] ?? ref[1] ?? ref[2])! };
  return undefined;
}
