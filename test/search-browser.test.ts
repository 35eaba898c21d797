/**
 * The search page on a 10,000-letter search archive, in real Chromium against the
 * project's `serve` (a real local server, port 0): records of generated letters written
 * by the engine's writer (`src/archive/search/`) into `search/` (the databases in chunk files), the search page
 * from the archive's templates and assets (no letter pages: the search needs none).
 *
 * Every expectation is computed in Node from the records themselves (their words,
 * dates and facets), or for relevance by SQLite (better-sqlite3) on the same database
 * files: never from the page's own output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { GROUPS } from '../src/archive/facets.js';
import { serve, type Served } from '../src/commands/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../src/print/browser.js';
import { letterId } from '../src/archive/search/ids.js';
import { excerptOf, type SearchLetter } from '../src/archive/search/record.js';
import { generatedLetters } from '../src/bench/search-records.js';
import { measureQueries, writeSearchOnlyArchive } from '../src/bench/search-queries.js';
import { PAGE_SIZE } from '../src/archive/search/sqlite.js';
import { PAGE_WAIT, setup } from './helpers.js';

const LETTERS = 10_000;

interface Rec extends SearchLetter {
  id: number;
  excerpt: string;
  words: Set<string>;
  /** The body's words in order, for phrases. */
  sequence: string;
}

let dir: string;
let served: Served;
let browser: Browser;
let records: Rec[];
let dbFiles: Map<number, string>;
const pageErrors: string[] = [];
const outside: string[] = [];

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const tokens = (s: string): string[] => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];

setup(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imr-search-browser-'));
  const raw = [...generatedLetters(LETTERS, 7)];
  dbFiles = await writeSearchOnlyArchive(path.join(dir, 'archive'), raw);
  records = raw.map((r) => {
    const t = tokens(r.body);
    return { ...r, id: letterId(r.date, r.case), excerpt: excerptOf(r.body), words: new Set(t), sequence: ` ${t.join(' ')} ` };
  });
  records.sort((a, b) => b.id - a.id);
  served = await serve({ root: dir, port: 0 });
  browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(query = '', width = 1280): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(PAGE_WAIT);
  await page.setViewport({ width, height: 900 });
  page.on('pageerror', (e) => void pageErrors.push(String(e)));
  page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
  // The engine's wasm reaches its worker as a blob: URL of this page (its own memory, not a request out).
  page.on('request', (r) => void (!r.url().startsWith(served.url) && !r.url().startsWith(`blob:${served.url}`) && !r.url().startsWith('data:') && outside.push(r.url())));
  await page.goto(`${served.url}archive/${query}`);
  await settled(page);
  return page;
}

/** Waits for the status line to say what was found (or that nothing could run). */
async function settled(page: Page, before = ''): Promise<string> {
  await page.waitForFunction(
    (b) => {
      const s = document.getElementById('status')?.textContent ?? '';
      return s !== b && !/…$/.test(s) && s !== '';
    },
    { timeout: PAGE_WAIT },
    before,
  );
  // The counts follow the results: wait until the page is idle.
  await page.waitForNetworkIdle({ idleTime: 200 });
  return page.$eval('#status', (e) => e.textContent ?? '');
}

async function shown(page: Page): Promise<string[]> {
  return page.$$eval('#results li.result h3 a', (links) => links.map((a) => a.textContent ?? ''));
}

/** The cases matching `keep`, newest first. */
const newest = (keep: (r: Rec) => boolean, n = 10) => records.filter(keep).slice(0, n).map((r) => r.case);
const has = (w: string) => (r: Rec) => r.words.has(w);
const phrase = (p: string) => (r: Rec) => r.sequence.includes(` ${tokens(p).join(' ')} `);

/** Words in about `lo`–`hi` of the letters, most common first. */
function wordsIn(lo: number, hi: number): string[] {
  const df = new Map<string, number>();
  for (const r of records) for (const w of r.words) df.set(w, (df.get(w) ?? 0) + 1);
  return [...df].filter(([w, n]) => n >= lo && n <= hi && /^[a-z]{5,}$/.test(w)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
}

/** Types a search into the box and waits for its results. */
async function search(page: Page, q: string): Promise<string[]> {
  const before = await page.$eval('#status', (e) => e.textContent ?? '');
  await page.$eval('#q', (e) => void ((e as HTMLInputElement).value = ''));
  await page.type('#q', q);
  await page.keyboard.press('Enter');
  await settled(page, before);
  return shown(page);
}

type Shown = Record<string, { counts: Record<string, number>; note: string }>;
async function counts(page: Page): Promise<Shown> {
  return page.$$eval('details.group', (sets) =>
    Object.fromEntries(
      sets.map((s) => [
        (s as HTMLElement).dataset.group!,
        {
          counts: Object.fromEntries(Array.from(s.querySelectorAll<HTMLElement>('span.count'), (c) => [c.dataset.value!, Number((c.textContent ?? '').replace(/,/g, ''))])),
          note: (s.querySelector('.count-note') as HTMLElement | null)?.hidden ? '' : (s.querySelector('.count-note')?.textContent ?? ''),
        },
      ]),
    ),
  );
}

/** Each group's counts over the letters `keep` gives when `without`'s filter is left out. */
function expectedCounts(keep: (r: Rec, without: string | null) => boolean, selectedGroups: string[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const g of GROUPS) {
    const c: Record<string, number> = {};
    const without = selectedGroups.includes(g.id) ? g.id : null;
    for (const r of records) if (keep(r, without)) for (const v of r.facets[g.id] ?? []) c[v] = (c[v] ?? 0) + 1;
    out[g.id] = c;
  }
  return out;
}

/** The page's counts: a group without a note has exactly `exact`'s; one with a note has `wide`'s (every letter in the dates). */
function checkCounts(got: Shown, exact: Record<string, Record<string, number>>, wide: Record<string, Record<string, number>>): { exact: number; noted: number } {
  let e = 0;
  let n = 0;
  for (const g of GROUPS) {
    const want = got[g.id]!.note ? wide[g.id]! : exact[g.id]!;
    if (got[g.id]!.note) n++;
    else e++;
    for (const [v, count] of Object.entries(got[g.id]!.counts)) expect(count, `${g.id}: ${v}${got[g.id]!.note ? ' (noted)' : ''}`).toBe(want[v] ?? 0);
  }
  return { exact: e, noted: n };
}

const inRange = (from: string, to: string) => (r: Rec) => r.date >= from && r.date <= to;
const all = () => true;

/** The same search in Node, by SQLite on the same database files: bm25 order, best first, merged over the shards. */
function relevance(match: string, n = 10): string[] {
  const hits: { id: number; score: number }[] = [];
  for (const [year, file] of dbFiles) {
    const db = new Database(file, { readonly: true });
    hits.push(...(db.prepare('SELECT rowid AS id, rank AS score FROM text WHERE text MATCH ? ORDER BY rank LIMIT ?').all(match, n) as { id: number; score: number }[]));
    db.close();
  }
  hits.sort((a, b) => a.score - b.score || b.id - a.id);
  const byId = new Map(records.map((r) => [r.id, r.case]));
  return hits.slice(0, n).map((h) => byId.get(h.id)!);
}

describe('the search page on 10,000 letters', () => {
  it('lists the latest decisions before any search', async () => {
    const page = await open();
    expect(await shown(page)).toEqual(records.slice(0, 10).map((r) => r.case));
    expect(await page.$eval('#results-heading', (h) => h.textContent)).toBe('Latest decisions');
    // Before a search, the counts are the archive's.
    checkCounts(await counts(page), expectedCounts(all, []), expectedCounts(all, []));
    // More: on through every decision, newest first.
    await page.click('#more-results');
    await page.waitForFunction(() => document.querySelectorAll('#results li.result').length === 20);
    expect(await shown(page)).toEqual(records.slice(0, 20).map((r) => r.case));
    await page.close();
  });

  it('finds a word, newest first, with its exact count, snippets marked and a URL', async () => {
    const page = await open();
    const word = wordsIn(100, 400)[0]!;
    expect(await search(page, word)).toEqual(newest(has(word)));
    const total = records.filter(has(word)).length;
    expect(await page.$eval('#status', (e) => e.textContent)).toContain(`${total.toLocaleString('en-US')} decisions found for “${word}”`);
    expect(new URL(page.url()).searchParams.get('q')).toBe(word);
    // Snippets: the word marked wherever the excerpt has it.
    const marks = await page.$$eval('#results li.result', (items) => items.map((li) => Array.from(li.querySelectorAll('.snippet mark'), (m) => m.textContent ?? '')));
    const inExcerpt = newest(has(word)).map((c) => tokens(records.find((r) => r.case === c)!.excerpt).includes(word));
    expect(inExcerpt.some(Boolean)).toBe(true);
    marks.forEach((m, i) => {
      if (inExcerpt[i]) expect(m.length, `result ${i}`).toBeGreaterThan(0);
      for (const t of m) expect(fold(t)).toBe(word);
    });
    // Counts: exact, or (too many letters to fetch their facets) every letter's, and saying so.
    const wide = checkCounts(await counts(page), expectedCounts(has(word), []), expectedCounts(all, []));
    expect(wide.exact + wide.noted).toBe(GROUPS.length);
    await page.close();
    // A month of it: few enough letters to count exactly.
    const month = records.find(has(word))!.date.slice(0, 7);
    const inMonth = (r: Rec) => has(word)(r) && r.date.startsWith(month);
    const narrow = await open(`?q=${word}&from=${month}&to=${month}`);
    expect(await shown(narrow)).toEqual(newest(inMonth));
    expect(records.filter(inMonth).length).toBeGreaterThan(0);
    expect(checkCounts(await counts(narrow), expectedCounts(inMonth, []), expectedCounts(all, []))).toEqual({ exact: GROUPS.length, noted: 0 });
    await narrow.close();
  });

  it('gives the same results at the same URL, fetches the next page, and steps back and forward', async () => {
    const word = wordsIn(3000, 6000)[0]!;
    const page = await open(`?q=${word}`);
    expect(await shown(page)).toEqual(newest(has(word)));
    const before = await page.$eval('#status', (e) => e.textContent ?? '');
    await page.click('#more-results');
    await page.waitForFunction((n) => document.querySelectorAll('#results li.result').length === n, {}, 20);
    expect(await shown(page)).toEqual(newest(has(word), 20));
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await page.reload();
    await settled(page);
    expect(await shown(page)).toEqual(newest(has(word), 20));
    // A second search, then back to the first and forward again.
    const other = wordsIn(100, 400)[1]!;
    expect(await search(page, other)).toEqual(newest(has(other)));
    const status = await page.$eval('#status', (e) => e.textContent ?? '');
    await page.goBack();
    await settled(page, status);
    expect(await shown(page)).toEqual(newest(has(word), 20));
    expect(await page.$eval('#q', (e) => (e as HTMLInputElement).value)).toBe(word);
    const back = await page.$eval('#status', (e) => e.textContent ?? '');
    await page.goForward();
    await settled(page, back);
    expect(await shown(page)).toEqual(newest(has(other)));
    await page.close();
  });

  it('ranks by relevance on request', async () => {
    const word = wordsIn(500, 1500)[0]!;
    const page = await open(`?q=${word}`);
    const before = await page.$eval('#status', (e) => e.textContent ?? '');
    await page.select('#sort', 'relevance');
    const status = await settled(page, before);
    expect(status).toContain('most relevant first');
    const want = relevance(`body : "${word}"`);
    expect(want).not.toEqual(newest(has(word)));
    expect(await shown(page)).toEqual(want);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('relevance');
    await page.close();
  });

  it('keeps to a decision-date range, with counts for the range', async () => {
    const word = wordsIn(3000, 6000)[1]!;
    const from = records[Math.floor(records.length / 2)]!.date.slice(0, 7);
    const to = `${from}-20`;
    const page = await open(`?q=${word}&from=${from}&to=${to}`);
    const keep = (r: Rec) => has(word)(r) && inRange(`${from}-01`, to)(r);
    expect(await shown(page)).toEqual(newest(keep));
    expect(records.filter(keep).length).toBeGreaterThan(10);
    expect(await page.$eval('#status', (e) => e.textContent)).toContain(`${records.filter(keep).length} decisions found for “${word}”, decided ${from} to ${to}`);
    await page.close();
    // Without words: every letter of the range, counts from the catalog (for whole months).
    const dates = await open(`?from=${from}&to=${from}`);
    const month = (r: Rec) => r.date.startsWith(from);
    expect(await shown(dates)).toEqual(newest(month));
    // Its total from the catalog's counts, exact.
    expect(await dates.$eval('#status', (e) => e.textContent)).toContain(`${records.filter(month).length} decisions found, decided ${from} to ${from}`);
    const c = await counts(dates);
    checkCounts(c, expectedCounts(month, []), expectedCounts(month, []));
    for (const g of GROUPS) expect(c[g.id]!.note).toBe('');
    await dates.close();
  });

  it('reads phrases, OR, NOT, the minus sign and parentheses', async () => {
    const page = await open();
    const [a, b] = ['lumbar', 'spine'];
    const p = phrase(`${a} ${b}`);
    const both = (r: Rec) => has(a)(r) && has(b)(r);
    expect(records.filter(p).length).toBeLessThan(records.filter(both).length);
    expect(await search(page, `"${a} ${b}"`)).toEqual(newest(p));
    expect(await search(page, `${a} ${b}`)).toEqual(newest(both));
    const [x, y] = wordsIn(100, 400);
    expect(await search(page, `${x} OR ${y}`)).toEqual(newest((r) => has(x!)(r) || has(y!)(r)));
    const notA = (r: Rec) => has(x!)(r) && !has(a)(r);
    expect(newest(notA)).not.toEqual(newest(has(x!)));
    expect(await search(page, `${x} NOT ${a}`)).toEqual(newest(notA));
    expect(await search(page, `${x} -${a}`)).toEqual(newest(notA));
    expect(await search(page, `(${x} OR ${y}) ${a}`)).toEqual(newest((r) => (has(x!)(r) || has(y!)(r)) && has(a)(r)));
    expect(await search(page, `-${a} -${x}`)).toEqual(newest((r) => !has(a)(r) && !has(x!)(r)));
    // A query that cannot be read says why, and where.
    const before = await page.$eval('#status', (e) => e.textContent ?? '');
    await page.$eval('#q', (e) => void ((e as HTMLInputElement).value = ''));
    await page.type('#q', `${x} "${a}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => document.getElementById('status')?.textContent !== b, {}, before);
    expect(await page.$eval('#q-problem', (e) => [(e as HTMLElement).hidden, e.textContent])).toEqual([false, `Unbalanced quote: the phrase that starts at character ${x!.length + 2} has no closing ". Add one, or remove the opening one.`]);
    await page.close();
  });

  it('goes straight to a decision by its case number', async () => {
    const page = await open();
    const target = records[4321]!;
    expect(await search(page, target.case.toLowerCase())).toEqual([target.case]);
    expect(await page.$eval('#results-heading', (h) => h.textContent)).toBe(`Case ${target.case}`);
    expect(await search(page, 'CM99-0000001')).toEqual([]);
    expect(await page.$eval('#status', (e) => e.textContent)).toBe('No decision has the case number CM99-0000001.');
    await page.close();
  });

  it('narrows by every filter group, with counts', async () => {
    const word = wordsIn(500, 1500)[2]!;
    let exactGroups = 0;
    for (const g of GROUPS) {
      // A value some, not all, of the word's letters have.
      const withWord = records.filter(has(word));
      const values = [...new Set(withWord.flatMap((r) => r.facets[g.id] ?? []))].sort();
      const value = values.find((v) => {
        const n = withWord.filter((r) => r.facets[g.id]!.includes(v)).length;
        return n > 0 && n < withWord.length;
      });
      expect(value, g.id).toBeDefined();
      const page = await open(`?q=${word}`);
      const before = await page.$eval('#status', (e) => e.textContent ?? '');
      await page.$eval(`details[data-group="${g.id}"]`, (d) => void ((d as HTMLDetailsElement).open = true));
      const box = await page.$(`details[data-group="${g.id}"] input[value="${value}"]`);
      await box!.evaluate((b) => (b.closest('li') as HTMLElement).removeAttribute('hidden'));
      await box!.click();
      await settled(page, before);
      const keep = (r: Rec, without: string | null) => has(word)(r) && (without === g.id || r.facets[g.id]!.includes(value!));
      expect(await shown(page), `${g.id}: ${value}`).toEqual(newest((r) => keep(r, null)));
      expect(new URL(page.url()).searchParams.getAll(g.id)).toEqual([value]);
      const result = checkCounts(await counts(page), expectedCounts(keep, [g.id]), expectedCounts(all, []));
      exactGroups += result.exact;
      await page.close();
    }
    // Some counts were exact (small matched sets), and the rest said they were not.
    expect(exactGroups).toBeGreaterThan(0);
  });

  it('combines groups, and counts a filter-only search from the catalog', async () => {
    const page = await open('?outcome=Overturned&priority=Expedited');
    const keep = (r: Rec, without: string | null) => (without === 'outcome' || r.facets.outcome!.includes('Overturned')) && (without === 'priority' || r.facets.priority!.includes('Expedited'));
    expect(await shown(page)).toEqual(newest((r) => keep(r, null)));
    checkCounts(await counts(page), expectedCounts(keep, ['outcome', 'priority']), expectedCounts(all, []));
    await page.close();
    const one = await open('?category=Pharmaceuticals');
    const c = await counts(one);
    // The checked group's own counts need no other filter: exact, from the catalog.
    expect(c.category!.note).toBe('');
    checkCounts(c, expectedCounts((r, w) => w === 'category' || r.facets.category!.includes('Pharmaceuticals'), ['category']), expectedCounts(all, []));
    await one.close();
  });

  it('shows the results first on a phone', async () => {
    const word = wordsIn(100, 400)[0]!;
    const page = await open(`?q=${word}`, 375);
    const top = (sel: string) => page.$eval(sel, (e) => e.getBoundingClientRect().top + window.scrollY);
    const results = await top('#results li.result');
    expect(results).toBeLessThan(await top('#filters'));
    expect(results).toBeLessThan(900);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await page.close();
  });
});

describe('measureQueries', () => {
  it('counts the engine\'s and the data\'s bytes of a cold search, the worker\'s requests included', async () => {
    const word = wordsIn(100, 400)[0]!;
    const [cost] = await measureQueries(path.join(dir, 'archive'), [`q=${word}`]);
    expect(cost!.results).toBe(10);
    expect(cost!.status).toContain(`${records.filter(has(word)).length} decisions found`);
    // The wasm (fetched by the worker) is the engine's; the chunks (read by the worker, by Range) are data.
    expect(cost!.files.some((f) => /^assets\/sql-wasm-[0-9a-f]{10}\.wasm$/.test(f.path) && f.first && f.bytes > 300_000)).toBe(true);
    expect(cost!.files.filter((f) => /^search\/\d{4}-[0-9a-f]{10}\/\d{3}$/.test(f.path) && f.first).length).toBeGreaterThan(3);
    expect(cost!.engineBytes).toBeGreaterThan(300_000);
    expect(cost!.dataBytes).toBe(cost!.files.filter((f) => f.first && f.path.startsWith('search/')).reduce((n, f) => n + f.bytes, 0));
    expect(cost!.dataRequests).toBeGreaterThan(3);
    expect(cost!.settledBytes).toBeGreaterThanOrEqual(cost!.dataBytes);
    // The worker's script is engine code too (the page fetches it with the wasm).
    expect(cost!.files.some((f) => /^assets\/sqlite-worker-[0-9a-f]{10}\.js$/.test(f.path) && f.first)).toBe(true);
    // A shard is read a page a request (no read-ahead), but for its first pages (header, schema,
    // roots) in one request from byte 0; no HEAD (its length is in the manifest).
    const shardReads = cost!.files.filter((f) => /^search\/\d{4}-[0-9a-f]{10}\/\d{3}$/.test(f.path));
    expect(shardReads.filter((f) => f.method !== 'GET')).toEqual([]);
    for (const f of shardReads) {
      const [, from, to] = /^bytes=(\d+)-(\d+)$/.exec(f.range ?? '')!.map(Number) as [number, number, number];
      expect(from === 0 || to - from + 1 === PAGE_SIZE, `${f.path} ${f.range}`).toBe(true);
    }
    expect(shardReads.filter((f) => f.range?.startsWith('bytes=0-')).length).toBe(new Set(shardReads.map((f) => f.path.split('/')[1])).size);
    expect(cost!.databases).toBeGreaterThanOrEqual(2);
  });
});

describe('requests', () => {
  it('ran without a script error and stayed on 127.0.0.1', () => {
    expect(pageErrors).toEqual([]);
    expect(outside).toEqual([]);
  });
});

