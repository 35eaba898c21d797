// @ts-check
/**
 * The archive's search page: full-text search with Pagefind's browser API, filters as
 * checkboxes with a count per value, results with their items and a snippet. Loaded
 * from the same origin only; no other request is made.
 *
 * Filters: values checked in one group are alternatives (any of them); groups combine
 * (all of them). A group's counts say how many decisions each of its values would give
 * with the words and the other groups' filters, so they do not drop to 0 when a
 * neighbour in the same group is checked.
 *
 * Some groups read a Pagefind filter that stores only part of the values (see
 * `src/archive/facets.ts`): each value carries the stored values ("atoms") it stands
 * for, and the most common value of such a filter is "none of the stored ones".
 *
 * Pagefind downloads a filter's data when a search names it. A search names the
 * filters of the open groups and of the groups with a checked value (an open group
 * with nothing checked by a filter that excludes nothing), so a closed group costs
 * nothing until it is opened; until a search runs, the counts are the archive's
 * totals, written in the page.
 */

/** @typedef {{ value: string, atoms: string[], count: number }} Value */
/** @typedef {{ id: string, key: string, kind: 'single' | 'multi', values: Value[] }} Group */
/** @typedef {{ key: string, implicit: string, stored: string[] }} Implicit */
/** @typedef {{ pagefind: string, total: number, pageSize: number, groups: Group[], implicit: Implicit[] }} Data */
/** @typedef {{ results: any[], counts: Record<string, Record<string, number>>, total: number }} Outcome */

const dataElement = /** @type {HTMLScriptElement} */ (document.getElementById('archive-data'));
/** @type {Data} */
const data = JSON.parse(dataElement.textContent || '{}');
const form = /** @type {HTMLFormElement} */ (document.getElementById('search'));
const input = /** @type {HTMLInputElement} */ (document.getElementById('q'));
const statusLine = /** @type {HTMLElement} */ (document.getElementById('status'));
const heading = /** @type {HTMLElement} */ (document.getElementById('results-heading'));
const list = /** @type {HTMLOListElement} */ (document.getElementById('results'));
const moreButton = /** @type {HTMLButtonElement} */ (document.getElementById('more-results'));
const clearButton = /** @type {HTMLButtonElement} */ (document.getElementById('clear'));

document.documentElement.classList.add('js');

/** @type {any} */
let pagefind;
async function loadPagefind() {
  if (!pagefind) {
    pagefind = await import(new URL(data.pagefind, document.baseURI).href);
    // On the page's own thread: every request is the page's, and there is one file less.
    await pagefind.options({ noWorker: true, excerptLength: 36 });
  }
  return pagefind;
}

/** @returns {Map<string, Set<string>>} the checked values of each group */
function selection() {
  /** @type {Map<string, Set<string>>} */
  const selected = new Map();
  for (const box of form.querySelectorAll('input[type=checkbox]:checked')) {
    const b = /** @type {HTMLInputElement} */ (box);
    const set = selected.get(b.name) ?? new Set();
    set.add(b.value);
    selected.set(b.name, set);
  }
  return selected;
}

/** A filter value no letter has: naming a filter with it loads its data and excludes nothing. */
const NOTHING = '\u0000';

/** @param {Map<string, Set<string>>} selected @returns {Set<string>} the filters whose counts are wanted */
function wantedKeys(selected) {
  const keys = new Set();
  for (const g of data.groups) {
    const details = /** @type {HTMLDetailsElement | null} */ (form.querySelector(`details[data-group="${g.id}"]`));
    if (details?.open || (selected.get(g.id)?.size ?? 0) > 0) keys.add(g.key);
  }
  return keys;
}

/**
 * Pagefind filters for the checked values, leaving out one group (for its counts).
 * @param {Map<string, Set<string>>} selected
 * @param {string | null} without
 * @param {Set<string>} wanted filters to load for their counts
 * @returns {{ filters: Record<string, any>, impossible: boolean }}
 */
function filtersFor(selected, without, wanted) {
  /** @type {Map<string, Set<string>>} */
  const any = new Map();
  /** @type {Map<string, Set<string>>} */
  const allowed = new Map();
  for (const g of data.groups) {
    const chosen = selected.get(g.id);
    if (g.id === without || !chosen || chosen.size === 0) continue;
    const atoms = new Set(g.values.filter((v) => chosen.has(v.value)).flatMap((v) => v.atoms));
    if (g.kind === 'multi') any.set(g.key, new Set([...(any.get(g.key) ?? []), ...atoms]));
    else {
      const before = allowed.get(g.key);
      allowed.set(g.key, before ? new Set([...before].filter((a) => atoms.has(a))) : atoms);
    }
  }
  /** @type {Record<string, any>} */
  const filters = {};
  let impossible = false;
  for (const [key, values] of any) filters[key] = { any: [...values] };
  for (const [key, atoms] of allowed) {
    const implicit = data.implicit.find((k) => k.key === key);
    if (atoms.size === 0) impossible = true;
    else if (implicit && atoms.has(implicit.implicit)) {
      const none = implicit.stored.filter((v) => !atoms.has(v));
      if (none.length) filters[key] = { none };
    } else filters[key] = { any: [...atoms].filter((a) => !implicit || a !== implicit.implicit) };
  }
  for (const key of wanted) if (!(key in filters)) filters[key] = { none: [NOTHING] };
  return { filters, impossible };
}

/**
 * @param {string | null} term
 * @param {{ filters: Record<string, any>, impossible: boolean }} f
 * @returns {Promise<Outcome>}
 */
async function run(term, f) {
  if (f.impossible) return { results: [], counts: {}, total: 0 };
  const pf = await loadPagefind();
  const search = await pf.search(term, { filters: f.filters });
  return { results: search.results, counts: search.filters ?? {}, total: search.results.length };
}

/**
 * A group's counts from a search that leaves the group's own filter out.
 * @param {Group} g
 * @param {Outcome} o
 */
function groupCounts(g, o) {
  const stored = o.counts[g.key] ?? {};
  const implicit = data.implicit.find((k) => k.key === g.key);
  /** @param {string} atom */
  const atomCount = (atom) => {
    if (implicit && atom === implicit.implicit) return o.total - implicit.stored.reduce((n, v) => n + (stored[v] ?? 0), 0);
    return stored[atom] ?? 0;
  };
  /** @type {Record<string, number>} */
  const counts = {};
  for (const v of g.values) counts[v.value] = g.kind === 'single' ? v.atoms.reduce((n, a) => n + atomCount(a), 0) : atomCount(v.value);
  return counts;
}

/** @param {Record<string, Record<string, number>> | null} counts null: the whole archive's (a group left out: not counted) */
function showCounts(counts) {
  for (const g of data.groups) {
    const details = form.querySelector(`details[data-group="${g.id}"]`);
    if (!details) continue;
    const these = counts ? counts[g.id] : undefined;
    for (const v of g.values) {
      const n = counts ? these?.[v.value] : v.count;
      const span = /** @type {HTMLElement | null} */ (details.querySelector(`span.count[data-value="${CSS.escape(v.value)}"]`));
      if (!span) continue;
      span.textContent = n === undefined ? '…' : String(n);
      const li = /** @type {HTMLElement} */ (span.closest('li'));
      const box = /** @type {HTMLInputElement} */ (li.querySelector('input'));
      li.classList.toggle('zero', n === 0 && !box.checked);
    }
  }
}

let generation = 0;
/** @type {any[]} */
let current = [];
let shown = 0;

async function update() {
  const mine = ++generation;
  const term = input.value.trim() || null;
  const selected = selection();
  const checkedCount = [...selected.values()].reduce((n, s) => n + s.size, 0);
  clearButton.hidden = checkedCount === 0;
  saveState(term, selected);
  if (term === null && checkedCount === 0) {
    current = [];
    list.replaceChildren();
    moreButton.hidden = true;
    heading.textContent = 'Decisions';
    statusLine.textContent = 'Type words or choose filters to list decisions.';
    showCounts(null);
    return;
  }
  statusLine.textContent = 'Searching…';
  try {
    const wanted = wantedKeys(selected);
    const main = await run(term, filtersFor(selected, null, wanted));
    /** @type {Record<string, Record<string, number>>} */
    const counts = {};
    for (const g of data.groups) {
      if (!wanted.has(g.key)) continue;
      const chosen = selected.get(g.id);
      const o = chosen && chosen.size ? await run(term, filtersFor(selected, g.id, wanted)) : main;
      counts[g.id] = groupCounts(g, o);
    }
    if (mine !== generation) return;
    current = main.results;
    shown = 0;
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    // Counts and status once the first results are on the page.
    showCounts(counts);
    const n = main.total;
    const what = `${n} decision${n === 1 ? '' : 's'}`;
    heading.textContent = what;
    const words = term ? ` for “${term}”` : '';
    const filters = checkedCount ? ` with ${checkedCount} filter${checkedCount === 1 ? '' : 's'}` : '';
    statusLine.textContent = `${what} found${words}${filters}.`;
  } catch (error) {
    if (mine !== generation) return;
    statusLine.textContent = 'The search could not run. Reload the page to try again.';
    console.error(error);
  }
}

/** @param {number} mine */
async function showMore(mine) {
  const batch = current.slice(shown, shown + data.pageSize);
  const details = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  const first = shown;
  for (const d of details) list.append(resultItem(d));
  shown += batch.length;
  moreButton.hidden = shown >= current.length;
  moreButton.textContent = `Show more decisions (${current.length - shown} more)`;
  if (first > 0) {
    const link = /** @type {HTMLElement | null} */ (list.children[first]?.querySelector('a'));
    link?.focus();
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** @param {string} iso */
function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Pagefind's excerpt as nodes: its text, with only `<mark>` kept. @param {string} html */
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  /** @type {Node[]} */
  const nodes = [];
  for (const n of doc.body.firstChild?.childNodes ?? []) {
    if (n.nodeName === 'MARK') nodes.push(el('mark', undefined, n.textContent ?? ''));
    else nodes.push(document.createTextNode(n.textContent ?? ''));
  }
  return nodes;
}

/** @param {any} d a result's data */
function resultItem(d) {
  const meta = d.meta ?? {};
  const li = el('li', 'result');
  const h = el('h3', 'result-title');
  const a = /** @type {HTMLAnchorElement} */ (el('a', undefined, meta.title ?? d.url));
  a.href = d.url;
  h.append(a);
  const line = el('p', 'result-meta');
  const time = /** @type {HTMLTimeElement} */ (el('time', undefined, meta.date ? longDate(meta.date) : ''));
  if (meta.date) time.dateTime = meta.date;
  const outcome = el('span', `outcome outcome-${(meta.outcome ?? '').toLowerCase().replace(/[^a-z]+/g, '-')}`, meta.outcome ?? '');
  line.append('Decided ', time, ' · ', outcome);
  li.append(h, line);
  /** @type {[string, string][]} */
  let items = [];
  try {
    items = JSON.parse(meta.items ?? '[]');
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
      const upheld = items.filter(([d]) => d === 'Upheld').length;
      ul.append(el('li', 'more-items', `and ${items.length - shownItems.length} more items (${upheld} of ${items.length} upheld in all)`));
    }
    li.append(ul);
  }
  if (d.excerpt) {
    const p = el('p', 'snippet');
    p.append('…', ...excerptNodes(d.excerpt), '…');
    li.append(p);
  }
  return li;
}

/** The search in the address, so it can be shared and comes back with the back button. */
/** @param {string | null} term @param {Map<string, Set<string>>} selected */
function saveState(term, selected) {
  const params = new URLSearchParams();
  if (term) params.set('q', term);
  for (const g of data.groups) for (const v of selected.get(g.id) ?? []) params.append(g.id, v);
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
}

function restoreState() {
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  for (const box of form.querySelectorAll('input[type=checkbox]')) {
    const b = /** @type {HTMLInputElement} */ (box);
    b.checked = params.getAll(b.name).includes(b.value);
    if (b.checked) {
      b.closest('li')?.removeAttribute('hidden');
      b.closest('details')?.setAttribute('open', '');
    }
  }
}

let timer = 0;
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = window.setTimeout(update, 250);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  void update();
});
form.addEventListener('change', (event) => {
  if (/** @type {HTMLElement} */ (event.target).matches('input[type=checkbox]')) void update();
});
clearButton.addEventListener('click', () => {
  for (const box of form.querySelectorAll('input[type=checkbox]:checked')) /** @type {HTMLInputElement} */ (box).checked = false;
  void update();
  input.focus();
});
moreButton.addEventListener('click', () => void showMore(generation));
for (const details of form.querySelectorAll('details.group')) {
  // An opened group gets its counts for the current search.
  details.addEventListener('toggle', () => {
    if (/** @type {HTMLDetailsElement} */ (details).open && (input.value.trim() || form.querySelector('input[type=checkbox]:checked'))) void update();
  });
}
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

restoreState();
if (input.value || form.querySelector('input[type=checkbox]:checked')) void update();
