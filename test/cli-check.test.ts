/**
 * `imr-letters check` as a user runs it: the compiled CLI (`bin/imr-letters.js`, which
 * loads `dist/`; `npm test` compiles first) in a child process.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT, SLOW, root, setup } from './helpers.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
const fixture = (name: string) => path.join(root, 'test', 'fixtures', 'check', name, 'input.md');
const goodCase = path.join(root, 'cases', 'CM16-0229336.md');

const JSON_KEYS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'message'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `imr-letters check …`; GITHUB_ACTIONS is unset unless `env` sets it (CI sets it). */
function check(args: string[], env: Record<string, string> = {}): Run {
  const base = { ...process.env };
  delete base.GITHUB_ACTIONS;
  const result = spawnSync(process.execPath, [bin, 'check', ...args], {
    cwd: root,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  rule: string;
  message: string;
}

function parseJson(run: Run): JsonDiagnostic[] {
  const parsed: unknown = JSON.parse(run.stdout);
  expect(Array.isArray(parsed)).toBe(true);
  return parsed as JsonDiagnostic[];
}

let tmp: string;
/** A fresh folder holding `files` (target name → source path). */
function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [target, source] of Object.entries(files)) {
    const full = path.join(dir, target);
    mkdirSync(path.dirname(full), { recursive: true });
    copyFileSync(source, full);
  }
  return dir;
}

setup(() => {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run compile` first (npm test does)');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'imr-letters-check-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('imr-letters check', { timeout: SLOW }, () => {
  it('exits 0 on cases/', () => {
    const run = check(['cases']);
    expect(run.status).toBe(0);
    for (const file of readdirSync(path.join(root, 'cases')).filter((f) => f.endsWith('.md'))) expect(run.stdout).toContain(file);
  });

  it('checks cases/ when given no path', () => {
    const run = check(['--format', 'json']);
    expect(run.status).toBe(0);
    expect(parseJson(run).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('exits 1 on a folder with one bad case and one good case, naming only the bad one', () => {
    const dir = folder('one-bad', { 'bad.md': fixture('bad-enum-decision'), 'good.md': goodCase });
    const run = check([dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(path.join(dir, 'bad.md'));
    expect(run.stdout).toContain('bad-enum');

    const json = check([dir, '--format', 'json']);
    expect(json.status).toBe(1);
    const files = new Set(parseJson(json).map((d) => d.file));
    expect([...files]).toEqual([path.join(dir, 'bad.md')]);
  });

  it('reports the problems of every file at once', () => {
    const dir = folder('two-bad', {
      'a.md': fixture('bad-enum-decision'),
      'b.md': fixture('date-order'),
      'c.md': goodCase,
      'nested/d.md': fixture('encoding'),
    });
    const run = check([dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(path.join(dir, 'a.md'));
    expect(run.stdout).toContain(path.join(dir, 'b.md'));
    expect(run.stdout).toContain(path.join(dir, 'nested', 'd.md'));

    const diagnostics = parseJson(check([dir, '--format', 'json']));
    expect(diagnostics.map((d) => [path.relative(dir, d.file), d.rule, d.line])).toEqual([
      ['a.md', 'bad-enum', 22],
      ['b.md', 'date-order', 11],
      [path.join('nested', 'd.md'), 'encoding', 31],
    ]);
  });

  it('takes files and folders together', () => {
    const dir = folder('mixed', { 'x.md': fixture('nested-heading') });
    const run = check([path.join(dir, 'x.md'), fixture('unsafe-link'), '--format', 'json']);
    expect(run.status).toBe(1);
    expect(parseJson(run).map((d) => d.rule).sort()).toEqual(['nested-heading', 'unsafe-link']);
  });

  it('prints one JSON array with exactly the documented keys', () => {
    const dir = folder('json', { 'a.md': fixture('several-problems'), 'b.md': fixture('modified-same') });
    const run = check([dir, '--format', 'json']);
    expect(run.status).toBe(1);
    const diagnostics = parseJson(run);
    expect(diagnostics.length).toBe(7);
    for (const d of diagnostics) {
      expect(Object.keys(d).sort()).toEqual([...JSON_KEYS].sort());
      expect(typeof d.file).toBe('string');
      for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) expect(Number.isInteger(d[k])).toBe(true);
      expect(['error', 'warning']).toContain(d.severity);
      expect(d.rule).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(d.message.length).toBeGreaterThan(0);
    }
    expect(diagnostics.some((d) => d.severity === 'warning' && d.rule === 'modified-same')).toBe(true);
  });

  it('prints an empty JSON array and exits 0 when there is nothing to report', () => {
    const dir = folder('clean', { 'good.md': goodCase });
    const run = check([dir, '--format', 'json']);
    expect(run.status).toBe(0);
    expect(parseJson(run)).toEqual([]);
  });

  it('exits 0 when there are warnings only', () => {
    const dir = folder('warnings', { 'w.md': fixture('rationale-order') });
    const run = check([dir, '--format', 'json']);
    expect(run.status).toBe(0);
    expect(parseJson(run).map((d) => d.severity)).toEqual(['warning']);
  });

  it('prints GitHub annotations with --format github', () => {
    const dir = folder('github', { 'a.md': fixture('bad-enum-decision'), 'b.md': fixture('yaml-inline-comment') });
    const run = check([dir, '--format', 'github']);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(2);
    for (const line of lines) expect(line.startsWith('::error file=')).toBe(true);
    expect(lines[0]).toContain('line=22,col=15,endLine=22,endColumn=21,title=bad-enum::');
  });

  it('chooses the GitHub format by default when GITHUB_ACTIONS=true', () => {
    const dir = folder('actions', { 'a.md': fixture('bad-enum-decision') });
    const run = check([dir], { GITHUB_ACTIONS: 'true' });
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.startsWith('::error file=')).toBe(true);

    const explicit = check([dir, '--format', 'json'], { GITHUB_ACTIONS: 'true' });
    expect(parseJson(explicit).map((d) => d.rule)).toEqual(['bad-enum']);

    const local = check([dir]);
    expect(local.stdout.startsWith('::')).toBe(false);
  });

  it('exits 1 on a path that does not exist', () => {
    const missing = path.join(tmp, 'no-such-folder');
    const run = check([missing, '--format', 'json']);
    expect(run.status).toBe(1);
    expect(parseJson(run).map((d) => [d.file, d.rule])).toEqual([[missing, 'not-found']]);
  });

  it('exits 1 when two files hold the same case revision', () => {
    const dir = folder('duplicate', { 'one.md': goodCase, 'two.md': goodCase });
    const run = check([dir, '--format', 'json']);
    expect(run.status).toBe(1);
    expect(parseJson(run).map((d) => [path.basename(d.file), d.rule])).toEqual([['two.md', 'duplicate-case']]);
  });

  it('exits 2 on an unknown format', () => {
    const run = check(['cases', '--format', 'xml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('xml');
  });
});
