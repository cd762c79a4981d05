/** Parse durations such as `30m`, `1h30m`, `45s`, `2d`, `500ms` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  let total = 0;
  let consumed = 0;
  for (const m of trimmed.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    consumed += m[0].length;
  }
  return consumed === trimmed.length && consumed > 0 ? total : undefined;
}

/** Parse `20%` or a number in [0, 1] into a fraction; undefined when malformed or out of range. */
export function parseFraction(value: string | number): number | undefined {
  if (typeof value === 'number') return value >= 0 && value <= 1 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) / 100;
  return n <= 1 ? n : undefined;
}
