/**
 * The round trip: `npm run roundtrip -- <corpus folder> [--keep DIR] [--json FILE]`
 *
 * Imports every posted decision of the folder from its PDF (`<folder>/pdf/*.pdf`, or
 * the PDFs directly in it) into a temporary folder, builds their public editions with
 * `build()`, and compares each with the original's text (`<folder>/txt/<case>.txt`, or
 * `pdftotext -layout` of the PDF when there is none) using `fidelity.py`. Prints a
 * table (case, coverage, inserted words, pages ours/original), the totals and the
 * worst differences. Exits 1 when the goal is missed: at least 98% of the letters at
 * 100% of their words, none below 99%, every letter imported and built.
 * `--styles DIR` / `--templates DIR` build with other styles or templates, to measure
 * a layout change before making it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from '../build/index.js';
import { importFiles, importSummary } from './import.js';
import { VERSION } from '../version.js';
import type { Diagnostic } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { z } from 'zod';

const run = promisify(execFile);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RoundtripOptions {
  /** The corpus folder: `pdf/` and `txt/` inside, or PDFs directly in it. */
  folder: string;
  /** Keep the case files and letters in this folder (default: a temporary folder, removed). */
  keep?: string;
  /** `fidelity.py` (default `../shared/tools/fidelity.py` beside the project). */
  fidelity?: string;
  /**
   * Only the letters whose case number ends in an odd or an even digit (default: all).
   * Issue 17's honesty protocol: develop on one half, measure the other.
   */
  half?: 'odd' | 'even';
  /** Letters printed at once (default 2). */
  concurrency?: number;
  /** Styles folder for the build (default the project's `styles/`): to try a layout change. */
  styles?: string;
  /** Templates folder for the build (default the project's `templates/`). */
  templates?: string;
  /** Goal: share of letters at 100% of their words (default 0.98). */
  minShareAt100?: number;
  /** Goal: lowest coverage allowed, in percent (default 99). */
  minCoverage?: number;
  log?: (line: string) => void;
}

const differenceSchema = z.object({ kind: z.string(), reference: z.string(), candidate: z.string() });
export type Difference = z.infer<typeof differenceSchema>;

/** What `fidelity.py --json` prints, validated. */
const fidelityReport = z.object({ coverage: z.number(), matched: z.number(), reference_words: z.number(), inserted: z.number(), pages: z.number(), differences: z.array(differenceSchema) });

export interface LetterFidelity {
  case: string;
  /** `compared`, or where it stopped: `import failed`, `build failed`, `compare failed`. */
  state: 'compared' | 'import failed' | 'build failed' | 'compare failed';
  coverage: number;
  matched: number;
  referenceWords: number;
  inserted: number;
  pages: number;
  originalPages: number;
  differences: Difference[];
  problems: string[];
  /** The original's body line ends, and how many of them ours has at the same word (`lineEnds`). */
  lineEnds: number;
  sameLineEnds: number;
}

export interface RoundtripReport {
  letters: LetterFidelity[];
  total: number;
  at100: number;
  samePages: number;
  lowest: LetterFidelity | undefined;
  importMs: number;
  buildMs: number;
  compareMs: number;
  /** Letters the importer refused (no case file). */
  refused: number;
  /** Items imported with `category: unknown` (the request's words and guidelines did not tell it), and all items. */
  unknownCategories: number;
  items: number;
  /** Built public editions imported again whose case file is the same (comments aside): the import is a fixed point. */
  reimportSame: number;
  /** Cases whose re-imported case file differs, or that did not import again. */
  reimportDiffer: string[];
  ok: boolean;
  /** Why the goal is missed (empty when it is met). */
  misses: string[];
}

/** Whether a file's name (its case number) ends in a digit of that half; a name without a final digit is in neither. */
export function inHalf(file: string, half: 'odd' | 'even' | undefined): boolean {
  if (!half) return true;
  const d = /(\d)\.[a-z]+$/i.exec(path.basename(file))?.[1];
  return d !== undefined && (Number(d) % 2 === 1) === (half === 'odd');
}

async function listPdfs(folder: string, half?: 'odd' | 'even'): Promise<{ pdfDir: string; txtDir: string | undefined; pdfs: string[] }> {
  const pdfDir = existsSync(path.join(folder, 'pdf')) ? path.join(folder, 'pdf') : folder;
  const txtDir = existsSync(path.join(folder, 'txt')) ? path.join(folder, 'txt') : undefined;
  const pdfs = (await readdir(pdfDir)).filter((n) => /\.pdf$/i.test(n) && inHalf(n, half)).sort().map((n) => path.join(pdfDir, n));
  return { pdfDir, txtDir, pdfs };
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * How many of the original's line ends (in the body, from CLINICAL CASE SUMMARY on) our
 * letter has at the same word: both layout texts as words, each flagged when it ends a
 * line; the two word sequences are walked together (our footer lines left out), and a
 * word that differs is skipped by looking a few words ahead. Pure.
 */
export function lineEnds(reference: string, ours: string): { ends: number; same: number } {
  const words = (text: string) => {
    const out: { w: string; end: boolean }[] = [];
    for (const line of text.replace(/\f/g, '\n').split('\n')) {
      if (/^\s*CM\d{2}-\d{7}\b.*Page \d+ of \d+\s*$/.test(line)) continue;
      const ws = line.split(/\s+/).filter(Boolean);
      ws.forEach((w, i) => out.push({ w, end: i === ws.length - 1 }));
    }
    const start = out.findIndex((x) => x.w === 'CLINICAL');
    return start < 0 ? out : out.slice(start);
  };
  const a = words(reference);
  const b = words(ours);
  let ends = 0;
  let same = 0;
  let j = 0;
  for (let i = 0; i < a.length && j < b.length; i++) {
    if (a[i]!.w !== b[j]!.w) {
      const k = b.slice(j, j + 12).findIndex((x, n) => x.w === a[i]!.w && b[j + n + 1]?.w === a[i + 1]?.w);
      if (k < 0) continue;
      j += k;
    }
    if (a[i]!.end) {
      ends++;
      if (b[j]!.end) same++;
    }
    j++;
  }
  return { ends, same };
}

const pageCount = (layout: string) => Math.max(1, (layout.match(/\f/g) ?? []).length + (layout.endsWith('\f') ? 0 : 1));

export async function runRoundtrip(options: RoundtripOptions): Promise<RoundtripReport> {
  const log = options.log ?? (() => undefined);
  const fidelity = options.fidelity ?? path.resolve(projectRoot, '..', 'shared', 'tools', 'fidelity.py');
  if (!existsSync(fidelity)) throw new InputError(`fidelity.py not found at ${fidelity}`);
  const { txtDir, pdfs } = await listPdfs(options.folder, options.half);
  if (!pdfs.length) throw new InputError(`No PDF in ${options.folder} (or its pdf/ folder)`);
  const work = options.keep ? path.resolve(options.keep) : await mkdtemp(path.join(os.tmpdir(), 'imr-roundtrip-'));
  const casesDir = path.join(work, 'cases');
  const outDir = path.join(work, 'out');
  await mkdir(casesDir, { recursive: true });
  try {
    // 1. Import every PDF.
    const imported = await importFiles({ paths: pdfs, into: casesDir, force: true, config: path.join(projectRoot, 'imr-letters.config.yaml') });
    log(importSummary(imported));
    // 2. Build the public editions.
    const t1 = performance.now();
    const built = await build({
      paths: [casesDir],
      out: outDir,
      editions: ['public'],
      config: path.join(projectRoot, 'imr-letters.config.yaml'),
      templates: options.templates ?? path.join(projectRoot, 'templates'),
      styles: options.styles ?? path.join(projectRoot, 'styles'),
      concurrency: options.concurrency ?? 2,
      generator: `imr-letters ${VERSION}`,
    });
    const buildMs = performance.now() - t1;
    log(`${built.letters.filter((l) => l.state === 'built').length} public editions built in ${(buildMs / 1000).toFixed(1)} s`);
    const errorsOf = (list: readonly Diagnostic[], pred: (d: Diagnostic) => boolean) => list.filter((d) => d.severity === 'error' && pred(d)).map((d) => `${d.rule}: ${d.message} (line ${d.line})`);

    // 3. Compare each with its original.
    const t2 = performance.now();
    const letters: LetterFidelity[] = [];
    await pool(imported.files, 4, async (f) => {
      const name = path.basename(f.file).replace(/\.pdf$/i, '');
      const caseNumber = f.caseNumber ?? name;
      const ref = txtDir && existsSync(path.join(txtDir, `${name}.txt`)) ? path.join(txtDir, `${name}.txt`) : undefined;
      const refText = ref ? await readFile(ref, 'utf8') : (await run('pdftotext', ['-layout', f.file, '-'], { maxBuffer: 64 << 20 })).stdout;
      const entry: LetterFidelity = {
        case: caseNumber,
        state: 'compared',
        coverage: 0,
        matched: 0,
        referenceWords: 0,
        inserted: 0,
        pages: 0,
        originalPages: pageCount(refText),
        differences: [],
        problems: [],
        lineEnds: 0,
        sameLineEnds: 0,
      };
      letters.push(entry);
      if (f.state === 'failed' || f.state === 'skipped') {
        entry.state = 'import failed';
        entry.problems = errorsOf(f.diagnostics, () => true);
        return;
      }
      const pdf = path.join(outDir, 'letters', caseNumber, 'v1', `${caseNumber}-v1-public.pdf`);
      if (!built.letters.some((l) => l.case === caseNumber && l.state === 'built') || !existsSync(pdf)) {
        entry.state = 'build failed';
        entry.problems = errorsOf(built.diagnostics, (d) => path.basename(d.file) === `${caseNumber}.md`);
        return;
      }
      let refFile = ref;
      if (!refFile) {
        refFile = path.join(work, `${caseNumber}.ref.txt`);
        await writeFile(refFile, refText);
      }
      try {
        const r = await run('python3', [fidelity, refFile, pdf, '--json'], { maxBuffer: 64 << 20 }).catch((e: { stdout?: string }) => {
          if (e.stdout) return { stdout: e.stdout }; // exit 1: below the tool's own bar, the JSON is still printed
          throw e;
        });
        const j = fidelityReport.parse(JSON.parse(r.stdout));
        const oursText = (await run('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 64 << 20 })).stdout;
        const le = lineEnds(refText, oursText);
        Object.assign(entry, { lineEnds: le.ends, sameLineEnds: le.same });
        Object.assign(entry, { coverage: j.coverage, matched: j.matched, referenceWords: j.reference_words, inserted: j.inserted, pages: j.pages, differences: j.differences.filter((d) => d.reference) });
      } catch (error) {
        entry.state = 'compare failed';
        entry.problems = [(error as Error).message];
      }
    });
    const compareMs = performance.now() - t2;

    // 4. Import the built public editions again: the same case files must come back.
    const builtPdfs = letters
      .filter((l) => l.state === 'compared')
      .map((l) => path.join(outDir, 'letters', l.case, 'v1', `${l.case}-v1-public.pdf`));
    const again = await importFiles({ paths: builtPdfs, into: path.join(work, 'reimported'), config: path.join(projectRoot, 'imr-letters.config.yaml') });
    const withoutComments = (t: string) => t.replace(/^#.*\n/gm, '');
    const reimportDiffer: string[] = [];
    let reimportSame = 0;
    for (const f of again.files) {
      const c = f.caseNumber ?? path.basename(f.file);
      const a = await readFile(path.join(casesDir, `${c}.md`), 'utf8').catch(() => undefined);
      const b = f.output ? await readFile(f.output, 'utf8').catch(() => undefined) : undefined;
      if (a !== undefined && b !== undefined && withoutComments(a) === withoutComments(b)) reimportSame++;
      else reimportDiffer.push(c);
    }
    letters.sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : 0));

    const compared = letters.filter((l) => l.state === 'compared');
    const at100 = compared.filter((l) => l.matched === l.referenceWords).length;
    const samePages = compared.filter((l) => l.pages === l.originalPages).length;
    const lowest = [...compared].sort((a, b) => a.coverage - b.coverage)[0];
    const minShare = options.minShareAt100 ?? 0.98;
    const minCoverage = options.minCoverage ?? 99;
    const misses: string[] = [];
    const notCompared = letters.length - compared.length;
    if (notCompared) misses.push(`${notCompared} letter(s) not imported or not built`);
    if (at100 < Math.ceil(minShare * letters.length)) misses.push(`${at100} of ${letters.length} letters at 100%, fewer than ${(minShare * 100).toFixed(0)}%`);
    const below = compared.filter((l) => l.coverage < minCoverage);
    if (below.length) misses.push(`${below.length} letter(s) below ${minCoverage}%: ${below.map((l) => l.case).join(', ')}`);
    const refused = imported.files.filter((f) => f.state === 'failed' || f.state === 'skipped').length;
    const unknownCategories = imported.diagnostics.filter((d) => d.rule === 'import-category').length;
    const items = imported.files.reduce((n, f) => n + f.items, 0);
    return { letters, total: letters.length, refused, unknownCategories, items, at100, samePages, lowest, importMs: imported.ms, buildMs, compareMs, reimportSame, reimportDiffer, ok: misses.length === 0, misses };
  } finally {
    if (!options.keep) await rm(work, { recursive: true, force: true });
  }
}

/** The report as text: the table, the totals and the worst differences. */
export function formatRoundtrip(r: RoundtripReport, options: { worst?: number } = {}): string {
  const lines: string[] = [];
  const pct = (n: number) => `${n.toFixed(2)}%`;
  lines.push(`${'case'.padEnd(14)}${'coverage'.padStart(9)}${'words'.padStart(12)}${'inserted'.padStart(10)}${'pages'.padStart(8)}  state`);
  for (const l of r.letters) {
    const pages = `${l.pages || '-'}/${l.originalPages}`;
    const state = l.state !== 'compared' ? l.state : l.matched === l.referenceWords ? (l.pages === l.originalPages ? 'ok' : 'ok, pages differ') : 'words differ';
    lines.push(
      `${l.case.padEnd(14)}${(l.state === 'compared' ? pct(l.coverage) : '-').padStart(9)}${`${l.matched}/${l.referenceWords}`.padStart(12)}${String(l.inserted).padStart(10)}${pages.padStart(8)}  ${state}`,
    );
  }
  lines.push('');
  const share = r.total ? (100 * r.at100) / r.total : 0;
  lines.push(`letters at 100% of their words: ${r.at100}/${r.total} (${share.toFixed(1)}%)`);
  lines.push(`letters refused by the import:  ${r.refused}/${r.total}`);
  lines.push(`items with unknown category:    ${r.unknownCategories}/${r.items}`);
  lines.push(`lowest coverage:                ${r.lowest ? `${pct(r.lowest.coverage)} (${r.lowest.case})` : '-'}`);
  const compared = r.letters.filter((l) => l.state === 'compared').length;
  lines.push(`same page count as original:    ${r.samePages}/${compared}`);
  const le = r.letters.reduce((acc, l) => ({ ends: acc.ends + l.lineEnds, same: acc.same + l.sameLineEnds }), { ends: 0, same: 0 });
  const leLetters = r.letters.filter((l) => l.state === 'compared' && l.sameLineEnds === l.lineEnds).length;
  lines.push(`original line ends reproduced:  ${le.same}/${le.ends} (${le.ends ? ((100 * le.same) / le.ends).toFixed(2) : '0.00'}%); letters with every line end: ${leLetters}/${compared}`);
  lines.push(`import time:                    ${(r.importMs / 1000).toFixed(1)} s for ${r.total} PDFs`);
  lines.push(`build time:                     ${(r.buildMs / 1000).toFixed(1)} s`);
  lines.push(`compare time:                   ${(r.compareMs / 1000).toFixed(1)} s`);
  lines.push(`built letters imported again:   ${r.reimportSame}/${compared} give the same case file${r.reimportDiffer.length ? ` (not: ${r.reimportDiffer.join(', ')})` : ''}`);
  const failed = r.letters.filter((l) => l.state !== 'compared');
  if (failed.length) {
    lines.push('', 'not compared:');
    for (const l of failed) lines.push(`  ${l.case} (${l.state}): ${l.problems.slice(0, 3).join(' | ')}`);
  }
  const worst = r.letters.filter((l) => l.state === 'compared' && l.matched < l.referenceWords).sort((a, b) => a.coverage - b.coverage);
  if (worst.length) {
    lines.push('', 'worst differences (reference -> ours):');
    for (const l of worst.slice(0, options.worst ?? 10)) {
      lines.push(`  ${l.case} ${pct(l.coverage)}:`);
      for (const d of l.differences.slice(0, 4)) lines.push(`    ${d.kind}: [${d.reference}] -> [${d.candidate}]`);
    }
  }
  const pageDiff = r.letters.filter((l) => l.state === 'compared' && l.pages !== l.originalPages);
  const lineDiff = r.letters.filter((l) => l.state === 'compared' && l.sameLineEnds < l.lineEnds);
  if (lineDiff.length) lines.push('', `line ends differ (same/original): ${lineDiff.map((l) => `${l.case} ${l.sameLineEnds}/${l.lineEnds}`).join(', ')}`);
  if (pageDiff.length) lines.push('', `page count differs: ${pageDiff.map((l) => `${l.case} ${l.pages}/${l.originalPages}`).join(', ')}`);
  lines.push('', r.ok ? 'goal met' : `goal missed: ${r.misses.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const take = (flag: string) => {
    const i = args.indexOf(flag);
    if (i === -1) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const keep = take('--keep');
  const json = take('--json');
  const fidelity = take('--fidelity');
  const styles = take('--styles');
  const templates = take('--templates');
  const half = take('--half');
  if (half !== undefined && half !== 'odd' && half !== 'even') {
    process.stderr.write(`roundtrip: --half takes \`odd\` or \`even\`, not \`${half}\`\n`);
    return 2;
  }
  const folder = args[0] ?? path.resolve(projectRoot, '..', 'shared', 'corpus', 'dwc-imr-2016-2017');
  if (args.length > 1 || folder.startsWith('--')) {
    process.stderr.write('usage: npm run roundtrip -- [<corpus folder>] [--keep DIR] [--json FILE] [--fidelity fidelity.py] [--styles DIR] [--templates DIR] [--half odd|even]\n');
    return 2;
  }
  const report = await runRoundtrip({ folder, keep, fidelity, styles, templates, half, log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(formatRoundtrip(report));
  if (json) await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`roundtrip: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
