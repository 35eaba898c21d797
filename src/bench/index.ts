/**
 * `npm run bench`: throughput of the letter build on this machine, printed as a table
 * and as JSON (`--json-out FILE` also writes the JSON).
 *
 *   HTML-only build of N letters (letters/s)          target ≥ 1,250/s
 *   full build of M letters (both editions, HTML+PDF) vs a bare puppeteer loop printing
 *   the same HTML with the same pages (the floor)      target ≤ 1.15× the floor
 *   md-to-pdf on the same letters' Markdown           target ≥ 6× slower per letter than us
 *   no-op rebuild of N letters                        target ≤ 1.5 s
 *   peak memory (RSS) of the build, M and N letters   target ≤ 1 GiB, flat in N
 *
 * N = 10,000 and M = 1,000 by default; `--quick` uses 1,000 and 100.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateCases } from '../generate/index.js';
import { loadFonts } from '../render/assets.js';
import { bareLoop } from './floor.js';
import { mdToPdfBatch } from './mdtopdf.js';
import { projectRoot, runChild, type Row } from './common.js';
import { manifestSchema } from '../publish/manifest.js';

const root = projectRoot;

function child(options: Record<string, unknown>): Promise<{ seconds: number; maxRssMiB: number; built: number; unchanged: number; errors: number }> {
  return runChild('child.js', options, 'ignore');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--json-out');
  const jsonOut = at === -1 ? undefined : process.argv[at + 1];
  const N = quick ? 1_000 : 10_000;
  const M = quick ? 100 : 1_000;
  const cores = os.availableParallelism();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-bench-'));
  const rows: Row[] = [];
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
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
    rows.push({ measure: `HTML-only build, ${N} letters`, value: N / htmlN.seconds, unit: 'letters/s', target: '≥ 1250', met: N / htmlN.seconds >= 1250 });
    rows.push({ measure: `peak RSS, HTML-only ${N}`, value: htmlN.maxRssMiB, unit: 'MiB', target: '≤ 1024', met: htmlN.maxRssMiB <= 1024 });

    log(`no-op rebuild of ${N}…`);
    const noop = await child({ ...base, paths: [casesN], out: outN, htmlOnly: true });
    rows.push({ measure: `no-op rebuild, ${N} letters`, value: noop.seconds, unit: 's', target: '≤ 1.5', met: noop.seconds <= 1.5 && noop.unchanged === N });

    log(`HTML-only build of ${M} (memory)…`);
    const htmlM = await child({ ...base, paths: [casesM], out: path.join(tmp, 'out-m-html'), htmlOnly: true });
    rows.push({ measure: `peak RSS, HTML-only ${M}`, value: htmlM.maxRssMiB, unit: 'MiB', target: `flat: ≈ ${N} letters'`, met: htmlN.maxRssMiB <= htmlM.maxRssMiB * 1.5 });

    log(`full build of ${M} (both editions, HTML and PDF)…`);
    const outM = path.join(tmp, 'out-m');
    const full = await child({ ...base, paths: [casesM], out: outM });
    rows.push({ measure: `full build, ${M} letters (${2 * M} PDFs)`, value: full.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: `peak RSS, full build ${M}`, value: full.maxRssMiB, unit: 'MiB', target: '≤ 1024', met: full.maxRssMiB <= 1024 });

    log(`floor: bare puppeteer loop over the same ${2 * M} HTML files, ${cores} pages…`);
    const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(outM, 'manifest.json'), 'utf8')));
    const html = manifest.letters.flatMap((l) => l.files.filter((f) => f.format === 'html').map((f) => f.path));
    const fonts = new Map(loadFonts().assets.map((a) => [`assets/${a.name}`, a.bytes] as const));
    const floor = await bareLoop(outM, html, fonts, cores);
    rows.push({ measure: 'floor: bare puppeteer loop', value: floor.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: 'full build / floor', value: full.seconds / floor.seconds, unit: '×', target: '≤ 1.15', met: full.seconds / floor.seconds <= 1.15 });

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
    const md = await mdToPdfBatch(mdFiles);
    const perLetterUs = full.seconds / M;
    const perLetterMd = md.seconds / M;
    rows.push({ measure: `md-to-pdf, ${M} letters (one PDF each)`, value: md.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: 'md-to-pdf / us, per letter', value: perLetterMd / perLetterUs, unit: '×', target: '≥ 6', met: perLetterMd / perLetterUs >= 6 });
    rows.push({ measure: 'md-to-pdf / us, per PDF', value: perLetterMd / (perLetterUs / 2), unit: '×', target: '', met: null });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const machine = { cores, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: chromiumVersion() };
  const width = Math.max(...rows.map((r) => r.measure.length));
  const lines = [`imr-letters bench — ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.chromium}`, ''];
  lines.push(`${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit       target        met`);
  for (const r of rows) {
    lines.push(`${r.measure.padEnd(width)}  ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(10)}  ${r.unit.padEnd(9)}  ${r.target.padEnd(12)}  ${r.met === null ? '' : r.met ? 'yes' : 'NO'}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify({ machine, rows }, null, 2)}\n`);
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
