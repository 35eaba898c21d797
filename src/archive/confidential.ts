/**
 * The confidential values of the cases (the `parties` block) and a matcher that finds
 * them in text. Pure.
 *
 * Matching is on words, case-insensitively: text and values are lower-cased, accents
 * are dropped, HTML entities and JSON escapes are decoded, and both are cut into runs of
 * letters and digits. A value is found when its words occur in a row in the text, with
 * any punctuation or white space between them. So `Example Freight Lines, Inc.` is
 * found in `EXAMPLE FREIGHT LINES INC`, in `Example&nbsp;Freight Lines, Inc.` and
 * across a line break of `pdftotext`, but `Ann Lee` is not found inside `Annual leeway`.
 *
 * A value whose words, joined by single spaces, are shorter than `MIN_VALUE_LENGTH`
 * characters is not checked: such values (`CA`, `Apt 1`, `MD`) stand in ordinary text
 * and would fail every build; they are reported as unchecked instead.
 */

/** The shortest value checked, in characters of its normalised words (`a b` is 3). */
export const MIN_VALUE_LENGTH = 6;

export type ValueKind =
  | 'claim number'
  | 'injured worker name'
  | 'injured worker address'
  | 'representative name'
  | 'representative address'
  | 'employer name'
  | 'claims administrator name'
  | 'claims administrator address'
  | 'requesting provider name'
  | 'requesting provider address'
  | 'cc name'
  | 'cc address'
  | 'party name'
  | 'party address';

export interface ConfidentialValue {
  value: string;
  kind: ValueKind;
  /** The case file it comes from. */
  file: string;
  case: string | undefined;
}

interface RawParty {
  name?: unknown;
  address?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * Every confidential value of a case's `parties` block, read leniently: the block may
 * come from a case file that does not pass the check, and still must not leak.
 */
export function confidentialValues(parties: unknown, file: string, caseNumber: string | undefined): ConfidentialValue[] {
  const out: ConfidentialValue[] = [];
  if (!parties || typeof parties !== 'object') return out;
  const p = parties as Record<string, unknown>;
  const add = (value: unknown, kind: ValueKind) => {
    const s = str(value);
    if (s) out.push({ value: s, kind, file, case: caseNumber });
  };
  const party = (raw: unknown, who: 'injured worker' | 'representative' | 'claims administrator' | 'requesting provider' | 'cc') => {
    if (!raw || typeof raw !== 'object') return;
    const r = raw as RawParty;
    add(r.name, `${who} name` as ValueKind);
    if (Array.isArray(r.address)) for (const line of r.address) add(line, `${who} address` as ValueKind);
    else add(r.address, `${who} address` as ValueKind);
  };
  add(p.claimNumber, 'claim number');
  party(p.injuredWorker, 'injured worker');
  party(p.representative, 'representative');
  if (p.employer && typeof p.employer === 'object') add((p.employer as RawParty).name, 'employer name');
  else add(p.employer, 'employer name');
  party(p.claimsAdministrator, 'claims administrator');
  party(p.requestingProvider, 'requesting provider');
  if (Array.isArray(p.cc)) for (const c of p.cc) party(c, 'cc');
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '' };

/** Decodes HTML entities and JSON `\uXXXX` escapes, enough for text to read as words. */
export function decodeEscapes(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const wordCharCache = new Map<number, boolean>();

/** Whether a UTF-16 unit above ASCII belongs to a word (letters, digits, marks; surrogates count as letters). */
function wideWordChar(code: number): boolean {
  if (code >= 0xd800 && code <= 0xdfff) return true;
  let known = wordCharCache.get(code);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCharCode(code));
    wordCharCache.set(code, known);
  }
  return known;
}

/** A word with characters above ASCII: compatibility-decomposed, accents dropped. */
function foldWide(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/**
 * The words of a text: runs of letters and digits, lower-cased, accents dropped. A
 * hand-written scan (no regular expression per character): the archive runs it over
 * every byte it publishes.
 */
export function words(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  const n = lower.length;
  let start = -1;
  let wide = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 32;
    const inWord = c < 128 ? (c >= 97 && c <= 122) || (c >= 48 && c <= 57) : wideWordChar(c);
    if (inWord) {
      if (start < 0) {
        start = i;
        wide = false;
      }
      if (c >= 128) wide = true;
    } else if (start >= 0) {
      const w = lower.slice(start, i);
      if (wide) {
        const folded = foldWide(w);
        // Folding may split a word (e.g. a ligature, a symbol): split as the scan would.
        for (const part of folded.split(/[^\p{L}\p{N}]+/u)) if (part) out.push(part);
      } else out.push(w);
      start = -1;
    }
  }
  return out;
}

/** A value's normalised form: its words joined by single spaces. */
export function normalizeValue(value: string): string {
  return words(decodeEscapes(value)).join(' ');
}

export interface Hit {
  value: ConfidentialValue;
  /** Where in the text's words it starts. */
  word: number;
}

export interface Matcher {
  /** The values checked (at least `MIN_VALUE_LENGTH` long), deduplicated by normalised form. */
  checked: number;
  /** Values too short to check. */
  unchecked: ConfidentialValue[];
  /** Every value found in `text`, once each, in order of first appearance. */
  find(text: string): Hit[];
}

/** FNV-1a over a string's UTF-16 units, cut to 30 bits. */
function hashOf(word: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < word.length; k++) h = Math.imul(h ^ word.charCodeAt(k), 0x01000193);
  // 30 bits: a small integer for V8, so looking it up allocates nothing.
  return h & 0x3fffffff;
}

interface Entry {
  tokens: string[];
  hashes: number[];
  values: ConfidentialValue[];
}

export function createMatcher(values: readonly ConfidentialValue[], minLength = MIN_VALUE_LENGTH): Matcher {
  // Values by the hash of their last word. The scan hashes each word of the text as it
  // reads it, keeps the hashes of the last words in a ring, and on a hit compares the
  // value's word hashes with the ring, then its words with the text: no string is made
  // for the words of the text that match nothing.
  const byLast = new Map<number, Entry[]>();
  const seen = new Map<string, Entry>();
  const unchecked: ConfidentialValue[] = [];
  for (const v of values) {
    const tokens = words(decodeEscapes(v.value));
    const norm = tokens.join(' ');
    if (norm.length < minLength) {
      unchecked.push(v);
      continue;
    }
    const known = seen.get(norm);
    if (known) {
      known.values.push(v);
      continue;
    }
    const entry: Entry = { tokens, hashes: tokens.map(hashOf), values: [v] };
    seen.set(norm, entry);
    const h = entry.hashes[entry.hashes.length - 1]!;
    const list = byLast.get(h) ?? [];
    list.push(entry);
    byLast.set(h, list);
  }
  // A loop, not `Math.max(...)`: hundreds of thousands of values overflow the call stack as arguments.
  let longest = 1;
  for (const e of seen.values()) longest = Math.max(longest, e.tokens.length);
  let size = 8;
  while (size <= longest) size *= 2;
  const mask = size - 1;

  return {
    checked: seen.size,
    unchecked,
    find(text) {
      const hits: Hit[] = [];
      if (byLast.size === 0) return hits;
      // Entities that stand for punctuation are skipped by the scan; anything else
      // escaped (a letter as `&#233;`, JSON's `\\u00e9`) is decoded first.
      const lower = (ODD_ESCAPE.test(text) ? decodeEscapes(text) : text).toLowerCase();
      const ringHash = new Int32Array(size);
      const ringStart = new Int32Array(size);
      const ringEnd = new Int32Array(size);
      const ringWide: (string | undefined)[] = new Array<string | undefined>(size);
      const found = new Set<Entry>();
      let count = 0;
      const wordAt = (k: number) => ringWide[k] ?? lower.slice(ringStart[k], ringEnd[k]);
      const check = (candidates: Entry[]) => {
        for (const e of candidates) {
          const len = e.tokens.length;
          if (len > count || found.has(e)) continue;
          let ok = true;
          for (let k = 0; k < len && ok; k++) ok = ringHash[(count - len + k) & mask] === e.hashes[k];
          for (let k = 0; k < len && ok; k++) ok = wordAt((count - len + k) & mask) === e.tokens[k];
          if (ok) {
            found.add(e);
            hits.push({ value: e.values[0]!, word: count - len });
          }
        }
      };
      const n = lower.length;
      let start = -1;
      let wide = false;
      let h = 0;
      for (let i = 0; i <= n; i++) {
        const c = i < n ? lower.charCodeAt(i) : 32;
        const inWord = c < 128 ? (c >= 97 && c <= 122) || (c >= 48 && c <= 57) : wideWordChar(c);
        if (inWord) {
          if (start < 0) {
            start = i;
            wide = false;
            h = 0x811c9dc5;
          }
          if (c >= 128) wide = true;
          h = Math.imul(h ^ c, 0x01000193);
          continue;
        }
        if (start >= 0) {
          if (wide) {
            for (const part of foldWide(lower.slice(start, i)).split(/[^\p{L}\p{N}]+/u)) {
              if (!part) continue;
              const slot = count & mask;
              const ph = hashOf(part);
              ringHash[slot] = ph;
              ringWide[slot] = part;
              count++;
              const candidates = byLast.get(ph);
              if (candidates) check(candidates);
            }
          } else {
            const slot = count & mask;
            const hh = h & 0x3fffffff;
            ringHash[slot] = hh;
            ringStart[slot] = start;
            ringEnd[slot] = i;
            ringWide[slot] = undefined;
            count++;
            const candidates = byLast.get(hh);
            if (candidates) check(candidates);
          }
          start = -1;
        }
        if (c === 38) {
          // `&amp;`, `&#x27;`…: punctuation, not words.
          const semi = lower.indexOf(';', i + 1);
          if (semi !== -1 && semi - i <= 7 && PUNCTUATION_ENTITY.has(lower.slice(i + 1, semi))) i = semi;
        }
      }
      return hits;
    },
  };
}

/** Entities the scan reads as the punctuation they stand for (Handlebars and rehype write these). */
const PUNCTUATION_ENTITY = new Set(['amp', 'lt', 'gt', 'quot', 'apos', 'nbsp', 'shy', '#x27', '#x60', '#x3d', '#39', '#34', '#38', '#60', '#62', '#96', '#61', '#x26', '#x3c', '#x3e', '#x22', '#xa0', '#160']);
/** Escapes the scan does not skip: a file with one is decoded before it is read. */
const ODD_ESCAPE = /\\u[0-9a-fA-F]{4}|&(?!(?:amp|lt|gt|quot|apos|nbsp|shy|#x27|#x60|#x3[dD]|#39|#34|#38|#60|#62|#96|#61|#x26|#x3[cCeE]|#x22|#x[aA]0|#160);)[#a-zA-Z][#a-zA-Z0-9]{0,7};/;

/** A value as it may be printed in a report: its first characters and its length, never all of it. */
export function maskValue(value: string): string {
  const shown = value.length <= 8 ? value.slice(0, 2) : value.slice(0, 4);
  return `${shown}… (${value.length} characters)`;
}
