/**
 * Issued revisions at review time (issue 11, item 3): `check --issued <source>` reports an
 * issued letter changed without a new revision, at its `revision:` line, whether what is
 * issued comes from the last published output (as `restore` brings it back) or from the
 * case files at a git revision; `diff` says so too. The compiled CLI in a child process,
 * a real build, a real git repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/commands/build.js';
import { diffCase } from '../src/commands/diff.js';
import { projectInputs, root, setup } from './helpers.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
const CASE = 'CM16-0229336';
const original = readFileSync(path.join(root, 'cases', `${CASE}.md`), 'utf8');
const revisionLine = original.split('\n').findIndex((l) => l.startsWith('revision:')) + 1;
/** The posted letter as issued without parties (its public edition only). */
const withoutParties = original.replace(/\n(?:#[^\n]*\n)*parties:\n(?: {2}[^\n]*\n)*/, '\n');

// The summary's age and `patient.age` change together (rule summary-age-mismatch keeps them equal).
const inPlace = (text: string) => text.replace('This is a 78 year old male', 'This is a 79 year old male').replace(/^ {2}age: 78$/m, '  age: 79');
const corrected = (text: string) =>
  inPlace(text)
    .replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the age.')
    .replace(/^status: final$/m, 'status: draft')
    .replace(/^  decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: 2017-01-20');

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

function cli(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.GITHUB_ACTIONS;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function check(cwd: string, issued: string): { status: number | null; diagnostics: JsonDiagnostic[]; stderr: string } {
  const r = cli(cwd, ['check', 'cases', '--issued', issued, '--format', 'json']);
  return { status: r.status, diagnostics: r.stdout ? (JSON.parse(r.stdout) as JsonDiagnostic[]) : [], stderr: r.stderr };
}

let tmp: string;
setup(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'imr-issued-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('check --issued <output folder>: the manifest of the last published output, as restore brings it back', { timeout: 180_000 }, () => {
  let dir: string;
  const file = () => path.join(dir, 'cases', `${CASE}.md`);

  setup(async () => {
    dir = path.join(tmp, 'manifest');
    mkdirSync(path.join(dir, 'cases'), { recursive: true });
    writeFileSync(file(), withoutParties);
    const built = await build({ paths: [path.join(dir, 'cases')], out: path.join(dir, 'published'), ...projectInputs, htmlOnly: true, workers: 0 });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const restored = cli(dir, ['restore', 'published', '--out', 'out']);
    expect(restored.status, restored.stderr).toBe(0);
  });

  it('passes the case as issued', () => {
    writeFileSync(file(), withoutParties);
    for (const source of ['out', 'out/manifest.json']) expect(check(dir, source)).toMatchObject({ status: 0, diagnostics: [] });
  });

  it('reports the issued letter edited in place at its revision line', () => {
    writeFileSync(file(), inPlace(withoutParties));
    const r = check(dir, 'out');
    expect(r.status).toBe(1);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.column, d.rule])).toEqual([[`cases/${CASE}.md`, revisionLine, 11, 'issued-revision-changed']]);
    expect(r.diagnostics[0]!.message).toContain(`${CASE} revision 1 was issued (final, in out/manifest.json) with other content`);
    expect(r.diagnostics[0]!.message).toContain('set `revision: 2`');
  });

  it('passes parties added to a letter issued without them (its public edition is unchanged)', () => {
    writeFileSync(file(), original);
    expect(check(dir, 'out')).toMatchObject({ status: 0, diagnostics: [] });
  });

  it('passes the same change made as a correction: revision 2, dated, saying what it corrects', () => {
    writeFileSync(file(), corrected(withoutParties));
    expect(check(dir, 'out')).toMatchObject({ status: 0, diagnostics: [] });
  });

  it('diff says so too: the word diff of an issued revision changed in place starts with the error', async () => {
    writeFileSync(file(), inPlace(withoutParties));
    const result = await diffCase({ file: file(), out: path.join(dir, 'out'), html: false, ...projectInputs });
    expect(result.header.from.name).toBe('v1');
    expect(result.header.warning?.rule).toBe('issued-revision-changed');
    expect(result.report.split('\n')[3]).toMatch(/^error: CM16-0229336 revision 1 was issued \(final\) with other content.*\(issued-revision-changed\)$/);
    writeFileSync(file(), corrected(withoutParties));
    const fine = await diffCase({ file: file(), out: path.join(dir, 'out'), html: false, ...projectInputs });
    expect(fine.header.warning).toBeUndefined();
  });
});

describe('check --issued <git revision>: the case files at that revision', { timeout: 120_000 }, () => {
  let dir: string;
  const file = () => path.join(dir, 'cases', `${CASE}.md`);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

  setup(() => {
    dir = path.join(tmp, 'git');
    mkdirSync(path.join(dir, 'cases'), { recursive: true });
    writeFileSync(file(), original);
    // A draft at the base: it may change freely.
    writeFileSync(path.join(dir, 'cases', 'draft.md'), original.replace(`case: ${CASE}`, 'case: CM16-0000001').replace('status: final', 'status: draft'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.invalid');
    git('config', 'user.name', 'CI');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
  });

  it('passes the cases as committed', () => {
    expect(check(dir, 'main')).toMatchObject({ status: 0, diagnostics: [] });
  });

  it('reports a final case edited in place, not a draft, and follows a renamed file', () => {
    writeFileSync(path.join(dir, 'cases', 'draft.md'), inPlace(readFileSync(path.join(dir, 'cases', 'draft.md'), 'utf8')));
    rmSync(file());
    writeFileSync(path.join(dir, 'cases', 'renamed.md'), inPlace(original));
    const r = check(dir, 'main');
    expect(r.status).toBe(1);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.rule])).toEqual([['cases/renamed.md', revisionLine, 'issued-revision-changed']]);
    expect(r.diagnostics[0]!.message).toContain('(final, in git main)');
    rmSync(path.join(dir, 'cases', 'renamed.md'));
    writeFileSync(file(), original);
  });

  it('reports a file behind an issued revision (revision-behind)', () => {
    writeFileSync(file(), corrected(original).replace('status: draft', 'status: final'));
    git('commit', '-qam', 'revision 2 issued');
    writeFileSync(file(), original);
    const r = check(dir, 'main');
    expect(r.diagnostics.map((d) => [d.line, d.rule])).toEqual([[revisionLine, 'revision-behind']]);
    git('reset', '-q', '--hard', 'HEAD~1');
  });

  it('refuses a source that is neither a folder, a manifest nor a git revision', () => {
    const r = cli(dir, ['check', 'cases', '--issued', 'no-such-branch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('imr-letters: --issued "no-such-branch" is neither a folder, a manifest.json nor a git revision');
  });
});
