/**
 * Errors that stop a command: every class derives from `ImrError`, and what the user
 * reads is the message, its hint and its causes, never a class name.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../src/errors.js';
import { ArchiveError, BuildError, formatError, ImrError, OutputError, UsageError } from '../src/errors.js';
import { ExtractError } from '../src/import/pdftext.js';
import { PdfPatchError } from '../src/print/metadata.js';
import { PrintError } from '../src/print/printer.js';
import { DiffError } from '../src/diff/revisions.js';
import { BuildStopped } from '../src/build/index.js';
import { CHILD_TIMEOUT, root } from './helpers.js';

describe('errors', () => {
  it('every error class derives from ImrError and keeps a stable name', () => {
    const made = [
      new ExtractError('x', 'h'),
      new PdfPatchError('x'),
      new PrintError('x'),
      new DiffError('x'),
      new BuildStopped(),
      ...(Object.values(errors) as unknown[])
        .filter((v): v is new (m: string) => Error => typeof v === 'function' && v.prototype instanceof ImrError)
        .map((C) => new C('x')),
    ];
    expect(made.length).toBeGreaterThanOrEqual(12);
    for (const e of made) {
      expect(e).toBeInstanceOf(ImrError);
      expect(e.name).toMatch(/^[A-Z][A-Za-z]+$/);
    }
    expect(new ExtractError('x', 'install it').hint).toBe('install it');
  });

  it('formats the message, the hint and the causes, never a class name', () => {
    const e = new OutputError('Cannot write out/a.pdf', { cause: new ArchiveError('inner', { cause: new TypeError('deepest') }), hint: 'Check the disk.' });
    const text = formatError(e);
    expect(text).toBe('Cannot write out/a.pdf\n  Check the disk.\n  caused by: inner\n    caused by: deepest');
    for (const name of ['OutputError', 'ArchiveError', 'TypeError', 'BuildError', 'UsageError']) expect(text).not.toContain(name);
    expect(formatError(new BuildError('b'))).toBe('b');
    expect(formatError(new UsageError('u'))).toBe('u');
  });

  it('a usage error on the command line says what is wrong, exits 2, and names no class', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/imr-letters.js'), 'build', 'cases', '--shard', '5/2', '--out', path.join(root, '.cache/never')], { cwd: root, encoding: 'utf8', timeout: CHILD_TIMEOUT });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('imr-letters: --shard 5/2: expected k/n');
    expect(r.stderr).not.toMatch(/[A-Z][a-z]+Error/);
  });
});
