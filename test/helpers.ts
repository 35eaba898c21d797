/**
 * What the tests share: the project's folders, the inputs `build()` needs to build with
 * the project's configuration, templates and styles, temporary folders, setups that
 * fail (not skip) their tests, and the time limits of a loaded machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { GENERATOR } from '../src/version.js';

/** The project root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The compiled command line (`npm test` compiles first). */
export const bin = path.join(root, 'bin', 'imr-letters.js');

/** The compiler's name and version, as the CLI records it. */
export const generator = GENERATOR;

/** Spread into `build({ paths, out, ...projectInputs })`. */
export const projectInputs = {
  config: path.join(root, 'imr-letters.config.yaml'),
  templates: path.join(root, 'templates'),
  styles: path.join(root, 'styles'),
  generator,
};

/**
 * Time limits are there to end a hung test, never to judge speed (speed targets live in
 * `npm run bench`): generous enough for a 2-core machine loaded by other work.
 */
export const SLOW = 600_000;
/** The longest a child process (the CLI, a script) may run before it is killed. */
export const CHILD_TIMEOUT = 480_000;
/** The longest a page may take to show what a test waits for. */
export const PAGE_WAIT = 120_000;

/**
 * A temporary-folder maker for one test file, its folders removed after the file's
 * tests. Call at the top of the file: `const temp = tempFolders('imr-build')`.
 */
export function tempFolders(prefix: string): (name?: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (name?: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-${name ? `${name}-` : ''}`));
    made.push(dir);
    return dir;
  };
}

/**
 * `beforeAll` that fails the tests it prepares when it fails (vitest reports the tests
 * of a failed `beforeAll` as skipped, and a run of skipped tests looks green). Its own
 * limit is `timeoutMs` (default `SLOW`); a setup that takes longer fails every test.
 */
export function setup(fn: () => unknown, timeoutMs: number = SLOW): void {
  let failure: unknown;
  beforeAll(async () => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`The setup took longer than ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(fn), limit]);
    } catch (error) {
      failure = error ?? new Error('The setup failed');
    } finally {
      clearTimeout(timer);
    }
  }, timeoutMs + 60_000);
  beforeEach(() => {
    if (failure !== undefined) throw failure;
  });
}

/**
 * A copy of the shipped `cases/` and its HTML-only build, each in a folder made by `temp`
 * (the test file's `tempFolders` or its own maker). Throws, naming them, on any error
 * diagnostic: the setup that calls it then fails every test it prepares.
 */
export async function builtCasesCopy(temp: (name: string) => string | Promise<string>): Promise<{ cases: string; out: string }> {
  const { build } = await import('../src/build/index.js');
  const cases = await temp('cases');
  await cp(path.join(root, 'cases'), cases, { recursive: true });
  const out = await temp('out');
  const built = await build({ paths: [cases], out, ...projectInputs, htmlOnly: true, workers: 0 });
  const errors = built.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`The shipped cases did not build: ${errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join('; ')}`);
  return { cases, out };
}
