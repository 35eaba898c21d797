/**
 * Nothing lost on the page: finds the text of a letter that would not fit its page.
 *
 * Chromium prints content wider than the page box by shrinking the whole page to fit
 * (every page of the letter, down to about 67%) and clipping what still does not fit.
 * Both lose the letter's look or its words, silently. Before printing, `measureOverflow`
 * lays the letter out at the width of its page's content area — read from the letter's
 * own `@page` rule (size and margins) — and returns each word that reaches past that
 * width, or past the left edge of the paper. The build fails such a letter with a
 * positioned error (`page-overflow`, see `overflowDiagnostics`).
 *
 * The print styles make this rare: any word too long for its line breaks between two
 * characters (`overflow-wrap: anywhere`, styles/letter.css), and a word with a hyphen
 * between digits is kept whole only when it is short enough to fit a line
 * (`NOBR_MAX`, src/render/markdown.ts). What still overflows — a style or template that
 * forbids breaking, a table wider than the page — is caught here.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'puppeteer';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { ImrError } from '../errors.js';

export interface Overflow {
  /** A word of text, or an element (a box with no text of its own past the edge). */
  kind: 'word' | 'element';
  /** The word that does not fit (its first 60 characters), or the element as `tag.class`. */
  text: string;
  /** Its length in characters. */
  length: number;
  /** How far it reaches past the content area, in points (1/72 inch). */
  excessPt: number;
  /** The `id` of the nearest element that has one (e.g. `item-norco`), or its section's class. */
  where: string | undefined;
}

/** The page's content area, in CSS pixels, from the first plain `@page` rule's size and margins. */
interface Geometry {
  width: number;
  marginLeft: number;
}

/**
 * Words past the page's content area; empty when the letter fits. `fonts`: wait for the
 * letter's fonts first (default false). One round trip to the page when its viewport
 * already has the content area's width (every letter after a page's first): the geometry
 * and the words are measured by one script; else the viewport is set and the words measured.
 */
export async function measureOverflow(page: Page, options: { fonts?: boolean } = {}): Promise<Overflow[]> {
  const viewport = page.viewport();
  const width = viewport?.width ?? 0;
  const script = `(async () => {${options.fonts ? ' await document.fonts.ready;' : ''}
    const geometry = (${pageGeometry.toString()})();
    return Math.round(geometry.width) === ${width} ? { geometry, words: (${wordsPastEdge.toString()})(geometry) } : { geometry };
  })()`;
  const first = (await page.evaluate(script)) as { geometry: Geometry; words?: Overflow[] };
  if (first.words) return first.words;
  // A page keeps its viewport from letter to letter: set only when the width changes.
  await page.setViewport({ width: Math.round(first.geometry.width), height: viewport?.height ?? 1000 });
  return (await page.evaluate(wordsPastEdge, first.geometry)) as Overflow[];
}

/* Runs in the page (no closures, no imports). */
function pageGeometry(): Geometry {
  const PAGE_SIZES: Record<string, [string, string]> = {
    letter: ['8.5in', '11in'],
    legal: ['8.5in', '14in'],
    ledger: ['11in', '17in'],
    a5: ['148mm', '210mm'],
    a4: ['210mm', '297mm'],
    a3: ['297mm', '420mm'],
    b5: ['176mm', '250mm'],
    b4: ['250mm', '353mm'],
  };
  const px = (length: string): number => {
    if (!length || length === 'auto') return 0;
    const probe = document.createElement('div');
    probe.style.cssText = `position:absolute;visibility:hidden;width:${length}`;
    document.documentElement.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  };
  let size = '';
  let left = '';
  let right = '';
  for (const sheet of Array.from(document.styleSheets)) {
    for (const rule of Array.from(sheet.cssRules)) {
      if (!(rule instanceof CSSPageRule) || rule.selectorText !== '') continue;
      size = rule.style.getPropertyValue('size') || size;
      left = rule.style.getPropertyValue('margin-left') || left;
      right = rule.style.getPropertyValue('margin-right') || right;
    }
  }
  const words = size.toLowerCase().split(/\s+/).filter(Boolean);
  const landscape = words.includes('landscape');
  const named = words.map((w) => PAGE_SIZES[w]).find(Boolean);
  const lengths = words.filter((w) => /^[\d.]/.test(w));
  let width = px(named ? named[0] : lengths[0] ?? '8.5in');
  if (landscape) width = px(named ? named[1] : lengths[1] ?? lengths[0] ?? '11in');
  const marginLeft = px(left);
  return { width: width - marginLeft - px(right), marginLeft };
}

/* Runs in the page (no closures, no imports). */
function wordsPastEdge(geometry: Geometry): Overflow[] {
  const limit = geometry.width + 1; // a pixel of rounding
  const found: Overflow[] = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const outside = (r: DOMRect) => r.width > 0 && (r.right > limit || r.left < -geometry.marginLeft - 1);
  for (let node = walker.nextNode() as Text | null; node && found.length < 5; node = walker.nextNode() as Text | null) {
    const parent = node.parentElement;
    // Decorations hidden from readers (the draft watermark) are not the letter's text.
    if (!parent || parent.closest('[aria-hidden="true"]')) continue;
    range.selectNodeContents(node);
    if (!Array.from(range.getClientRects()).some(outside)) continue;
    for (const m of node.data.matchAll(/\S+/g)) {
      range.setStart(node, m.index!);
      range.setEnd(node, m.index! + m[0].length);
      const rects = Array.from(range.getClientRects()).filter(outside);
      // A word that starts past the edge was pushed there by one before it, reported already.
      if (!rects.length || rects.every((r) => r.left >= limit)) continue;
      const excess = Math.max(...rects.map((r) => Math.max(r.right - geometry.width, -geometry.marginLeft - r.left)));
      const section = parent.closest('[id]')?.id ?? parent.closest('section[class]')?.className;
      found.push({ kind: 'word', text: m[0].slice(0, 60), length: m[0].length, excessPt: Math.round(excess * 0.75), where: section || undefined });
      if (found.length >= 5) break;
    }
  }
  // A box wider than the page with no text past the edge (a fixed width, a table): the first one.
  if (!found.length && document.documentElement.scrollWidth > limit) {
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.right <= limit || el.closest('[aria-hidden="true"]')) continue;
      const name = `${el.tagName.toLowerCase()}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''}`;
      const section = el.closest('[id]')?.id ?? el.closest('section[class]')?.className;
      found.push({ kind: 'element', text: name, length: 0, excessPt: Math.round((r.right - geometry.width) * 0.75), where: section || undefined });
      break;
    }
    // Only generated content (::before, ::after) is that wide.
    if (!found.length) found.push({ kind: 'element', text: 'html', length: 0, excessPt: Math.round((document.documentElement.scrollWidth - geometry.width) * 0.75), where: undefined });
  }
  return found;
}

/** Where a word stands in the case file's text: line and column of its first occurrence. */
function locateText(text: string, word: string): Span | undefined {
  for (const probe of [word.slice(0, 40), word.slice(0, 12)]) {
    if (probe.length < 4) continue;
    const at = text.indexOf(probe);
    if (at < 0) continue;
    const before = text.slice(0, at).split('\n');
    const line = before.length;
    const column = before[before.length - 1]!.length + 1;
    return { start: { line, column }, end: { line, column: column + Math.min(word.length, probe.length) } };
  }
  return undefined;
}

/**
 * One `page-overflow` error per word that does not fit, at that word in the case file
 * (or at `fallback`, e.g. the `revision:` line, when the word comes from a template).
 */
export function overflowDiagnostics(file: string, text: string, edition: string, overflow: readonly Overflow[], fallback: Span): Diagnostic[] {
  return overflow.map((o) => {
    const where = o.where ? ` (in ${o.where})` : '';
    if (o.kind === 'element') {
      const message = `The box \`${o.text}\`${where} reaches ${o.excessPt} pt past the edge of the ${edition} edition's page: Chromium would shrink every page to fit and clip what still does not, so the letter was not printed. Check the style or template that sets its width`;
      return diagnostic(file, fallback, 'error', 'page-overflow', message);
    }
    const span = locateText(text, o.text) ?? fallback;
    const word = `\`${o.text}${o.length > o.text.length ? '…' : ''}\``;
    const message = `The word ${word}${where}, ${o.length} character${o.length === 1 ? '' : 's'}, reaches ${o.excessPt} pt past the edge of the ${edition} edition's page: Chromium would shrink every page to fit and clip what still does not, so the letter was not printed. Break the text with spaces, or check a style or template that keeps it on one line`;
    return diagnostic(file, span, 'error', 'page-overflow', message);
  });
}

/** A letter whose text would not fit its page: carries the `page-overflow` diagnostics. */
export class PageOverflowError extends ImrError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('PageOverflowError', diagnostics[0]?.message ?? 'The letter does not fit its page');
  }
}

/**
 * The build's check after printing a letter's edition: throws `PageOverflowError`, with
 * the errors at their words in the case file, when some text did not fit the page.
 */
export async function failOnOverflow(overflow: readonly Overflow[], c: { file: string; revisionSpan: Span }, edition: string): Promise<void> {
  if (!overflow.length) return;
  const text = await readFile(c.file, 'utf8').catch(() => '');
  throw new PageOverflowError(overflowDiagnostics(c.file, text, edition, overflow, c.revisionSpan));
}
