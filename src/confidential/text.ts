/**
 * Reading a text as a reader sees it: its words, folded (`./fold.ts`), each with where it
 * stands in the text. Pure.
 *
 * One scan, three ways of reading (`mode`):
 * - `plain`: every character is text (YAML values, PDF text, JSON strings);
 * - `markdown`: Markdown source. Markup (`*`, `_`, `[`, `` ` ``, `>`…) separates words
 *   without ending a sentence, so `**Maria** [Lopez](…)` reads `Maria Lopez`; a link's
 *   target `](…)` is read on its own (a segment), so `[Maria](mailto:x) Lopez` still
 *   reads `Maria Lopez`, and the target `mailto:x` is read too;
 * - `html`: HTML. Tag and attribute names are not text; attribute values (`href`,
 *   `title`, `alt`) are read as their own segments; block tags end a sentence.
 *
 * In every mode, character references (`&#x4C;`, `&eacute;`), JSON escapes (`\u00e9`)
 * and, right after a letter or digit or in
 * a link target, percent escapes (`%2D`) are decoded, and invisible format characters
 * (soft hyphen, zero-width space…) are dropped without splitting the word they are in.
 */
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { foldWord, isInvisible } from './fold.js';

export type Mode = 'plain' | 'markdown' | 'html';

export interface Token {
  /** The folded word. */
  w: string;
  /** Offsets of the raw word in the text (end exclusive). */
  start: number;
  end: number;
  /** 0: lower case, 1: capitalised, 2: all capitals (two letters or more). */
  cap: 0 | 1 | 2;
  /** The first word of a sentence, a paragraph, a heading, a list item or a segment. */
  sentence: boolean;
  /** Characters a reader sees between the previous word and this one (tags count none, a reference one). */
  gap: number;
}

/** The words of a text by segment: segment 0 is the running text, the others link targets and attributes. */
export type Segments = Token[][];

const wideCache = new Map<number, boolean>();
const WORD = /[\p{L}\p{N}\p{M}]/u;
function isWordCode(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  if (c >= 0xd800 && c <= 0xdfff) return true;
  let known = wideCache.get(c);
  if (known === undefined) {
    known = WORD.test(String.fromCharCode(c));
    wideCache.set(c, known);
  }
  return known;
}

const ENDS_SENTENCE = new Set(['.', '!', '?', ':']);
const BLOCK_TAGS = /^(?:p|div|li|ul|ol|h[1-6]|br|td|th|tr|table|section|header|footer|main|article|blockquote|dt|dd|title|body|head|html|hr|figure|figcaption|nav|aside)$/i;
const INLINE_TAGS = /^(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var|wbr|font|ins|del)$/i;
const REFERENCE = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/y;

/** Decodes the character reference at `i`, if any: its text and its length in the source. */
function reference(text: string, i: number): { value: string; length: number } | undefined {
  REFERENCE.lastIndex = i;
  const m = REFERENCE.exec(text);
  if (!m) return undefined;
  const body = m[1]!;
  let value: string | false;
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    value = code > 0 && code < 0x110000 ? String.fromCodePoint(code) : false;
  } else value = decodeNamedCharacterReference(body);
  return value === false ? undefined : { value, length: m[0].length };
}

function percent(text: string, i: number): string | undefined {
  const h = text.slice(i + 1, i + 3);
  return /^[0-9a-fA-F]{2}$/.test(h) ? String.fromCharCode(Number.parseInt(h, 16)) : undefined;
}

function capOf(raw: string): 0 | 1 | 2 {
  const c0 = raw.charCodeAt(0);
  if (c0 < 128) {
    if (c0 < 65 || c0 > 90) return 0;
    let upper = 0;
    for (let i = 1; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c >= 97 && c <= 122) return 1;
      if (c >= 65 && c <= 90) upper++;
      else if (c >= 128) return capWide(raw);
    }
    return upper >= 1 ? 2 : 1;
  }
  return capWide(raw);
}

function capWide(raw: string): 0 | 1 | 2 {
  const first = raw[0]!;
  if (first.toLowerCase() === first.toUpperCase() || first !== first.toUpperCase()) return 0;
  let letters = 0;
  for (const ch of raw) {
    if (ch.toLowerCase() === ch.toUpperCase()) continue;
    if (ch !== ch.toUpperCase()) return 1;
    letters++;
  }
  return letters >= 2 ? 2 : 1;
}

class Scanner {
  readonly segments: Segments = [[]];
  private seg: Token[];
  private sentence = true;
  private gap = 0;
  // The word being read: `text[start, end)`, or `buf` once a reference or an invisible
  // character made it differ from its source.
  private start = -1;
  private end = -1;
  private buf: string | undefined;

  constructor(private readonly text: string) {
    this.seg = this.segments[0]!;
  }

  /** Reads `text[from, to)` into the current segment. */
  read(from: number, to: number, mode: Mode, url: boolean): void {
    const text = this.text;
    let lineStart = true;
    for (let i = from; i < to; ) {
      const c = text.charCodeAt(i);
      if (c === 32) {
        // The commonest character first: a space ends a word and nothing else.
        if (this.start >= 0) this.flush();
        this.gap++;
        i++;
        continue;
      }
      if (isWordCode(c)) {
        if (this.start < 0) this.start = i;
        if (this.buf !== undefined) this.buf += text[i];
        this.end = i + 1;
        lineStart = false;
        i++;
        continue;
      }
      if (c >= 0xad && isInvisible(c)) {
        if (this.start >= 0 && this.buf === undefined) this.buf = text.slice(this.start, this.end);
        i++;
        continue;
      }
      if (c === 38 /* & */) {
        const ref = reference(text, i);
        if (ref) {
          this.decoded(ref.value, i, i + ref.length);
          i += ref.length;
          continue;
        }
      }
      if (c === 92 /* \\ */ && text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        // A JSON escape (`\u00e9`), as a search index may hold.
        this.decoded(String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6);
        i += 6;
        continue;
      }
      if (c === 37 /* % */ && (url || (i > from && isWordCode(text.charCodeAt(i - 1))))) {
        const ch = percent(text, i);
        if (ch) {
          this.decoded(ch, i, i + 3);
          i += 3;
          continue;
        }
      }
      if (mode === 'html' && c === 60 /* < */) {
        const close = text.indexOf('>', i + 1);
        if (close !== -1 && close < to) {
          this.tag(i, close);
          i = close + 1;
          continue;
        }
      }
      this.flush();
      this.gap++;
      const ch = text[i]!;
      if (ch === '\n') {
        // A blank line ends a paragraph; a Markdown line starting a heading, quote or item starts a sentence.
        if (/^[ \t]*(?:\r?\n|$)/.test(text.slice(i + 1, i + 3))) this.sentence = true;
        if (mode === 'markdown' && /^[ \t]*(?:#{1,6}\s|[-+*]\s|\d{1,9}[.)]\s|>)/.test(text.slice(i + 1, i + 16))) this.sentence = true;
        lineStart = true;
        i++;
        continue;
      }
      if (mode === 'markdown' && ch === ']' && text[i + 1] === '(') {
        const close = closingParen(text, i + 1, to);
        if (close !== -1) {
          this.segment(() => this.read(i + 2, close, 'plain', true));
          i = close + 1;
          continue;
        }
      }

      if (ENDS_SENTENCE.has(ch) && !(ch === '.' && lineStart)) this.sentence = true;
      i++;
    }
    this.flush();
  }

  private decoded(value: string, start: number, end: number): void {
    for (const ch of value) {
      const code = ch.codePointAt(0)!;
      if (isInvisible(code)) continue;
      if (isWordCode(code)) this.add(ch, start, end);
      else {
        this.flush();
        this.gap++;
        if (ENDS_SENTENCE.has(ch)) this.sentence = true;
      }
    }
  }

  private add(ch: string, start: number, end: number): void {
    if (this.start < 0) {
      this.start = start;
      this.buf = '';
    } else if (this.buf === undefined) this.buf = this.text.slice(this.start, this.end);
    this.end = end;
    this.buf += ch;
  }

  private flush(): void {
    if (this.start < 0) return;
    const raw = this.buf ?? this.text.slice(this.start, this.end);
    const cap = capOf(raw);
    for (const w of foldWord(raw)) {
      this.seg.push({ w, start: this.start, end: this.end, cap, sentence: this.sentence, gap: this.gap });
      this.sentence = false;
      this.gap = 0;
    }
    this.start = -1;
    this.buf = undefined;
  }

  /** Reads a separate segment (a link target, an attribute value), then goes back to the running text. */
  private segment(read: () => void): void {
    // The word being read goes on after the segment (`Lo<span title="x">pez`).
    // Buffered: the segment's characters stand between the word's two parts.
    if (this.start >= 0 && this.buf === undefined) this.buf = this.text.slice(this.start, this.end);
    const word = { start: this.start, end: this.end, buf: this.buf };
    this.start = -1;
    this.buf = undefined;
    const saved = this.seg;
    const savedSentence = this.sentence;
    const savedGap = this.gap;
    this.seg = [];
    this.segments.push(this.seg);
    this.sentence = true;
    this.gap = 0;
    read();
    this.flush();
    this.seg = saved;
    this.sentence = savedSentence;
    this.gap = savedGap;
    this.start = word.start;
    this.end = word.end;
    this.buf = word.buf;
  }

  /**
   * An HTML tag `<…>` at `[open, close]`: its quoted attribute values are read. An inline
   * tag (`<b>`, `<span>`, `<wbr>`) does not end the word it stands in, as a reader sees
   * it; any other ends the word, and a block tag the sentence.
   */
  private tag(open: number, close: number): void {
    const inner = this.text.slice(open + 1, close);
    const name = /^\/?\s*([A-Za-z][A-Za-z0-9-]*)/.exec(inner)?.[1] ?? '';
    if (!INLINE_TAGS.test(name)) {
      this.flush();
      this.gap++;
    } else if (this.start >= 0 && this.buf === undefined) this.buf = this.text.slice(this.start, this.end);
    if (BLOCK_TAGS.test(name)) this.sentence = true;
    if (inner.startsWith('!--')) {
      this.segment(() => this.read(open + 4, close, 'plain', false));
      return;
    }
    for (const m of inner.matchAll(/=\s*("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g)) {
      const valueStart = open + 1 + m.index + m[0].length - m[1]!.length + (m[4] === undefined ? 1 : 0);
      const value = m[2] ?? m[3] ?? m[4] ?? '';
      this.segment(() => this.read(valueStart, valueStart + value.length, 'plain', true));
    }
  }
}

/** The `)` closing the `(` at `open`, on the same paragraph; -1 when there is none. */
function closingParen(text: string, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to && i < open + 4096; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
    else if (ch === '\n' && text[i + 1] === '\n') return -1;
  }
  return -1;
}

/** The words of `text` by segment. */
export function readText(text: string, mode: Mode = 'plain'): Segments {
  const s = new Scanner(text);
  s.read(0, text.length, mode, false);
  return s.segments;
}
