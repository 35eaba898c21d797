/**
 * Finding and starting Chromium. Puppeteer never downloads a browser here
 * (`.puppeteerrc.cjs`); the executable is, in order: `PUPPETEER_EXECUTABLE_PATH`,
 * puppeteer's own (when one was installed), then a system Chromium or Chrome.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer';
import { BrowserError } from '../errors.js';

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export function findChromium(): string {
  const fromEnv = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new BrowserError(`PUPPETEER_EXECUTABLE_PATH names ${fromEnv}, which does not exist`, { hint: 'Point it at a Chromium or Chrome executable, or unset it.' });
  }
  try {
    const own = puppeteer.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // No browser of puppeteer's own: fall through to the system's.
  }
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return system;
  throw new BrowserError('No Chromium or Chrome found', {
    hint: 'Install it (Debian: apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH.',
  });
}

/** Flags for a headless, offline, reproducible Chromium (root needs --no-sandbox). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--font-render-hinting=none',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  try {
    return await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  } catch (cause) {
    throw new BrowserError(`Chromium at ${executablePath} did not start`, { cause });
  }
}
