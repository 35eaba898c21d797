/**
 * `npm run bench`: throughput of the letter build on this machine, printed as a table
 * and as JSON (`--json-out FILE` also writes the JSON).
 *
 *   HTML-only build of N letters (letters/s)          target ≥ 1,250/s
 *     with its CPU time per letter (every thread), which the load of other work on the
 *     machine changes less than the wall time
 *   full build of M letters (both editions, HTML+PDF) vs a bare puppeteer loop printing
 *   the same HTML with the same pages through the fastest browser available (the floor;
 *   the headless shell when installed); both timers include starting and closing the
 *   browser                                           target ≤ 1.10× the floor
 *
 * Each goal's row says `met`, or `missed by X` with the reason under the table.
 *   the same bare loop through full Chromium, side by side (how much the shell saves)
 *   md-to-pdf on 50 of the same letters' Markdown, in batches of 5 (per PDF)
 *   no-op rebuild of N letters, the process start included   target ≤ 1 s
 *   peak memory (RSS) of the build, M and N letters   target ≤ 1 GiB, flat in N
 *
 * N = 10,000 and M = 1,000 by default; `--quick` uses 1,000 and 100; `--letters N` and
 * `--printed M` set them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateCases } from '../generate/index.js';
import { loadFonts } from '../render/assets.js';
import { bareLoop } from './floor.js';
import { mdToPdfBatch } from './mdtopdf.js';
import { findPrintBrowser } from '../print/browser.js';
import { projectRoot, runChild, type Row } from './common.js';
import { manifestSchema } from '../publish/manifest.js';

const root = projectRoot;
let loadAtStart = 0;

function child(options: Record<string, unknown>): Promise<{ seconds: number; cpuSeconds: number; wallSeconds: number; maxRssMiB: number; built: number; unchanged: number; errors: number; phases: Record<string, number> }> {
  return runChild('child.js', options, 'ignore');
}

/** A goal's row: met, or missed by how much (absolute and as a ratio) and why. */
function goal(measure: string, value: number, unit: string, op: '≥' | '≤', target: number, why: string): Row {
  const met = op === '≥' ? value >= target : value <= target;
  const by = Math.abs(target - value);
  const ratio = op === '≥' ? target / value : value / target;
  const digits = (x: number) => x.toFixed(x >= 100 ? 0 : 2);
  return { measure, value, unit, target: `${op} ${target}`, met, note: met ? undefined : `missed by ${digits(by)} ${unit} (${ratio.toFixed(2)}× off): ${why}` };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--json-out');
  const jsonOut = at === -1 ? undefined : process.argv[at + 1];
  const arg = (name: string) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
  const N = arg('--letters') ?? (quick ? 1_000 : 10_000);
  const M = arg('--printed') ?? (quick ? 100 : 1_000);
  const cores = os.availableParallelism();
  loadAtStart = Number(os.loadavg()[0]!.toFixed(2));
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-bench-'));
  const rows: Row[] = [];
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  // Each row as it is measured, so a failure later keeps the figures so far.
  const push = rows.push.bind(rows);
  rows.push = (...r: Row[]) => {
    for (const x of r) log(`  ${x.measure}: ${x.value.toFixed(3)} ${x.unit}`);
    return push(...r);
  };
  try {
    const base = { config: path.join(root, 'imr-letters.config.yaml'), templates: path.join(root, 'templates'), styles: path.join(root, 'styles') };
    log(`generating ${N} synthetic cases…`);
    const casesN = path.join(tmp, 'cases-n');
    await generateCases({ count: N, into: casesN, seed: 1 });
    const casesM = path.join(tmp, 'cases-m');
    await generateCases({ count: M, into: casesM, seed: 2 });

    log(`HTML-only build of ${N}…`);
    const outN = path.join(tmp, 'out-n');
    const htmlN = await child({ ...base, paths: [casesN], out: outN, htmlOnly: true });
    const cpuMs = (htmlN.cpuSeconds / N) * 1000;
    const budgetMs = (cores * 1000) / 1250;
    const load = Number(os.loadavg()[0]!.toFixed(2));
    rows.push(
      goal(`HTML-only build, ${N} letters`, N / htmlN.seconds, 'letters/s', '≥', 1250, `the build is CPU-bound: ${cpuMs.toFixed(2)} ms of CPU per letter (check, render, reading and writing files; every thread), and ${cores} cores give a letter ${budgetMs.toFixed(2)} ms at 1,250/s; load average ${load} (other work shares the cores)`),
    );
    rows.push({ measure: `  CPU time per letter (every thread)`, value: cpuMs, unit: 'ms', target: `≤ ${budgetMs.toFixed(2)}`, met: cpuMs <= budgetMs });
    rows.push({ measure: `  letters/s if the ${cores} cores were all ours (${N} / (CPU s / ${cores}))`, value: (N * cores) / htmlN.cpuSeconds, unit: 'letters/s', target: '', met: null });
    rows.push(goal(`peak RSS, HTML-only ${N}`, htmlN.maxRssMiB, 'MiB', '≤', 1024, 'the worker threads and the letters in flight'));

    log(`no-op rebuild of ${N}…`);
    const noop = await child({ ...base, paths: [casesN], out: outN, htmlOnly: true });
    rows.push({ ...goal(`no-op rebuild, ${N} letters (process start included)`, noop.wallSeconds, 's', '≤', 1, `load average ${os.loadavg()[0]!.toFixed(2)}`), ...(noop.unchanged === N ? {} : { met: false, note: `${N - noop.unchanged} letters were not found unchanged` }) });
    rows.push({ measure: `  of which the build itself`, value: noop.seconds, unit: 's', target: '', met: null });

    log(`HTML-only build of ${M} (memory)…`);
    const htmlM = await child({ ...base, paths: [casesM], out: path.join(tmp, 'out-m-html'), htmlOnly: true });
    rows.push({ measure: `peak RSS, HTML-only ${M}`, value: htmlM.maxRssMiB, unit: 'MiB', target: '', met: null });
    rows.push(goal(`  peak RSS, ${N} letters / ${M} (flat in the letters)`, htmlN.maxRssMiB / htmlM.maxRssMiB, '×', '≤', 1.5, `the ${N}-letter build peaks ${(htmlN.maxRssMiB - htmlM.maxRssMiB).toFixed(0)} MiB higher (still under 1 GiB); not investigated further`));

    // The floor is measured before and after the full build, and the build compared with their
    // mean: the load of other work on the machine drifts from minute to minute.
    const fonts = new Map(loadFonts().assets.map((a) => [`assets/${a.name}`, a.bytes] as const));
    const htmlOf = async (out: string) => manifestSchema.parse(JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'))).letters.flatMap((l) => l.files.filter((f) => f.format === 'html').map((f) => f.path));
    log(`floor (before the full build): bare puppeteer loop over the same ${2 * M} HTML files, ${cores} pages…`);
    const floorBefore = await bareLoop(path.join(tmp, 'out-m-html'), await htmlOf(path.join(tmp, 'out-m-html')), fonts, cores);

    log(`full build of ${M} (both editions, HTML and PDF)…`);
    const outM = path.join(tmp, 'out-m');
    const full = await child({ ...base, paths: [casesM], out: outM });
    rows.push({ measure: `full build, ${M} letters (${2 * M} PDFs)`, value: full.seconds, unit: 's', target: '', met: null });
    // Where its time went: each phase summed over its letters (two print at once, so the sums overlap).
    for (const [phase, seconds] of Object.entries(full.phases)) rows.push({ measure: `  ${phase}`, value: seconds, unit: 's', target: '', met: null });
    rows.push(goal(`peak RSS, full build ${M}`, full.maxRssMiB, 'MiB', '≤', 1024, 'the worker threads, the letters in flight and their PDFs'));

    log(`floor (after the full build): bare puppeteer loop over the same ${2 * M} HTML files, ${cores} pages…`);
    const html = await htmlOf(outM);
    const browser = findPrintBrowser();
    const floorAfter = await bareLoop(outM, html, fonts, cores);
    const floor = { seconds: (floorBefore.seconds + floorAfter.seconds) / 2 };
    const kind = browser.kind === 'shell' ? 'headless shell' : 'chromium';
    rows.push({ measure: `floor: bare puppeteer loop (${kind}), mean of before and after`, value: floor.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  before the full build`, value: floorBefore.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  after the full build`, value: floorAfter.seconds, unit: 's', target: '', met: null });
    const over = full.seconds - floor.seconds;
    rows.push(
      goal('full build / floor (both timers include the browser start)', full.seconds / floor.seconds, '×', '≤', 1.1, `the build does ${over.toFixed(2)} s more than the bare print; the HTML-only build of the same ${M} letters (check, render, write, no browser) takes ${htmlM.seconds.toFixed(2)} s on its own, and beside the printing it shares the ${cores} cores with Chromium; per PDF the build also measures the page fit, rewrites the PDF (metadata, tags, artifacts) and checks it for confidential values`),
    );
    if (browser.kind === 'shell') {
      log(`the same bare loop through full Chromium…`);
      const saved = process.env.IMR_BROWSER;
      process.env.IMR_BROWSER = 'chromium';
      try {
        const chromium = await bareLoop(outM, html, fonts, cores);
        rows.push({ measure: 'bare loop through full Chromium', value: chromium.seconds, unit: 's', target: '', met: null });
        rows.push({ measure: 'full Chromium / headless shell (the floor just before)', value: chromium.seconds / floorAfter.seconds, unit: '×', target: '', met: null });
      } finally {
        if (saved === undefined) delete process.env.IMR_BROWSER;
        else process.env.IMR_BROWSER = saved;
      }
    }

    log(`md-to-pdf over the same ${M} letters' Markdown…`);
    const mdDir = path.join(tmp, 'md');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(mdDir, { recursive: true });
    const mdFiles: string[] = [];
    for (const f of (await readdir(casesM)).sort()) {
      const text = await readFile(path.join(casesM, f), 'utf8');
      const body = text.slice(text.indexOf('\n---\n', 4) + 5);
      const file = path.join(mdDir, f);
      await writeFile(file, body);
      mdFiles.push(file);
    }
    // A sample is enough for a time per PDF: md-to-pdf starts a browser per batch.
    const md = await mdToPdfBatch(mdFiles.slice(0, 50), 5);
    const perPdfUs = full.seconds / (2 * M);
    const perPdfMd = md.seconds / md.pdfs;
    rows.push({ measure: `md-to-pdf, ${md.pdfs} letters (one PDF each, ${md.batches} batches of 5, ${md.retries} retried)`, value: md.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: 'md-to-pdf, per PDF', value: perPdfMd * 1000, unit: 'ms', target: '', met: null });
    rows.push({ measure: 'us (full build), per PDF', value: perPdfUs * 1000, unit: 'ms', target: '', met: null });
    rows.push({ measure: 'md-to-pdf / us, per PDF', value: perPdfMd / perPdfUs, unit: '×', target: '', met: null });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const machine = { cores, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: chromiumVersion(), loadAverageAtEnd: Number(os.loadavg()[0]!.toFixed(2)) };
  const width = Math.max(...rows.map((r) => r.measure.length));
  const lines = [`imr-letters bench — ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.chromium}, load average ${loadAtStart} at the start, ${machine.loadAverageAtEnd} at the end`, ''];
  lines.push(`${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit       target        met`);
  for (const r of rows) {
    const verdict = r.met === null ? '' : r.met ? 'met' : (r.note?.split(':')[0] ?? 'NO');
    lines.push(`${r.measure.padEnd(width)}  ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(10)}  ${r.unit.padEnd(9)}  ${r.target.padEnd(12)}  ${verdict}`);
  }
  const notes = rows.filter((r) => r.met === false && r.note);
  if (notes.length) lines.push('', 'Goals missed, and why:', ...notes.map((r) => `- ${r.measure.trim()}: ${r.note}`));
  process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify({ machine: { ...machine, loadAverageAtStart: loadAtStart }, rows }, null, 2)}\n`);
  if (jsonOut) await writeFile(jsonOut, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
}

function chromiumVersion(): string {
  try {
    return execFileSync('chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'chromium (version unknown)';
  }
}

await main();
