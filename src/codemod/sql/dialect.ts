/**
 * The `sql` rule's dialects and how each is read. sql-parser-cst (docs/decisions/0009-sql-parser.md)
 * has a BigQuery and a PostgreSQL grammar; each dialect is read with the grammar that quotes
 * identifiers as it does, and a file the grammar cannot read is a warning finding, never a text guess:
 * - bigquery, spark: the BigQuery grammar (`` `…` `` identifiers, `'…'`/`"…"` strings, QUALIFY);
 * - postgres, snowflake, duckdb, ansi: the PostgreSQL grammar (`"…"` identifiers, `::` casts);
 *   Snowflake and DuckDB files it cannot read get the BigQuery grammar when nothing in them reads
 *   differently there (`fallback`).
 *
 * Names: an unquoted identifier is compared without case (Postgres folds to lower, Snowflake to upper,
 * BigQuery and Spark columns ignore case); a quoted one exactly in Postgres/Snowflake/ANSI.
 */
import type { DialectName } from 'sql-parser-cst';
import type { SqlDialect } from '../../manifest/change-rules.js';

export interface DialectInfo {
  grammar: DialectName;
  /**
   * A second grammar for a file the first cannot read, tried only when the file has nothing the two
   * read differently: no `"`, no backquote, no backslash (so every name is bare and every string is
   * '…' without escapes). Snowflake's QUALIFY and DuckDB's GROUP BY ALL are BigQuery syntax too.
   */
  fallback?: DialectName;
  /** The character that quotes identifiers. */
  quote: '`' | '"';
  /** Quoted identifiers are compared with case. */
  quotedCaseSensitive: boolean;
  /** Unquoted identifiers fold to this case (an unquoted new name must survive the fold). */
  fold?: 'lower' | 'upper';
}

export const DIALECTS: Record<SqlDialect, DialectInfo> = {
  bigquery: { grammar: 'bigquery', quote: '`', quotedCaseSensitive: false },
  spark: { grammar: 'bigquery', quote: '`', quotedCaseSensitive: false },
  postgres: { grammar: 'postgresql', quote: '"', quotedCaseSensitive: true, fold: 'lower' },
  duckdb: { grammar: 'postgresql', fallback: 'bigquery', quote: '"', quotedCaseSensitive: false },
  snowflake: { grammar: 'postgresql', fallback: 'bigquery', quote: '"', quotedCaseSensitive: true, fold: 'upper' },
  ansi: { grammar: 'postgresql', quote: '"', quotedCaseSensitive: true },
};

/** An identifier as written: its name and whether (and how) it was quoted. */
export function identifierQuote(text: string): '`' | '"' | '[' | undefined {
  const c = text[0];
  return c === '`' || c === '"' || c === '[' ? c : undefined;
}

export function sameName(d: DialectInfo, written: { name: string; quoted: boolean }, name: string): boolean {
  if (written.quoted && d.quotedCaseSensitive) return written.name === name;
  return written.name.toLowerCase() === name.toLowerCase();
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `name` written as an identifier: quoted as `like` was, or bare when the dialect reads it back unchanged. */
export function renderIdentifier(d: DialectInfo, name: string, like?: '`' | '"' | '['): string {
  // Postgres folds a bare name to lower case, so a name with capitals is quoted; Snowflake folds to upper
  // case, which a bare all-lower or all-upper name survives (it matches either way) but a mixed-case one
  // (`userId`, only ever stored quoted) does not.
  const mixed = /[a-z]/.test(name) && /[A-Z]/.test(name);
  const folds = (d.fold === 'lower' && name !== name.toLowerCase()) || (d.fold === 'upper' && mixed);
  const q = like ?? (!PLAIN.test(name) || folds ? d.quote : undefined);
  if (q === undefined) return name;
  const close = q === '[' ? ']' : q;
  return `${q}${close === ']' ? name : name.split(close).join(close + close)}${close}`;
}

/**
 * A bare new name in the case the file writes names: an all-upper-case bare name (Snowflake style,
 * `E.USER_ID`) gets an upper-case bare replacement when the dialect ignores the case of bare names
 * (`tables`: of table names too; BigQuery's table names have case). Quoted or mixed-case names stay.
 */
export function inWrittenCase(d: DialectInfo, written: { name: string; quoted: boolean }, name: string, table = false): string {
  if (written.quoted || !/[A-Z]/.test(written.name) || written.name !== written.name.toUpperCase()) return name;
  if (name !== name.toLowerCase() || !PLAIN.test(name)) return name;
  if (table && d.grammar === 'bigquery') return name;
  return name.toUpperCase();
}
