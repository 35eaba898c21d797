/**
 * The public archive in a real browser, from a real server: the letters of cases/ built
 * (HTML and PDF) into a temporary folder, the archive written, `serve` on an ephemeral
 * port of 127.0.0.1, and Chromium driven by puppeteer.
 *
 * - before any search the page lists the latest decisions, newest first;
 * - a word found in one letter only lists that letter;
 * - a filter narrows the list, and every group's counts are those the letters' facts give;
 * - the search databases are served in chunk files, read with HTTP Range requests;
 * - browse pages keep their heading levels in order and say "1 decision";
 * - a letter page has its PDF link, and the PDF is served;
 * - axe-core finds no serious or critical violation on the search page or a letter page;
 * - no request leaves 127.0.0.1;
 * - the same from letters imported from the corpus (when the importer exists).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { collectLetters, listedLetters, type ArchiveLetter } from '../src/archive/collect.js';
import { facetsOf, GROUPS } from '../src/archive/facets.js';
import { buildArchive } from '../src/archive/index.js';
import { searchText, splitLetterHtml } from '../src/archive/letter-html.js';
import { excerptOf } from '../src/archive/search/record.js';
import { build } from '../src/build/index.js';
import { serve, type Served } from '../src/commands/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../src/print/browser.js';
import { readManifest } from '../src/publish/manifest.js';
import type { PublicFacts } from '../src/render/facts.js';
import { VERSION } from '../src/cli.js';
import { PAGE_WAIT, projectInputs, root, setup } from './helpers.js';

const generator = `imr-letters ${VERSION}`;
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'dwc-imr-2016-2017', 'pdf');
const importer = path.join(root, 'src', 'commands', 'import.ts');

interface Site {
  out: string;
  served: Served;
  letters: ArchiveLetter[];
  /** The listed letters' search text, by case number. */
  texts: Map<string, string>;
}

const temps: string[] = [];
const sites: Site[] = [];
let browser: Browser;
/** Every URL any page of the browser requested. */
const requested: string[] = [];
/** Errors of the pages' scripts, and errors they logged. */
const pageErrors: string[] = [];

async function makeSite(cases: string, prefix: string, htmlOnly = false): Promise<Site> {
  const out = await mkdtemp(path.join(os.tmpdir(), `imr-archive-web-${prefix}-`));
  temps.push(out);
  const built = await build({
    paths: [cases],
    out,
    ...projectInputs,
    htmlOnly,
    editions: ['public'],
  });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await buildArchive({ out, cases: [cases], templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
  expect(result.leaks).toEqual([]);
  expect(result.published).toBe(true);
  const manifest = await readManifest(out, generator);
  const facts = new Map<string, PublicFacts>();
  for (const l of manifest.letters) {
    const json = l.files.find((f) => f.format === 'json');
    if (json) facts.set(`${l.case} v${l.revision}`, JSON.parse(await readFile(path.join(out, json.path), 'utf8')) as PublicFacts);
  }
  const letters = listedLetters(collectLetters(manifest, (l) => facts.get(`${l.case} v${l.revision}`)));
  const texts = new Map<string, string>();
  for (const l of letters) texts.set(l.case, searchText(splitLetterHtml(await readFile(path.join(out, l.html), 'utf8')).main).toLowerCase());
  const served = await serve({ root: out, port: 0 });
  const site = { out, served, letters, texts };
  sites.push(site);
  return site;
}

/** Alphabetic words of at least 7 letters in one letter only, none sharing its first 6 letters with another letter's words (no stemming is needed, but such words are surely unique). */
function uniqueWords(site: Site): { word: string; caseNumber: string }[] {
  const wordsOf = new Map([...site.texts].map(([c, t]) => [c, new Set(t.match(/[a-z]+/g) ?? [])]));
  const stems = new Map<string, Set<string>>();
  for (const [c, ws] of wordsOf) for (const w of ws) (stems.get(w.slice(0, 6)) ?? stems.set(w.slice(0, 6), new Set()).get(w.slice(0, 6))!).add(c);
  const found: { word: string; caseNumber: string }[] = [];
  for (const [c, ws] of wordsOf) {
    for (const w of [...ws].sort()) if (w.length >= 7 && stems.get(w.slice(0, 6))!.size === 1) found.push({ word: w, caseNumber: c });
  }
  return found.sort((a, b) => (a.word < b.word ? -1 : 1));
}

async function openSearch(site: Site): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(PAGE_WAIT);
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (error) => void pageErrors.push(String(error)));
  page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
  await page.goto(`${site.served.url}archive/`, { waitUntil: 'networkidle0' });
  // The latest decisions are listed before any search.
  await page.waitForFunction(() => /latest decision/.test(document.getElementById('status')?.textContent ?? ''), { timeout: PAGE_WAIT });
  return page;
}

async function search(page: Page, words: string): Promise<string[]> {
  const status = await page.$eval('#status', (e) => e.textContent ?? '');
  await page.click('#q', { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type('#q', words);
  await page.keyboard.press('Enter');
  await page.waitForFunction((before) => {
    const s = document.getElementById('status')?.textContent ?? '';
    return s !== before && / found/.test(s);
  }, { timeout: PAGE_WAIT }, status);
  return resultCases(page);
}

async function resultCases(page: Page): Promise<string[]> {
  // Every result on the page (fewer than a page of them here).
  return page.$$eval('#results li.result h3 a', (links) => links.map((a) => (a.textContent ?? '').replace(/ \(revision \d+\)$/, '')));
}

async function counts(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.$$eval('details.group', (sets) =>
    Object.fromEntries(
      sets.map((s) => [
        (s as HTMLElement).dataset.group!,
        Object.fromEntries(Array.from(s.querySelectorAll<HTMLElement>('span.count'), (c) => [c.dataset.value!, Number((c.textContent ?? '').replace(/,/g, ''))])),
      ]),
    ),
  );
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(async () => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

setup(async () => {
  browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  browser.on('targetcreated', (t) => requested.push(t.url()));
  const origNewPage = browser.newPage.bind(browser);
  browser.newPage = (async (...args: Parameters<Browser['newPage']>) => {
    const page = await origNewPage(...args);
    page.on('request', (r) => requested.push(r.url()));
    return page;
  }) as Browser['newPage'];
});

afterAll(async () => {
  await browser?.close();
  for (const s of sites) await s.served.close();
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('the archive of cases/ in a browser', () => {
  let site: Site;
  setup(async () => {
    site = await makeSite(path.join(root, 'cases'), 'cases');
  });

  it('lists the one letter a word is found in', async () => {
    const candidates = uniqueWords(site);
    // The snippet is the letter's excerpt (its first 600 characters) with the words marked.
    const inExcerpt = ({ word, caseNumber }: { word: string; caseNumber: string }) => ((excerptOf(site.texts.get(caseNumber)!).match(/[a-z]+/g) ?? []) as string[]).includes(word);
    const near = candidates.filter(inExcerpt);
    const far = candidates.filter((c) => !inExcerpt(c));
    expect(near.length).toBeGreaterThan(0);
    const page = await openSearch(site);
    for (const { word, caseNumber } of near.slice(0, 3)) {
      expect(await search(page, word), word).toEqual([caseNumber]);
      const marks = await page.$$eval('#results li.result .snippet mark', (m) => m.map((e) => (e.textContent ?? '').toLowerCase()));
      expect(marks, word).toContain(word);
    }
    // A word only further on: found, and the snippet says where the words are.
    for (const { word, caseNumber } of far.slice(0, 1)) {
      expect(await search(page, word), word).toEqual([caseNumber]);
      expect(await page.$eval('#results li.result .snippet', (p) => p.textContent)).toContain('The words searched for are further on in the decision.');
    }
    await page.close();
  });

  it('narrows with a filter, and counts each value as the letters\' facts say', async () => {
    const facets = new Map(site.letters.map((l) => [l.case, facetsOf(l.facts!)]));
    // A word in most letters, a category some of them have.
    const word = 'guidelines';
    const page = await openSearch(site);
    // Closed groups are counted once opened: open them all.
    expect(await page.$$eval('details.group:not([open])', (d) => d.length)).toBeGreaterThan(0);
    for (const summary of await page.$$('details.group:not([open]) > summary')) await summary.click();
    const all = await search(page, word);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const expected = (base: string[]) => {
      const out: Record<string, Record<string, number>> = {};
      for (const g of GROUPS) {
        out[g.id] = {};
        for (const c of base) for (const v of facets.get(c)![g.id] ?? []) out[g.id]![v] = (out[g.id]![v] ?? 0) + 1;
      }
      return out;
    };
    const check = async (filtered: string[], unfiltered: string[], checkedGroup: string | null) => {
      const shown = await counts(page);
      for (const g of GROUPS) {
        const want = expected(g.id === checkedGroup ? unfiltered : filtered)[g.id]!;
        for (const [v, n] of Object.entries(shown[g.id]!)) expect(n, `${g.id}: ${v}`).toBe(want[v] ?? 0);
      }
    };
    await check(all, all, null);

    const value = 'Pharmaceuticals';
    const box = await page.$(`details[data-group="category"] input[value="${value}"]`);
    const before = await page.$eval('#status', (e) => e.textContent);
    await box!.click();
    await page.waitForFunction((b) => document.getElementById('status')?.textContent !== b && / found/.test(document.getElementById('status')?.textContent ?? ''), { timeout: PAGE_WAIT }, before);
    const narrowed = await resultCases(page);
    const want = all.filter((c) => facets.get(c)!.category!.includes(value));
    expect(narrowed.sort()).toEqual([...want].sort());
    expect(narrowed.length).toBeLessThan(all.length);
    expect(narrowed.length).toBeGreaterThan(0);
    await check(narrowed, all, 'category');
    // A second group narrows further: the letters that also were upheld in full.
    const before2 = await page.$eval('#status', (e) => e.textContent);
    await (await page.$('details[data-group="outcome"] input[value="Upheld"]'))!.click();
    await page.waitForFunction((b) => document.getElementById('status')?.textContent !== b && / found/.test(document.getElementById('status')?.textContent ?? ''), { timeout: PAGE_WAIT }, before2);
    const both = await resultCases(page);
    expect(both.sort()).toEqual(want.filter((c) => facets.get(c)!.outcome!.includes('Upheld')).sort());
    expect(page.url()).toContain('category=Pharmaceuticals');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('opens a letter page with its PDF link, and serves the PDF', async () => {
    const page = await openSearch(site);
    const [first] = await search(page, 'guidelines');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('#results li.result h3 a')]);
    expect(page.url()).toBe(`${site.served.url}archive/letters/${first}/v1/`);
    const href = await page.$eval('a.pdf-link', (a) => a.getAttribute('href'));
    expect(href).toBe(`${first}-v1-public.pdf`);
    const pdf = await page.evaluate(async (h) => {
      const r = await fetch(h!);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
    expect(await page.$eval('h1', (h) => h.textContent)).toContain(first);
    expect(await page.$eval('.letter-body h2', (h) => h.textContent)).toBe('HOW THE IMR FINAL DETERMINATION WAS MADE');
    // The letter's own fonts load from the archive.
    expect(await page.evaluate(() => document.fonts.check('12pt Tinos'))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('lists the latest decisions before any search, and passes axe', async () => {
    const page = await openSearch(site);
    const newestFirst = [...site.letters].sort((a, b) => (a.decisionDate < b.decisionDate ? 1 : a.decisionDate > b.decisionDate ? -1 : b.case < a.case ? -1 : 1)).map((l) => l.case);
    expect(await resultCases(page)).toEqual(newestFirst.slice(0, 10));
    expect(await page.$eval('#results-heading', (h) => h.textContent)).toBe('Latest decisions');
    // "Show more" is offered only while decisions are left to show (never "0 more").
    const more = await page.$eval('#more-results', (b) => ({ hidden: (b as HTMLButtonElement).hidden, text: b.textContent ?? '' }));
    expect(more.hidden).toBe(site.letters.filter((l) => l.current).length <= 10);
    expect(more.text).not.toMatch(/\(0 more\)/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('keeps heading levels in order on the browse pages, and says "1 decision"', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_WAIT);
    const byMonth = new Map<string, number>();
    for (const l of site.letters) byMonth.set(l.decisionDate.slice(0, 7), (byMonth.get(l.decisionDate.slice(0, 7)) ?? 0) + 1);
    const months = [...byMonth.keys()].sort();
    for (const url of ['browse/', ...months.map((m) => `browse/${m}/`)]) {
      await page.goto(`${site.served.url}archive/${url}`, { waitUntil: 'networkidle0' });
      const levels = await page.$$eval('main h1, main h2, main h3, main h4', (hs) => hs.map((h) => Number(h.tagName.slice(1))));
      expect(levels[0], url).toBe(1);
      levels.forEach((l, i) => expect(l - (levels[i - 1] ?? 0), `${url}: heading ${i} (h${l}) after h${levels[i - 1]}`).toBeLessThanOrEqual(1));
      expect(await page.$eval('main', (m) => m.textContent ?? ''), url).not.toMatch(/\b1 decisions\b/);
    }
    // Each month's count as the letters give it, "decision" for one.
    await page.goto(`${site.served.url}archive/browse/`, { waitUntil: 'networkidle0' });
    const listed = await page.$$eval('.month-list .count', (c) => c.map((e) => e.textContent));
    expect(listed).toEqual(months.reverse().map((m) => `${byMonth.get(m)} ${byMonth.get(m) === 1 ? 'decision' : 'decisions'}`));
    expect(listed).toContain('1 decision');
    await page.close();
  });

  it('serves nothing outside out/ and the right content types', async () => {
    const get = async (p: string) => {
      const r = await fetch(`${site.served.url}${p}`, { redirect: 'manual' });
      return [r.status, r.headers.get('content-type')];
    };
    expect(await get('archive/')).toEqual([200, 'text/html; charset=utf-8']);
    expect(await get('archive/search/search.json')).toEqual([200, 'application/json; charset=utf-8']);
    // A database's chunk: raw bytes, read by Range (206 with the part asked for).
    const manifest = JSON.parse(await readFile(path.join(site.out, 'archive', 'search', 'search.json'), 'utf8')) as { catalog: { prefix: string; bytes: number } };
    const chunk = `${site.served.url}archive/search/${manifest.catalog.prefix}000`;
    const part = await fetch(chunk, { headers: { range: 'bytes=0-4095' } });
    expect([part.status, part.headers.get('content-range'), part.headers.get('content-encoding')]).toEqual([206, `bytes 0-4095/${Math.min(manifest.catalog.bytes, 24 * 1024 * 1024)}`, null]);
    expect(Buffer.from(await part.arrayBuffer()).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    expect((await get('archive/letters'))[0]).toBe(301);
    expect((await get(''))[0]).toBe(302);
    for (const bad of ['..%2f..%2fetc%2fpasswd', 'archive/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '.%2e/package.json', 'archive/..%5c..%5cpackage.json']) expect((await get(bad))[0], bad).toBe(404);
  });
});

describe('the archive of letters imported from the corpus', () => {
  it('finds an imported letter by a word of its own', async () => {
    const cases = await mkdtemp(path.join(os.tmpdir(), 'imr-archive-corpus-'));
    temps.push(cases);
    const modulePath = '../src/commands/import.js';
    const { importFiles } = (await import(modulePath)) as { importFiles: (o: { paths: string[]; into: string }) => Promise<{ diagnostics: { severity: string }[] }> };
    const pdfs = ['CM16-0213037', 'CM16-0219557', 'CM16-0228949', 'CM16-0229336'].map((c) => path.join(corpus, `${c}.pdf`));
    const run = await importFiles({ paths: pdfs, into: cases });
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const site = await makeSite(cases, 'corpus');
    expect(site.letters).toHaveLength(4);
    const page = await openSearch(site);
    const { word, caseNumber } = uniqueWords(site)[0]!;
    expect(await search(page, word)).toEqual([caseNumber]);
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('#results li.result h3 a')]);
    expect(await page.$eval('a.pdf-link', (a) => a.getAttribute('href'))).toBe(`${caseNumber}-v1-public.pdf`);
    await page.close();
  });
});

describe('requests', () => {
  it('ran without a script error', () => {
    expect(pageErrors).toEqual([]);
  });

  it('never leave 127.0.0.1', () => {
    expect(requested.length).toBeGreaterThan(20);
    // blob:http://127.0.0.1:…/: the search engine's wasm handed to its worker (the page's memory).
    const outside = requested.filter((u) => u && u !== 'about:blank' && !u.startsWith('data:') && !/^(blob:)?http:\/\/127\.0\.0\.1:\d+\//.test(u));
    expect(outside).toEqual([]);
  });
});
