import { formatDecimal, isDecimal } from '../transform/decimal.js';

/**
 * A value of the value model as JSON-safe data for reports: longs as decimal text, decimals as plain
 * decimal text, bytes as `base64:…`, nested values recursively, long strings cut.
 */
export function displayValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (typeof v === 'boolean') return v;
  if (v instanceof Uint8Array)
    return `base64:${Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 96)).toString('base64')}${v.byteLength > 96 ? '…' : ''}`;
  if (isDecimal(v)) return formatDecimal(v);
  if (Array.isArray(v)) return v.slice(0, 50).map(displayValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, displayValue(x)]));
  return String(v);
}

/** A key value as a stable map key (type-tagged so 1 and "1" differ). */
export function keyText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `s:${v}`;
  if (typeof v === 'bigint' || typeof v === 'number') return `n:${String(v)}`;
  return `j:${JSON.stringify(displayValue(v))}`;
}
