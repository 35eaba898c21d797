/**
 * A letter as its reader sees it: the rendered HTML cut into blocks (paragraphs,
 * headings, list entries, table cells) in reading order, each a list of word tokens
 * that remember their inline formatting. What is not read is left out: the head, the
 * styles, and anything hidden (`aria-hidden`, like the DRAFT watermark).
 */
import { fromHtml } from 'hast-util-from-html';
import type { Element, ElementContent, Root, RootContent } from 'hast';

export type Parent = Root | Element;

export interface Token {
  /** A word, a punctuation mark, or `\n` for a line break. */
  text: string;
  /** Whether white space stood before it. */
  space: boolean;
  /** The inline elements around it, outermost first, below its block. */
  path: Element[];
  /** What two tokens must share to be the same: the text and its formatting. */
  key: string;
}

export interface Block {
  element: Element;
  parent: Parent;
  tokens: Token[];
  /** The block's tag and tokens: blocks are equal when their keys are. */
  key: string;
  /** The reading text, words joined by single spaces. */
  text: string;
  /** The heading of the section it is in (the last `h1`/`h2` before it). */
  section: string;
  /** For a table cell: its row, so a terminal diff can print the whole row. */
  row: Element | undefined;
}

export interface LetterDocument {
  root: Root;
  blocks: Block[];
}

/** Elements that start a block of their own. */
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'colgroup', 'col',
]);
/** Formatting that counts in a word's identity (a word put in bold has changed). */
const MARK_TAGS = new Set(['strong', 'b', 'em', 'i', 'u', 'sup', 'sub', 'code', 's', 'del', 'ins', 'a']);
const SKIP_TAGS = new Set(['head', 'script', 'style', 'template', 'noscript', 'title', 'meta', 'link']);

/** Words keep their inner punctuation (`10/325mg`, `12/30/2016`, `don't`); other marks stand alone. */
const TOKEN = /[\p{L}\p{N}]+(?:['’./,:\-–][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function parseLetter(html: string): LetterDocument {
  const root = fromHtml(html);
  const blocks: Block[] = [];
  let section = '';
  let heading = '';
  const visit = (node: Element, parent: Parent, row: Element | undefined) => {
    if (hidden(node)) return;
    // A new part of the letter: its blocks before its first heading are labelled by the part: an
    // item by its first words under the heading above it, another part by its class.
    if ((node.tagName === 'article' || node.tagName === 'section') && !startsWithHeading(node)) {
      const first = firstText(node);
      section = node.properties.id !== undefined && first ? `${heading} › ${first}` : partLabel(node);
    }
    const childRow = node.tagName === 'tr' ? node : row;
    if (!hasBlockChild(node)) {
      const tokens = tokenize(node);
      if (tokens.length === 0) return;
      const block = makeBlock(node, parent, tokens, section, node.tagName === 'td' || node.tagName === 'th' ? row : undefined);
      if (/^h[12]$/.test(node.tagName)) {
        heading = block.text;
        section = heading;
      }
      block.section = section;
      blocks.push(block);
      return;
    }
    // Loose text beside blocks (`<li>text<ul>…</ul></li>`) becomes a block of its own, in a span.
    let k = 0;
    while (k < node.children.length) {
      const child = node.children[k]!;
      if (child.type === 'element' && (BLOCK_TAGS.has(child.tagName) || SKIP_TAGS.has(child.tagName))) {
        if (!SKIP_TAGS.has(child.tagName)) visit(child, node, childRow);
        k++;
        continue;
      }
      let end = k;
      while (end < node.children.length) {
        const c = node.children[end]!;
        if (c.type === 'element' && (BLOCK_TAGS.has(c.tagName) || SKIP_TAGS.has(c.tagName))) break;
        end++;
      }
      const run = node.children.slice(k, end) as ElementContent[];
      const span: Element = { type: 'element', tagName: 'span', properties: { className: ['redline-loose'] }, children: run };
      const tokens = tokenize(span);
      if (tokens.length) {
        node.children.splice(k, end - k, span);
        blocks.push(makeBlock(span, node, tokens, section, undefined));
        k++;
      } else k = end;
    }
  };
  const body = findBody(root);
  if (body) visit(body, root, undefined);
  return { root, blocks };
}

function makeBlock(element: Element, parent: Parent, tokens: Token[], section: string, row: Element | undefined): Block {
  const text = tokens
    .map((t, i) => (t.text === '\n' ? '\n' : `${i > 0 && t.space && tokens[i - 1]!.text !== '\n' ? ' ' : ''}${t.text}`))
    .join('');
  return { element, parent, tokens, key: `${element.tagName}\u0000${tokens.map((t) => t.key).join('\u0001')}`, text, section, row };
}

/** The first words of an element's first block, up to about 60 characters. */
function firstText(el: Element): string {
  let leaf: Element = el;
  for (let guard = 0; guard < 20 && hasBlockChild(leaf); guard++) {
    const next = leaf.children.find((c): c is Element => c.type === 'element' && !hidden(c) && BLOCK_TAGS.has(c.tagName) && tokenize(c).length > 0);
    if (!next) break;
    leaf = next;
  }
  const text = tokenize(leaf)
    .map((t) => (t.text === '\n' ? ' ' : `${t.space ? ' ' : ''}${t.text}`))
    .join('')
    .trim();
  return text.length > 60 ? `${text.slice(0, 59).replace(/\s+\S*$/, '')}…` : text;
}

function startsWithHeading(el: Element): boolean {
  for (const c of el.children) {
    if (c.type === 'text' && c.value.trim() === '') continue;
    if (c.type !== 'element') return false;
    if (/^h[1-6]$/.test(c.tagName)) return true;
    return BLOCK_TAGS.has(c.tagName) && startsWithHeading(c);
  }
  return false;
}

/** `section.cover` → `Cover`, `article.determination-pages` → `Determination pages`. */
function partLabel(el: Element): string {
  const cls = Array.isArray(el.properties.className) ? String(el.properties.className[0] ?? '') : '';
  const words = (cls || el.tagName).replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function findBody(root: Root): Element | undefined {
  const stack: RootContent[] = [...root.children];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.type === 'element') {
      if (n.tagName === 'body') return n;
      stack.push(...n.children);
    }
  }
  return undefined;
}

function hidden(el: Element): boolean {
  const p = el.properties ?? {};
  return String(p.ariaHidden) === 'true' || p.hidden === true || p.hidden === '';
}

function hasBlockChild(el: Element): boolean {
  return el.children.some((c) => c.type === 'element' && !hidden(c) && (BLOCK_TAGS.has(c.tagName) || (!SKIP_TAGS.has(c.tagName) && hasBlockChild(c))));
}

/** The words of an element's inline content, with the formatting around each. */
export function tokenize(el: Element): Token[] {
  const tokens: Token[] = [];
  let pendingSpace = false;
  const walk = (node: ElementContent, path: Element[]) => {
    if (node.type === 'text') {
      const value = node.value;
      let last = 0;
      for (const m of value.matchAll(TOKEN)) {
        const before = value.slice(last, m.index);
        if (/\s/.test(before)) pendingSpace = true;
        tokens.push(token(m[0], pendingSpace, path));
        pendingSpace = false;
        last = m.index + m[0].length;
      }
      if (/\s/.test(value.slice(last))) pendingSpace = true;
      return;
    }
    if (node.type !== 'element' || hidden(node) || SKIP_TAGS.has(node.tagName)) return;
    if (node.tagName === 'br') {
      tokens.push(token('\n', false, path));
      pendingSpace = false;
      return;
    }
    const inner = [...path, node];
    for (const c of node.children) walk(c, inner);
    // Cells and other blocks met inside inline content are separated by a space.
    if (BLOCK_TAGS.has(node.tagName)) pendingSpace = true;
  };
  for (const c of el.children) walk(c, []);
  if (tokens[0]) tokens[0] = { ...tokens[0], space: false };
  return tokens;
}

function token(text: string, space: boolean, path: Element[]): Token {
  const marks = path.filter((p) => MARK_TAGS.has(p.tagName)).map((p) => p.tagName);
  return { text, space, path, key: marks.length ? `${marks.join('>')}:${text}` : text };
}
