/**
 * The in-place PDF patch: dates and structure ids rewritten at the same width, the
 * document information appended as an incremental update that poppler reads, and the
 * page count.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Printer } from '../src/print/printer.js';
import { letterDate, pdfDate, pdfString, pinMetadata, renumberNodeIds } from '../src/print/metadata.js';
import { setup } from './helpers.js';

describe('PDF metadata, pure parts', () => {
  it('formats dates as Chromium does, so widths match', () => {
    expect(pdfDate(new Date('2016-12-30T12:00:00Z'))).toBe("D:20161230120000+00'00'");
  });
  it('escapes literal strings and writes UTF-16 for the rest', () => {
    expect(pdfString('a (b) \\ c')).toBe('(a \\(b\\) \\\\ c)');
    expect(pdfString('Niño')).toBe('<FEFF004E006900F1006F>');
  });
  it('renumbers node ids in order of first appearance, keeping their width', () => {
    expect(renumberNodeIds('(node00000367) (node00000370) (node00000367)')).toBe('(node00000001) (node00000002) (node00000001)');
  });
  it('takes the date from SOURCE_DATE_EPOCH when set, else the decision date', () => {
    expect(letterDate('2016-12-30', {}).toISOString()).toBe('2016-12-30T12:00:00.000Z');
    expect(letterDate('2016-12-30', { SOURCE_DATE_EPOCH: '0' }).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('PDF metadata on a real Chromium PDF', () => {
  let raw: Uint8Array;
  let dir: string;
  setup(async () => {
    const printer = await Printer.start({ pages: 1 });
    try {
      const html = '<!DOCTYPE html><html lang="en-US"><head><title>Chromium title</title><style>@page{size:Letter;margin:1in}</style></head><body><h1>One</h1><p style="break-after:page">a</p><h1>Two</h1><table><tr><th scope="row">H</th><td>d</td></tr></table></body></html>';
      raw = (await printer.print({ path: 't.html', html, files: new Map() })).pdf;
    } finally {
      await printer.close();
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'imr-meta-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Chromium writes the clock, which the patch replaces', async () => {
    const text = Buffer.from(raw).toString('latin1');
    expect(text).toMatch(/\/CreationDate \(D:\d{14}\+00'00'\)/);
    const { bytes, pages } = pinMetadata(raw, { title: 'IMR Final Determination CM16-0000001', subject: 'Subject (with parens)', keywords: ['CM16-0000001', 'upheld'], date: new Date('2016-12-30T12:00:00Z'), creator: 'imr-letters test' });
    expect(pages).toBe(2);
    const out = Buffer.from(bytes).toString('latin1');
    expect(out).not.toMatch(/D:(?!20161230120000)\d{14}/);
    const file = path.join(dir, 'pinned.pdf');
    await writeFile(file, bytes);
    const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+IMR Final Determination CM16-0000001/);
    expect(info).toMatch(/Subject:\s+Subject \(with parens\)/);
    expect(info).toMatch(/Keywords:\s+CM16-0000001, upheld/);
    expect(info).toMatch(/CreationDate:\s+2016-12-30T12:00:00/);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Pages:\s+2/);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Two');
    // The same input gives the same bytes.
    expect(Buffer.from(pinMetadata(raw, { title: 'IMR Final Determination CM16-0000001', subject: 'Subject (with parens)', keywords: ['CM16-0000001', 'upheld'], date: new Date('2016-12-30T12:00:00Z'), creator: 'imr-letters test' }).bytes)).toEqual(Buffer.from(bytes));
  });
});
