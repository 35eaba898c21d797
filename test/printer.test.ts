/**
 * The printer with real Chromium: letters print in parallel on a bounded pool; a killed
 * browser is restarted and the letter retried; a letter that always times out fails
 * with a clear PrintError (and the printer still works afterwards).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Printer, PrintError, type PrintJob } from '../src/print/printer.js';
import { launchBrowser } from '../src/print/browser.js';
import { BrowserError } from '../src/errors.js';
import { setup } from './helpers.js';

const job = (n: number): PrintJob => ({
  path: `letters/test/v1/test-${n}.html`,
  html: `<!DOCTYPE html><html><head><title>t${n}</title><style>@page{size:Letter;margin:1in}</style></head><body><h1>Letter ${n}</h1><p>${'Text. '.repeat(200)}</p></body></html>`,
  files: new Map(),
});

const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';

describe('Printer', () => {
  let printer: Printer;
  setup(async () => {
    printer = await Printer.start({ pages: 2, timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await printer.close();
  });

  it('prints several letters at once through a pool of two pages', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => printer.print(job(n))));
    for (const r of results) {
      expect(isPdf(r.pdf)).toBe(true);
      expect(r.blocked).toEqual([]);
      expect(r.restarts).toBe(0);
    }
  });

  it('refuses and reports a request that leaves the letter', async () => {
    const leaky: PrintJob = { ...job(6), html: job(6).html.replace('<body>', '<body><img src="http://127.0.0.1:9/x.png" alt="">') };
    const r = await printer.print(leaky);
    expect(isPdf(r.pdf)).toBe(true);
    expect(r.blocked).toEqual(['http://127.0.0.1:9/x.png']);
  });

  it('restarts a killed browser and prints the letter', async () => {
    const pid = printer.pid();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const r = await printer.print(job(7));
    expect(isPdf(r.pdf)).toBe(true);
    expect(r.restarts).toBe(1);
    expect(printer.pid()).not.toBe(pid);
    // and the pool works as before
    const more = await Promise.all([8, 9, 10].map((n) => printer.print(job(n))));
    expect(more.every((m) => isPdf(m.pdf) && m.restarts === 0)).toBe(true);
  });
});

describe('Printer timeouts', () => {
  it('fails a letter that times out twice with a PrintError naming it', async () => {
    const printer = await Printer.start({ pages: 1, timeoutMs: 1 });
    try {
      const error = await printer.print(job(11)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PrintError);
      expect((error as Error).message).toContain('letters/test/v1/test-11.html');
      expect(printer.restarts).toBeGreaterThanOrEqual(1);
    } finally {
      await printer.close();
    }
  });
});

describe('Printer start', () => {
  it('replaces a browser that dies while its pages are being made', async () => {
    let launches = 0;
    const printer = await Printer.start({
      pages: 2,
      timeoutMs: 30_000,
      launch: async () => {
        const browser = await launchBrowser();
        // The first browser is killed before any page exists (as a crash at start would).
        if (++launches === 1) {
          const exited = new Promise((resolve) => browser.process()!.once('exit', resolve));
          browser.process()!.kill('SIGKILL');
          await exited;
        }
        return browser;
      },
    });
    try {
      expect(launches).toBe(2);
      const r = await printer.print(job(12));
      expect(isPdf(r.pdf)).toBe(true);
      expect(r.restarts).toBe(0);
    } finally {
      await printer.close();
    }
  });

  it('gives up with a BrowserError when no browser lives to make its pages', async () => {
    let launches = 0;
    const error = await Printer.start({
      pages: 1,
      launch: async () => {
        launches++;
        const browser = await launchBrowser();
        const exited = new Promise((resolve) => browser.process()!.once('exit', resolve));
        browser.process()!.kill('SIGKILL');
        await exited;
        return browser;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserError);
    expect(launches).toBe(3);
  });
});
