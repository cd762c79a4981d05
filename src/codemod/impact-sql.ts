/**
 * Column names read by SQL files: identifiers outside comments and string literals (quoted identifiers
 * count), with their line numbers. A light tokenizer, not a SQL parser: good enough to find a column
 * by name, which is all impact analysis asks of it.
 */
export interface SqlIdentifier {
  name: string;
  line: number;
}

export function sqlIdentifiers(text: string): SqlIdentifier[] {
  const out: SqlIdentifier[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
    } else if (c === "'") {
      i++;
      while (i < n && !(text[i] === "'" && text[i + 1] !== "'")) {
        if (text[i] === "'") i++;
        if (text[i] === '\n') line++;
        i++;
      }
      i++;
    } else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = text.indexOf(close, i + 1);
      if (end === -1) break;
      const name = text.slice(i + 1, end);
      if (!name.includes('\n')) out.push({ name, line });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(text[j]!)) j++;
      out.push({ name: text.slice(i, j), line });
      i = j;
    } else {
      i++;
    }
  }
  return out;
}
