/**
 * What a search costs a reader: each query opened as a search page URL in real Chromium
 * (puppeteer, the project's Chromium), from the project's `serve` on 127.0.0.1 (port 0;
 * sirv answers HTTP Range requests with 206), with a cold cache (a new browser context
 * per query), the bytes from CDP (`Network.loadingFinished.encodedDataLength`: bytes on
 * the wire, headers included).
 *
 * "First page" is the moment the page's script has drawn the first results (its
 * `performance` mark `imr-results`): a request counts towards it when it finished before
 * that moment. The bytes are split into
 *   - `engineBytes`: the engine's code: sql.js-httpvfs (script, worker, wasm) and the
 *     page's search scripts (`assets/*.js`, `*.wasm`);
 *   - `dataBytes`: the search files (`search/search.json` and the databases' chunks);
 *   - `pageBytes`: the HTML and the style sheet;
 * and `settledBytes` is everything (data) once the page is idle (the counts of the
 * filters and the total come after the first page).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type Browser, type CDPSession } from 'puppeteer';
import { loadSiteTemplates } from '../archive/pages.js';
import { facetToken } from '../archive/search/facet-token.js';
import { buildShards, folderEmit, publishSearch } from '../archive/search/index.js';
import type { SearchLetter } from '../archive/search/record.js';
import { searchAssets, searchPageHtml } from '../archive/search-page.js';
import { serve } from '../commands/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../print/browser.js';
import { projectRoot } from './common.js';

/**
 * A search archive without letter pages, at `dir` (`index.html`, `assets/`, `search/`):
 * the search files of `letters` by the engine's writer, the search page from the
 * project's templates. The shard databases stay in `dir/../<name>-work/`. Returns their files by year.
 */
export async function writeSearchOnlyArchive(dir: string, letters: readonly SearchLetter[], root = projectRoot): Promise<Map<number, string>> {
  const work = `${dir.replace(/\/+$/, '')}-work`;
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  const shards = buildShards(work, letters);
  await publishSearch(work, shards, folderEmit(path.join(dir, 'search')));
  const templatesDir = path.join(root, 'templates', 'archive');
  const templates = await loadSiteTemplates(templatesDir);
  const assets = await searchAssets(templatesDir);
  for (const f of assets.files) await writeFile(path.join(dir, f.path), f.data);
  const css = 'assets/archive.css';
  await writeFile(path.join(dir, css), await readFile(path.join(root, 'styles', 'archive.css')));
  await writeFile(path.join(dir, 'index.html'), searchPageHtml(templates, letters.map((l) => l.facets), assets, { css, token: facetToken }));
  return new Map(shards.map((s) => [s.year, s.file]));
}

export interface QueryCost {
  /** The query string of the search page, e.g. `q=pain&sort=relevance`. */
  query: string;
  /** Search data (manifest and chunks) transferred before the first results were drawn. */
  dataBytes: number;
  /** The engine's code (scripts, worker, wasm) transferred before the first results. */
  engineBytes: number;
  /** The page itself (HTML, CSS). */
  pageBytes: number;
  /** Search data once the page is idle (with the counts). */
  settledBytes: number;
  /** Requests of search data before the first results. */
  dataRequests: number;
  /** Databases (catalog, shards) read before the first results. */
  databases: number;
  /** Milliseconds from the navigation's start to the first results drawn. */
  ms: number;
  /** Results on the page. */
  results: number;
  /** What the status line said. */
  status: string;
  /** Every request: path under the archive, bytes, whether it finished before the first results, its method and `Range` header. */
  files: { path: string; bytes: number; first: boolean; method: string; range?: string; /** ms from the navigation's start to its start and its end. */ start: number; end: number }[];
}

interface Finished {
  url: string;
  /** Epoch ms when it was sent. */
  sentAt: number;
  method: string;
  range?: string;
  bytes: number;
  /** Epoch ms when it finished. */
  at: number;
}

const kind = (url: string, base: string): 'data' | 'engine' | 'page' => {
  const rel = url.startsWith(base) ? url.slice(base.length) : url;
  if (rel.startsWith('search/')) return 'data';
  if (/^assets\/.*\.(js|wasm)$/.test(rel)) return 'engine';
  return 'page';
};

/** Opens `?<query>` on a cold browser context and measures it. */
async function measureOne(browser: Browser, base: string, query: string, waitMs: number): Promise<QueryCost> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const done: Finished[] = [];
    const listen = (cdp: CDPSession) => {
      const sent = new Map<string, { url: string; method: string; range?: string; wall: number; mono: number }>();
      cdp.on('Network.requestWillBeSent', (e) => {
        const range = Object.entries(e.request.headers).find(([k]) => k.toLowerCase() === 'range')?.[1];
        sent.set(e.requestId, { url: e.request.url, method: e.request.method, ...(range ? { range } : {}), wall: e.wallTime * 1000, mono: e.timestamp * 1000 });
      });
      cdp.on('Network.loadingFinished', (e) => {
        const s = sent.get(e.requestId);
        // A blob: URL is the page's own memory (the wasm handed to the worker), not a transfer.
        if (s && !s.url.startsWith('blob:')) done.push({ url: s.url, sentAt: s.wall, method: s.method, ...(s.range ? { range: s.range } : {}), bytes: e.encodedDataLength, at: s.wall + (e.timestamp * 1000 - s.mono) });
      });
      return cdp.send('Network.enable');
    };
    // The engine's worker makes its own requests (the wasm, the Range reads): its own session.
    // Enabled as it is reported, before puppeteer lets the paused worker run.
    page.on('workercreated', (w) => void listen(w.client).catch(() => undefined));
    await listen(await page.createCDPSession());
    await page.goto(`${base}${query ? `?${query}` : ''}`);
    await page.waitForFunction(() => performance.getEntriesByName('imr-results').length > 0 || /could not/.test(document.getElementById('status')?.textContent ?? ''), { timeout: waitMs });
    const mark = await page.evaluate(() => {
      const m = performance.getEntriesByName('imr-results')[0];
      return m ? { at: performance.timeOrigin + m.startTime, ms: m.startTime } : null;
    });
    if (!mark) throw new Error(`The search ?${query} could not run: ${await page.$eval('#status', (e) => e.textContent)}`);
    await page.waitForFunction(() => !/…$/.test(document.getElementById('status')?.textContent ?? '…'), { timeout: waitMs });
    await page.waitForNetworkIdle({ idleTime: 300, timeout: waitMs });
    const before = done.filter((f) => f.at <= mark.at + 1);
    const sum = (list: Finished[], k: string) => list.filter((f) => kind(f.url, base) === k).reduce((n, f) => n + f.bytes, 0);
    const outside = done.filter((f) => !f.url.startsWith(new URL(base).origin) && !f.url.startsWith('data:'));
    if (outside.length) throw new Error(`Requests left the local server: ${outside.map((f) => f.url).join(', ')}`);
    return {
      query,
      dataBytes: sum(before, 'data'),
      engineBytes: sum(before, 'engine'),
      pageBytes: sum(before, 'page'),
      settledBytes: sum(done, 'data'),
      dataRequests: before.filter((f) => kind(f.url, base) === 'data').length,
      databases: new Set(before.map((f) => (f.url.startsWith(base) ? f.url.slice(base.length) : '')).filter((p) => /^search\/[^/]+\/\d+$/.test(p)).map((p) => p.split('/')[1])).size,
      ms: Math.round(mark.ms),
      results: await page.$$eval('#results li.result', (l) => l.length),
      status: await page.$eval('#status', (e) => e.textContent ?? ''),
      files: done.map((f) => ({ path: f.url.startsWith(base) ? f.url.slice(base.length) : f.url, bytes: f.bytes, first: f.at <= mark.at + 1, start: Math.round(f.sentAt - (mark.at - mark.ms)), end: Math.round(f.at - (mark.at - mark.ms)), method: f.method, ...(f.range ? { range: f.range } : {}) })),
    };
  } finally {
    await context.close();
  }
}

/**
 * Measures each query (a search page query string: `q=pain`, `q="lumbar spine"`,
 * `category=Pharmaceuticals`, `from=2018-01&to=2018-03`; `''` for the home page) on the
 * archive at `archiveDir` (its `index.html` and `search/`), one after another.
 */
export async function measureQueries(archiveDir: string, queries: readonly string[], options: { waitMs?: number } = {}): Promise<QueryCost[]> {
  const dir = path.resolve(archiveDir);
  const served = await serve({ root: path.dirname(dir), port: 0 });
  const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const base = `${served.url}${encodeURIComponent(path.basename(dir))}/`;
    const out: QueryCost[] = [];
    for (const q of queries) out.push(await measureOne(browser, base, q, options.waitMs ?? 120_000));
    return out;
  } finally {
    await browser.close();
    await served.close();
  }
}

/**
 * `node dist/bench/search-queries.js [--letters N] [QUERY…]`: writes a search-only archive
 * of N generated letters (default 10,000, seed 7) in a temporary folder and prints one
 * JSON line per query (default: the README's queries).
 */
async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--letters');
  const count = at >= 0 ? Number(argv[at + 1]) : 10_000;
  const queries = argv.filter((a, i) => a !== '--letters' && i !== at + 1);
  const { mkdtemp, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const { generatedLetters } = await import('./search-records.js');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-search-queries-'));
  try {
    const dir = path.join(tmp, 'archive');
    await writeSearchOnlyArchive(dir, [...generatedLetters(count, 7)]);
    const defaults = ['', 'q=pain', 'q=oxycodone', 'q=%22lumbar+spine%22', 'q=oxycodone+OR+tramadol+-lumbar', 'category=Pharmaceuticals', 'from=2019-03&to=2019-04', 'q=oxycodone&from=2019-01&to=2019-06&outcome=Upheld', 'q=pain&sort=relevance', 'q=CM17-4931624'];
    for (const cost of await measureQueries(dir, queries.length ? queries : defaults)) console.log(JSON.stringify({ ...cost, files: undefined }));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
