/**
 * Finding and starting Chromium. Puppeteer never downloads a browser here
 * (`.puppeteerrc.cjs`).
 *
 * Two kinds of executable:
 * - the **printer** (`launchBrowser`, used by `build`): Debian's `chromium-headless-shell`
 *   (Chromium's old headless mode, a separate and lighter binary, which puppeteer drives with
 *   `headless: 'shell'`) when it is installed, else the full Chromium (`headless: true`).
 *   It prints the same PDFs (`test/headless-shell.test.ts`) in about half the time.
 * - the **full browser** (`findChromium`), for tests and benches that need a whole browser
 *   (the archive's search page, the live preview).
 *
 * `PUPPETEER_EXECUTABLE_PATH` overrides both; `IMR_BROWSER=chromium` makes the printer use the
 * full Chromium even when the shell is installed (`IMR_BROWSER=shell` requires the shell).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { BrowserError } from '../errors.js';

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
/**
 * The headless shell's binary itself: Debian's `/usr/bin/chromium-headless-shell` is a shell
 * script that runs it without `exec`, so its pid would not be the browser's.
 */
const SYSTEM_SHELLS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/lib/chromium-browser/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];

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
    hint: 'Install it (Debian: apt-get install chromium-headless-shell chromium) or set PUPPETEER_EXECUTABLE_PATH.',
  });
}

/** Which browser prints, and how puppeteer drives it. */
export interface PrintBrowser {
  executablePath: string;
  /** `'shell'` for chromium-headless-shell (old headless mode), `true` for Chromium's new headless mode. */
  headless: true | 'shell';
  kind: 'shell' | 'chromium';
}

/** The printing browser: the headless shell when installed (see the module comment), else Chromium. */
export function findPrintBrowser(env: NodeJS.ProcessEnv = process.env): PrintBrowser {
  const choice = env.IMR_BROWSER ?? 'auto';
  if (!['auto', 'shell', 'chromium'].includes(choice)) {
    throw new BrowserError(`IMR_BROWSER is \`${choice}\`, expected \`auto\`, \`shell\` or \`chromium\``, { hint: 'Unset it to print with the headless shell when installed.' });
  }
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    const executablePath = findChromium();
    const shell = path.basename(executablePath).includes('headless-shell');
    return { executablePath, headless: shell ? 'shell' : true, kind: shell ? 'shell' : 'chromium' };
  }
  if (choice !== 'chromium') {
    const shell = SYSTEM_SHELLS.find((p) => existsSync(p));
    if (shell) return { executablePath: shell, headless: 'shell', kind: 'shell' };
    if (choice === 'shell') throw new BrowserError('IMR_BROWSER=shell, but chromium-headless-shell is not installed', { hint: 'Install it (Debian: apt-get install chromium-headless-shell) or unset IMR_BROWSER.' });
  }
  return { executablePath: findChromium(), headless: true, kind: 'chromium' };
}

/**
 * Flags for a headless, offline, reproducible Chromium (root needs --no-sandbox).
 *
 * No network: `--disable-background-networking` alone still lets Chromium look up Google
 * hosts (accounts.google.com, clients2.google.com, update.googleapis.com) at start. Every
 * host name resolves to nothing (`--host-resolver-rules`: the letters' own origin is answered
 * by the printer before any lookup), the features that phone home are off, and any request
 * that would still go out meets a proxy that does not exist. `test/network.test.ts` runs a
 * build under strace and finds no DNS query and no connection off the machine.
 */
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
  // No network: see above.
  // IP literals are mapped too: loopback (where the archive's tests, the preview and md-to-pdf serve) is excluded.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--proxy-server=socks5://127.0.0.1:9',
  '--dns-prefetch-disable',
  '--no-pings',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-features=AsyncDns,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,CertificateTransparencyComponentUpdater,AutofillServerCommunication,InterestFeedContentSuggestions,SafeBrowsing',
  '--metrics-recording-only',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--force-webrtc-ip-handling-policy',
];

export async function launchBrowser(): Promise<Browser> {
  const { executablePath, headless } = findPrintBrowser();
  try {
    return await puppeteer.launch({ executablePath, headless, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  } catch (cause) {
    throw new BrowserError(`Chromium at ${executablePath} did not start`, { cause });
  }
}
