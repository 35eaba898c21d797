/**
 * The no-op rebuild (src/build/noop.ts, src/build/state.ts): a rebuild with nothing
 * changed is proven unchanged from the build state without reading a case, and any
 * change (a case file's bytes, even with its size and mtime kept; a case file added; a
 * style; an output file removed) is never missed: the full build runs and decides.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, hasErrors, type BuildOptions } from '../src/build/index.js';
import { isRacy, RACY_MS, STATE_FILE, sha256 } from '../src/build/state.js';
import { generateCases } from '../src/generate/index.js';
import { projectInputs, root, setup, tempFolders } from './helpers.js';

const temp = tempFolders('imr-noop');

/** A project of `count` synthetic draft cases, its own styles, and an output folder. */
async function project(count: number): Promise<{ cases: string; out: string; styles: string; files: string[] }> {
  const dir = temp();
  const cases = path.join(dir, 'cases');
  await generateCases({ count, into: cases, seed: 7 });
  // Drafts, so a changed case is rebuilt (an issued one is refused instead: also a change seen).
  const files = readdirSync(cases).sort().map((f) => path.join(cases, f));
  for (const f of files) writeFileSync(f, readFileSync(f, 'utf8').replace(/^status: final$/m, 'status: draft'));
  const styles = path.join(dir, 'styles');
  cpSync(path.join(root, 'styles'), styles, { recursive: true });
  return { cases, out: path.join(dir, 'out'), styles, files };
}

const html = (p: { cases: string; out: string; styles: string }, extra: Partial<BuildOptions> = {}) =>
  build({ paths: [p.cases], out: p.out, ...projectInputs, styles: p.styles, htmlOnly: true, workers: 0, ...extra });

const states = (r: Awaited<ReturnType<typeof html>>) => Object.fromEntries(r.letters.map((l) => [l.case, l.state]));
const caseOf = (file: string) => path.basename(file, '.md');

/** The same bytes count, other text: one letter of the summary's first word changes case. */
function sameSizeEdit(file: string): void {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('# Clinical case summary\n\n') + '# Clinical case summary\n\n'.length + 1;
  const edited = `${text.slice(0, at)}${text[at] === text[at]!.toUpperCase() ? text[at]!.toLowerCase() : text[at]!.toUpperCase()}${text.slice(at + 1)}`;
  expect(edited.length).toBe(text.length);
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
}

describe('the no-op rebuild', () => {
  const p = { cases: '', out: '', styles: '', files: [] as string[] };
  setup(async () => {
    Object.assign(p, await project(6));
    // Older than the racy window when first read, so their stamps are trusted (the ctime test relies on it).
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200));
    const first = await html(p);
    expect(hasErrors(first.diagnostics)).toBe(false);
  });

  it('proves a rebuild with nothing changed unchanged, from the build state', async () => {
    expect(existsSync(path.join(p.out, STATE_FILE))).toBe(true);
    const again = await html(p);
    expect(again.noop).toBe(true);
    expect(again.letters.map((l) => l.state)).toEqual(p.files.map(() => 'unchanged'));
    expect(again.diagnostics).toEqual([]);
    // The manifest is still there to read.
    expect(again.manifest.letters.map((l) => l.case).sort()).toEqual(p.files.map(caseOf).sort());
  });

  it('rebuilds a case whose bytes changed, the others staying unchanged', async () => {
    appendFileSync(p.files[1]!, '\nOne more sentence at the end of the last rationale.\n');
    const r = await html(p);
    expect(r.noop).toBeUndefined();
    expect(states(r)[caseOf(p.files[1]!)]).toBe('built');
    expect(Object.values(states(r)).filter((s) => s === 'built')).toHaveLength(1);
    expect((await html(p)).noop).toBe(true);
  });

  it('sees a change that kept the size and the mtime (set back as `touch -r` does): the ctime moved', async () => {
    const file = p.files[2]!;
    const recorded = JSON.parse(readFileSync(path.join(p.out, STATE_FILE), 'utf8')) as { inputs: [string, string, string | null][] };
    expect(recorded.inputs.find((i) => i[0] === file)![2]).toBeNull(); // not racy: only the stamp can show the change
    const ref = path.join(path.dirname(p.out), 'timestamps');
    execFileSync('touch', ['-r', file, ref]);
    const before = statSync(file, { bigint: true });
    sameSizeEdit(file);
    execFileSync('touch', ['-r', ref, file]);
    expect(statSync(file, { bigint: true }).size).toBe(before.size);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    const r = await html(p);
    expect(r.noop).toBeUndefined();
    expect(states(r)[caseOf(file)]).toBe('built');
  });

  it('reads and hashes a racy case file, so a change its stamp does not show is still seen', async () => {
    // A file system whose stamp cannot show the change (the same clock tick): the state
    // recorded the file's stamp as it is now, and its bytes as they were, as racy.
    expect((await html(p)).noop).toBe(true);
    const file = p.files[3]!;
    const stateFile = path.join(p.out, STATE_FILE);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { inputs: [string, string, string | null, ...unknown[]][] };
    const entry = state.inputs.find((i) => i[0] === file)!;
    const oldSha = sha256(readFileSync(file));
    sameSizeEdit(file);
    const s = statSync(file);
    entry[1] = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
    entry[2] = oldSha;
    writeFileSync(stateFile, JSON.stringify(state));
    const r = await html(p);
    expect(r.noop).toBeUndefined();
    expect(states(r)[caseOf(file)]).toBe('built');
  });

  it('calls a stamp racy when the file changed within 2 s of its stat, and not after', () => {
    const now = Date.now();
    expect(isRacy(`1:2:3:${now - 10_000}:${now - 500}`, now)).toBe(true);
    expect(isRacy(`1:2:3:${now - 10_000}:${now - RACY_MS - 1}`, now)).toBe(false);
    expect(isRacy(`1:2:3:${now + 5_000}:${now - 10_000}`, now)).toBe(true);
  });

  it('runs the full build when a case file is added, a style changes, or an output is removed', async () => {
    expect((await html(p)).noop).toBe(true);
    const added = path.join(p.cases, 'zz-copy.md');
    writeFileSync(added, readFileSync(p.files[0]!, 'utf8').replace(/^case: \S+$/m, 'case: CM17-9999999'));
    let r = await html(p);
    expect(r.noop).toBeUndefined();
    expect(states(r)['CM17-9999999']).toBe('built');

    appendFileSync(path.join(p.styles, 'letter.css'), '\n/* a change */\n');
    r = await html(p);
    expect(r.noop).toBeUndefined();
    expect(r.letters.every((l) => l.state === 'built')).toBe(true);

    const gone = r.manifest.letters[0]!.files[0]!.path;
    rmSync(path.join(p.out, gone));
    r = await html(p);
    expect(r.noop).toBeUndefined();
    expect(existsSync(path.join(p.out, gone))).toBe(true);
    expect((await html(p)).noop).toBe(true);
  });

  it('writes no state after a build with an error, so the error is reported again', async () => {
    const bad = path.join(p.cases, 'zz-bad.md');
    writeFileSync(bad, '---\ncase: nope\n---\n');
    const r = await html(p);
    expect(hasErrors(r.diagnostics)).toBe(true);
    expect(existsSync(path.join(p.out, STATE_FILE))).toBe(false);
    const again = await html(p);
    expect(again.noop).toBeUndefined();
    expect(new Set(again.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file))).toEqual(new Set([bad]));
    rmSync(bad);
  });
});
