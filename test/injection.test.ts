/**
 * Case text is data: hostile strings in every free-text field of a case never run as
 * script in the built letters (opened with JavaScript on) or in the public archive
 * (letter page, search results), checked in real Chromium against a real local server.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build/index.js';
import { buildArchive } from '../src/commands/archive.js';
import { serve } from '../src/commands/serve.js';
import { preview } from '../src/commands/preview.js';
import { checkSource } from '../src/check/index.js';
import { CHROMIUM_ARGS, findChromium } from '../src/print/browser.js';
import { PAGE_WAIT, SLOW, projectInputs, root, setup } from './helpers.js';

const PAYLOADS = [
  '<script>window.__pwned="script"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '"><svg onload="window.__pwned=\'svg\'">',
  "{{constructor.constructor('window.__pwned=1')()}}",
  '</style><script>window.__pwned="style"</script>',
];
const hostile = PAYLOADS.join(' ');

let dir: string;
let out: string;
let browser: Browser;
let stop: () => Promise<void>;
let base: string;

setup(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imr-inject-'));
  out = path.join(dir, 'out');
  const yaml = (s: string) => JSON.stringify(s);
  let text = await readFile(path.join(root, 'cases/CM16-0233904.md'), 'utf8');
  text = text
    .replace('request: "Baclofen 100mg #30"', `request: ${yaml(`Baclofen ${hostile}`)}`)
    .replace('specialties: [Family Practice]', `specialties: [${yaml(`Family Practice ${hostile}`)}]`)
    .replace(/- mtus: "Chronic Pain Medical Treatment 2016, Section\(s\): Muscle relaxants \(for pain\)"\n {4}imroGuideline/, `- text: ${yaml(hostile)}\n    imroGuideline`)
    .replace('name: Example D. Claimant', `name: ${yaml(`Example D. Claimant ${hostile}`)}`)
    // In the body, Markdown entities decode to these characters as text.
    .replace('# Rationale: baclofen\n', `# Rationale: baclofen\n\n&lt;script&gt;window.__pwned="entity"&lt;/script&gt; *emphasis* ${PAYLOADS[3]}\n`);
  const checked = checkSource({ file: 'hostile.md', text });
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await writeFile(path.join(dir, 'hostile.md'), text);
  const result = await build({
    paths: [path.join(dir, 'hostile.md')],
    out,
    ...projectInputs,
    htmlOnly: true,
  });
  expect(result.letters.map((l) => l.state)).toEqual(['built']);
  const archived = await buildArchive({ out, cases: [path.join(dir, 'hostile.md')] });
  expect(archived.published).toBe(true);
  const served = await serve({ root: out, port: 0 });
  stop = served.close;
  base = served.url;
  browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await stop?.();
  await rm(dir, { recursive: true, force: true });
});

async function pwned(url: string, after?: (page: import('puppeteer').Page) => Promise<void>, waitUntil: 'networkidle0' | 'load' = 'networkidle0'): Promise<{ pwned: unknown; dialogs: number; text: string }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(PAGE_WAIT);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(url, { waitUntil });
  if (waitUntil === 'load') await new Promise((r) => setTimeout(r, 500)); // the preview keeps an event stream open
  if (after) await after(page);
  const result = { pwned: await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), dialogs, text: await page.evaluate(() => document.body.innerText) };
  await page.close();
  return result;
}

describe('injected script', () => {
  it('never runs in the built letters, and shows as text', async () => {
    for (const edition of ['letter', 'public']) {
      const r = await pwned(`${base}letters/CM16-0233904/v1/CM16-0233904-v1-${edition}.html`);
      expect(r.pwned, edition).toBeUndefined();
      expect(r.dialogs).toBe(0);
      expect(r.text).toContain('<script>window.__pwned="script"</script>');
      expect(r.text).toContain('<script>window.__pwned="entity"</script>');
    }
  }, SLOW);

  it('never runs in the archive: letter page and search results', async () => {
    const letter = await pwned(`${base}archive/letters/CM16-0233904/v1/`);
    expect(letter.pwned).toBeUndefined();
    expect(letter.text).toContain('onerror=');
    const search = await pwned(`${base}archive/`, async (page) => {
      await page.type('#q', 'Baclofen');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.body.innerText.includes('CM16-0233904'), { timeout: PAGE_WAIT });
    });
    expect(search.pwned).toBeUndefined();
    expect(search.dialogs).toBe(0);
  }, SLOW);
});

describe('injected script in the live preview', () => {
  it('never runs, neither in the letter nor on the error page that quotes the source', async () => {
    const cfg = { config: path.join(root, 'imr-letters.config.yaml'), templates: path.join(root, 'templates'), styles: path.join(root, 'styles'), port: 0, log: () => undefined };
    const good = await preview({ ...cfg, file: path.join(dir, 'hostile.md') });
    try {
      const r = await pwned(good.url, undefined, 'load');
      expect(r.pwned).toBeUndefined();
      expect(r.dialogs).toBe(0);
      expect(r.text).toContain('<script>window.__pwned="script"</script>');
    } finally {
      await good.close();
    }
    // A case whose check fails: the page shows the offending source lines instead.
    const badFile = path.join(dir, 'bad', 'hostile-bad.md');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(badFile), { recursive: true });
    const text = (await readFile(path.join(dir, 'hostile.md'), 'utf8')).replace('# Rationale: baclofen\n', `# Rationale: baclofen\n\n${PAYLOADS[0]} ${PAYLOADS[1]}\n`).replace('status: final', `status: ${JSON.stringify(PAYLOADS[2])}`);
    await writeFile(badFile, text);
    const bad = await preview({ ...cfg, file: badFile });
    try {
      const r = await pwned(bad.url, undefined, 'load');
      expect(r.text).toMatch(/raw-html|bad-enum/);
      expect(r.text).toContain('<script>window.__pwned="script"</script>');
      expect(r.pwned).toBeUndefined();
      expect(r.dialogs).toBe(0);
    } finally {
      await bad.close();
    }
  }, SLOW);
});
