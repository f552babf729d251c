const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Text and attribute values for HTML and inline SVG: every string that reaches the page goes
 * through here, so nothing a service returns can become markup.
 */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
