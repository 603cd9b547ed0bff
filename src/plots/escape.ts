/**
 * The one place untrusted text (FITS headers, database rows, file names) becomes markup. DESIGN §7:
 * every page is valid HTML with all untrusted text escaped.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element body or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes (no
 * `</script>` or `<!--` can end the block), and U+2028/2029 are escaped for older JS parsers. Non-finite
 * numbers become null, as in JSON.stringify.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A relative URL for an href/src: each path segment percent-encoded (a target name may hold `#`, `?`
 * or `%`), separators kept. The result still goes through escapeHtml in an attribute.
 */
export function relativeUrl(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
}
