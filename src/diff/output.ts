/**
 * A comparison of two letters, written out: as text for a terminal (word diff, like
 * `git diff --word-diff`), as Markdown for a pull request or a CI job summary
 * (`<ins>`/`<del>`), and as the redline: the new letter's own HTML with insertions
 * underlined, deletions struck through and a bar beside every changed block.
 */
import { toHtml } from 'hast-util-to-html';
import type { Element, ElementContent, Text } from 'hast';
import type { Block, LetterDocument, Token } from './blocks.js';
import type { Comparison, Entry, Piece } from './compare.js';
import { escapeText } from '../html.js';

export interface SideLabel {
  /** Short: `v1`, `working copy`, `main`. */
  name: string;
  /** Longer: where it came from. */
  detail: string;
}

export interface Header {
  caseNumber: string;
  edition: string;
  from: SideLabel;
  to: SideLabel;
  /** A problem with the comparison itself, printed first: an issued revision changed in place. */
  warning?: { rule: string; message: string };
}

export function summaryLine(c: Comparison): string {
  const { changed, inserted, deleted, wordsInserted, wordsDeleted } = c.stats;
  if (changed + inserted + deleted === 0) return 'No difference in what the reader sees.';
  const blocks = [`${changed} changed`, `${inserted} inserted`, `${deleted} deleted`].join(', ');
  return `Blocks: ${blocks}. Words: ${wordsInserted} inserted, ${wordsDeleted} deleted.`;
}

// ---------------------------------------------------------------------------------
// Terminal

export interface TextOptions {
  color?: boolean;
  /** Words kept around a change inside a long block (default 8); the rest is elided with `…`. */
  context?: number;
}

type Mark = 'equal' | 'delete' | 'insert';

/** One printed stretch of a block: its tokens, each marked. */
interface MarkedToken {
  token: Token;
  mark: Mark;
}

function entryTokens(e: Entry): MarkedToken[] {
  switch (e.kind) {
    case 'equal':
      return e.b.tokens.map((token) => ({ token, mark: 'equal' as const }));
    case 'inserted':
      return e.b.tokens.map((token) => ({ token, mark: 'insert' as const }));
    case 'deleted':
      return e.a.tokens.map((token) => ({ token, mark: 'delete' as const }));
    case 'changed':
      return e.pieces.flatMap((p) => (p.kind === 'delete' ? p.a : p.b).map((token) => ({ token, mark: p.kind })));
  }
}

/** Keeps `context` words either side of each change; longer equal stretches become `…`. */
function elide(tokens: MarkedToken[], context: number): (MarkedToken | 'gap')[] {
  const keep = new Array<boolean>(tokens.length).fill(false);
  tokens.forEach((t, i) => {
    if (t.mark === 'equal') return;
    for (let k = Math.max(0, i - context); k <= Math.min(tokens.length - 1, i + context); k++) keep[k] = true;
  });
  if (!keep.includes(true)) return tokens; // an unchanged cell printed beside a changed one
  const out: (MarkedToken | 'gap')[] = [];
  tokens.forEach((t, i) => {
    if (keep[i]) out.push(t);
    else if (out[out.length - 1] !== 'gap') out.push('gap');
  });
  return out;
}

function printTokens(tokens: (MarkedToken | 'gap')[], style: { open: Record<Exclude<Mark, 'equal'>, string>; close: Record<Exclude<Mark, 'equal'>, string> }, escape: (s: string) => string, lineBreak: string): string {
  let out = '';
  let open: Mark = 'equal';
  const close = () => {
    if (open !== 'equal') out += style.close[open];
    open = 'equal';
  };
  tokens.forEach((t, i) => {
    if (t === 'gap') {
      close();
      out += i === 0 ? '… ' : ' …';
      return;
    }
    // `a [-x-]{+y+} b`: the space before a change stands before its deletion only.
    const space = t.token.space && i > 0 && out !== '' && !out.endsWith(' ') && !out.endsWith('\n') && !out.endsWith(lineBreak) && !(open === 'delete' && t.mark === 'insert');
    if (t.mark !== open) {
      close();
      if (space) out += ' ';
      if (t.mark !== 'equal') out += style.open[t.mark];
      open = t.mark;
    } else if (space) out += ' ';
    out += t.token.text === '\n' ? lineBreak : escape(t.token.text);
  });
  close();
  return out;
}

/** Lines to print: entries, with the cells of one table row together. */
function lines(entries: readonly Entry[]): Entry[][] {
  const out: Entry[][] = [];
  let row: Element | undefined;
  for (const e of entries) {
    const r = rowOf(e);
    if (r && r === row) out[out.length - 1]!.push(e);
    else out.push([e]);
    row = r;
  }
  return out;
}

function rowOf(e: Entry): Element | undefined {
  return e.kind === 'deleted' ? e.a.row : e.b.row;
}

function sectionOf(e: Entry): string {
  return e.kind === 'deleted' ? e.a.section : e.b.section;
}

export function formatText(c: Comparison, header: Header, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const context = options.context ?? 8;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const style = color
    ? { open: { delete: '\x1b[31;9m', insert: '\x1b[32;4m' }, close: { delete: '\x1b[0m', insert: '\x1b[0m' } }
    : { open: { delete: '[-', insert: '{+' }, close: { delete: '-]', insert: '+}' } };
  const out: string[] = [
    paint('1', `${header.caseNumber} · ${header.edition}`),
    paint('1', `--- ${header.from.name}: ${header.from.detail}`),
    paint('1', `+++ ${header.to.name}: ${header.to.detail}`),
    ...(header.warning ? [paint('1;31', `error: ${header.warning.message} (${header.warning.rule})`)] : []),
  ];
  let section: string | undefined;
  for (const line of lines(c.entries)) {
    if (line.every((e) => e.kind === 'equal')) continue;
    const s = sectionOf(line[0]!);
    if (s !== section) {
      out.push('', paint('36', `@@ ${s || 'start of the letter'} @@`));
      section = s;
    }
    const whole = line.length === 1 && (line[0]!.kind === 'inserted' || line[0]!.kind === 'deleted');
    const prefix = whole ? (line[0]!.kind === 'inserted' ? paint('32', '+ ') : paint('31', '- ')) : '  ';
    const text = line.map((e) => printTokens(elide(entryTokens(e), context), style, (s) => s, '\n    ')).join('  ');
    out.push(`${prefix}${text}`);
  }
  out.push('', summaryLine(c));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------
// Markdown (GitHub renders <ins> and <del>)

function escapeMarkdown(s: string): string {
  return escapeText(s).replace(/([\\`*_[\]|#~])/g, '\\$1');
}

export function formatMarkdown(c: Comparison, header: Header, options: { context?: number } = {}): string {
  const context = options.context ?? 12;
  const style = { open: { delete: '<del>', insert: '<ins>' }, close: { delete: '</del>', insert: '</ins>' } };
  const out: string[] = [
    `### ${escapeMarkdown(header.caseNumber)} · ${escapeMarkdown(header.edition)}`,
    '',
    `From **${escapeMarkdown(header.from.name)}** (${escapeMarkdown(header.from.detail)}) to **${escapeMarkdown(header.to.name)}** (${escapeMarkdown(header.to.detail)}).`,
    ...(header.warning ? ['', `> **Error (${escapeMarkdown(header.warning.rule)}):** ${escapeMarkdown(header.warning.message)}`] : []),
  ];
  let section: string | undefined;
  for (const line of lines(c.entries)) {
    if (line.every((e) => e.kind === 'equal')) continue;
    const s = sectionOf(line[0]!);
    if (s !== section) {
      out.push('', `**${escapeMarkdown(s || 'Start of the letter')}**`);
      section = s;
    }
    const text = line.map((e) => printTokens(elide(entryTokens(e), context), style, escapeMarkdown, '<br>')).join(' · ');
    out.push('', `> ${text}`);
  }
  out.push('', `_${summaryLine(c)}_`, '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------
// The redline (HTML, printed to PDF)

export const REDLINE_CSS = `
body.redline ins { text-decoration: underline; text-decoration-thickness: 1.2pt; text-underline-offset: 1.5pt; color: #0a5c1f; background: #e3f3e6; }
body.redline del { text-decoration: line-through; text-decoration-thickness: 1.2pt; color: #a11212; background: #fbe6e6; }
body.redline .redline-changed, body.redline .redline-inserted, body.redline .redline-deleted { position: relative; }
body.redline p.redline-changed::before, body.redline p.redline-inserted::before, body.redline p.redline-deleted::before,
body.redline li.redline-changed::before, body.redline li.redline-inserted::before, body.redline li.redline-deleted::before,
body.redline h1.redline-changed::before, body.redline h2.redline-changed::before, body.redline div.redline-deleted::before,
body.redline address.redline-changed::before, body.redline span.redline-changed::before {
  content: ""; position: absolute; left: -14pt; top: 0; bottom: 0; width: 2.5pt; background: #000;
}
body.redline li.redline-changed::before, body.redline li.redline-inserted::before, body.redline li.redline-deleted::before { left: -38pt; }
body.redline .redline-banner {
  font-family: Arimo, Arial, sans-serif; font-size: 9pt; line-height: 11pt; border: 1pt solid #a11212; color: #000;
  padding: 4pt 6pt; margin: 0 0 12pt;
}
body.redline .redline-banner strong { color: #a11212; }
/* Chromium clips what stands in the page margin: move 18pt of the left margin into the body, so the
   change bars print and the lines break as in the letter. */
@page { margin-left: 54pt; }
@media print { body.redline { padding-left: 18pt; } }
@page { @top-left { font-family: Arimo, Arial, sans-serif; font-size: 8pt; color: #a11212; vertical-align: bottom; padding-bottom: 6pt; } }
`;

/**
 * The redline: `to`'s HTML (its tree is modified) with every change marked. Paired
 * blocks are rebuilt word by word; deleted blocks are copied from `from` to where they
 * stood, struck through.
 */
export function redlineHtml(c: Comparison, to: LetterDocument, header: Header): string {
  let previous: Element | undefined;
  const pendingDeleted: Block[] = [];
  const place = (anchor: Element | undefined, deletedBlocks: Block[]) => {
    // Before the anchor, in order; at the end of the letter, each after the one placed before it.
    for (const d of deletedBlocks) {
      const placed = insertDeleted(d, anchor, previous, to);
      if (!anchor) previous = placed;
    }
  };
  for (const e of c.entries) {
    if (e.kind === 'deleted') {
      pendingDeleted.push(e.a);
      continue;
    }
    const anchor = e.b.element;
    if (pendingDeleted.length) place(anchor, pendingDeleted.splice(0));
    if (e.kind === 'changed') rebuild(e.b.element, e.pieces, 'redline-changed');
    if (e.kind === 'inserted') rebuild(e.b.element, [{ kind: 'insert', a: [], b: e.b.tokens }], 'redline-inserted');
    previous = anchor;
  }
  if (pendingDeleted.length) place(undefined, pendingDeleted);

  const body = findElement(to.root, 'body');
  const head = findElement(to.root, 'head');
  const running = `REDLINE · ${header.caseNumber} · ${header.from.name} → ${header.to.name} · not for mailing`;
  if (head) {
    head.children.push({ type: 'element', tagName: 'style', properties: {}, children: [{ type: 'text', value: `${REDLINE_CSS}\n@page { @top-left { content: ${cssString(running)}; } }\n` }] });
    const title = findElement(head, 'title');
    if (title) title.children = [{ type: 'text', value: `Redline: ${header.caseNumber}, ${header.from.name} → ${header.to.name}` }];
  }
  if (body) {
    const classes = Array.isArray(body.properties.className) ? body.properties.className : [];
    body.properties.className = [...classes, 'redline'];
    const { changed, inserted, deleted } = c.stats;
    const banner: Element = {
      type: 'element',
      tagName: 'div',
      properties: { className: ['redline-banner'], role: 'note' },
      children: [
        el('strong', [txt('Redline, not a letter.')]),
        txt(` ${header.caseNumber}, ${header.edition}: from ${header.from.name} (${header.from.detail}) to ${header.to.name} (${header.to.detail}). `),
        el('ins', [txt('Underlined')]),
        txt(': inserted. '),
        el('del', [txt('Struck through')]),
        txt(`: deleted. ${changed + inserted + deleted === 0 ? '' : 'A bar in the margin marks each changed block. '}${summaryLine(c)}`),
      ],
    };
    body.children.unshift(banner);
  }
  return toHtml(to.root);
}

function cssString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\A ')}"`;
}

function txt(value: string): Text {
  return { type: 'text', value };
}

function el(tagName: string, children: ElementContent[], className?: string[]): Element {
  return { type: 'element', tagName, properties: className ? { className } : {}, children };
}

function findElement(node: { children?: unknown[] }, tag: string): Element | undefined {
  for (const c of (node.children ?? []) as ElementContent[]) {
    if (c.type !== 'element') continue;
    if (c.tagName === tag) return c;
    const found = findElement(c, tag);
    if (found) return found;
  }
  return undefined;
}

function addClass(e: Element, name: string): void {
  const classes = Array.isArray(e.properties.className) ? e.properties.className : typeof e.properties.className === 'string' ? [e.properties.className] : [];
  e.properties.className = [...classes, name];
}

/** Replaces `element`'s inline content with the pieces' tokens, marked, in their formatting. */
function rebuild(element: Element, pieces: readonly Piece[], className: string): void {
  const children: ElementContent[] = [];
  /** Open inline elements: the original (for identity) and its copy in the output. */
  const stack: { original: Element; copy: Element }[] = [];
  const top = () => (stack.length ? stack[stack.length - 1]!.copy.children : children);
  let lastMark: Element | undefined;
  for (const piece of pieces) {
    const kind = piece.kind;
    for (const t of kind === 'delete' ? piece.a : piece.b) {
      let common = 0;
      while (common < stack.length && common < t.path.length && stack[common]!.original === t.path[common]) common++;
      if (common < stack.length) lastMark = undefined;
      stack.length = common;
      if (t.space && (top().length > 0 || stack.length > 0 || children.length > 0)) {
        if (lastMark && kind !== 'equal' && lastMark.tagName === (kind === 'insert' ? 'ins' : 'del') && top()[top().length - 1] === lastMark) lastMark.children.push(txt(' '));
        else {
          top().push(txt(' '));
          lastMark = undefined;
        }
      }
      for (const original of t.path.slice(common)) {
        const copy: Element = { type: 'element', tagName: original.tagName, properties: { ...original.properties }, children: [] };
        top().push(copy);
        stack.push({ original, copy });
        lastMark = undefined;
      }
      if (t.text === '\n') {
        if (kind !== 'delete') top().push({ type: 'element', tagName: 'br', properties: {}, children: [] });
        else top().push(txt(' '));
        lastMark = undefined;
        continue;
      }
      if (kind === 'equal') {
        top().push(txt(t.text));
        lastMark = undefined;
        continue;
      }
      const tag = kind === 'insert' ? 'ins' : 'del';
      const target = top();
      if (lastMark && lastMark.tagName === tag && target[target.length - 1] === lastMark) lastMark.children.push(txt(t.text));
      else {
        lastMark = el(tag, [txt(t.text)]);
        target.push(lastMark);
      }
    }
  }
  element.children = children;
  addClass(element, className);
}

const TABLE_PARTS = new Set(['td', 'th', 'tr', 'li', 'caption', 'tbody', 'thead', 'tfoot']);

/** Puts a deleted block, struck through, before `anchor` (or after `previous` at the end). */
function insertDeleted(d: Block, anchor: Element | undefined, previous: Element | undefined, to: LetterDocument): Element {
  const copy: Element = { type: 'element', tagName: d.element.tagName, properties: { ...d.element.properties }, children: [] };
  rebuild(copy, [{ kind: 'delete', a: d.tokens, b: [] }], 'redline-deleted');
  const near = anchor ?? previous;
  if (!near) {
    const body = findElement(to.root, 'body');
    body?.children.push(copy);
    return copy;
  }
  const parent = parentOf(to.root, near);
  const fits = d.element.tagName === near.tagName || (!TABLE_PARTS.has(d.element.tagName) && !TABLE_PARTS.has(near.tagName));
  if (!parent || !fits) {
    // A table cell or list entry cannot stand beside a paragraph: keep its words in a div inside the neighbour.
    const holder: Element = { type: 'element', tagName: 'div', properties: { className: ['redline-deleted'] }, children: copy.children };
    if (anchor) near.children.unshift(holder);
    else near.children.push(holder);
    return near;
  }
  const index = parent.children.indexOf(near);
  parent.children.splice(anchor ? index : index + 1, 0, copy);
  return copy;
}

function parentOf(node: { children: unknown[] }, target: Element): { children: ElementContent[] } | undefined {
  for (const c of node.children as ElementContent[]) {
    if (c === target) return node as { children: ElementContent[] };
    if (c.type === 'element') {
      const found = parentOf(c, target);
      if (found) return found;
    }
  }
  return undefined;
}
