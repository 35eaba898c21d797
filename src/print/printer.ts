/**
 * Printing HTML letters to PDF with one Chromium and a bounded pool of pages.
 *
 * Each letter is loaded from memory at a private origin (`https://letters.imr.invalid/`):
 * the letter's HTML and the fonts it embeds are answered from memory, and every other
 * request is refused and reported, so nothing is fetched from the network while
 * printing. A browser that crashes or hangs is restarted and the letter tried once more.
 */
import os from 'node:os';
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import { launchBrowser } from './browser.js';
import { BrowserError, ImrError } from '../errors.js';
import { measureOverflow, type Overflow } from './overflow.js';

export const PRINT_ORIGIN = 'https://letters.imr.invalid/';

export interface PrinterOptions {
  /** Pages printing at once (default: the machine's cores, `os.availableParallelism()`). */
  pages?: number;
  /** Longest a letter may take to load and print, in ms (default 60000). */
  timeoutMs?: number;
  /** Starts the browser (default `launchBrowser`); tests pass their own to inject faults. */
  launch?: () => Promise<Browser>;
}

export interface PrintJob {
  /** Path of the HTML under the origin, e.g. `letters/CM16-0213037/v1/CM16-0213037-v1-public.html`. */
  path: string;
  html: string;
  /** Other files the HTML may load, by path under the origin (e.g. `assets/fonts/x.woff2`). */
  files: ReadonlyMap<string, Buffer>;
  /** Measure first whether any text would not fit its page, and if so not print (default false; see `./overflow.ts`). */
  measureFit?: boolean;
}

export interface PrintResult {
  /** Empty when `overflow` is not: a letter that does not fit is not printed. */
  pdf: Uint8Array;
  /** Words that would not fit the page (Chromium would shrink the pages and clip them). */
  overflow: Overflow[];
  /** Requests that were refused (anything not the letter or its fonts). */
  blocked: string[];
  /** How many times the browser was restarted for this letter (0 or 1). */
  restarts: number;
}

/** A letter that could not be printed, even after a browser restart. */
export class PrintError extends ImrError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('PrintError', message, options);
  }
}

interface Slot {
  page: Page;
  generation: number;
  job: PrintJob | undefined;
  blocked: string[];
}

/** How many times a browser is started before the printer gives up (its pages failed each time). */
const OPEN_ATTEMPTS = 3;

export class Printer {
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private free: Slot[] = [];
  private browser: Browser | undefined;
  private generation = 0;
  private restarting: Promise<void> | undefined;
  private closed = false;
  /** Browser restarts since the printer started. */
  restarts = 0;

  private constructor(
    private readonly count: number,
    private readonly timeoutMs: number,
    private readonly launch: () => Promise<Browser>,
  ) {}

  static async start(options: PrinterOptions = {}): Promise<Printer> {
    const count = Math.max(1, options.pages ?? os.availableParallelism());
    const printer = new Printer(count, options.timeoutMs ?? 60_000, options.launch ?? launchBrowser);
    await printer.open();
    return printer;
  }

  /**
   * Starts a browser and its pages; the slots of an earlier browser become stale. A browser
   * that dies while its pages are being made (killed, crashed) is replaced, up to
   * `OPEN_ATTEMPTS` times, before the printer gives up with a `BrowserError`.
   */
  private async open(): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      let browser: Browser | undefined;
      try {
        browser = await this.launch();
        const generation = this.generation + 1;
        const slots: Slot[] = [];
        for (let i = 0; i < this.count; i++) slots.push(await this.newSlot(browser, generation));
        this.browser = browser;
        this.generation = generation;
        this.free = slots;
        // Hand fresh slots to whoever waited while the browser restarted.
        while (this.waiting.length && this.free.length) this.waiting.shift()!(this.free.pop()!);
        return;
      } catch (error) {
        lastError = error;
        await browser?.close().catch(() => undefined);
        browser?.process()?.kill('SIGKILL');
      }
    }
    throw new BrowserError(`Chromium could not be started with its ${this.count} pages (${OPEN_ATTEMPTS} tries)`, { cause: lastError });
  }

  private async newSlot(browser: Browser, generation: number): Promise<Slot> {
    const page = await browser.newPage();
    const slot: Slot = { page, generation, job: undefined, blocked: [] };
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
    if (slot.generation !== this.generation) return; // a page of a browser that was replaced
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  /** Replaces the browser once, however many letters noticed it had failed. */
  private restart(generation: number): Promise<void> {
    if (generation !== this.generation) return this.restarting ?? Promise.resolve();
    if (!this.restarting) {
      const old = this.browser;
      this.restarts++;
      // The pages of the failed browser are no use: letters wait for the new browser's pages.
      this.free = [];
      this.restarting = (async () => {
        await old?.close().catch(() => undefined);
        if (old?.process()) old.process()!.kill('SIGKILL');
        await this.open();
      })().finally(() => {
        this.restarting = undefined;
      });
    }
    return this.restarting;
  }

  private async attempt(job: PrintJob): Promise<{ pdf: Uint8Array; blocked: string[]; overflow: Overflow[] }> {
    const slot = await this.acquire();
    let healthy = true;
    try {
      slot.job = job;
      slot.blocked = [];
      const printed = await withTimeout(
        (async () => {
          await slot.page.goto(PRINT_ORIGIN + job.path, { waitUntil: 'load', timeout: this.timeoutMs });
          // The fonts are waited for by the measure (one round trip for both) or here.
          const overflow = job.measureFit ? await measureOverflow(slot.page, { fonts: true }) : (await slot.page.evaluate('document.fonts.ready.then(() => true)'), []);
          if (overflow.length) return { pdf: new Uint8Array(), overflow };
          const pdf = await slot.page.pdf({
            preferCSSPageSize: true,
            printBackground: true,
            tagged: true,
            outline: true,
            displayHeaderFooter: false,
            timeout: this.timeoutMs,
          });
          return { pdf, overflow };
        })(),
        this.timeoutMs,
        `printing ${job.path} took longer than ${this.timeoutMs} ms`,
      );
      return { ...printed, blocked: [...slot.blocked] };
    } catch (error) {
      healthy = false;
      (error as { generation?: number }).generation = slot.generation;
      throw error;
    } finally {
      if (healthy) this.release(slot);
    }
  }

  /** Prints one letter; on a crash or a hang, restarts the browser and tries once more. */
  async print(job: PrintJob): Promise<PrintResult> {
    if (this.closed) throw new PrintError('The printer is closed');
    try {
      return { ...(await this.attempt(job)), restarts: 0 };
    } catch (first) {
      if (this.closed) throw new PrintError(`Printing ${job.path} was stopped`, { cause: first });
      await this.restart((first as { generation?: number }).generation ?? this.generation);
      try {
        return { ...(await this.attempt(job)), restarts: 1 };
      } catch (second) {
        await this.restart((second as { generation?: number }).generation ?? this.generation).catch(() => undefined);
        throw new PrintError(`Printing ${job.path} failed twice, the second time after a browser restart`, { cause: second });
      }
    }
  }

  /** The browser's process id, for tests that kill it. */
  pid(): number | undefined {
    return this.browser?.process()?.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.restarting?.catch(() => undefined);
    const browser = this.browser;
    this.browser = undefined;
    await browser?.close().catch(() => undefined);
    if (browser?.process() && browser.process()!.exitCode === null) browser.process()!.kill('SIGKILL');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PrintError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
