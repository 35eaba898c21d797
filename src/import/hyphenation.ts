/**
 * Line-end hyphenation: a word that ends a line with a hyphen is either a hyphenated
 * compound that happened to break there (`follow-` / `up`: the hyphen stays) or a word
 * the typesetter split (`medi-` / `cation`: it was `medication`). The rule, in order,
 * for letters on both sides of the hyphen (`a-` / `b`):
 *
 * 1. `a-b` occurs elsewhere in the letter: a compound.
 * 2. `a` or `b` is shorter than two letters (`x-` / `ray`, `e-` / `mail`): a compound
 *    (a typesetter leaves at least two letters on either side of a split).
 * 3. `a` and `b` are both words (in the word list, or elsewhere in the letter):
 *    a compound (`follow-up`, `re-evaluation`, `Guide-lines`).
 * 4. `ab` occurs elsewhere in the letter, or in the word list: a split word, joined
 *    with a soft hyphen (U+00AD, `&#xAD;` in the case file) where the hyphen was: the
 *    word is whole for reading and search, and the rebuilt letter may still break it
 *    there, printing the hyphen as the original did.
 * 5. Otherwise a compound: the hyphen is kept, so no printed character is dropped.
 *
 * A soft hyphen (U+00AD) at a line end, alone or before the hyphen that shows it, is
 * always a split. Hyphens after digits
 * (`10-30-` / `2016`) and before `and`/`or`/`to` (`pre- and post-op`) are left to
 * `joinWrapped`. The word list is `word-list` (274,000 English words, MIT), read once,
 * when a letter first needs it. Pure apart from that read.
 */
import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';
import type { Line } from './layout.js';

/** Whether a lower-case word is an English word. */
export type IsWord = (word: string) => boolean;

let list: string | undefined;

/**
 * The `word-list` package's words (its file is read on first use). A look-up scans
 * the list's text: a letter asks about a few words, so that is cheaper than building a
 * set of 274,000 words.
 */
export const englishWord: IsWord = (word) => {
  list ??= `\n${readFileSync(wordListPath, 'utf8').replace(/\r/g, '')}\n`;
  return /^[a-z]+$/.test(word) && list.includes(`\n${word}\n`);
};

/** The soft hyphen that marks a split word at a line end (`joinWrapped` joins it without a space or hyphen). */
export const SPLIT_MARK = '\u00AD';

const TAIL = /(?:^|[^\p{L}\p{N}-])(\p{L}+)-$/u;
const HEAD = /^(\p{L}+)/u;
const NOT_SPLIT_BEFORE = /^(?:and|or|nor|to|&)$/i;

/**
 * Lower-case tokens of the letter, punctuation around them removed (`left-sided,` →
 * `left-sided`). The two parts of a word hyphenated at a line end are not tokens: they
 * are what is being decided.
 */
export function letterTokens(lines: readonly Line[]): Set<string> {
  const out = new Set<string>();
  let afterHyphen = false;
  for (const l of lines) {
    const raw = l.text.split(/\s+/).filter(Boolean);
    if (!raw.length) continue;
    const endsHyphen = /[-\u00AD]$/.test(raw[raw.length - 1]!);
    raw.forEach((r, k) => {
      if ((k === 0 && afterHyphen) || (k === raw.length - 1 && endsHyphen)) return;
      const t = r.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase();
      if (t) out.add(t);
    });
    afterHyphen = endsHyphen;
  }
  return out;
}

/** Whether `a-` / `b` at a line end is a split word (rules above). */
export function isSplitWord(a: string, b: string, tokens: ReadonlySet<string>, isWord: IsWord = englishWord): boolean {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (tokens.has(`${la}-${lb}`)) return false;
  if (la.length < 2 || lb.length < 2) return false;
  const word = (w: string) => tokens.has(w) || isWord(w);
  if (word(la) && word(lb)) return false;
  return tokens.has(la + lb) || isWord(la + lb);
}

/**
 * The lines with the hyphen of each split word at a line end replaced by `SPLIT_MARK`
 * (same length, so columns stay right). Other lines are returned as they are.
 */
export function markSplitWords(lines: readonly Line[], isWord: IsWord = englishWord): Line[] {
  const candidates: number[] = [];
  lines.forEach((l, i) => {
    if (TAIL.test(l.text.trimEnd()) || /\p{L}\u00AD-?$/u.test(l.text.trimEnd())) candidates.push(i);
  });
  if (!candidates.length) return [...lines];
  const tokens = letterTokens(lines);
  const out = [...lines];
  for (const i of candidates) {
    const line = lines[i]!;
    const next = lines.slice(i + 1).find((n) => n.text.trim());
    const first = next ? /^\S+/.exec(next.text.trim())![0] : '';
    const b = HEAD.exec(first)?.[1];
    if (line.text.endsWith(SPLIT_MARK)) continue;
    if (line.text.trimEnd().endsWith(`${SPLIT_MARK}-`)) {
      // A soft hyphen the PDF printed as a hyphen (Chromium's PDFs keep both characters).
      out[i] = { ...line, text: line.text.trimEnd().slice(0, -1) };
      continue;
    }
    const a = TAIL.exec(line.text.trimEnd())![1]!;
    if (!b || NOT_SPLIT_BEFORE.test(first) || !isSplitWord(a, b, tokens, isWord)) continue;
    out[i] = { ...line, text: `${line.text.trimEnd().slice(0, -1)}${SPLIT_MARK}` };
  }
  return out;
}
