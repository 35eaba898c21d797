/**
 * What a search costs with today's Pagefind bundle (the bench's comparison): a minimal
 * page that loads `pagefind/pagefind.js`, searches, and loads the first page of results
 * (10 fragments), as the archive's search page did before issue 13. Real Chromium, the
 * project's `serve` on 127.0.0.1 (port 0), a new browser context per query (cold cache),
 * bytes on the wire from CDP. A date range is the months it covers (Pagefind filters are
 * exact values); the per-year variant searches every year's bundle and merges (`mergeIndex`).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type CDPSession } from 'puppeteer';
import { serve } from '../commands/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../print/browser.js';

export interface PagefindQuery {
  label: string;
  /** Words (or null: filters only). */
  term: string | null;
  filters?: Record<string, string | { any: string[] }>;
}

export interface PagefindCost {
  label: string;
  /** The index's data (entry, metadata, index, filter and fragment chunks). */
  bytes: number;
  /** Pagefind's code and the page (pagefind.js, its worker, the WebAssembly). */
  engineBytes: number;
  ms: number;
  results: number;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>pagefind</title><script type="module">
const q = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const base = new URL('./pagefind/', location.href).pathname;
const pf = await import(base + (q.years.length ? q.years[0] + '/' : '') + 'pagefind.js');
await pf.options({ basePath: base + (q.years.length ? q.years[0] + '/' : '') });
for (const y of q.years.slice(1)) await pf.mergeIndex(base + y + '/');
const r = await pf.search(q.term, { filters: q.filters ?? {} });
const first = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
window.done = { results: r.results.length, shown: first.length, ms: performance.now() };
</script>`;

export async function measurePagefind(dir: string, queries: readonly PagefindQuery[], years: readonly string[] = []): Promise<PagefindCost[]> {
  await writeFile(path.join(dir, 'pagefind.html'), PAGE);
  const served = await serve({ root: path.dirname(path.resolve(dir)), port: 0 });
  const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const out: PagefindCost[] = [];
    for (const q of queries) {
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => void errors.push(String((e as Error).message ?? e)));
        page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
        let bytes = 0;
        let engine = 0;
        const listen = (cdp: CDPSession) => {
          const urls = new Map<string, string>();
          cdp.on('Network.requestWillBeSent', (e) => void urls.set(e.requestId, e.request.url));
          cdp.on('Network.loadingFinished', (e) => {
            // Pagefind's code: its scripts and WebAssembly; the rest is the index's data.
            if (/\/(pagefind(-worker)?\.js|wasm\.[a-z]+\.pagefind|pagefind\.html)(\?|#|$)/.test(urls.get(e.requestId) ?? '')) engine += e.encodedDataLength;
            else bytes += e.encodedDataLength;
          });
          return cdp.send('Network.enable');
        };
        // Pagefind's worker fetches the index: its own session, as the search page's bench does.
        page.on('workercreated', (w) => void listen(w.client).catch(() => undefined));
        await listen(await page.createCDPSession());
        const hash = encodeURIComponent(JSON.stringify({ term: q.term, filters: q.filters, years }));
        await page.goto(`${served.url}${path.basename(path.resolve(dir))}/pagefind.html#${hash}`);
        await page.waitForFunction('window.done', { timeout: 300_000 }).catch((e: unknown) => {
          throw new Error(`Pagefind's search did not finish: ${errors.join('; ') || (e as Error).message}`);
        });
        const done = (await page.evaluate('window.done')) as { results: number; ms: number };
        await page.waitForNetworkIdle({ idleTime: 300, timeout: 120_000 }).catch(() => undefined);
        out.push({ label: q.label, bytes, engineBytes: engine, ms: done.ms, results: done.results });
      } finally {
        await context.close();
      }
    }
    return out;
  } finally {
    await browser.close();
    await served.close();
  }
}
