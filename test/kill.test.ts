/**
 * Nothing half-written: the build is killed with SIGKILL at several points while it
 * writes; after each kill, `out/` holds no truncated letter, no manifest entry without
 * its file, and the next build completes with every file listed and intact.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCases } from '../src/generate/index.js';
import { CHILD_TIMEOUT, SLOW, root } from './helpers.js';

const cli = path.join(root, 'bin', 'imr-letters.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'imr-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/'));
}

/** Runs a build and kills it with SIGKILL after `ms` (or lets it finish when it is done first). */
function buildKilledAfter(cases: string, out: string, ms: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'build', cases, '--out', out, '--html-only'], { cwd: root, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

/** What must hold in `out/` at any moment: listed files intact, unlisted letter files complete. */
function assertConsistent(out: string): void {
  const manifestFile = path.join(out, 'manifest.json');
  const listed = new Map<string, string>();
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { letters: { files: { path: string; sha256: string }[] }[] };
    for (const l of manifest.letters) for (const f of l.files) listed.set(f.path, f.sha256);
  }
  for (const [rel, sha] of listed) {
    const bytes = readFileSync(path.join(out, rel));
    expect(createHash('sha256').update(bytes).digest('hex'), rel).toBe(sha);
  }
  for (const rel of files(out)) {
    if (rel.endsWith('.tmp') || rel === 'manifest.json' || rel.startsWith('assets/')) continue;
    const text = readFileSync(path.join(out, rel), 'utf8');
    if (rel.endsWith('.html')) expect(text.trimEnd().endsWith('</html>'), rel).toBe(true);
    if (rel.endsWith('.json')) expect(() => JSON.parse(text), rel).not.toThrow();
  }
}

describe('killed builds', () => {
  it('leave no truncated file and no manifest entry without its file; the next build completes', async () => {
    const cases = path.join(tmp, 'cases');
    await generateCases({ count: 400, into: cases, seed: 3, parties: true });
    const out = path.join(tmp, 'out');
    let kills = 0;
    for (const ms of [150, 400, 700, 1000, 1400, 1900, 2600]) {
      const run = await buildKilledAfter(cases, out, ms);
      if (run.killed) kills++;
      assertConsistent(out);
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    const done = await buildKilledAfter(cases, out, CHILD_TIMEOUT);
    expect(done).toEqual({ killed: false, code: 0 });
    assertConsistent(out);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { letters: unknown[] };
    expect(manifest.letters).toHaveLength(400);
    expect(files(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, SLOW);
});

describe('stopped builds', () => {
  it('SIGTERM (as Ctrl-C) closes the browser before the build exits', async () => {
    const { execFileSync } = await import('node:child_process');
    const cases = path.join(tmp, 'cases-term');
    await generateCases({ count: 60, into: cases, seed: 4 });
    const out = path.join(tmp, 'out-term');
    const child = spawn(process.execPath, [cli, 'build', cases, '--out', out], { cwd: root, stdio: 'ignore' });
    const descendants = (pid: number): number[] => {
      let text = '';
      try {
        text = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
      } catch {
        return []; // ps exits 1 when there is no such process
      }
      const kids = text.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
      return kids.flatMap((k) => [k, ...descendants(k)]);
    };
    // Wait until Chromium runs under the build, then stop it.
    let browser: number[] = [];
    for (let i = 0; i < 100 && browser.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      browser = descendants(child.pid!);
    }
    expect(browser.length).toBeGreaterThan(0);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise((r) => setTimeout(r, 800));
    browser = descendants(child.pid!);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // Still running (a zombie waiting to be reaped by init has exited: it does not count).
    const alive = browser.filter((pid) => {
      try {
        return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    assertConsistent(out);
  }, SLOW);
});

describe('Chromium killed mid-build', () => {
  it('is restarted: the build finishes every letter, or fails only those letters with a clear message', async () => {
    const { execFileSync } = await import('node:child_process');
    const cases = path.join(tmp, 'cases-chromium');
    await generateCases({ count: 40, into: cases, seed: 5 });
    const out = path.join(tmp, 'out-chromium');
    let stderr = '';
    const child = spawn(process.execPath, [cli, 'build', cases, '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for the browser, let it print a while, then kill its main process.
    let browser = 0;
    for (let i = 0; i < 100 && !browser; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        browser = Number(execFileSync('pgrep', ['-P', String(child.pid), '-f', 'chromium'], { encoding: 'utf8' }).trim().split('\n')[0]);
      } catch {
        browser = 0;
      }
    }
    expect(browser).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(browser, 'SIGKILL');
    const code = await exited;
    assertConsistent(out);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { letters: { files: { format: string }[] }[] };
    const failed = (stderr.match(/print-failed/g) ?? []).length;
    if (code === 0) expect(manifest.letters).toHaveLength(40);
    else {
      expect(code).toBe(1);
      expect(failed).toBeGreaterThan(0);
      expect(manifest.letters.length + failed).toBe(40);
    }
    for (const l of manifest.letters) expect(l.files.filter((f) => f.format === 'pdf').length).toBeGreaterThan(0);
  }, SLOW);
});
