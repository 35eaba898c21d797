/**
 * The statistics and open data pages in a real browser, from a real server (`serve` on
 * an ephemeral port of 127.0.0.1), with JavaScript off: every chart loads as an image,
 * every table is there, axe-core finds no serious or critical violation, and no
 * request leaves 127.0.0.1. The gzip bulk files download as gzip.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { buildArchive } from '../src/archive/index.js';
import { build } from '../src/commands/build.js';
import { serve, type Served } from '../src/commands/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../src/print/browser.js';
import { SLOW, projectInputs, root, setup } from './helpers.js';

let out: string;
let served: Served;
let browser: Browser;
const requested: string[] = [];

setup(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'imr-stats-web-'));
  const cases = path.join(root, 'cases');
  const built = await build({ paths: [cases], out, ...projectInputs, htmlOnly: true, editions: ['public'] });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await buildArchive({ out, cases: [cases], templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
  expect(result.published).toBe(true);
  served = await serve({ root: out, port: 0 });
  browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

async function open(url: string, javaScript: boolean): Promise<Page> {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(javaScript);
  page.on('request', (r) => void requested.push(r.url()));
  await page.setViewport({ width: 1280, height: 900 });
  const response = await page.goto(url, { waitUntil: 'networkidle0' });
  expect(response?.status()).toBe(200);
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.setJavaScriptEnabled(true);
  await page.reload({ waitUntil: 'networkidle0' });
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(async () => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the statistics page in a browser', () => {
  it('shows every chart and its table without JavaScript', async () => {
    const page = await open(`${served.url}archive/statistics/`, false);
    const images = await page.$$eval('figure.chart img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), alt: i.alt, w: (i as HTMLImageElement).naturalWidth, complete: (i as HTMLImageElement).complete })));
    expect(images.length).toBe(8);
    for (const i of images) {
      expect(i.complete && i.w > 0, i.src ?? '').toBe(true);
      expect(i.alt.length).toBeGreaterThan(20);
    }
    // A table after each chart, with a caption and rows.
    const tables = await page.$$eval('section.stat', (sections) => sections.map((s) => ({ caption: s.querySelector('caption')?.textContent ?? '', rows: s.querySelectorAll('tbody tr').length })));
    expect(tables.length).toBe(9);
    for (const t of tables) expect(t.rows, t.caption).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('has an accessible open data page whose links all resolve', async () => {
    const page = await open(`${served.url}archive/data/`, false);
    const links = await page.$$eval('main a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThan(8);
    for (const href of links) {
      const res = await fetch(href, { headers: { 'accept-encoding': 'identity' } });
      expect(res.status, href).toBe(200);
      if (href.endsWith('.gz')) expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 2)]).toEqual([0x1f, 0x8b]);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('requests nothing outside 127.0.0.1', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith(served.url) && !u.startsWith('data:'))).toEqual([]);
  });
});
