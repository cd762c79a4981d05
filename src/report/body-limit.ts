/**
 * GitHub refuses an issue, pull request or comment body longer than 65,536 characters: the request fails
 * with 422 "Validation Failed", `body is too long (maximum is 65536 characters)` (docs/github-behaviour.md).
 * A tracking issue of a thousand targets, or a pull request with hundreds of "check by hand" places,
 * goes past it; these helpers keep a body under the limit, cutting whole lines and saying what was cut
 * and where the rest is. Sizes are counted in UTF-8 bytes, never fewer than the characters GitHub counts.
 * Pure.
 */

export const GITHUB_BODY_LIMIT = 65_536;

/** The size a body is held to (UTF-8 bytes: at least its length in characters, whichever way they are counted). */
export function bodySize(text: string): number {
  return encoder.encode(text).length;
}

const encoder = new TextEncoder();

/**
 * As many of `rows` (whole lines, in order) as fit in `budget`, then, when some are left out, the line
 * `more(count)` (which must fit too: the budget is kept for it).
 */
export function fitRows(rows: readonly string[], budget: number, more: (left: number) => string): string[] {
  const all = rows.reduce((n, r) => n + bodySize(r) + 1, 0);
  if (all <= budget) return [...rows];
  const kept: string[] = [];
  let used = bodySize(more(rows.length)) + 1;
  for (const row of rows) {
    const size = bodySize(row) + 1;
    if (used + size > budget) break;
    kept.push(row);
    used += size;
  }
  return [...kept, more(rows.length - kept.length)];
}

/**
 * `text` + `tail` when they fit in `limit`; else `text` cut after its last whole line that fits, with an
 * open `<details>` or code fence closed, then `note(lines left out)`, then `tail` (kept whole: the hidden
 * marker Fleetwave reads back lives there).
 */
export function fitBody(text: string, tail: string, note: (linesLeftOut: number) => string, limit = GITHUB_BODY_LIMIT): string {
  const whole = tail ? `${text}\n${tail}` : text;
  if (bodySize(whole) <= limit) return whole;
  const lines = text.split('\n');
  // the note, the closing tags and the tail are kept room for first
  const reserve = bodySize(note(lines.length)) + bodySize(tail) + bodySize('\n```\n</details>\n') * 4 + 8;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = bodySize(line) + 1;
    if (used + size + reserve > limit) break;
    kept.push(line);
    used += size;
  }
  const closing: string[] = [];
  if (kept.filter((l) => /^\s*(```|~~~)/.test(l)).length % 2 === 1) closing.push('```');
  const open = kept.reduce((n, l) => n + (l.match(/<details>/g)?.length ?? 0) - (l.match(/<\/details>/g)?.length ?? 0), 0);
  for (let k = 0; k < Math.min(open, 4); k++) closing.push('</details>');
  return [...kept, ...closing, '', note(lines.length - kept.length), ...(tail ? [tail] : [])].join('\n');
}
