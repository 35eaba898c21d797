/**
 * The round trip on the real posted decisions (`../shared/corpus/dwc-imr-2016-2017`,
 * when it is there): import every PDF, build the public editions, compare each with
 * the original's text (`fidelity.py`). The goal: at least 98% of the letters carry
 * 100% of the original's words, none fewer than 99%. `npm run roundtrip` prints the
 * same figures as a table.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRoundtrip, inHalf, lineEnds, runRoundtrip, type RoundtripReport } from '../src/commands/roundtrip.js';
import { root, setup } from './helpers.js';

const corpus = path.resolve(root, '../shared/corpus/dwc-imr-2016-2017');
const fidelity = path.resolve(root, '../shared/tools/fidelity.py');
const haveCorpus = existsSync(path.join(corpus, 'pdf')) && existsSync(fidelity);

describe('round trip measures', () => {
  it('counts the original\'s body line ends that ours has at the same word, past our footers', () => {
    const original = 'Case Number: CM16-0000001\nCLINICAL CASE SUMMARY\nOne two three\nfour five.  Six\fseven eight\n';
    expect(lineEnds(original, 'MAXIMUS\nCLINICAL CASE SUMMARY\nOne two three\nfour five. Six seven\nCM16-0000001 — Page 1 of 2\feight\n')).toEqual({ ends: 4, same: 3 });
    expect(lineEnds(original, original)).toEqual({ ends: 4, same: 4 });
  });

  it('splits a corpus by the last digit of the case number', () => {
    expect(['CM16-0213037.pdf', 'CM16-0219552.pdf', 'x.pdf'].map((f) => [inHalf(f, 'odd'), inHalf(f, 'even'), inHalf(f, undefined)])).toEqual([
      [true, false, true],
      [false, true, true],
      [false, false, true],
    ]);
  });
});

describe('round trip: posted PDFs → case files → public editions', () => {
  it('has the corpus and the fidelity tool beside the repository (../shared)', () => {
    expect(haveCorpus).toBe(true);
  });

  let report: RoundtripReport;
  let text = '';

  setup(async () => {
    const saved = process.env.SOURCE_DATE_EPOCH;
    delete process.env.SOURCE_DATE_EPOCH;
    try {
      report = await runRoundtrip({ folder: corpus, fidelity });
      text = formatRoundtrip(report);
    } finally {
      if (saved !== undefined) process.env.SOURCE_DATE_EPOCH = saved;
    }
  }, 1_200_000); // the whole corpus through real Chromium: minutes on a loaded machine

  it('imports and builds every letter: none refused', () => {
    // (The import's speed is a bench figure, not asserted here: the brief's rule.)
    const failed = report.letters.filter((l) => l.state !== 'compared');
    expect(failed.map((l) => `${l.case}: ${l.state} ${l.problems.join(' | ')}`)).toEqual([]);
    expect(report.total).toBeGreaterThanOrEqual(150);
    expect(report.refused).toBe(0);
    expect(report.items).toBeGreaterThanOrEqual(300);
  });

  it('keeps the originals\' line breaks: at least 99% of their body line ends', () => {
    const ends = report.letters.reduce((n, l) => n + l.lineEnds, 0);
    const same = report.letters.reduce((n, l) => n + l.sameLineEnds, 0);
    expect(same / ends, text).toBeGreaterThanOrEqual(0.99);
  });

  it('imports its own public editions back to the same case files, all but 1%', () => {
    // A hyphen followed by a space ("Low Back- Lumbar") that our layout puts at a line's
    // end reads back without the space: the layout text cannot tell the two apart.
    const compared = report.letters.filter((l) => l.state === 'compared').length;
    expect(report.reimportDiffer.length, report.reimportDiffer.join(', ')).toBeLessThanOrEqual(Math.floor(compared / 100));
  });

  it('reproduces every letter at 99% of its words or more', () => {
    const below = report.letters.filter((l) => l.coverage < 99);
    expect(below.map((l) => `${l.case} ${l.coverage.toFixed(2)}%`), text).toEqual([]);
  });

  it('reproduces at least 98% of the letters at 100% of their words', () => {
    expect(report.at100 / report.total, text).toBeGreaterThanOrEqual(0.98);
  });
});
