/**
 * `imr-letters build` as a user runs it: the compiled CLI (`bin/imr-letters.js`, which
 * loads `dist/`; `npm test` compiles first) in a child process, on temporary case and
 * output folders.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT, SLOW, root, tempFolders } from './helpers.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
const casesDir = path.join(root, 'cases');
const T = SLOW;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `imr-letters build …` from the project root, as plain text output. */
function buildCli(args: string[]): Run {
  const env = { ...process.env };
  delete env.GITHUB_ACTIONS;
  delete env.SOURCE_DATE_EPOCH;
  const r = spawnSync(process.execPath, [bin, 'build', ...args], { cwd: root, env, encoding: 'utf8', timeout: CHILD_TIMEOUT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDir = tempFolders('imr-cli-build');

/** The case files of `names`; CM16-0233904 without its (invented) parties, as the posted letter has none. */
function casesFolder(prefix: string, names: string[]): string {
  const dir = tempDir(prefix);
  for (const n of names) {
    if (n === 'CM16-0233904') writeFileSync(path.join(dir, `${n}.md`), withoutParties(readFileSync(path.join(casesDir, `${n}.md`), 'utf8')));
    else copyFileSync(path.join(casesDir, `${n}.md`), path.join(dir, `${n}.md`));
  }
  return dir;
}

function withoutParties(text: string): string {
  const out = text.replace(/\n(?:#[^\n]*\n)*parties:\n(?: {2}[^\n]*\n)*/, '\n');
  expect(out).not.toContain('parties:');
  return out;
}

/** The summary: the last line of stdout. */
function summary(stdout: string): { built: number; unchanged: number; refused: number; manifest: string } {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  const m = /^(\d+) built, (\d+) unchanged, (\d+) refused or failed, in \d+(?:\.\d+)? s; manifest: (.+)$/.exec(last);
  expect(m, `summary line: ${JSON.stringify(last)}`).not.toBeNull();
  return { built: Number(m![1]), unchanged: Number(m![2]), refused: Number(m![3]), manifest: m![4]! };
}

function lettersIn(out: string): string[] {
  const dir = path.join(out, 'letters');
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(html|pdf)$/.test(f)).map((f) => f.split(path.sep).join('/')).sort();
}

describe('imr-letters build', () => {
  const valid = ['CM15-0900001', 'CM16-0233904'];
  const dir = casesFolder('valid', valid);
  const out = tempDir('valid-out');

  it(
    'exits 0 on valid cases, builds them and counts them in the summary line',
    () => {
      const r = buildCli([dir, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(summary(r.stdout)).toEqual({ built: 2, unchanged: 0, refused: 0, manifest: `${out}/manifest.json` });
      expect(r.stdout).toMatch(/^built {5}CM15-0900001 v1 final \(letter \d+ p\., public \d+ p\.\)$/m);
      expect(r.stdout).toMatch(/^built {5}CM16-0233904 v1 final \(public \d+ p\.\)$/m);
      // The case without parties gets its public edition and a warning, not an error.
      expect(r.stderr).toContain('no-parties');
      expect(r.stderr).not.toMatch(/\berror\b/);
      expect(lettersIn(out)).toEqual([
        'CM15-0900001/v1/CM15-0900001-v1-letter.html',
        'CM15-0900001/v1/CM15-0900001-v1-letter.pdf',
        'CM15-0900001/v1/CM15-0900001-v1-public.html',
        'CM15-0900001/v1/CM15-0900001-v1-public.pdf',
        'CM16-0233904/v1/CM16-0233904-v1-public.html',
        'CM16-0233904/v1/CM16-0233904-v1-public.pdf',
      ]);
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { letters: { case: string }[] };
      expect(manifest.letters.map((l) => l.case)).toEqual(valid);
    },
    T,
  );

  it(
    'a second run counts them unchanged and still exits 0',
    () => {
      const r = buildCli([dir, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(summary(r.stdout)).toMatchObject({ built: 0, unchanged: 2, refused: 0 });
      expect(r.stdout).toMatch(/^unchanged CM15-0900001 v1 \(issued\)$/m);
    },
    T,
  );

  it(
    'exits 1 when one case is invalid, and still builds the valid one',
    () => {
      const mixed = casesFolder('mixed', ['CM16-0233904']);
      const bad = path.join(mixed, 'CM16-0233905.md');
      const text = withoutParties(readFileSync(path.join(casesDir, 'CM16-0233904.md'), 'utf8')).replace(/^case: CM16-0233904$/m, 'case: CM16-0233905').replace(/^(\s+)decision: Upheld$/m, '$1decision: Maybe');
      expect(text).toContain('decision: Maybe');
      writeFileSync(bad, text);
      const mixedOut = tempDir('mixed-out');
      const r = buildCli([mixed, '--out', mixedOut]);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(summary(r.stdout)).toMatchObject({ built: 1, unchanged: 0 });
      expect(r.stderr).toContain('CM16-0233905.md');
      expect(r.stderr).toMatch(/\berror\b/);
      expect(lettersIn(mixedOut)).toEqual(['CM16-0233904/v1/CM16-0233904-v1-public.html', 'CM16-0233904/v1/CM16-0233904-v1-public.pdf']);
    },
    T,
  );

  it(
    '--edition public builds only the public files',
    () => {
      const seed = casesFolder('edition', ['CM15-0900001']);
      const editionOut = tempDir('edition-out');
      const r = buildCli([seed, '--out', editionOut, '--edition', 'public']);
      expect(r.status, r.stderr).toBe(0);
      expect(summary(r.stdout)).toMatchObject({ built: 1 });
      expect(r.stdout).toMatch(/^built {5}CM15-0900001 v1 final \(public \d+ p\.\)$/m);
      expect(lettersIn(editionOut)).toEqual(['CM15-0900001/v1/CM15-0900001-v1-public.html', 'CM15-0900001/v1/CM15-0900001-v1-public.pdf']);
    },
    T,
  );

  it('exits 2 on a usage error (unknown edition), building nothing', () => {
    const usageOut = tempDir('usage-out');
    const r = buildCli([dir, '--out', usageOut, '--edition', 'both']);
    expect(r.status).toBe(2);
    expect(existsSync(path.join(usageOut, 'manifest.json'))).toBe(false);
  });
});
