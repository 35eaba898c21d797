/**
 * Whether a name part is also an English word, for the word rules of `./matcher.ts`.
 *
 * - *common* words (`page`, `long`, `black`, `will`): the New Dale–Chall list of ~3,000
 *   familiar American-English words (`dale-chall`), with plural, `-er`, `-ing`, `-ed` and
 *   `-y` forms (`walker`, `fields`, `hardy`). A surname that is a common word flags alone
 *   only where a name stands: capitalised, not first in its sentence, not followed by a
 *   number or `(` (`Page 76`, `Page(s)`) or a hyphenated word (`Long-term`);
 * - *dictionary* words (~275,000, `an-array-of-english-words`, loaded on first use): a
 *   part written in lower case flags only when it is no English word at all (`lopez`
 *   does, `physician` does not).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { daleChall } from 'dale-chall';

const common = new Set(daleChall);
const require = createRequire(import.meta.url);
/** The dictionary's JSON text, `["a","aa",…]`: sorted, so it is searched as it is, without parsing (parsing costs ~200 ms). */
let dictionary: string | undefined;

/** Whether the sorted JSON array of words `text` holds `word`: a binary search over the text. */
export function sortedJsonHas(text: string, word: string): boolean {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // The first word starting at or after `mid`.
    let start: number;
    if (mid <= 2) start = text.indexOf('"') + 1;
    else {
      const sep = text.indexOf('","', mid - 3);
      start = sep === -1 ? -1 : sep + 3;
    }
    if (start <= 0 || start >= hi) {
      hi = mid;
      continue;
    }
    const w = text.slice(start, text.indexOf('"', start));
    if (w === word) return true;
    if (w < word) lo = start + 1;
    else hi = start;
  }
  return false;
}

function withForms(word: string, known: (w: string) => boolean): boolean {
  if (known(word)) return true;
  const stems: string[] = [];
  if (word.endsWith('s')) stems.push(word.slice(0, -1));
  if (word.endsWith('es')) stems.push(word.slice(0, -2));
  if (word.endsWith('er')) stems.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('ing')) stems.push(word.slice(0, -3));
  if (word.endsWith('ed')) stems.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('y')) stems.push(word.slice(0, -1));
  return stems.some((s) => s.length >= 3 && known(s));
}

/** A familiar English word (or a plain form of one). */
export function isCommonWord(word: string): boolean {
  return word.length <= 2 || withForms(word, (w) => common.has(w));
}

/** Any English word of a large dictionary (or a plain form of one). */
export function isDictionaryWord(word: string): boolean {
  if (isCommonWord(word)) return true;
  dictionary ??= readFileSync(require.resolve('an-array-of-english-words'), 'latin1');
  return withForms(word, (w) => sortedJsonHas(dictionary!, w));
}
