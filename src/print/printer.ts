/**
 * Printing HTML letters to PDF with one Chromium and a bounded pool of pages.
 *
 * Each letter is loaded from memory at a private origin (`https://letters.imr.invalid/`):
 * the letter's HTML and the fonts it embeds are answered from memory, and every other
 * request is refused and reported, so nothing is fetched from the network while
 * printing.
 */
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import { launchBrowser } from './browser.js';

export const PRINT_ORIGIN = 'https://letters.imr.invalid/';

export interface PrinterOptions {
  /** Pages printing at once (default 2, this machine's cores). */
  pages?: number;
  /** Longest a letter may take to print, in ms (default 60000). */
  timeoutMs?: number;
}

export interface PrintJob {
  /** Path of the HTML under the origin, e.g. `letters/CM16-0213037/v1/CM16-0213037-v1-public.html`. */
  path: string;
  html: string;
  /** Other files the HTML may load, by path under the origin (e.g. `assets/fonts/x.woff2`). */
  files: ReadonlyMap<string, Buffer>;
}

export interface PrintResult {
  pdf: Uint8Array;
  /** Requests that were refused (anything not the letter or its fonts). */
  blocked: string[];
}

interface Slot {
  page: Page;
  job: PrintJob | undefined;
  blocked: string[];
}

export class Printer {
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private readonly free: Slot[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly timeoutMs: number,
  ) {}

  static async start(options: PrinterOptions = {}): Promise<Printer> {
    const browser = await launchBrowser();
    const printer = new Printer(browser, options.timeoutMs ?? 60_000);
    const count = Math.max(1, options.pages ?? 2);
    for (let i = 0; i < count; i++) printer.free.push(await printer.newSlot());
    return printer;
  }

  private async newSlot(): Promise<Slot> {
    const page = await this.browser.newPage();
    const slot: Slot = { page, job: undefined, blocked: [] };
    await page.setRequestInterception(true);
    await page.setJavaScriptEnabled(false);
    await page.emulateMediaType('print');
    page.on('request', (request: HTTPRequest) => {
      void answer(slot, request);
    });
    return slot;
  }

  private acquire(): Promise<Slot> {
    const slot = this.free.pop();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.job = undefined;
    slot.blocked = [];
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  async print(job: PrintJob): Promise<PrintResult> {
    const slot = await this.acquire();
    try {
      slot.job = job;
      slot.blocked = [];
      await slot.page.goto(PRINT_ORIGIN + job.path, { waitUntil: 'load', timeout: this.timeoutMs });
      await slot.page.evaluateHandle('document.fonts.ready');
      const pdf = await slot.page.pdf({
        preferCSSPageSize: true,
        printBackground: true,
        tagged: true,
        outline: true,
        displayHeaderFooter: false,
        timeout: this.timeoutMs,
      });
      return { pdf, blocked: [...slot.blocked] };
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

async function answer(slot: Slot, request: HTTPRequest): Promise<void> {
  const url = request.url();
  const job = slot.job;
  if (job && url.startsWith(PRINT_ORIGIN)) {
    const p = decodeURIComponent(new URL(url).pathname.slice(1));
    if (p === job.path) {
      await request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: job.html }).catch(() => undefined);
      return;
    }
    if (p === 'favicon.ico') {
      await request.respond({ status: 204, body: '' }).catch(() => undefined);
      return;
    }
    const file = job.files.get(p);
    if (file) {
      await request.respond({ status: 200, contentType: p.endsWith('.woff2') ? 'font/woff2' : 'application/octet-stream', body: file }).catch(() => undefined);
      return;
    }
  }
  if (url.startsWith('data:')) {
    await request.continue().catch(() => undefined);
    return;
  }
  slot.blocked.push(url);
  await request.abort('blockedbyclient').catch(() => undefined);
}
