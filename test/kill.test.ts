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
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCases } from '../src/generate/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
    const done = await buildKilledAfter(cases, out, 120_000);
    expect(done).toEqual({ killed: false, code: 0 });
    assertConsistent(out);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { letters: unknown[] };
    expect(manifest.letters).toHaveLength(400);
    expect(files(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);
});
