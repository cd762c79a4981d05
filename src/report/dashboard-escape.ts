/** HTML escaping and safe links for the dashboard renderers. Pure. */

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A URL fit for an href: http(s) (GitHub) or file (the local fleet); anything else (javascript:, data:) is refused. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'file:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}
