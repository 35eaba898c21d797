/**
 * The layout text of a posted letter (`pdftotext -layout`) → numbered lines → paragraphs.
 *
 * In that text a paragraph break is a blank line; a page break is a form feed at the
 * start of the first line of the next page. A page break is not a paragraph break,
 * except when the text says so: the next page starts with a label ("Decision
 * rationale:", "… guideline:") or a heading, or the last line of the page ends a
 * sentence and is so short that the next word would have fitted on it. Wrapped lines
 * are joined with a space, or without one after a hyphen that ends a word
 * (`10-30-` / `2016` was `10-30-2016`: Word breaks lines after hyphens). A slash ending
 * a line keeps its space: Word does not break after a slash, so the letter had one
 * there (`10/10/ 2016`: its PDF draws a space after the slash). Pure functions.
 */

/** One line of the layout text. */
export interface Line {
  /** 1-based line number in the layout text (what an editor shows for the `.txt`). */
  no: number;
  /** The text, without form feeds and trailing spaces. */
  text: string;
  /** 1-based page number. */
  page: number;
  /** The first line of a page after the first (it followed a form feed). */
  pageStart: boolean;
}

export function toLines(text: string): Line[] {
  const out: Line[] = [];
  let page = 1;
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((raw, i) => {
      const feeds = (raw.match(/\f/g) ?? []).length;
      const leading = /^\f*/.exec(raw)![0].length;
      page += leading;
      out.push({ no: i + 1, text: raw.replace(/\f/g, '').replace(/\s+$/, ''), page, pageStart: leading > 0 });
      page += feeds - leading;
    });
  return out;
}

/** A paragraph: its lines (at least one) and their text joined. */
export interface Paragraph {
  lines: Line[];
  text: string;
}

/** Joins a wrapped line to the text before it. */
export function joinWrapped(before: string, next: string): string {
  const a = before.replace(/\s+$/, '');
  const b = next.replace(/^\s+/, '');
  if (!a) return b;
  if (!b) return a;
  // A soft hyphen (see `markSplitWords`) marks a word the typesetter split: joined whole,
  // the soft hyphen kept where it was, so the rebuilt letter may break the word there too.
  if (a.endsWith('\u00AD')) return a + b;
  // A hyphen ending a word (not a dash standing alone) was not followed by a space:
  // Word broke the line after it. `pre-` / `and post-op` keeps its space.
  const lastWord = /\S+$/.exec(a)![0];
  const firstWord = /^\S+/.exec(b)![0];
  const standaloneDash = /^[-\u2010-\u2015]+$/.test(lastWord);
  if (!standaloneDash && /[^\s][-\u2010\u2011]$/.test(a) && !/^(and|or|nor|to|&)$/i.test(firstWord)) {
    // Between digits the renderer keeps a hyphenated word on one line unless told where
    // the original broke it: a zero width space marks the place.
    return /\p{N}-$/u.test(a) && /^\p{N}/u.test(b) ? `${a}\u200B${b}` : a + b;
  }
  return `${a} ${b}`;
}

export function joinLines(lines: readonly Line[]): string {
  return lines.reduce((acc, l) => joinWrapped(acc, l.text.trim()), '');
}

/** Labels that start a paragraph of their own, even at the top of a page without a blank line before. */
export const LABEL_START = /^(?:Claims Administrator guideline:|\S.{0,40}? guideline:|Decision rationale:)/;

const SENTENCE_END = /(?:[.!?:;]["'\u201d\u2019)\]]*|\b(?:Upheld|Overturned))$/;

export interface ParagraphOptions {
  /** Width, in characters, of a full line of body text (the longest line of the letter). */
  width: number;
  /** Whether a line is a heading: headings are paragraphs of their own. */
  isHeading?: (line: Line) => boolean;
}

/**
 * Whether a page break between `last` (the last line of a page) and `first` (the first
 * line of the next) ends a paragraph: the next word would have fitted on `last`, and
 * `last` ends a sentence.
 */
export function pageBreakEndsParagraph(last: Line, first: Line, width: number): boolean {
  const text = last.text.trim();
  if (!SENTENCE_END.test(text)) return false;
  const nextWord = /^\S+/.exec(first.text.trim())?.[0] ?? '';
  return text.length + 1 + nextWord.length <= Math.floor(width * 0.85);
}

/** Groups lines into paragraphs (blank lines, headings, labels and page breaks as described above). */
export function toParagraphs(lines: readonly Line[], options: ParagraphOptions): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Line[] = [];
  const close = () => {
    if (current.length) out.push({ lines: current, text: joinLines(current) });
    current = [];
  };
  // Blank lines close a paragraph, except at the bottom of a page (before a page
  // break): there the page-break rules decide.
  let blank = false;
  for (const line of lines) {
    if (!line.text.trim()) {
      blank = true;
      continue;
    }
    if (blank && !line.pageStart) close();
    blank = false;
    if (options.isHeading?.(line)) {
      close();
      current.push(line);
      close();
      continue;
    }
    const prev = current[current.length - 1];
    if (prev) {
      const label = LABEL_START.test(line.text.trim()) && (line.pageStart || SENTENCE_END.test(prev.text.trim()));
      if (label || (line.pageStart && pageBreakEndsParagraph(prev, line, options.width))) close();
    }
    current.push(line);
  }
  close();
  return out;
}

/** Where a paragraph could be cut at a page break: indices of its lines that start a page after a line that ends a sentence. */
export function sentencePageBreaks(p: Paragraph): number[] {
  const out: number[] = [];
  p.lines.forEach((l, i) => {
    if (i > 0 && l.pageStart && SENTENCE_END.test(p.lines[i - 1]!.text.trim())) out.push(i);
  });
  return out;
}

/** Cuts a paragraph before line `i`. */
export function splitParagraph(p: Paragraph, i: number): [Paragraph, Paragraph] {
  const a = p.lines.slice(0, i);
  const b = p.lines.slice(i);
  return [
    { lines: a, text: joinLines(a) },
    { lines: b, text: joinLines(b) },
  ];
}

/**
 * The width, in characters, of a full line of text: the 90th percentile of the lengths
 * of the lines that wrap (followed by another line of text), so that one long address
 * or a short letter does not skew it.
 */
export function lineWidth(lines: readonly Line[]): number {
  const lengths: number[] = [];
  lines.forEach((l, i) => {
    const next = lines[i + 1];
    if (next && next.text.trim() && l.text.trim() && !/^\s/.test(l.text)) lengths.push(l.text.length);
  });
  if (lengths.length < 5) return 100;
  lengths.sort((a, b) => a - b);
  return lengths[Math.floor((lengths.length - 1) * 0.9)]!;
}
