/**
 * A table's name as SQL writes it (`dataset.source.table`, `dataset.target.table`): one or more parts
 * joined by `.` (`play_events`, `events.play_events_v1`, `analytics.events.play_events_v1`), each part
 * bare (letters, digits, `_`, `$`, and `-` as BigQuery project ids have) or quoted the way the
 * dialects quote: `"…"` (ANSI, Postgres, Snowflake, DuckDB), `` `…` `` (BigQuery, Spark, MySQL) or
 * `[…]`. A backquoted path holding dots (`` `analytics.events.play_events_v1` ``, BigQuery) is split
 * into its parts. A doubled quote inside a quoted part stands for one quote.
 */
export interface TableNamePart {
  /** The part's name without quotes. */
  name: string;
  /** Whether it was quoted (then Postgres and Snowflake compare it case-sensitively). */
  quoted: boolean;
}

const BARE = /^[A-Za-z_][A-Za-z0-9_$-]*/;

/** The parts of `text`, or a message saying why it is not a table name. */
export function parseTableName(text: string): { parts: TableNamePart[] } | { error: string } {
  const parts: TableNamePart[] = [];
  let i = 0;
  const s = text.trim();
  if (s === '') return { error: 'expected a table name such as analytics.events.play_events_v1' };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let name = '';
      for (;;) {
        if (j >= s.length) return { error: `expected a closing ${close} in the table name ${text}` };
        if (s[j] === close) {
          if (close !== ']' && s[j + 1] === close) {
            name += close;
            j += 2;
            continue;
          }
          break;
        }
        name += s[j];
        j++;
      }
      if (name === '') return { error: `expected a name between the quotes in ${text}` };
      if (c === '`' && name.includes('.')) for (const p of name.split('.')) parts.push({ name: p, quoted: true });
      else parts.push({ name, quoted: true });
      i = j + 1;
    } else {
      const m = BARE.exec(s.slice(i));
      if (!m) return { error: `expected a table name (parts joined by '.', each bare or quoted with "", \`\` or []), got ${text}` };
      parts.push({ name: m[0], quoted: false });
      i += m[0].length;
    }
    if (i < s.length) {
      if (s[i] !== '.') return { error: `expected '.' between the parts of the table name ${text}` };
      i++;
      if (i >= s.length) return { error: `the table name ${text} ends with '.'` };
    }
  }
  if (parts.some((p) => p.name === '')) return { error: `expected no empty part in the table name ${text}` };
  return { parts };
}

/** The parts of a name already checked by the manifest schema. */
export function tableNameParts(text: string): TableNamePart[] {
  const r = parseTableName(text);
  if ('error' in r) throw new Error(r.error);
  return r.parts;
}
