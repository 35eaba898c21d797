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
import { createRequire } from 'node:module';
import { daleChall } from 'dale-chall';

const common = new Set(daleChall);
const require = createRequire(import.meta.url);
let dictionary: Set<string> | undefined;

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
  dictionary ??= new Set(require('an-array-of-english-words') as string[]);
  return withForms(word, (w) => dictionary!.has(w));
}
