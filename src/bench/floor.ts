/**
 * The floor for this design: the same HTML printed by a bare puppeteer loop, one
 * browser and the same number of pages, with nothing else (no check, no render, no
 * metadata, no writing). What the full build costs above this is the price of the rest.
 *
 * Its timer starts before the browser is launched, as the build's does (a build cannot
 * print without starting its browser): both sides pay the browser's start and the opening
 * of its pages. The HTML is read from disk before the timer starts (it is the floor's
 * input; the build makes it).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { launchBrowser } from '../print/browser.js';

/** Prints `rels` (HTML paths under `outDir`) with `pages` pages of one browser; returns the time and PDF bytes. */
export async function bareLoop(outDir: string, rels: readonly string[], fontFiles: ReadonlyMap<string, Buffer>, pages: number): Promise<{ seconds: number; bytes: number }> {
  const html = await Promise.all(rels.map((f) => readFile(path.join(outDir, f), 'utf8')));
  const started = performance.now();
  const browser = await launchBrowser();
  let bytes = 0;
  try {
    const tabs: Page[] = [];
    for (let i = 0; i < pages; i++) {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      const current: { html: string } = { html: '' };
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname.endsWith('.html')) void r.respond({ status: 200, contentType: 'text/html', body: current.html });
        else {
          const font = fontFiles.get(url.pathname.slice(1));
          if (font) void r.respond({ status: 200, contentType: 'font/woff2', body: font });
          else void r.abort();
        }
      });
      tabs.push(Object.assign(page, { current }));
    }
    let next = 0;
    await Promise.all(
      tabs.map(async (page) => {
        const current = (page as Page & { current: { html: string } }).current;
        while (next < html.length) {
          const i = next++;
          current.html = html[i]!;
          await page.goto(`https://letters.imr.invalid/${rels[i]!}`, { waitUntil: 'load' });
          const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
          bytes += pdf.length;
        }
      }),
    );
  } finally {
    await browser.close();
  }
  // The browser's close counted too, as the build's is.
  return { seconds: (performance.now() - started) / 1000, bytes };
}
