/** Escaping text for HTML: the one escaper (the templates use Handlebars' own). */

/** `&`, `<` and `>`: text inside an element (or Markdown that GitHub renders as HTML). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `&`, `<`, `>` and `"`: text inside an element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
