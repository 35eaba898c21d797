// @ts-check
/**
 * The archive's search page. The search is in the address (`?q=…&from=…&to=…&sort=…&
 * <group>=<value>…&page=…`): every search has a URL, a reload shows the same results,
 * and back/forward step through the searches. Without words, filters or dates the page
 * lists the latest decisions (the catalog's `latest`).
 *
 * Results are newest first (ids ascend with the decision date: `ORDER BY rowid DESC`,
 * shard after shard, newest year first) or by relevance (bm25, each shard's best merged).
 * Ten a page; "Show more" fetches the next ten.
 *
 * Filters: values checked in one group are alternatives (OR), groups combine (AND); each
 * value is its FTS5 token in column `f` (the token is in the page's JSON). A group's
 * counts say how many decisions each of its values would give with the words, the dates
 * and the other groups' filters. They are exact when they can be had cheaply: from the
 * catalog's per-month counts when there are no words and no other group's filter, else
 * from the facets of the matched letters when these can be fetched within `FACET_BUDGET`
 * bytes. Otherwise the group shows the counts of every decision in the dates and says so.
 */
import { fold, idRange, lastDay, normalDate, parseQuery, quote, requiredWords, toMatch, WORD, words } from './query.js';
import { openEngine } from './search-engine.js';

/** @typedef {import('./search-engine.js').Row} Row */
/** @typedef {{ value: string, token: string, count: number }} Value */
/** @typedef {{ id: string, key: string, kind: 'single' | 'multi', values: Value[] }} Group */
/** @typedef {{ manifest: string, client: string, worker: string, wasm: string }} EngineUrls */
/** @typedef {{ engine: EngineUrls, total: number, pageSize: number, latest: number, groups: Group[] }} Data */
/** @typedef {{ q: string, from: string, to: string, sort: 'newest' | 'relevance', selected: Map<string, Set<string>>, pages: number }} State */

/** Bytes a search may read for its counts (the total and the filters'), beyond its first page. */
const COUNT_BUDGET = 40_000;
const FACET_BUDGET = 60_000;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @type {Data} */
const data = JSON.parse($('archive-data').textContent || '{}');
const form = /** @type {HTMLFormElement} */ ($('search'));
const input = /** @type {HTMLInputElement} */ ($('q'));
const fromInput = /** @type {HTMLInputElement} */ ($('from'));
const toInput = /** @type {HTMLInputElement} */ ($('to'));
const sortInput = /** @type {HTMLSelectElement} */ ($('sort'));
const statusLine = $('status');
const problem = $('q-problem');
const heading = $('results-heading');
const list = /** @type {HTMLOListElement} */ ($('results'));
const moreButton = /** @type {HTMLButtonElement} */ ($('more-results'));
const clearButton = /** @type {HTMLButtonElement} */ ($('clear'));
const filtersLink = $('filters-link');

document.documentElement.classList.add('js');

/** @type {Promise<import('./search-engine.js').Engine> | null} */
let enginePromise = null;
/** The engine, opened once (again after a failure, so a later search can retry). */
const engine = () =>
  (enginePromise ??= openEngine(data.engine).catch((error) => {
    enginePromise = null;
    throw error;
  }));

// ---------------------------------------------------------------------------
// State: the form ⇄ the address.

/** @returns {State} */
function formState() {
  /** @type {Map<string, Set<string>>} */
  const selected = new Map();
  for (const box of form.querySelectorAll('input[type=checkbox]:checked')) {
    const b = /** @type {HTMLInputElement} */ (box);
    selected.set(b.name, (selected.get(b.name) ?? new Set()).add(b.value));
  }
  return { q: input.value.trim(), from: fromInput.value.trim(), to: toInput.value.trim(), sort: sortInput.value === 'relevance' ? 'relevance' : 'newest', selected, pages: 1 };
}

/** @param {State} s */
function stateQuery(s) {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.from) params.set('from', s.from);
  if (s.to) params.set('to', s.to);
  if (s.sort === 'relevance') params.set('sort', 'relevance');
  for (const g of data.groups) for (const v of g.values) if (s.selected.get(g.id)?.has(v.value)) params.append(g.id, v.value);
  if (s.pages > 1) params.set('page', String(s.pages));
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/** @returns {State} */
function addressState() {
  const params = new URLSearchParams(location.search);
  /** @type {Map<string, Set<string>>} */
  const selected = new Map();
  for (const g of data.groups) {
    const known = new Set(g.values.map((v) => v.value));
    const chosen = params.getAll(g.id).filter((v) => known.has(v));
    if (chosen.length) selected.set(g.id, new Set(chosen));
  }
  const pages = Math.min(50, Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  return { q: params.get('q') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '', sort: params.get('sort') === 'relevance' ? 'relevance' : 'newest', selected, pages };
}

/** @param {State} s */
function showState(s) {
  input.value = s.q;
  fromInput.value = s.from;
  toInput.value = s.to;
  sortInput.value = s.sort;
  for (const box of form.querySelectorAll('input[type=checkbox]')) {
    const b = /** @type {HTMLInputElement} */ (box);
    b.checked = s.selected.get(b.name)?.has(b.value) ?? false;
    if (b.checked) {
      b.closest('li')?.removeAttribute('hidden');
      b.closest('details')?.setAttribute('open', '');
    }
  }
}

// ---------------------------------------------------------------------------
// The search: a state → FTS5 expressions, ids, rows.

/**
 * @typedef {{ caseNumber: string | null, words: import('./query.js').Node | null, terms: string[], lo: number, hi: number,
 *   filterMatch: (without: string | null) => string | null, match: (year: number, without?: string | null) => string | null, required: string[][], single: string | null }} Plan
 */

/** @param {State} s @returns {Plan | { error: string, field: HTMLInputElement }} */
function plan(s) {
  const parsed = parseQuery(s.q);
  if (!parsed.ok) return { error: parsed.message, field: input };
  const from = s.from ? normalDate(s.from) : '';
  const to = s.to ? normalDate(s.to) : '';
  if (from === null) return { error: `“${s.from}” is not a date: write it as 2016, 2016-05 or 2016-05-31.`, field: fromInput };
  if (to === null) return { error: `“${s.to}” is not a date: write it as 2016, 2016-05 or 2016-05-31.`, field: toInput };
  const { lo, hi } = idRange(from, to);
  if (lo > hi) return { error: `The dates are the wrong way round: “from” ${s.from} is after “to” ${s.to}.`, field: fromInput };
  /** @param {string | null} without */
  const filterMatch = (without) => {
    const parts = [];
    for (const g of data.groups) {
      const chosen = s.selected.get(g.id);
      if (g.id === without || !chosen?.size) continue;
      const tokens = g.values.filter((v) => chosen.has(v.value)).map((v) => `f : ${quote(v.token)}`);
      parts.push(tokens.length === 1 ? tokens[0] : `(${tokens.join(' OR ')})`);
    }
    return parts.length ? parts.join(' AND ') : null;
  };
  const tree = parsed.tree;
  const yearToken = (/** @type {number} */ year) => data.groups.find((g) => g.id === 'year')?.values.find((v) => v.value === String(year))?.token ?? `year_${year}`;
  return {
    caseNumber: parsed.caseNumber,
    words: tree,
    terms: parsed.terms,
    lo,
    hi,
    filterMatch,
    match: (year, without = null) => {
      const f = filterMatch(without);
      const w = tree ? toMatch(tree, `f : ${quote(yearToken(year))}`) : null;
      return w && f ? `${w} AND ${f}` : w ?? f;
    },
    required: requiredWords(tree),
    // One word, no filter, no dates: the catalog knows how many letters have it.
    single: tree?.kind === 'term' && !tree.prefix && words(tree.text).length === 1 && filterMatch(null) === null && !from && !to ? String(words(tree.text)[0]) : null,
  };
}

/** @param {number} n */
const plural = (n, one = 'decision', many = 'decisions') => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * A search's results, fetched a page at a time.
 * @param {import('./search-engine.js').Engine} e @param {Plan} p @param {'newest' | 'relevance'} sort
 */
async function createCursor(e, p, sort) {
  const withWords = e.shardsIn(p.lo, p.hi);
  const years = await e.yearsWith(p.required);
  const shards = withWords.filter((s) => years === null || years.has(s.year));
  /** @type {{ id: number, year: number }[]} */
  const found = [];
  let shardIndex = 0;
  let done = shards.length === 0;
  return {
    shards,
    get done() {
      return done;
    },
    /** The next `n` results (fewer at the end). @param {number} n @returns {Promise<{ id: number, year: number }[]>} */
    async next(n) {
      const start = found.length;
      if (sort === 'relevance' && p.words) {
        // Each shard's best `start + n + 1`, merged: a page past the first asks each again for more.
        const want = start + n + 1;
        /** @type {{ id: number, score: number, year: number }[]} */
        const all = [];
        for (const s of shards) for (const r of await e.relevant(s.year, /** @type {string} */ (p.match(s.year)), p.lo, p.hi, want)) all.push({ ...r, year: s.year });
        all.sort((a, b) => a.score - b.score || b.id - a.id);
        found.push(...all.slice(start, start + n));
        done = all.length <= start + n;
        return found.slice(start);
      }
      while (found.length < start + n && shardIndex < shards.length) {
        const s = shards[shardIndex];
        const last = found.length && found[found.length - 1].year === s.year ? found[found.length - 1].id - 1 : p.hi;
        const need = start + n - found.length;
        const ids = await e.newest(s.year, p.match(s.year), p.lo, last, need + 1);
        found.push(...ids.slice(0, need).map((id) => ({ id, year: s.year })));
        if (ids.length <= need) shardIndex++;
        else break;
      }
      done = shardIndex >= shards.length;
      return found.slice(start);
    },
  };
}

/** @param {import('./search-engine.js').Engine} e @param {{ id: number, year: number }[]} refs @returns {Promise<Row[]>} */
async function rowsOf(e, refs) {
  /** @type {Map<number, Row>} */
  const byId = new Map();
  const years = [...new Set(refs.map((r) => r.year))];
  for (const y of years) for (const row of await e.rows(y, refs.filter((r) => r.year === y).map((r) => r.id))) byId.set(row.id, row);
  return refs.map((r) => byId.get(r.id)).filter((r) => r !== undefined);
}

// ---------------------------------------------------------------------------
// Counts.

/**
 * The number of matches, shard by shard within `COUNT_BUDGET` bytes: exact when every
 * shard was counted, else a lower bound (the shards counted, or the results shown).
 * @param {import('./search-engine.js').Engine} e @param {Plan} p @param {{ year: number }[]} shards @param {number} shown
 * @returns {Promise<{ n: number, exact: boolean }>}
 */
async function total(e, p, shards, shown) {
  let n = 0;
  let counted = 0;
  await e.withBudget(COUNT_BUDGET, async () => {
    for (const s of shards) {
      n += await e.count(s.year, p.match(s.year), p.lo, p.hi);
      counted++;
    }
  });
  return counted === shards.length ? { n, exact: true } : { n: Math.max(n, shown), exact: false };
}

/**
 * Without words, the catalog's per-month counts give the total when the dates are whole
 * months and the filters are values of one group whose letters have one value each.
 * @param {import('./search-engine.js').Engine} e @param {State} s @param {Plan} p
 * @returns {Promise<{ n: number, exact: boolean } | null>}
 */
async function catalogTotal(e, s, p) {
  const range = monthsOf(s);
  const groups = data.groups.filter((g) => s.selected.get(g.id)?.size);
  if (p.words || !range.whole || groups.length > 1 || (groups[0] && groups[0].kind !== 'single')) return null;
  const g = groups[0] ?? /** @type {Group} */ (data.groups.find((x) => x.id === 'outcome'));
  const chosen = s.selected.get(g.id);
  const counts = s.from || s.to ? (await e.monthCounts(range.from, range.to)).filter((r) => r.key === g.id) : g.values.map((v) => ({ value: v.value, n: v.count }));
  return { n: counts.filter((r) => !chosen || chosen.has(r.value)).reduce((n, r) => n + r.n, 0), exact: true };
}

/** The range's months (`YYYY-MM`, first and last) and whether it is whole months. @param {State} s */
function monthsOf(s) {
  const f = s.from ? normalDate(s.from) ?? '' : '';
  const t = s.to ? normalDate(s.to) ?? '' : '';
  return {
    from: !f ? '0000-00' : f.length === 4 ? `${f}-01` : f.slice(0, 7),
    to: !t ? '9999-99' : t.length === 4 ? `${t}-12` : t.slice(0, 7),
    whole: (f.length < 10 || f.endsWith('-01')) && (t.length < 10 || t === lastDay(t.slice(0, 7))),
  };
}

/**
 * Every group's counts and how far they are exact.
 * @param {import('./search-engine.js').Engine} e @param {State} s @param {Plan} p @param {{ year: number }[]} shards
 * @returns {Promise<Record<string, { counts: Map<string, number>, note: string | null }>>}
 */
async function groupCounts(e, s, p, shards) {
  const range = monthsOf(s);
  const dated = Boolean(s.from || s.to);
  /** @type {Map<string, Map<string, number>> | null} */
  let catalog = null;
  const catalogCounts = async () => {
    if (catalog) return catalog;
    catalog = new Map();
    if (!dated) for (const g of data.groups) catalog.set(g.id, new Map(g.values.map((v) => [v.value, v.count])));
    else for (const r of await e.monthCounts(range.from, range.to)) (catalog.get(r.key) ?? catalog.set(r.key, new Map()).get(r.key))?.set(r.value, r.n);
    return catalog;
  };
  /** @type {Map<string, Promise<Map<string, Map<string, number>> | null>>} */
  const exact = new Map();
  /** @param {string | null} without */
  const exactCounts = (without) => {
    const key = p.filterMatch(without) ?? '';
    if (!exact.has(key)) exact.set(key, facetCounts(e, p, shards, without));
    return /** @type {Promise<Map<string, Map<string, number>> | null>} */ (exact.get(key));
  };
  /** @type {Record<string, { counts: Map<string, number>, note: string | null }>} */
  const out = {};
  for (const g of data.groups) {
    const own = s.selected.get(g.id)?.size ? g.id : null;
    const plain = !p.words && p.filterMatch(own) === null;
    if (plain) {
      const c = (await catalogCounts()).get(g.id) ?? new Map();
      out[g.id] = { counts: c, note: range.whole ? null : 'Counts for whole months of the dates.' };
      continue;
    }
    const got = await exactCounts(own);
    if (got) out[g.id] = { counts: got.get(g.id) ?? new Map(), note: null };
    else out[g.id] = { counts: (await catalogCounts()).get(g.id) ?? new Map(), note: `Counts for every decision${dated ? ' in the dates' : ''}, not only those ${p.words ? 'with the words' : 'with the other filters'}: too many to count here.` };
  }
  return out;
}

/**
 * Counts of each group's values over the letters matching the words and the filters but
 * `without`'s, from their facets, when these can be read within `FACET_BUDGET`; else null.
 * @param {import('./search-engine.js').Engine} e @param {Plan} p @param {{ year: number }[]} shards @param {string | null} without
 */
async function facetCounts(e, p, shards, without) {
  return e.withBudget(FACET_BUDGET, async () => {
    /** @type {Map<string, Map<string, number>>} */
    const counts = new Map(data.groups.map((g) => [g.id, new Map()]));
    for (const sh of shards) {
      for (const json of await e.facets(sh.year, p.match(sh.year, without), p.lo, p.hi)) {
        /** @type {Record<string, string[]>} */
        const f = JSON.parse(json);
        for (const [key, values] of Object.entries(f)) {
          const m = counts.get(key);
          if (m) for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
        }
      }
    }
    return counts;
  });
}

/** @param {Record<string, { counts: Map<string, number>, note: string | null }> | null} all null: the archive's, from the page */
function showCounts(all) {
  for (const g of data.groups) {
    const details = form.querySelector(`details[data-group="${g.id}"]`);
    if (!details) continue;
    const these = all?.[g.id];
    for (const v of g.values) {
      const n = these ? these.counts.get(v.value) ?? 0 : v.count;
      const span = /** @type {HTMLElement | null} */ (details.querySelector(`span.count[data-value="${CSS.escape(v.value)}"]`));
      if (!span) continue;
      span.textContent = n.toLocaleString('en-US');
      const li = /** @type {HTMLElement} */ (span.closest('li'));
      const box = /** @type {HTMLInputElement} */ (li.querySelector('input'));
      li.classList.toggle('zero', n === 0 && !box.checked);
    }
    const note = /** @type {HTMLElement | null} */ (details.querySelector('.count-note'));
    if (note) {
      note.textContent = these?.note ?? '';
      note.hidden = !these?.note;
    }
  }
}

// ---------------------------------------------------------------------------
// Drawing.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** @param {string} iso */
function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

/** @param {string} tag @param {string} [className] @param {string} [text] */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The snippet: a window of the excerpt around the first query word, the words marked.
 * @param {string} excerpt @param {string[]} terms lower case, `word*` for a prefix
 * @returns {Node[]}
 */
function snippetNodes(excerpt, terms) {
  const WINDOW = 320;
  const exact = new Set(terms.filter((t) => !t.endsWith('*')));
  const prefixes = terms.filter((t) => t.endsWith('*')).map((t) => t.slice(0, -1));
  const hit = (/** @type {string} */ w) => {
    const f = fold(w);
    return exact.has(f) || prefixes.some((p) => f.startsWith(p));
  };
  const wordRe = WORD;
  let first = -1;
  for (const m of excerpt.matchAll(wordRe)) if (hit(m[0])) { first = m.index ?? 0; break; }
  let start = first < 0 ? 0 : Math.max(0, first - 80);
  if (start > 0) start = excerpt.indexOf(' ', start) + 1 || start;
  let end = Math.min(excerpt.length, start + WINDOW);
  if (end < excerpt.length) end = excerpt.lastIndexOf(' ', end) > start ? excerpt.lastIndexOf(' ', end) : end;
  const text = excerpt.slice(start, end);
  /** @type {Node[]} */
  const nodes = [document.createTextNode(start > 0 ? '…' : '')];
  let at = 0;
  for (const m of text.matchAll(wordRe)) {
    if (!hit(m[0])) continue;
    const i = m.index ?? 0;
    nodes.push(document.createTextNode(text.slice(at, i)), el('mark', undefined, m[0]));
    at = i + m[0].length;
  }
  nodes.push(document.createTextNode(text.slice(at) + (end < excerpt.length ? '…' : '')));
  // The excerpt is the letter's first 600 characters: a word may be only further on.
  if (first < 0 && terms.length) nodes.push(document.createTextNode(' '), el('span', 'snippet-note', '(The words searched for are further on in the decision.)'));
  return nodes;
}

/** @param {Row} d @param {string[]} terms */
function resultItem(d, terms) {
  const li = el('li', 'result');
  const h = el('h3', 'result-title');
  const a = /** @type {HTMLAnchorElement} */ (el('a', undefined, d.title || d.case));
  a.href = d.url;
  h.append(a);
  const line = el('p', 'result-meta');
  const time = /** @type {HTMLTimeElement} */ (el('time', undefined, longDate(d.date)));
  time.dateTime = d.date;
  line.append('Decided ', time, ' · ', el('span', `outcome outcome-${d.outcome.toLowerCase().replace(/[^a-z]+/g, '-')}`, d.outcome));
  li.append(h, line);
  /** @type {[string, string][]} */
  let items = [];
  try {
    items = JSON.parse(d.items || '[]');
  } catch {
    items = [];
  }
  if (items.length) {
    const ul = el('ul', 'result-items');
    // A long letter lists its first items; the page has them all.
    const shownItems = items.length > 6 ? items.slice(0, 5) : items;
    for (const [decision, request] of shownItems) {
      const item = el('li');
      item.append(el('span', 'request', request), ' ', el('span', `decision decision-${decision.toLowerCase()}`, decision));
      ul.append(item);
    }
    if (shownItems.length < items.length) {
      const upheld = items.filter(([x]) => x === 'Upheld').length;
      ul.append(el('li', 'more-items', `and ${items.length - shownItems.length} more items (${upheld} of ${items.length} upheld in all)`));
    }
    li.append(ul);
  }
  if (d.excerpt) {
    const p = el('p', 'snippet');
    p.append(...snippetNodes(d.excerpt, terms));
    li.append(p);
  }
  return li;
}

/** @param {Row[]} rows @param {string[]} terms @param {boolean} focus move the focus to the first new result */
function appendResults(rows, terms, focus) {
  const first = list.children.length;
  for (const r of rows) list.append(resultItem(r, terms));
  if (focus && rows.length) /** @type {HTMLElement | null} */ (list.children[first]?.querySelector('a'))?.focus();
}

/** Marks the moment a search's first results are on the page (`performance` entry `imr-results`, for the bench). */
function marked() {
  if (performance.getEntriesByName('imr-results').length === 0) performance.mark('imr-results');
}

/** @param {string} text */
function say(text) {
  statusLine.textContent = text;
}

// ---------------------------------------------------------------------------
// Running a search.

let generation = 0;
/** @type {{ cursor: Awaited<ReturnType<typeof createCursor>>, terms: string[], state: State, total: number | null } | null} */
let current = null;

/** What was searched, after "N decisions found": ` for “knee”, decided 2016-05 to 2016-06, with 2 filters`. @param {State} s */
function describe(s) {
  const parts = [];
  if (s.from || s.to) parts.push(s.from && s.to ? `decided ${s.from} to ${s.to}` : s.from ? `decided from ${s.from}` : `decided up to ${s.to}`);
  const n = [...s.selected.values()].reduce((k, v) => k + v.size, 0);
  if (n) parts.push(`with ${plural(n, 'filter', 'filters')}`);
  return `${s.q ? ` for “${s.q}”` : ''}${parts.map((p) => `, ${p}`).join('')}`;
}

/** @param {State} s */
async function run(s) {
  const mine = ++generation;
  const checked = [...s.selected.values()].reduce((k, v) => k + v.size, 0);
  clearButton.hidden = checked === 0;
  filtersLink.textContent = checked ? `Filters (${checked} chosen)` : 'Filters';
  problem.hidden = true;
  for (const f of [input, fromInput, toInput]) f.removeAttribute('aria-invalid');
  const p = plan(s);
  if ('error' in p) {
    problem.textContent = p.error;
    problem.hidden = false;
    p.field.setAttribute('aria-invalid', 'true');
    say(`The search could not be read: ${p.error}`);
    return;
  }
  moreButton.hidden = true;
  if (!s.q && !s.from && !s.to && checked === 0) return showLatest(mine, s);
  say('Searching…');
  try {
    const e = await engine();
    if (p.caseNumber) return await showCase(e, p.caseNumber, mine);
    const cursor = await createCursor(e, p, s.sort);
    const refs = await cursor.next(data.pageSize * s.pages);
    const rows = await rowsOf(e, refs);
    if (mine !== generation) return;
    current = { cursor, terms: p.terms, state: s, total: null };
    list.replaceChildren();
    appendResults(rows, p.terms, false);
    marked();
    heading.textContent = s.q ? 'Decisions found' : 'Decisions';
    moreButton.hidden = cursor.done;
    const counted = cursor.done
      ? { n: rows.length, exact: true }
      : p.single !== null && e.docs.has(p.single)
        ? { n: /** @type {number} */ (e.docs.get(p.single)), exact: true }
        : (await catalogTotal(e, s, p)) ?? (await total(e, p, cursor.shards, rows.length));
    if (mine !== generation) return;
    current.total = counted.exact ? counted.n : null;
    const what = counted.exact ? plural(counted.n) : `At least ${plural(counted.n)}`;
    heading.textContent = what;
    say(`${what} found${describe(s)}${s.sort === 'relevance' && s.q ? ', most relevant first' : ', newest first'}.`);
    updateMore();
    showCounts(await groupCounts(e, s, p, cursor.shards));
  } catch (error) {
    if (mine !== generation) return;
    say('The search could not run. Reload the page to try again.');
    console.error(error);
  }
}

function updateMore() {
  if (!current) return;
  const shown = list.children.length;
  // Hidden once every decision is shown, even before the cursor has read past the last one.
  moreButton.hidden = current.cursor.done || (current.total !== null && shown >= current.total);
  const left = current.total === null ? 0 : current.total - shown;
  moreButton.textContent = left > 0 ? `Show more decisions (${left.toLocaleString('en-US')} more)` : 'Show more decisions';
}

/** @param {number} mine @param {State} s */
async function showLatest(mine, s) {
  current = null;
  heading.textContent = 'Latest decisions';
  say('Loading the latest decisions…');
  showCounts(null);
  try {
    const e = await engine();
    const rows = await e.latest(data.latest);
    if (mine !== generation) return;
    list.replaceChildren();
    appendResults(rows, [], false);
    marked();
    say(`The ${plural(rows.length, 'latest decision', 'latest decisions')}, newest first. Type words or choose filters to search all ${plural(data.total)}.`);
    // "Show more" goes on through every decision, newest first (the shards' letters).
    const p = /** @type {Plan} */ (plan(s));
    const all = await createCursor(e, p, 'newest');
    let skipped = false;
    const cursor = {
      shards: all.shards,
      get done() {
        return all.done;
      },
      /** @param {number} n */
      async next(n) {
        if (skipped) return all.next(n);
        skipped = true;
        return (await all.next(rows.length + n)).slice(rows.length);
      },
    };
    current = { cursor, terms: [], state: s, total: data.total };
    updateMore();
    for (let i = 1; i < s.pages && mine === generation; i++) await showMore(false);
  } catch (error) {
    if (mine !== generation) return;
    say('The latest decisions could not be loaded. Reload the page to try again.');
    console.error(error);
  }
}

/** @param {import('./search-engine.js').Engine} e @param {string} caseNumber @param {number} mine */
async function showCase(e, caseNumber, mine) {
  const entry = await e.caseEntry(caseNumber);
  const rows = entry ? await e.rows(entry.year, [entry.id]) : [];
  if (mine !== generation) return;
  current = null;
  list.replaceChildren();
  appendResults(rows, [], false);
  marked();
  heading.textContent = rows.length ? `Case ${caseNumber}` : 'No such case';
  say(rows.length ? `Case ${caseNumber}: 1 decision.` : `No decision has the case number ${caseNumber}.`);
  showCounts(null);
}

async function showMore(focus = true) {
  if (!current) return;
  const mine = generation;
  const e = await engine();
  moreButton.disabled = true;
  try {
    const refs = await current.cursor.next(data.pageSize);
    const rows = await rowsOf(e, refs);
    if (mine !== generation) return;
    appendResults(rows, current.terms, focus);
    current.state.pages = Math.ceil(list.children.length / data.pageSize);
    history.replaceState(null, '', stateQuery(current.state));
    updateMore();
    say(`${plural(list.children.length)} shown${current.total === null ? '' : ` of ${current.total.toLocaleString('en-US')}`}.`);
  } finally {
    moreButton.disabled = false;
  }
}

/**
 * A new search from the form: a new entry in the history, or (while the reader is still
 * typing) the same entry changed, so back does not step through every pause in typing.
 */
function submit(fromTyping = false) {
  const s = formState();
  const url = stateQuery(s);
  if (url !== `${location.pathname}${location.search}`) {
    if (typing) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }
  typing = fromTyping;
  void run(s);
}
let typing = false;

let timer = 0;
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = window.setTimeout(() => submit(true), 400);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  submit();
});
form.addEventListener('change', (event) => {
  const t = /** @type {HTMLElement} */ (event.target);
  if (t.matches('input[type=checkbox], select, #from, #to')) submit();
});
clearButton.addEventListener('click', () => {
  for (const box of form.querySelectorAll('input[type=checkbox]:checked')) /** @type {HTMLInputElement} */ (box).checked = false;
  submit();
  input.focus();
});
moreButton.addEventListener('click', () => void showMore());
window.addEventListener('popstate', () => {
  const s = addressState();
  showState(s);
  void run(s);
});
for (const button of form.querySelectorAll('button.more')) {
  button.addEventListener('click', () => {
    const b = /** @type {HTMLButtonElement} */ (button);
    const open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', String(open));
    const ul = document.getElementById(b.getAttribute('aria-controls') ?? '');
    for (const li of ul?.querySelectorAll('li[data-more]') ?? []) {
      const checked = /** @type {HTMLInputElement | null} */ (li.querySelector('input'))?.checked;
      /** @type {HTMLElement} */ (li).hidden = !open && !checked;
    }
    b.textContent = open ? 'Show fewer' : `Show ${b.dataset.more} more`;
  });
}

const initial = addressState();
showState(initial);
void run(initial);
