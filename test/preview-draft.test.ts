/**
 * The preview shows a draft's DRAFT watermark as the PDF does: across the page, behind
 * the text. Measured on the pixels Chromium paints (the page's screenshot, read back
 * through a canvas), not on the CSS: before, the white page covered the watermark.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { preview } from '../src/commands/preview.js';
import { launchBrowser } from '../src/print/browser.js';
import { projectInputs, root, setup } from './helpers.js';

let dir: string;
let browser: Browser;
setup(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imr-preview-draft-'));
  await mkdir(path.join(dir, 'cases'));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Pixels of the watermark's colour (red over white: red well above green and blue) in the page's first screen. */
async function watermarkPixels(status: 'draft' | 'final'): Promise<{ red: number; hasElement: boolean }> {
  const file = path.join(dir, 'cases', `CM15-0900002-${status}.md`);
  const text = await readFile(path.join(root, 'cases/CM15-0900002.md'), 'utf8');
  await writeFile(file, text.replace(/^status: final$/m, `status: ${status}`));
  const server = await preview({ file, port: 0, templates: projectInputs.templates, styles: projectInputs.styles, config: projectInputs.config });
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 1000, height: 900 });
    await page.goto(`${server.url}&edition=public`, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const hasElement = await page.evaluate(() => document.querySelector('.watermark') !== null);
    const png = await page.screenshot({ encoding: 'base64' });
    const blank = await browser.newPage();
    try {
      const red = await blank.evaluate(async (data: string) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(image, 0, 0);
        const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i]! - px[i + 1]! > 15 && px[i]! - px[i + 2]! > 15) n++;
        return n;
      }, png);
      return { red, hasElement };
    } finally {
      await blank.close();
    }
  } finally {
    await page.close();
    await server.close();
  }
}

describe('preview of a draft', () => {
  it('paints the DRAFT watermark on the page; a final letter has none', async () => {
    const draft = await watermarkPixels('draft');
    const final = await watermarkPixels('final');
    expect(draft.hasElement).toBe(true);
    expect(final.hasElement).toBe(false);
    // The watermark's letters are 120 pt high across the page: tens of thousands of pixels.
    expect(draft.red).toBeGreaterThan(20_000);
    expect(final.red).toBe(0);
  });
});
