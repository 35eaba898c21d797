/**
 * Two spaces after a sentence. The posted letters were typed in Word, often with two
 * spaces after a full stop; `pdftotext -layout` shows one, but the word positions
 * (`wordGaps` in `pdftext.ts`) show the wide gap. Where a paragraph of the letter has
 * two words that the PDF sets with a wide gap between them, the paragraph gets two
 * spaces there, so that the case file says what the letter printed and the rebuilt
 * letter breaks its lines where the original did. Pure.
 *
 * The paragraphs are found in the PDF's word sequence in order: each paragraph's first
 * words are looked for after the end of the one before; inside a paragraph the two
 * sequences are walked together, and a word that differs (a split word joined, see
 * `hyphenation.ts`) is skipped by looking a few words ahead for the next match.
 */
import type { GapWord } from './pdftext.js';

/** How far ahead a paragraph word is looked for after a mismatch (a page's footer and header lie between). */
const LOOKAHEAD = 24;

/** Where the next three tokens from `from` start in `words`, at `start` or after (before `end`), or -1. */
function find(words: readonly GapWord[], tokens: readonly string[], from: number, start: number, end = words.length): number {
  const n = Math.min(3, tokens.length - from);
  for (let i = start; i < end && i + n <= words.length; i++) {
    let ok = true;
    for (let k = 0; k < n && ok; k++) ok = words[i + k]!.word === tokens[from + k];
    if (ok) return i;
  }
  return -1;
}

/**
 * The paragraphs (in the letter's order, each with single spaces) with two spaces
 * wherever the PDF has a wide gap between two of their words.
 */
export function keepDoubleSpaces(paragraphs: readonly string[], words: readonly GapWord[] | undefined): string[] {
  if (!words?.length || !words.some((w) => w.wide)) return [...paragraphs];
  let at = 0;
  return paragraphs.map((p) => {
    const tokens = p.split(' ');
    let i = find(words, tokens, 0, at);
    if (i < 0) return p;
    const wide = new Set<number>(); // token indices followed by two spaces
    for (let t = 0; t < tokens.length; t++) {
      if (i >= words.length) break;
      if (words[i]!.word !== tokens[t]) {
        const j = find(words, tokens, t, i, i + LOOKAHEAD);
        if (j < 0) continue; // this token is not a PDF word (a joined split word): try the next one
        i = j;
      }
      if (words[i]!.wide && t + 1 < tokens.length && words[i + 1]?.word === tokens[t + 1]) wide.add(t);
      i++;
    }
    at = i;
    return tokens.map((tok, t) => (wide.has(t) ? `${tok} ` : tok)).join(' ');
  });
}
