/**
 * No network while printing: `imr-letters build` (the compiled CLI) runs under
 * `strace -f`, which logs every connect/sendto/sendmsg of Node and of every Chromium
 * process. No DNS query (nothing to port 53, no host name in any packet), and no socket
 * connected off the machine: only loopback (puppeteer's DevTools connection) and Unix
 * sockets. Before the flags in src/print/browser.ts, Chromium looked up accounts.google.com,
 * clients2.google.com and update.googleapis.com here. strace is installed by setup.sh.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SLOW, root, setup } from './helpers.js';

let tmp: string;
setup(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-net-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Builds cases/ under strace; returns the trace. */
async function tracedBuild(browser: 'shell' | 'chromium'): Promise<string> {
  const trace = path.join(tmp, `${browser}.strace`);
  const r = spawnSync('strace', ['-f', '-qq', '-s', '256', '-e', 'trace=connect,sendto,sendmsg,execve', '-o', trace, process.execPath, path.join(root, 'bin', 'imr-letters.js'), 'build', path.join(root, 'cases'), '--out', path.join(tmp, `out-${browser}`)], {
    cwd: root,
    env: { ...process.env, IMR_BROWSER: browser },
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/6 built/);
  return readFile(trace, 'utf8');
}

/** Sockets connected (or datagrams sent) to anything but loopback and Unix sockets. */
function offMachine(trace: string): string[] {
  return trace.split('\n').filter((l) => {
    if (!/\b(connect|sendto|sendmsg)\(/.test(l)) return false;
    const inet = /sin6?_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"/.exec(l);
    if (!inet) return false;
    const addr = inet[1] ?? inet[2]!;
    return !(addr.startsWith('127.') || addr === '::1');
  });
}

const dns = (trace: string) => trace.split('\n').filter((l) => /htons\(53\)|\\[0-9]+google\\3com|googleapis|gstatic/.test(l));

describe('no network while printing', () => {
  it('the headless shell (the default printer): no DNS lookup, no connection off the machine', async () => {
    const trace = await tracedBuild('shell');
    // The browser ran under the trace.
    expect(trace).toMatch(/execve\("[^"]*chromium-headless-shell"/);
    expect(trace).toMatch(/connect\(\d+, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("127\.0\.0\.1"\)/);
    expect(dns(trace)).toEqual([]);
    expect(offMachine(trace)).toEqual([]);
  }, SLOW);

  it('Chromium (IMR_BROWSER=chromium): no DNS lookup and nothing sent off the machine', async () => {
    const trace = await tracedBuild('chromium');
    expect(trace).toMatch(/execve\("[^"]*\/chromium"/);
    expect(dns(trace)).toEqual([]);
    // Full Chromium connects a UDP socket to 2001:4860:4860::8888 to learn whether IPv6 is
    // reachable (a connect on a datagram socket sends nothing); no packet leaves.
    expect(offMachine(trace).filter((l) => /sendto|sendmsg/.test(l))).toEqual([]);
    expect(offMachine(trace).filter((l) => !/2001:4860:4860::8888/.test(l))).toEqual([]);
  }, SLOW);
});
