import type { SpanEdit } from './rules/rule.js';

/**
 * Applies span edits to a text. Only the spans change: formatting and comments elsewhere stay as they
 * were. Identical duplicate edits collapse; overlapping different edits are a bug in a rule.
 */
export function applySpanEdits(text: string, edits: readonly SpanEdit[]): string {
  const sorted = dedupe([...edits].sort((a, b) => a.start - b.start || a.end - b.end));
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

function dedupe(sorted: SpanEdit[]): SpanEdit[] {
  const out: SpanEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === e.start && last.end === e.end && last.text === e.text) continue;
    out.push(e);
  }
  return out;
}
