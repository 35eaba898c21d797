// @ts-check
/**
 * The search box's syntax, read into an SQLite FTS5 MATCH expression. Plain ES module
 * with no imports: the search page loads it (`assets/query-<hash>.js`) and the Node
 * tests import this same file.
 *
 *   pain lumbar          both words (AND)
 *   "lumbar MRI"         the exact phrase
 *   pain OR ache         either (AND, OR and NOT in capitals; lower case they are words)
 *   pain NOT opioid      pain without opioid; `-opioid` says the same
 *   (knee OR hip) MRI    parentheses group
 *   acupunct*            words starting with acupunct
 *   CM16-0213037         the case number alone: that decision (any case)
 *
 * Every word and phrase goes to FTS5 quoted (`"…"`, a `"` doubled), as a phrase of the
 * column `body`, so nothing the reader types is read as FTS5 syntax (column names,
 * `NEAR`, `^`, `+`, `:`), and the facet tokens of column `f` match only through the
 * filters. FTS5's NOT needs a left side: an exclusion with nothing to exclude from
 * (`-pain` alone) excludes from `universe`, the caller's expression for "every letter"
 * (a shard's year token).
 *
 * Precedence, as in FTS5: NOT (and `-`) binds tighter than AND, AND tighter than OR.
 * The output is fully parenthesised.
 */

/** The case number pattern of `src/schema/case.ts` (`CASE_NUMBER`), any case. */
export const CASE_NUMBER_QUERY = /^\s*(cm\d{2}-\d{7})\s*$/i;

/**
 * @typedef {{ kind: 'term', text: string, phrase: boolean, prefix: boolean, at: number }
 *   | { kind: 'and', items: Node[] }
 *   | { kind: 'or', items: Node[] }
 *   | { kind: 'not', item: Node, at: number }} Node
 */

/**
 * @typedef {{ ok: true, empty: boolean, caseNumber: string | null, tree: Node | null, terms: string[] }} Parsed
 *   `terms`: the words to highlight (from words and phrases that are not excluded), lower case.
 * @typedef {{ ok: false, message: string, at: number }} ParseFailure
 *   `at`: the 0-based character where the problem is.
 */

/** A problem in the query, with the character it is at. */
export class QueryError extends Error {
  /** @param {string} message @param {number} at */
  constructor(message, at) {
    super(message);
    this.name = 'QueryError';
    this.at = at;
  }
}

/**
 * @typedef {{ type: 'word' | 'phrase' | 'open' | 'close' | 'and' | 'or' | 'not' | 'minus', text: string, at: number, prefix?: boolean }} Token
 */

/** @param {string} input @returns {Token[]} */
export function tokenize(input) {
  /** @type {Token[]} */
  const tokens = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '\u201c' || c === '\u201d') {
      const start = i;
      const close = input.slice(i + 1).search(/["\u201c\u201d]/);
      if (close < 0) throw new QueryError(`Unbalanced quote: the phrase that starts at character ${start + 1} has no closing ". Add one, or remove the opening one.`, start);
      const text = input.slice(i + 1, i + 1 + close);
      i += close + 2;
      const prefix = input[i] === '*';
      if (prefix) i++;
      tokens.push({ type: 'phrase', text, at: start, prefix });
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'open' : 'close', text: c, at: i });
      i++;
    } else if (c === '-' && (i === 0 || /[\s(]/.test(input.charAt(i - 1))) && i + 1 < input.length && !/[\s)]/.test(input.charAt(i + 1))) {
      tokens.push({ type: 'minus', text: c, at: i });
      i++;
    } else {
      const start = i;
      while (i < input.length && !/[\s()"\u201c\u201d]/.test(input.charAt(i))) i++;
      const raw = input.slice(start, i);
      if (raw === 'AND' || raw === 'OR' || raw === 'NOT') tokens.push({ type: /** @type {'and' | 'or' | 'not'} */ (raw.toLowerCase()), text: raw, at: start });
      else {
        const prefix = raw.length > 1 && raw.endsWith('*');
        tokens.push({ type: 'word', text: prefix ? raw.replace(/\*+$/, '') : raw, at: start, prefix });
      }
    }
  }
  return tokens;
}

/** Letters or digits: a word without any is dropped (the tokenizer would index nothing for it). */
const HAS_TOKEN = /[\p{L}\p{N}_]/u;

/**
 * The query's tree, or null for an empty query.
 * @param {string} input
 * @returns {Node | null}
 */
export function parseTree(input) {
  const tokens = tokenize(input);
  let pos = 0;
  /** @returns {Token | undefined} */
  const peek = () => tokens[pos];
  /** @returns {Token} the next token (the callers know there is one) */
  const take = () => /** @type {Token} */ (tokens[pos++]);
  const describe = (/** @type {Token} */ t) => `“${t.text}” at character ${t.at + 1}`;

  /** @returns {Node | null} */
  function orExpr() {
    /** @type {Node[]} */
    const items = [];
    const first = andExpr();
    if (first) items.push(first);
    while (peek()?.type === 'or') {
      const op = take();
      if (!first && items.length === 0) throw new QueryError(`${describe(op)} needs words before it, as in “knee OR hip”.`, op.at);
      const next = andExpr();
      if (!next) throw new QueryError(`${describe(op)} needs words after it, as in “knee OR hip”.`, op.at);
      items.push(next);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? /** @type {Node} */ (items[0]) : { kind: 'or', items };
  }

  /** @returns {Node | null} */
  function andExpr() {
    /** @type {Node[]} */
    const items = [];
    for (;;) {
      const t = peek();
      if (!t || t.type === 'or' || t.type === 'close') break;
      if (t.type === 'and') {
        pos++;
        if (items.length === 0) throw new QueryError(`${describe(t)} needs words before it, as in “knee AND MRI”.`, t.at);
        const n = peek();
        if (!n || n.type === 'or' || n.type === 'close' || n.type === 'and') throw new QueryError(`${describe(t)} needs words after it, as in “knee AND MRI”.`, t.at);
        continue;
      }
      const item = unary();
      if (item) items.push(item);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? /** @type {Node} */ (items[0]) : { kind: 'and', items };
  }

  /** @returns {Node | null} */
  function unary() {
    const t = peek();
    if (t && (t.type === 'not' || t.type === 'minus')) {
      pos++;
      const n = peek();
      if (!n || n.type === 'or' || n.type === 'and' || n.type === 'close') {
        throw new QueryError(`${describe(t)} needs a word after it: “pain NOT opioid” or “pain -opioid” leaves out the decisions with “opioid”.`, t.at);
      }
      const item = t.type === 'not' ? unary() : primary();
      return item ? { kind: 'not', item, at: t.at } : null;
    }
    return primary();
  }

  /** @returns {Node | null} */
  function primary() {
    const t = take();
    if (t.type === 'open') {
      const inner = orExpr();
      const close = peek();
      if (!close || close.type !== 'close') throw new QueryError(`Unbalanced parenthesis: the “(” at character ${t.at + 1} is never closed. Add a “)”, or remove it.`, t.at);
      pos++;
      if (!inner) throw new QueryError(`Empty parentheses at character ${t.at + 1}: put words inside, or remove them.`, t.at);
      return inner;
    }
    if (t.type === 'word' || t.type === 'phrase') {
      if (!HAS_TOKEN.test(t.text)) return null;
      return { kind: 'term', text: t.text, phrase: t.type === 'phrase', prefix: Boolean(t.prefix), at: t.at };
    }
    // A minus that is a word's own (`-` alone) is a word without letters: nothing.
    if (t.type === 'minus') return null;
    throw new QueryError(`Unexpected ${describe(t)}.`, t.at);
  }

  const tree = orExpr();
  const rest = peek();
  if (rest) {
    if (rest.type === 'close') throw new QueryError(`Unbalanced parenthesis: the “)” at character ${rest.at + 1} has no “(” before it. Remove it, or add a “(”.`, rest.at);
    throw new QueryError(`Unexpected ${describe(rest)}.`, rest.at);
  }
  return tree;
}

/** A word or phrase as an FTS5 string: double quotes, a `"` inside doubled. @param {string} text */
export function quote(text) {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The FTS5 expression of a tree. A group whose parts are all exclusions excludes from `universe`.
 * @param {Node} node
 * @param {string} universe an FTS5 expression matching every letter searched, e.g. `f : "year_2016"`
 * @returns {string}
 */
export function toMatch(node, universe) {
  switch (node.kind) {
    case 'term':
      return `body : ${quote(node.text)}${node.prefix ? ' *' : ''}`;
    case 'or':
      return `(${node.items.map((n) => toMatch(n, universe)).join(' OR ')})`;
    case 'not':
      return `(${universe} NOT ${toMatch(node.item, universe)})`;
    case 'and': {
      const positive = node.items.filter((n) => n.kind !== 'not');
      const negative = /** @type {Extract<Node, { kind: 'not' }>[]} */ (node.items.filter((n) => n.kind === 'not'));
      const base = positive.length ? positive.map((n) => toMatch(n, universe)).join(' AND ') : universe;
      if (!negative.length) return `(${base})`;
      return `((${base}) NOT (${negative.map((n) => toMatch(n.item, universe)).join(' OR ')}))`;
    }
  }
}

/**
 * The words to highlight in a snippet: those of terms not under a NOT, lower case,
 * diacritics removed (as the index's tokenizer does), split as the tokenizer splits.
 * @param {Node | null} node
 * @returns {string[]}
 */
export function highlightTerms(node) {
  /** @type {Set<string>} */
  const out = new Set();
  /** @param {Node} n */
  const walk = (n) => {
    if (n.kind === 'term') for (const w of words(n.text)) out.add(n.prefix ? `${w}*` : w);
    else if (n.kind === 'and' || n.kind === 'or') n.items.forEach(walk);
  };
  if (node) walk(node);
  return [...out];
}

/**
 * A text's words as the index's tokenizer reads them (unicode61, remove_diacritics 2,
 * tokenchars '_': letters, digits and `_`). @param {string} text
 */
export function words(text) {
  return fold(text).match(WORD) ?? [];
}

/** A word of the index. */
export const WORD = /[\p{L}\p{N}_]+/gu;

/** Lower case, diacritics removed. @param {string} text */
export function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Reads the search box.
 * @param {string} input
 * @returns {Parsed | ParseFailure}
 */
export function parseQuery(input) {
  const direct = CASE_NUMBER_QUERY.exec(input);
  if (direct) return { ok: true, empty: false, caseNumber: String(direct[1]).toUpperCase(), tree: null, terms: [] };
  try {
    const tree = parseTree(input);
    return { ok: true, empty: tree === null, caseNumber: null, tree, terms: highlightTerms(tree) };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, message: error.message, at: error.at };
    throw error;
  }
}

/** Whether a tree's letters are all excluded ones (nothing positive to look up: the universe is read). @param {Node} node @returns {boolean} */
export function onlyExclusions(node) {
  if (node.kind === 'not') return true;
  if (node.kind === 'and') return node.items.every((n) => n.kind === 'not');
  if (node.kind === 'or') return node.items.some(onlyExclusions);
  return false;
}

/**
 * The words a shard must have for the query to match there, as groups: the query can
 * match only if every group has at least one word the shard indexes. A term's first
 * word stands for it; prefixes and excluded words say nothing. Used with the catalog's
 * `terms.years` to skip shards.
 * @param {Node | null} node
 * @returns {string[][]}
 */
export function requiredWords(node) {
  if (!node) return [];
  if (node.kind === 'term') {
    const w = words(node.text);
    return node.prefix || w.length === 0 ? [] : [[String(w[0])]];
  }
  if (node.kind === 'not') return [];
  if (node.kind === 'and') return node.items.flatMap(requiredWords);
  // OR: the shard needs one of the alternatives; only when each alternative requires a single word.
  const alternatives = node.items.map(requiredWords);
  if (alternatives.some((a) => a.length !== 1)) return [];
  return [alternatives.flatMap((a) => a[0] ?? [])];
}

// ---------------------------------------------------------------------------
// Letter ids (the contract of `src/archive/search/`): id = day * 2^30 + yy * 10^7 + n,
// where day is the days from 1970-01-01 to the decision date and the case is CM<yy>-<n>.
// The engine's formula is the source; this copy is tested against it.

const DAY = 2 ** 30;

/** Days from 1970-01-01 to a `YYYY-MM-DD` date. @param {string} date */
export function dayNumber(date) {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** A letter's id. @param {string} date `YYYY-MM-DD` @param {string} caseNumber `CM16-0213037` */
export function letterId(date, caseNumber) {
  const m = /^CM(\d{2})-(\d{7})$/.exec(caseNumber);
  if (!m) throw new Error(`Not a case number: ${caseNumber}`);
  return dayNumber(date) * DAY + Number(m[1]) * 1e7 + Number(m[2]);
}

/**
 * The id range of decisions from `from` to `to` (both included; each `YYYY-MM-DD`,
 * `YYYY-MM` or `YYYY`, or empty for no bound).
 * @param {string} from @param {string} to
 * @returns {{ lo: number, hi: number }}
 */
export function idRange(from, to) {
  const lo = from ? dayNumber(firstDay(from)) * DAY : 0;
  const hi = to ? (dayNumber(lastDay(to)) + 1) * DAY - 1 : Number.MAX_SAFE_INTEGER;
  return { lo, hi };
}

/** A date bound as typed: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a valid date), else null. @param {string} s */
export function normalDate(s) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  if (mo && (Number(mo) < 1 || Number(mo) > 12)) return null;
  if (d) {
    const t = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (t.getUTCMonth() !== Number(mo) - 1 || t.getUTCDate() !== Number(d)) return null;
  }
  return m[0];
}

/** @param {string} s `YYYY[-MM[-DD]]` */
export function firstDay(s) {
  return s.length === 4 ? `${s}-01-01` : s.length === 7 ? `${s}-01` : s;
}

/** @param {string} s `YYYY[-MM[-DD]]` */
export function lastDay(s) {
  if (s.length === 10) return s;
  if (s.length === 4) return `${s}-12-31`;
  const [y = 0, m = 1] = s.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${s}-${String(last).padStart(2, '0')}`;
}
