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

describe('artifacts, pure', () => {
  it('wraps text objects and painted paths outside marked content, leaving tagged content, clips and state alone', async () => {
    const { markArtifacts } = await import('../src/print/artifacts.js');
    const content = ['q', '1 1 1 rg', '0 0 612 792 re', 'f', '0 0 10 10 re', 'W* n', 'BT', '/F1 8 Tf', '<0001> Tj', 'ET', '/P <</MCID 0 >>BDC', 'BT', '<0002> Tj', 'ET', '0 0 1 1 re', 'f', 'EMC', 'Q'].join('\n');
    expect(markArtifacts(content).split('\n')).toEqual([
      'q', '1 1 1 rg', '/Artifact BMC', '0 0 612 792 re', 'f', 'EMC', '0 0 10 10 re', 'W* n',
      '/Artifact BMC', 'BT', '/F1 8 Tf', '<0001> Tj', 'ET', 'EMC',
      '/P <</MCID 0 >>BDC', 'BT', '<0002> Tj', 'ET', '0 0 1 1 re', 'f', 'EMC', 'Q',
    ]);
  });
  it('refuses a content stream in a shape it does not know', async () => {
    const { markArtifacts } = await import('../src/print/artifacts.js');
    expect(() => markArtifacts('BT\n/P <</MCID 0 >>BDC\n<01> Tj\nEMC\nET')).toThrow(/marked content inside an untagged text object/);
    expect(() => markArtifacts('<01> Tj')).toThrow(/outside a text object/);
    expect(() => markArtifacts('/P <</MCID 0 >>BDC\nBT\nET')).toThrow(/left open/);
    expect(() => markArtifacts('0 0 1 1 re\nQ')).toThrow(/a path ended by `Q`/);
  });
});

describe('sRGB profile and XMP, pure', () => {
  it('the ICC profile has a consistent header and the sRGB tone curve', async () => {
    const { srgbProfile } = await import('../src/print/srgb.js');
    const icc = srgbProfile();
    expect(icc.readUInt32BE(0)).toBe(icc.length);
    expect(icc.subarray(12, 24).toString('latin1')).toBe('mntrRGB XYZ ');
    expect(icc.subarray(36, 40).toString('latin1')).toBe('acsp');
    const tags = new Map<string, number>();
    for (let i = 0; i < icc.readUInt32BE(128); i++) tags.set(icc.subarray(132 + 12 * i, 136 + 12 * i).toString('latin1'), icc.readUInt32BE(136 + 12 * i));
    expect([...tags.keys()].sort()).toEqual(['bTRC', 'bXYZ', 'cprt', 'desc', 'gTRC', 'gXYZ', 'rTRC', 'rXYZ', 'wtpt']);
    const trc = tags.get('rTRC')!;
    expect(icc.subarray(trc, trc + 4).toString('latin1')).toBe('curv');
    // sRGB 50% grey is 21.4% linear light.
    expect(icc.readUInt16BE(trc + 12 + 2 * Math.round(0.5 * 1023)) / 65535).toBeCloseTo(0.214, 2);
    expect(srgbProfile().equals(icc)).toBe(true);
  });
  it('XMP escapes values and writes dates as the information dictionary does', async () => {
    const { xmpPacket, xmpDate } = await import('../src/print/xmp.js');
    expect(xmpDate(new Date('2017-01-06T12:00:00Z'))).toBe('2017-01-06T12:00:00Z');
    const xmp = xmpPacket({ title: 'A <b> & "c"', subject: 's', keywords: 'Evaluation & Management', creator: 'x', date: new Date('2017-01-06T12:00:00Z'), lang: 'en-US' });
    expect(xmp).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(xmp).toContain('<pdf:Keywords>Evaluation &amp; Management</pdf:Keywords>');
  });
});
