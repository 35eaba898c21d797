/**
 * Nothing lost on the page (issue 11, item 5): a word too long for its line breaks
 * rather than shrinking or clipping the page, and a page that would still shrink or clip
 * fails its letter with a positioned `page-overflow` error. Real Chromium, real PDFs,
 * read back with poppler (`pdftotext -bbox`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, appendFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/commands/build.js';
import { breakRuns, NOBR_MAX } from '../src/render/markdown.js';
import { SLOW, projectInputs, root, setup } from './helpers.js';

const seed = readFileSync(path.join(root, 'cases', 'CM15-0900001.md'), 'utf8');
const SUMMARY_END = 'He has had chiropractic care for\nthis injury.';

const TOKEN = 'A'.repeat(5000);
const CHAIN = Array.from({ length: 300 }, () => '10-30-2016').join('-');
const URL_ = `https://example.com/${Array.from({ length: 400 }, (_, i) => `segment${i}`).join('/')}`;
const LONG_NAME = `Q${'x'.repeat(400)}`;

/** The seed as case `CM15-09000NN` (final: no draft watermark in the text), with `extra` at the end of its summary. */
function variant(n: number, extra = '', edit: (s: string) => string = (s) => s): string {
  const s = seed.replace('case: CM15-0900001', `case: CM15-09${String(n).padStart(5, '0')}`);
  expect(s).toContain(SUMMARY_END);
  return edit(s.replace(SUMMARY_END, `${SUMMARY_END} ${extra}`));
}

/** The seed with 60 items, each with its rationale. */
function sixtyItems(n: number): string {
  const s = variant(n);
  const start = s.indexOf('  - id: norco\n');
  const end = s.indexOf('\nparties:', start) + 1;
  const block = s.slice(start, end);
  const items = Array.from({ length: 60 }, (_, i) => block.replace('id: norco', `id: norco-${i}`).replace('Norco 10/325mg #120', `Norco 10/325mg #${i + 1}`)).join('');
  const bodyAt = s.indexOf('# Rationale: norco');
  const rationale = s.slice(bodyAt).trimEnd();
  const rationales = Array.from({ length: 60 }, (_, i) => `${rationale.replace('# Rationale: norco', `# Rationale: norco-${i}`)}\n\n`).join('');
  return s.slice(0, start) + items + s.slice(end, bodyAt) + rationales;
}

interface Word {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Every word of a PDF with its box, in points (poppler's `pdftotext -bbox`). */
function words(pdf: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5]!.replace(/&amp;/g, '&'),
  }));
}

/** The body text of a PDF without spaces, line breaks or the page footers. */
function bodyText(pdf: string): string {
  const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return text
    .split(/\n|\f/)
    .filter((l) => !/ — Page \d+ of \d+$/.test(l))
    .join('')
    .replace(/\s+/g, '');
}

const pages = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);

describe('nothing lost on the page', () => {
  let dir: string;
  let result: BuildResult;
  let reference: Word[];
  const pdf = (n: number, edition: 'letter' | 'public') => {
    const c = `CM15-09${String(n).padStart(5, '0')}`;
    return path.join(dir, 'out', 'letters', c, 'v1', `${c}-v1-${edition}.pdf`);
  };

  setup(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'imr-fit-'));
    const cases = path.join(dir, 'cases');
    mkdirSync(cases);
    writeFileSync(path.join(cases, 'ref.md'), variant(1));
    writeFileSync(path.join(cases, 'token.md'), variant(2, TOKEN));
    writeFileSync(path.join(cases, 'chain.md'), variant(3, CHAIN));
    writeFileSync(path.join(cases, 'url.md'), variant(4, `See <${URL_}>.`));
    writeFileSync(
      path.join(cases, 'cover.md'),
      variant(5, '', (s) => s.replace('claimNumber: EX-0000-000001', `claimNumber: "${'9'.repeat(300)}"`).replace('name: Sample A. Worker', `name: ${LONG_NAME}`).replace('request: "Norco 10/325mg #120"', `request: "Norco-${'7'.repeat(600)}"`)),
    );
    writeFileSync(path.join(cases, 'sixty.md'), sixtyItems(6));
    result = await build({ paths: [cases], out: path.join(dir, 'out'), ...projectInputs, workers: 0, concurrency: 2 });
    if (process.env.DEBUG_FIT) console.log(JSON.stringify(result.diagnostics, null, 1).slice(0, 3000));
    reference = words(pdf(1, 'public'));
  }, SLOW);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds every letter, without an error', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.letters.map((l) => l.state)).toEqual(Array(6).fill('built'));
  });

  it.each([
    [2, 'a 5,000-character token', TOKEN],
    [3, 'a chain of 300 hyphenated dates', CHAIN],
    [4, 'a 4,300-character URL', URL_],
  ])('prints every character of %s in both editions (case %#)', (n, _what, text) => {
    for (const edition of ['letter', 'public'] as const) {
      const body = bodyText(pdf(n as number, edition));
      expect(body).toContain(text as string);
    }
  });

  it('prints the long claim number, name and request of the cover whole', () => {
    const body = bodyText(pdf(5, 'letter'));
    expect(body).toContain('9'.repeat(300));
    expect(body).toContain(LONG_NAME);
    expect(body).toContain(`Norco-${'7'.repeat(600)}`);
  });

  it.each([2, 3, 4, 5, 6])('case %i: no word outside the page\'s text column, and the type is not shrunk', (n) => {
    // Body words of the reference letter are 12 pt Tinos: the same height here means no page was shrunk.
    const height = (ws: Word[]) => {
      const w = ws.find((x) => x.text === 'hydrocodone');
      expect(w).toBeDefined();
      return w!.yMax - w!.yMin;
    };
    for (const edition of ['letter', 'public'] as const) {
      const ws = words(pdf(n, edition));
      expect(ws.length).toBeGreaterThan(100);
      // Letter paper, 72 pt margin on the left (the header block hangs 5.8 pt into it), 66 pt on the right.
      expect(Math.max(...ws.map((w) => w.xMax))).toBeLessThanOrEqual(612 - 66 + 0.5);
      expect(Math.min(...ws.map((w) => w.xMin))).toBeGreaterThanOrEqual(72 - 6.5);
      expect(height(ws)).toBeCloseTo(height(reference), 1);
    }
  });

  it('a 60-item letter keeps every item and page', () => {
    const body = bodyText(pdf(6, 'public'));
    for (let i = 1; i <= 60; i++) expect(body).toContain(`Norco10/325mg#${i}:Upheld`);
    expect(pages(pdf(6, 'public'))).toBeGreaterThan(30);
  });
});

describe('a page that would shrink or clip fails its letter, at the word', () => {
  let dir: string;

  setup(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'imr-overflow-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports page-overflow at the token\'s line and column, and writes nothing for that letter', async () => {
    // A style that forbids breaking long words: what the detection exists for.
    const styles = path.join(dir, 'styles');
    cpSync(projectInputs.styles, styles, { recursive: true });
    appendFileSync(path.join(styles, 'letter.css'), '\nhtml { overflow-wrap: normal; }\n');
    const cases = path.join(dir, 'cases');
    mkdirSync(cases);
    const text = variant(7, TOKEN);
    writeFileSync(path.join(cases, 'token.md'), text);
    writeFileSync(path.join(cases, 'fine.md'), variant(8));
    const out = path.join(dir, 'out');
    const result = await build({ paths: [cases], out, ...projectInputs, styles, workers: 0, concurrency: 1 });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.rule)).toEqual(['page-overflow']);
    const [e] = errors;
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('AAAA')) + 1;
    expect([e!.file, e!.line, e!.column]).toEqual([path.join(cases, 'token.md'), line, lines[line - 1]!.indexOf('AAAA') + 1]);
    expect(e!.message).toMatch(/^The word `A{60}…` \(in summary\), 5000 characters, reaches \d+ pt past the edge of the (letter|public) edition's page/);
    expect(result.letters.map((l) => [l.case, l.state])).toEqual([
      ['CM15-0900007', 'failed'],
      ['CM15-0900008', 'built'],
    ]);
    expect(existsSync(path.join(out, 'letters', 'CM15-0900007'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { letters: { case: string }[] };
    expect(manifest.letters.map((l) => l.case)).toEqual(['CM15-0900008']);
  }, SLOW);

  it('reports a box wider than the page (no text of its own past the edge) at the revision line', async () => {
    const styles = path.join(dir, 'styles-box');
    cpSync(projectInputs.styles, styles, { recursive: true });
    appendFileSync(path.join(styles, 'letter.css'), "\n.summary::after { content: ''; display: block; width: 800pt; height: 1pt; }\n");
    const cases = path.join(dir, 'cases-box');
    mkdirSync(cases);
    const text = variant(9);
    writeFileSync(path.join(cases, 'box.md'), text);
    const result = await build({ paths: [cases], out: path.join(dir, 'out-box'), ...projectInputs, styles, workers: 0, concurrency: 1 });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.rule, d.line])).toEqual([['page-overflow', text.split('\n').findIndex((l) => l.startsWith('revision:')) + 1]]);
    expect(errors[0]!.message).toMatch(/^The box `html` reaches \d+ pt past the edge of the (letter|public) edition's page/);
    expect(result.letters.map((l) => l.state)).toEqual(['failed']);
  }, SLOW);
});

describe('no-break spans of hyphenated digit words', () => {
  it(`keeps a word of up to ${NOBR_MAX} characters whole, and lets a longer one break`, () => {
    expect(breakRuns('on 10-30-2016.')).toEqual([{ text: 'on ', nobr: false }, { text: '10-30-2016.', nobr: true }]);
    const long = '10-30-2016-11-30-2016-12-30-2016';
    expect(breakRuns(`x ${long}`)).toEqual([{ text: 'x ', nobr: false }, { text: long, nobr: false }]);
    const fits = 'x'.repeat(NOBR_MAX - 3) + '1-2';
    expect(breakRuns(fits)).toEqual([{ text: fits, nobr: true }]);
  });
});
