/**
 * The matcher: finds a case's confidential values in a text, in every form a reader
 * would recognise. The one matcher of `check`, `build` and `archive`. Pure.
 *
 * ```ts
 * const m = createMatcher(confidentialValues(parties, file, caseNumber), { allowed: ['Long Beach'] });
 * for (const hit of m.find(text, 'markdown')) report(hit.start, hit.needle);
 * ```
 *
 * A text is read as words (`./text.ts`); each value gives its forms (`./values.ts`): the
 * whole value, a name's given name and surname, the surname alone, a business name
 * without its legal suffix, an address line with `Street` or `St.`, a claim number with
 * or without its dashes. Forms of several words match their words in a row, in one
 * segment, whatever stands between them (spaces, line breaks, markup, punctuation).
 *
 * A form of one word (a surname, a one-word name) follows the word rules:
 * - after a title (`Dr.`, `Mr.`, `Ms.`, `Mrs.`, `Miss`) it always matches;
 * - as a cited author (`(Thompson, 2005)`, `Thompson et al.`) it does not;
 * - written in lower case, it matches only when it is no English word (`lopez`, not `long`);
 * - in a run of capitals (a heading), as in lower case;
 * - capitalised, it matches unless it is a common English word (`Page`, `Long`) first in
 *   its sentence, or followed by a number, `(` or a hyphen (`Page 76`, `Page(s)`, `Long-term`).
 *
 * Claim numbers match on their letters and digits alone: `EX-0000-000001` is found as
 * `EX0000000001`, `EX 0000 000001` or `ex-0000-0000 01`.
 *
 * Allowed phrases (`parties.notConfidential`) excuse the *parts* of a value found inside
 * them (`Long` in `Long Beach`), never a whole value or a claim number.
 */
import { createHash } from 'node:crypto';
import { foldText } from './fold.js';
import { readText, type Mode, type Token } from './text.js';
import { needlesOf, type ConfidentialValue, type Needle } from './values.js';
import { isCommonWord, isDictionaryWord } from './words.js';

export interface Hit {
  needle: Needle;
  value: ConfidentialValue;
  /** Offsets of the matched text (end exclusive). */
  start: number;
  end: number;
}

export interface MatcherOptions {
  /** Phrases a reviewer allowed (`parties.notConfidential`): parts of values inside them do not match (default none). */
  allowed?: readonly string[];
  /** Match the parts of values (surnames, shortened names) too (default true); false: whole values and claim numbers only. */
  parts?: boolean;
}

export interface Matcher {
  /** The distinct forms looked for. */
  readonly forms: number;
  /** The values looked for. */
  readonly values: readonly ConfidentialValue[];
  /**
   * Every value found in `text`, in text order; forms inside a longer one found at the
   * same place are left out. `words`, when given, receives every folded word of the text
   * (each token's `w`, as the matcher compares them) and its claim keys (`collectWords`),
   * even when the matcher has no forms.
   */
  find(text: string, mode?: Mode, words?: Set<string>): Hit[];
  /**
   * A hash of what the matcher looks for: its values and its options (computed on first
   * use). Two matchers with the same key find the same things in the same text, so a
   * text found clean by one need not be read again by the other (with the same code).
   */
  readonly key: string;
}

const CITATION = /^(?:,?\s*\(?(?:19|20)\d\d[a-z]?\b|\s+et\.?\s+al\b)/;
const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'doctor']);
/** Longest gap between the words of a claim number: `EX - 0000`. */
const CLAIM_GAP = 3;

/**
 * The forms of words (`Needle.words` joined by NUL) → their needles, in the order given,
 * and every proper prefix of a form (its first words): a text's words are followed from
 * each word only while they begin a form, so a word costs the same however many values
 * there are (and however many share a first word).
 */
interface Forms {
  exact: Map<string, Needle[]>;
  prefixes: Set<string>;
}

/**
 * Claim numbers by their letters and digits (the first needle of each), and the same
 * strings sorted, to tell whether a text's run of words begins one (a binary search).
 */
interface Claims {
  byJoined: Map<string, Needle>;
  sorted: string[];
}

/** Whether some string of `sorted` starts with `prefix`. */
function beginsOne(sorted: readonly string[], prefix: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]!.startsWith(prefix);
}

/** The forms a matcher looks for of one value: every needle, or without `parts` only the whole value's (never excusable). */
export function formsOf(v: ConfidentialValue, parts: boolean): Needle[] {
  return parts ? needlesOf(v) : needlesOf(v).filter((n) => !n.excusable);
}

/**
 * A hash of what a matcher of `values` with `options` looks for (its `key`), without
 * making the matcher.
 */
export function matcherKey(values: readonly ConfidentialValue[], options: MatcherOptions = {}): string {
  return createHash('sha256')
    .update(JSON.stringify({ parts: options.parts ?? true, allowed: options.allowed ?? [], values: values.map((v) => [v.value, v.kind, v.file, v.case ?? null, v.key ?? null]) }))
    .digest('hex');
}

/** Letters and digits of a claim key (see `claimKeys`). */
export const CLAIM_KEY = 8;
/** What a claim key starts with, apart from every word. */
export const CLAIM_MARK = '\u0001';

/**
 * The claim keys of a segment's words, into `words`: from each word that holds a digit,
 * the first `CLAIM_KEY` letters and digits of it and the words that follow it close
 * together (as a claim number is read, gaps of at most `CLAIM_GAP`), marked with
 * `CLAIM_MARK`. A claim number found in a text is spelled by a run of words; the first of
 * them that holds a digit holds the claim number's first digit and starts at most that
 * far into it, and its key is the claim number's letters and digits from there (all of
 * them, and the key starts with them, when they are fewer than `CLAIM_KEY`).
 */
function claimKeys(tokens: readonly Token[], words: Set<string>): void {
  for (let i = 0; i < tokens.length; i++) {
    let joined = tokens[i]!.w;
    if (!/\d/.test(joined)) continue;
    for (let j = i + 1; joined.length < CLAIM_KEY && j < tokens.length && tokens[j]!.gap <= CLAIM_GAP; j++) joined += tokens[j]!.w;
    words.add(CLAIM_MARK + joined.slice(0, CLAIM_KEY));
  }
}

/** Every folded word and claim key (`claimKeys`) of a segment, into `words`. */
function segmentWords(tokens: readonly Token[], words: Set<string>): void {
  for (const t of tokens) words.add(t.w);
  claimKeys(tokens, words);
}

/** Every folded word and claim key of `text` read in `mode`, into `words` (for the archive's token index). */
export function collectWords(text: string, mode: Mode, words: Set<string>): void {
  for (const tokens of readText(text, mode)) segmentWords(tokens, words);
}

export function createMatcher(values: readonly ConfidentialValue[], options: MatcherOptions = {}): Matcher {
  const parts = options.parts ?? true;
  const words: Forms = { exact: new Map(), prefixes: new Set() };
  const claims: Claims = { byJoined: new Map(), sorted: [] };
  let forms = 0;
  for (const v of values) {
    for (const n of formsOf(v, parts)) {
      forms++;
      if (n.form === 'claim number') {
        const joined = n.words.join('');
        if (!claims.byJoined.has(joined)) claims.byJoined.set(joined, n);
        continue;
      }
      const key = n.words.join('\0');
      const list = words.exact.get(key);
      if (list) list.push(n);
      else words.exact.set(key, [n]);
      for (let k = 1; k < n.words.length; k++) words.prefixes.add(n.words.slice(0, k).join('\0'));
    }
  }
  claims.sorted = [...claims.byJoined.keys()].sort();
  const allowed = (options.allowed ?? []).map((a) => foldText(a)).filter((a) => a.length > 0);
  let key: string | undefined;

  return {
    forms,
    values,
    get key() {
      key ??= matcherKey(values, options);
      return key;
    },
    find(text, mode = 'plain', seen) {
      if (forms === 0) {
        if (seen) collectWords(text, mode, seen);
        return [];
      }
      const found: { hit: Hit; from: number; to: number; seg: number }[] = [];
      readText(text, mode).forEach((tokens, seg) => {
        if (seen) segmentWords(tokens, seen);
        const excused = allowedRanges(tokens, allowed);
        for (let i = 0; i < tokens.length; i++) {
          const t = tokens[i]!;
          // Forms of words: the words from `i` on, while they begin a form.
          let key = '';
          for (let j = i; j < tokens.length; j++) {
            key = j === i ? t.w : `${key}\0${tokens[j]!.w}`;
            for (const n of words.exact.get(key) ?? []) {
              if (n.single && !nameLike(tokens, i, text)) continue;
              if (n.excusable && excused.some(([a, b]) => a <= i && j <= b)) continue;
              found.push({ hit: { needle: n, value: n.value, start: t.start, end: tokens[j]!.end }, from: i, to: j, seg });
            }
            if (!words.prefixes.has(key)) break;
          }
          // Claim numbers: the letters and digits of the words from `i` on, close together.
          let joined = '';
          for (let j = i; j < tokens.length; j++) {
            if (j > i && tokens[j]!.gap > CLAIM_GAP) break;
            joined += tokens[j]!.w;
            if (!beginsOne(claims.sorted, joined)) break;
            const n = claims.byJoined.get(joined);
            if (n) found.push({ hit: { needle: n, value: n.value, start: t.start, end: tokens[j]!.end }, from: i, to: j, seg });
          }
        }
      });
      return outermost(found);
    },
  };
}

/** Whether the one word at `i` stands as a name (see the word rules above). */
function nameLike(tokens: readonly Token[], i: number, text: string): boolean {
  const t = tokens[i]!;
  const prev = tokens[i - 1];
  if (prev && TITLES.has(prev.w) && prev.cap > 0 && t.gap <= 3) return true;
  // A cited author, not a party: `(Thompson, 2005)`, `Thompson 2005`, `Thompson et al.`.
  if (CITATION.test(text.slice(t.end, t.end + 12))) return false;
  const next = tokens[i + 1];
  const shouting = t.cap === 2 && ((prev?.cap ?? 2) === 2 || (next?.cap ?? 2) === 2) && (prev !== undefined || next !== undefined);
  if (t.cap === 0 || shouting) return !isDictionaryWord(t.w);
  if (!isCommonWord(t.w)) return true;
  if (t.sentence) return false;
  const after = text.slice(t.end, t.end + 3);
  return !/^\s*[\d(]/.test(after) && !/^[-\u2010\u2011]\p{L}/u.test(after);
}

/** The token ranges covered by an allowed phrase. */
function allowedRanges(tokens: readonly Token[], allowed: readonly string[][]): [number, number][] {
  const out: [number, number][] = [];
  if (allowed.length === 0) return out;
  for (let i = 0; i < tokens.length; i++) {
    for (const a of allowed) {
      if (i + a.length > tokens.length) continue;
      let ok = true;
      for (let k = 0; k < a.length && ok; k++) ok = tokens[i + k]!.w === a[k];
      if (ok) out.push([i, i + a.length - 1]);
    }
  }
  return out;
}

/** Drops hits inside a longer hit of the same segment; sorts by position. */
function outermost(found: { hit: Hit; from: number; to: number; seg: number }[]): Hit[] {
  found.sort((a, b) => a.seg - b.seg || a.from - b.from || b.to - a.to);
  const kept: typeof found = [];
  for (const f of found) {
    const outer = kept.find((k) => k.seg === f.seg && k.from <= f.from && f.to <= k.to && (k.from !== f.from || k.to !== f.to || k.hit.value === f.hit.value));
    if (!outer) kept.push(f);
  }
  return kept.map((k) => k.hit).sort((a, b) => a.start - b.start || b.end - a.end);
}
