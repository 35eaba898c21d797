/**
 * Splitting a case file into its YAML frontmatter and its Markdown body: the one place
 * that knows the `---` fences. A byte order mark and CRLF line ends are tolerated (the
 * check's reader removes them first; the archive and `diff` read raw files).
 */

const FENCED = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export interface Split {
  /** The YAML between the fences; undefined when the file does not open with a fenced block. */
  frontmatter: string | undefined;
  /** Everything after the closing fence (the whole text without frontmatter). */
  body: string;
  /** The 1-based line the body starts on (1 without frontmatter). */
  bodyLine: number;
}

export function splitFrontmatter(text: string): Split {
  const m = FENCED.exec(text);
  if (!m) return { frontmatter: undefined, body: text, bodyLine: 1 };
  const header = m[0];
  return { frontmatter: m[1]!, body: text.slice(header.length), bodyLine: header.split('\n').length - (header.endsWith('\n') ? 0 : 1) };
}
