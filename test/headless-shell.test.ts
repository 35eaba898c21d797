/**
 * chromium-headless-shell prints what Chromium prints. `setup.sh` installs the shell, and
 * the build uses it when it is there (`IMR_BROWSER` chooses); this builds every case of
 * `cases/` with each browser and compares each PDF: the same text (with its layout), tags,
 * outline, fonts and page count.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/commands/build.js';
import { findPrintBrowser } from '../src/print/browser.js';
import { SLOW, projectInputs, root, setup } from './helpers.js';

let tmp: string;
const built: Record<'shell' | 'chromium', { out: string; result: BuildResult }> = {} as never;

async function buildWith(browser: 'shell' | 'chromium'): Promise<void> {
  const out = path.join(tmp, browser);
  const before = process.env.IMR_BROWSER;
  process.env.IMR_BROWSER = browser;
  try {
    expect(findPrintBrowser().kind).toBe(browser);
    built[browser] = { out, result: await build({ ...projectInputs, paths: [path.join(root, 'cases')], out }) };
  } finally {
    if (before === undefined) delete process.env.IMR_BROWSER;
    else process.env.IMR_BROWSER = before;
  }
}

setup(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-shell-'));
  await buildWith('shell');
  await buildWith('chromium');
}, SLOW);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

/** What a reader gets from a PDF, browser aside. */
function reading(file: string) {
  const outline = (JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file])) as { outlines: unknown[] }).outlines;
  const titles = (items: unknown[]): unknown[] => (items as { title: string; destpageposfrom1: number; kids: unknown[] }[]).map((o) => [o.title, o.destpageposfrom1, titles(o.kids)]);
  return {
    text: run('pdftotext', ['-layout', file, '-']),
    tags: run('pdfinfo', ['-struct', file]),
    outline: titles(outline),
    fonts: run('pdffonts', [file]).split('\n').slice(2).map((l) => l.split(/\s+/).slice(0, 7).join(' ')),
    pages: /Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))![1],
  };
}

describe('chromium-headless-shell', () => {
  it('is the printer when installed (setup.sh installs it)', () => {
    const before = process.env.IMR_BROWSER;
    delete process.env.IMR_BROWSER;
    try {
      const browser = findPrintBrowser();
      expect(browser.kind).toBe('shell');
      expect(browser.headless).toBe('shell');
    } finally {
      if (before !== undefined) process.env.IMR_BROWSER = before;
    }
  });

  it('prints every case of cases/ as Chromium does: same text, tags, outline, fonts and pages', () => {
    const shell = built.shell.result.manifest.letters.flatMap((l) => l.files.filter((f) => f.format === 'pdf'));
    expect(shell.length).toBeGreaterThanOrEqual(12);
    for (const f of shell) {
      const a = reading(path.join(built.shell.out, f.path));
      const b = reading(path.join(built.chromium.out, f.path));
      expect(a.pages, f.path).toBe(b.pages);
      expect(a.text, f.path).toBe(b.text);
      expect(a.tags, f.path).toBe(b.tags);
      expect(a.outline, f.path).toEqual(b.outline);
      expect(a.outline.length).toBeGreaterThan(0);
      expect(a.fonts, f.path).toEqual(b.fonts);
    }
  });

  it('an unknown IMR_BROWSER is a clear error', () => {
    expect(() => findPrintBrowser({ IMR_BROWSER: 'firefox' })).toThrow(/IMR_BROWSER is `firefox`, expected `auto`, `shell` or `chromium`/);
  });
});
