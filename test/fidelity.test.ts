/**
 * Fidelity: the public edition of each case that reproduces a real posted decision (or
 * a seed letter) carries every word of the original, in order (`fidelity.py`, from the
 * shared folder beside the project), and a real decision prints on as many pages as the
 * original PDF.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, hasErrors, type BuildResult } from '../src/build/index.js';
import { CHILD_TIMEOUT, SLOW, projectInputs, root, setup } from './helpers.js';

const shared = path.resolve(root, '../shared');
const fidelityPy = path.join(shared, 'tools', 'fidelity.py');
const corpus = path.join(shared, 'corpus', 'dwc-imr-2016-2017');
const seeds = path.join(shared, 'seeds');
const haveTool = existsSync(fidelityPy);
const haveCorpus = haveTool && existsSync(corpus);
const haveSeeds = haveTool && existsSync(seeds);

const CORPUS_CASES = ['CM16-0229336', 'CM16-0233904', 'CM16-0247802', 'CM17-0014449'];
const SEED_CASES: [string, string][] = [
  ['CM15-0900001', '000_3a85e0d817fa885a.txt'],
  ['CM15-0900002', '001_4beec6c51250d3bc.txt'],
];

const publicPdf = (out: string, c: string) => path.join(out, 'letters', c, 'v1', `${c}-v1-public.pdf`);

function fidelity(reference: string, candidate: string): { status: number | null; output: string } {
  const r = spawnSync('python3', [fidelityPy, reference, candidate], { encoding: 'utf8', timeout: CHILD_TIMEOUT });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function pages(pdf: string): number {
  const m = /^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }));
  expect(m, `pdfinfo ${pdf}`).not.toBeNull();
  return Number(m![1]);
}

describe('fidelity of the built letters', () => {
  it('has the fidelity tool, the corpus and the seeds beside the repository (../shared)', () => {
    expect({ haveTool, haveCorpus, haveSeeds }).toEqual({ haveTool: true, haveCorpus: true, haveSeeds: true });
  });

  let out: string;
  let result: BuildResult;
  let savedEpoch: string | undefined;

  setup(async () => {
    savedEpoch = process.env.SOURCE_DATE_EPOCH;
    delete process.env.SOURCE_DATE_EPOCH;
    out = await mkdtemp(path.join(os.tmpdir(), 'imr-fidelity-'));
    result = await build({
      paths: [path.join(root, 'cases')],
      out,
      editions: ['public'],
      ...projectInputs,
    });
  }, SLOW);

  afterAll(async () => {
    if (savedEpoch !== undefined) process.env.SOURCE_DATE_EPOCH = savedEpoch;
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('builds every case', () => {
    expect(hasErrors(result.diagnostics)).toBe(false);
    for (const c of [...CORPUS_CASES, ...SEED_CASES.map(([c]) => c)]) {
      expect(result.letters.find((l) => l.case === c)?.state, c).toBe('built');
    }
  });

  describe('real posted decisions', () => {
    it.each(CORPUS_CASES)(
      '%s: every word of the original, in order, on as many pages',
      (c) => {
        const built = publicPdf(out, c);
        const { status, output } = fidelity(path.join(corpus, 'txt', `${c}.txt`), built);
        expect(output).toContain('100.00%');
        expect(output).toContain('PASS');
        expect(status, output).toBe(0);
        expect(pages(built)).toBe(pages(path.join(corpus, 'pdf', `${c}.pdf`)));
      },
      SLOW,
    );
  });

  describe('seed letters', () => {
    it.each(SEED_CASES)(
      '%s: every word of seed %s, in order',
      (c, seed) => {
        const { status, output } = fidelity(path.join(seeds, seed), publicPdf(out, c));
        expect(output).toContain('100.00%');
        expect(status, output).toBe(0);
      },
      SLOW,
    );
  });
});
