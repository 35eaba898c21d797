/**
 * Taking a public edition apart for its archive page: the content of its `<main>` and
 * its inline `<style>`, scoped to the element that holds the letter on the page (so the
 * letter's `html`, `body`, `h2` and `a` rules style the letter, not the page around it),
 * with `@page` rules dropped and font URLs pointing at the archive's copy of the fonts.
 * Pure; works on the HTML the renderer writes, not on arbitrary HTML.
 */
import { ArchiveError } from '../errors.js';
import { SENTENCES } from '../render/sentences.js';

export interface LetterParts {
  /** The inner HTML of `<main>`. */
  main: string;
  /** The text of the inline `<style>` elements, in order. */
  css: string;
  /** The `<title>`. */
  title: string;
}

export function splitLetterHtml(html: string): LetterParts {
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(html);
  if (!main) throw new ArchiveError('no <main> element');
  const css = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]!).join('\n');
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim() ?? '';
  // The public edition's section headings are its h1s; on the archive page, under the page's
  // own h1, they are h2s again (as the letter's styles and the search text expect).
  const inner = main[1]!.trim().replace(/<(\/?)h1\b/gi, '<$1h2');
  return { main: inner, css, title };
}

/**
 * Scopes a style sheet to `scope`: every selector is prefixed (`p` → `.letter p`), and
 * `html`/`body`/`:root` become the scope itself. `@page` rules are dropped; `@font-face`
 * rules are kept with `url()`s passed through `rewriteUrl`; `@media` and `@supports`
 * blocks are scoped inside.
 */
export function scopeCss(css: string, scope: string, rewriteUrl: (url: string) => string = (u) => u): string {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  scopeBlock(text, scope, rewriteUrl, out);
  return out.join('\n');
}

function scopeBlock(text: string, scope: string, rewriteUrl: (url: string) => string, out: string[]): void {
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open === -1) break;
    const prelude = text.slice(i, open).trim();
    const close = matchingBrace(text, open);
    const body = text.slice(open + 1, close);
    i = close + 1;
    if (prelude.startsWith('@')) {
      const name = /^@([a-z-]+)/i.exec(prelude)?.[1]?.toLowerCase() ?? '';
      if (name === 'font-face') out.push(`@font-face{${rewriteUrls(body.trim(), rewriteUrl)}}`);
      else if (name === 'media' || name === 'supports') {
        const inner: string[] = [];
        scopeBlock(body, scope, rewriteUrl, inner);
        if (inner.length) out.push(`${prelude}{\n${inner.join('\n')}\n}`);
      }
      // @page, @top-right and other print-only rules have no place on a web page.
      continue;
    }
    if (!prelude) continue;
    const selectors = prelude
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => scopeSelector(s, scope));
    out.push(`${selectors.join(', ')} { ${rewriteUrls(body.trim(), rewriteUrl)} }`);
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const ch = text[k];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return k;
    else if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, k + 1);
      if (end !== -1) k = end;
    }
  }
  return text.length;
}

function scopeSelector(selector: string, scope: string): string {
  // `html body p` and `body p` are inside the scope; `body.x` is the scope with that class.
  let rest = selector;
  let root = false;
  for (;;) {
    const m = /^(html|body|:root)(?![\w-])(\s*)([\s\S]*)$/i.exec(rest);
    if (!m) break;
    root = true;
    if (!m[2] && m[3]) return `${scope}${m[3]}`;
    rest = m[3]!;
  }
  if (!root) return `${scope} ${selector}`;
  return rest ? `${scope} ${rest}` : scope;
}

function rewriteUrls(body: string, rewriteUrl: (url: string) => string): string {
  return body.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (_, q: string, url: string) => `url(${q}${rewriteUrl(url)}${q})`);
}

/** The `url()`s of a style sheet. */
export function cssUrls(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((m) => m[2]!);
}

/** Plain text of an HTML fragment, block elements on their own lines, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<wbr\s*\/?>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table|section|blockquote|ul|ol)>/gi, '\n')
    .replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/g, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10));
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[e] ?? m;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/**
 * The text search indexes for a letter: the letter less its boilerplate (the fixed
 * paragraph on how the determination was made and the fixed lead-in sentences are the
 * same in every letter and would only make every letter match their words).
 */
export function searchText(main: string): string {
  const withoutHowMade = main.replace(/(<section class="how-made">[\s\S]*?<h2>[\s\S]*?<\/h2>)\s*<p>[\s\S]*?<\/p>/, '$1');
  // A soft hyphen (where an imported letter's original broke a word) is not part of the word.
  return htmlToText(withoutHowMade)
    .replace(/\u00AD/g, '')
    .split('\n')
    .filter((line) => !BOILERPLATE.has(line))
    .join('\n');
}

const BOILERPLATE = new Set([SENTENCES.summaryLead, SENTENCES.issuesLead]);
