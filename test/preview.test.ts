/**
 * `imr-letters preview` with a real browser: the letter is served on 127.0.0.1, and
 * saving the case file, a template or a style reloads the page with the change; a check
 * error shows the problems at their lines instead of the letter. Each step measures
 * the time from the save to the change in the page (printed, and bounded at 1 s).
 *
 * The project (templates, styles, configuration, one case) is copied to a temporary
 * folder, so the test can edit it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../src/print/browser.js';
import { preview, type PreviewServer } from '../src/commands/preview.js';
import { PAGE_WAIT, root, setup } from './helpers.js';

const CASE = 'CM15-0900002';

let dir: string;
let file: string;
let server: PreviewServer;
let browser: Browser;
let page: Page;
const latencies: Record<string, number> = {};

const inDir = (...p: string[]) => path.join(dir, ...p);

/** Saves `text` as an editor does (a new file renamed over the old), returning the time of the save. */
function save(target: string, text: string): number {
  const tmp = `${target}.tmp-save`;
  writeFileSync(tmp, text);
  renameSync(tmp, target);
  return performance.now();
}

async function until(what: string, saved: number, predicate: string): Promise<number> {
  await page.waitForFunction(predicate, { timeout: PAGE_WAIT, polling: 10 });
  const ms = Math.round(performance.now() - saved);
  latencies[what] = ms;
  return ms;
}

async function live(): Promise<void> {
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-preview-live'), { timeout: PAGE_WAIT });
}

setup(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'imr-letters-preview-'));
  cpSync(path.join(root, 'templates'), inDir('templates'), { recursive: true });
  cpSync(path.join(root, 'styles'), inDir('styles'), { recursive: true });
  cpSync(path.join(root, 'imr-letters.config.yaml'), inDir('imr-letters.config.yaml'));
  mkdirSync(inDir('cases'));
  file = inDir('cases', `${CASE}.md`);
  cpSync(path.join(root, 'cases', `${CASE}.md`), file);
  server = await preview({ file, port: 0, templates: inDir('templates'), styles: inDir('styles'), config: inDir('imr-letters.config.yaml') });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.setDefaultTimeout(PAGE_WAIT);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (Object.keys(latencies).length) console.log(`preview: save → page changed, in ms: ${JSON.stringify(latencies)}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('imr-letters preview', () => {
  it('serves the letter on 127.0.0.1, the mailed letter first, the public edition a click away', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?file=/);
    await page.goto(server.url);
    await live();
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('Independent Medical Review Final Determination'); // the cover of the mailed letter
    expect(text).toContain('CLINICAL CASE SUMMARY');
    // Fonts come from the renderer's assets.
    expect(await page.evaluate(() => document.fonts.check('12pt Tinos'))).toBe(true);
    await Promise.all([page.waitForNavigation(), page.click('#imr-preview a[href*="edition=public"]')]);
    await live();
    expect(await page.evaluate(() => document.body.className)).toContain('edition-public');
    expect(await page.evaluate(() => document.body.innerText)).toContain('Case Number:');
  });

  it('reloads on saving the case, keeping the scroll position', async () => {
    await page.evaluate(() => scrollTo(0, 500));
    const before = readFileSync(file, 'utf8');
    expect(before).toContain('several months along with MS Contin');
    const saved = save(file, before.replace('several months along with MS Contin', 'eleven months along with MS Contin'));
    await until('case', saved, "document.body.innerText.includes('eleven months along with MS Contin')");
    await live();
    await page.waitForFunction(() => scrollY > 0, { timeout: PAGE_WAIT });
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(400);
  });

  it('shows check errors at their lines, with the source, instead of the letter; and the letter again once fixed', async () => {
    const good = readFileSync(file, 'utf8');
    const lines = good.split('\n');
    const line = lines.findIndex((l) => l.startsWith('    decision: Upheld')) + 1;
    expect(line).toBeGreaterThan(0);
    const saved = save(file, good.replace('    decision: Upheld', '    decision: upheld'));
    await until('error', saved, "document.querySelector('.diagnostic[data-rule=\"bad-enum\"]') !== null");
    const shown = await page.evaluate(() => ({
      title: document.querySelector('h1')?.textContent,
      where: document.querySelector('.diagnostic .where')?.textContent,
      message: document.querySelector('.diagnostic')?.textContent,
      hit: document.querySelector('.diagnostic pre.source .line.hit')?.textContent,
      marked: document.querySelector('.diagnostic pre.source mark')?.textContent,
      letter: document.body.innerText.includes('CLINICAL CASE SUMMARY'),
    }));
    expect(shown.title).toBe(`1 error in ${file}`);
    expect(shown.where).toBe(`${file}:${line}:15`);
    expect(shown.message).toContain('did you mean `Upheld`?');
    expect(shown.hit).toBe(`${line}    decision: upheld`);
    expect(shown.marked).toBe('upheld');
    expect(shown.letter).toBe(false);

    await live();
    const fixed = save(file, good);
    await until('fixed', fixed, "document.body.innerText.includes('CLINICAL CASE SUMMARY')");
  });

  it('reloads when a template is saved', async () => {
    await live();
    const partial = inDir('templates', 'partials', 'summary.hbs');
    const source = readFileSync(partial, 'utf8');
    expect(source).toContain('based on a review of the case file');
    const saved = save(partial, source.replace('based on a review of the case file', 'based on a careful review of the case file'));
    await until('template', saved, "document.body.innerText.includes('based on a careful review of the case file')");
  });

  it('reloads when a style is saved', async () => {
    await live();
    const css = inDir('styles', 'letter.css');
    // The section headings: h2 in the mailed letter, h1 in the public edition (issue 16).
    const saved = save(css, `${readFileSync(css, 'utf8')}\nh1, h2 { color: rgb(1, 2, 3); }\n`);
    await until('style', saved, "getComputedStyle(document.querySelector('h1, h2')).color === 'rgb(1, 2, 3)'");
  });

  it('shows a template error instead of the letter, and recovers', async () => {
    await live();
    const partial = inDir('templates', 'partials', 'summary.hbs');
    const source = readFileSync(partial, 'utf8');
    const saved = save(partial, `${source}{{#if}}`);
    await until('template-error', saved, "document.body.classList.contains('preview-errors')");
    expect(await page.evaluate(() => document.querySelector('h1')?.textContent)).toBe('The letter cannot be rendered');
    expect(await page.evaluate(() => document.querySelector('.detail')?.textContent ?? '')).toMatch(/Parse error on line \d+/);
    await live();
    const fixed = save(partial, source);
    await until('template-fixed', fixed, "document.body.innerText.includes('CLINICAL CASE SUMMARY')");
  });

  it('serves nothing but the letter, its fonts and the events', async () => {
    const base = server.url.replace(/\?.*$/, '');
    expect((await fetch(`${base}etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}?file=${encodeURIComponent('/etc/passwd')}`)).status).toBe(200);
    expect(await (await fetch(`${base}?file=${encodeURIComponent('/etc/passwd')}`)).text()).toContain('Not a case file of this project');
    expect((await fetch(`${base}assets/fonts/nothing.woff2`)).status).toBe(404);
    expect((await fetch(base, { method: 'POST' })).status).toBe(405);
  });
});
