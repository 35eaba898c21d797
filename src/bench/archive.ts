/**
 * `npm run bench:archive` (also run at the end of `npm run bench`): the public archive
 * at scale, printed as a table and as JSON (`--json-out FILE` also writes the JSON).
 *
 *   archive of N synthetic letters (HTML-only builds: no PDFs)   target < 60 s for 10,000
 *   its files and bytes, the search bundle's bytes, peak memory (Node, Pagefind)
 *   bytes a typical search downloads, measured in Chromium      target < 300 kB
 *     (the search page, then a common word with one filter: every response's size on the wire)
 *   the same at N/4, and an extrapolation to 100,000 letters (see below)
 *
 * The cases come from the synthetic generator with invented parties, so the leak check
 * has ~5.7 values a case to look for. N = 10,000 by default; `--quick` uses 1,000.
 *
 * Then the open data alone (bulk files, letter JSON, API, feeds, statistics; see
 * `data-child.ts`) at `--data-letters` letters (default 100,000; 10,000 with `--quick`):
 * a cold run, the same again with its cache, then with 10 and 600 letters more
 * (`--data-steps 10,600`; each on the cache of the run before): wall and CPU time, gzip
 * members compressed, texts leak-checked, peak memory. `--data-only` runs that part only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer';
import { generateCases } from '../generate/index.js';
import { serve } from '../commands/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../print/browser.js';
import { BenchError, projectRoot, runChild, type Row } from './common.js';

const root = projectRoot;

interface SearchCost {
  pageBytes: number;
  searchBytes: number;
  requests: number;
  results: number;
  ms: number;
  files: { url: string; bytes: number }[];
}

/** Loads the search page, then searches `word` with one filter; sums the bytes received (headers and bodies, as sent). */
async function measureSearch(out: string, word: string, filter: string): Promise<SearchCost> {
  const served = await serve({ root: out, port: 0 });
  const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const urls = new Map<string, string>();
    const got: { url: string; bytes: number }[] = [];
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => got.push({ url: urls.get(e.requestId) ?? '?', bytes: e.encodedDataLength }));
    await page.goto(`${served.url}archive/`, { waitUntil: 'networkidle0' });
    const pageBytes = got.reduce((n, f) => n + f.bytes, 0);
    const pageFiles = got.length;
    const started = performance.now();
    await page.type('#q', word);
    await page.click(filter);
    await page.waitForFunction(() => / found/.test(document.getElementById('status')?.textContent ?? ''), { timeout: 120_000 });
    const ms = performance.now() - started;
    await page.waitForNetworkIdle({ idleTime: 300 });
    const results = await page.$$eval('#results li.result', (l) => l.length);
    const search = got.slice(pageFiles);
    const outside = got.filter((f) => !f.url.startsWith(served.url));
    if (outside.length) throw new BenchError(`requests left 127.0.0.1: ${outside.map((f) => f.url).join(', ')}`);
    return { pageBytes, searchBytes: search.reduce((n, f) => n + f.bytes, 0), requests: got.length, results, ms, files: got.map((f) => ({ url: f.url.slice(served.url.length), bytes: f.bytes })) };
  } finally {
    await browser.close();
    await served.close();
  }
}

interface DataRun {
  added: number;
  valuesChanged: boolean;
  total: number;
  seconds: number;
  cpuSeconds: number;
  /** Of `seconds`: writing files into the staging folder, and the leak check reading texts. */
  writeSeconds: number;
  scanSeconds: number;
  files: number;
  bytes: number;
  leaks: number;
  compressed: number;
  cached: number;
  scanned: number;
  known: number;
  bulkBytes: number;
  bulkTextBytes: number;
  peakRssMiB: number;
}

/**
 * The open data of `letters` synthetic letters: cold, again with nothing added, then
 * with each of `steps` letters more (each on the cache of the run before).
 */
async function measureOpenData(letters: number, steps: number[], log: (s: string) => void): Promise<Row[]> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-bench-data-'));
  log(`open data of ${letters} letters, then nothing added, then ${steps.map((k) => `+${k}`).join(', ')}…`);
  const r = await runChild<{ letters: number; runs: DataRun[]; peakRssMiB: number }>('data-child.js', { letters, steps, dir: tmp }).finally(() => rm(tmp, { recursive: true, force: true }));
  // The synthetic cases' values are drawn from short lists: at 100,000 a few whole
  // values of one case stand in another's public facts (a coincidence the check must
  // find: the child prints them). More than one text in 10,000 is not a coincidence.
  const leaks = r.runs.reduce((n, x) => n + x.leaks, 0);
  if (r.runs[0]!.leaks > r.letters / 10_000) throw new BenchError(`the open data of synthetic letters reported ${leaks} leaks`);
  const [cold, ...more] = r.runs as [DataRun, ...DataRun[]];
  const n = (x: number) => x.toLocaleString('en-US');
  const rows: Row[] = [
    { measure: `open data of ${n(r.letters)} letters, cold`, value: cold.seconds, unit: 's', target: '', met: null },
    { measure: `  CPU time`, value: cold.cpuSeconds, unit: 's', target: '', met: null },
    { measure: `  files`, value: cold.files, unit: 'files', target: '', met: null },
    { measure: `  bytes written`, value: cold.bytes / 1e6, unit: 'MB', target: '', met: null },
    { measure: `  bulk files (gzip / text)`, value: cold.bulkBytes / 1e6, unit: 'MB', target: `${(cold.bulkTextBytes / 1e6).toFixed(0)} MB text`, met: null },
    { measure: `  gzip members compressed`, value: cold.compressed, unit: 'members', target: '', met: null },
    { measure: `  texts leak-checked`, value: cold.scanned, unit: 'texts', target: '', met: null },
  ];
  rows.push({ measure: `  of which writing the files`, value: cold.writeSeconds, unit: 's', target: '', met: null });
  rows.push({ measure: `  of which the leak check`, value: cold.scanSeconds, unit: 's', target: '', met: null });
  for (const x of more) {
    rows.push({ measure: `+${n(x.added)} letters (${n(x.total)})${x.valuesChanged ? ', new case files' : ''}, with the cache`, value: x.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  CPU time`, value: x.cpuSeconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  of which writing the ${n(x.files)} files`, value: x.writeSeconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  of which the leak check`, value: x.scanSeconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  the rest`, value: x.seconds - x.writeSeconds - x.scanSeconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  gzip members compressed / cached`, value: x.compressed, unit: 'members', target: `${n(x.cached)} cached`, met: null });
    rows.push({ measure: `  texts leak-checked / known clean`, value: x.scanned, unit: 'texts', target: `${n(x.known)} known`, met: null });
  }
  rows.push({ measure: `leaks found (each run)`, value: leaks / r.runs.length, unit: 'leaks', target: '', met: null });
  rows.push({ measure: `peak RSS, open data (all runs)`, value: r.peakRssMiB, unit: 'MiB', target: '< 4096', met: r.peakRssMiB < 4096 });
  rows.push({ measure: `peak RSS, the bench itself`, value: process.resourceUsage().maxRSS / 1024, unit: 'MiB', target: '', met: null });
  return rows;
}

function printRows(title: string, rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.measure.length));
  const lines = [title, '', `${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit       target        met`];
  for (const r of rows) lines.push(`${r.measure.padEnd(width)}  ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(10)}  ${r.unit.padEnd(9)}  ${r.target.padEnd(12)}  ${r.met === null ? '' : r.met ? 'yes' : 'NO'}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const dataAt = process.argv.indexOf('--data-letters');
  const dataLetters = dataAt === -1 ? (quick ? 10_000 : 100_000) : Number(process.argv[dataAt + 1]);
  const stepsAt = process.argv.indexOf('--data-steps');
  const dataSteps = stepsAt === -1 ? [10, 600] : process.argv[stepsAt + 1]!.split(',').map(Number);
  const machineLine = () => `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`;
  if (process.argv.includes('--data-only')) {
    const rows = await measureOpenData(dataLetters, dataSteps, (s) => process.stderr.write(`bench: ${s}\n`));
    printRows(`imr-letters open data bench — ${machineLine()}`, rows);
    process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
    return;
  }
  const at = process.argv.indexOf('--json-out');
  const jsonOut = at === -1 ? undefined : process.argv[at + 1];
  const N = quick ? 1_000 : 10_000;
  const sizes = [N / 4, N];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-bench-archive-'));
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const rows: Row[] = [];
  const measured: Record<number, { archive: Record<string, number>; search: SearchCost; others: Record<string, SearchCost> }> = {};
  // `pain` stands in 99% of the posted letters (8.5 times in each): the most common
  // content word, the worst case. The others are common too, less so.
  const word = 'pain';
  const others = ['lumbar', 'acupuncture', 'norco'];
  const filter = 'details[data-group="outcome"] input[value="Overturned"]';
  try {
    for (const n of sizes) {
      const cases = path.join(tmp, `cases-${n}`);
      const out = path.join(tmp, `out-${n}`);
      log(`generating ${n} synthetic cases with parties…`);
      await generateCases({ count: n, into: cases, seed: 1, parties: true });
      log(`HTML-only build of ${n} (public edition)…`);
      await runChild('child.js', { paths: [cases], out, htmlOnly: true, editions: ['public'], config: path.join(root, 'imr-letters.config.yaml'), templates: path.join(root, 'templates'), styles: path.join(root, 'styles') });
      log(`archive of ${n}…`);
      const archive = await runChild('archive-child.js', { out, cases: [cases], templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
      if (archive.leaks) throw new BenchError(`the archive of ${n} synthetic letters reported ${archive.leaks} leaks`);
      log(`search “${word}” + outcome Overturned in Chromium…`);
      const search = await measureSearch(out, word, filter);
      const more: Record<string, SearchCost> = {};
      if (n === N) for (const w of others) more[w] = await measureSearch(out, w, filter);
      measured[n] = { archive, search, others: more };
      await rm(out, { recursive: true, force: true });
      await rm(cases, { recursive: true, force: true });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const big = measured[N]!;
  const small = measured[N / 4]!;
  const load = os.loadavg()[0]!;
  rows.push({ measure: `archive of ${N} letters`, value: big.archive.seconds!, unit: 's', target: N === 10_000 ? '< 60' : '', met: N === 10_000 ? big.archive.seconds! < 60 : null });
  rows.push({ measure: `  of which Pagefind after the last page`, value: big.archive.searchSeconds!, unit: 's', target: '', met: null });
  rows.push({ measure: `archive of ${N / 4} letters`, value: small.archive.seconds!, unit: 's', target: '', met: null });
  rows.push({ measure: `archive files, ${N} letters`, value: big.archive.files!, unit: 'files', target: '', met: null });
  rows.push({ measure: `archive bytes, ${N} letters`, value: big.archive.bytes! / 1e6, unit: 'MB', target: '', met: null });
  rows.push({ measure: `  of which search bundle`, value: big.archive.searchBytes! / 1e6, unit: 'MB', target: '', met: null });
  rows.push({ measure: `peak RSS, Node`, value: big.archive.nodeRssMiB!, unit: 'MiB', target: '', met: null });
  rows.push({ measure: `peak RSS, Pagefind`, value: big.archive.pagefindRssMiB!, unit: 'MiB', target: '', met: null });
  rows.push({ measure: `search page load (HTML, CSS, script)`, value: big.search.pageBytes / 1e3, unit: 'kB', target: '', met: null });
  rows.push({ measure: `search “${word}” + 1 filter, ${N}`, value: big.search.searchBytes / 1e3, unit: 'kB', target: '', met: null });
  const total = (big.search.pageBytes + big.search.searchBytes) / 1e3;
  rows.push({ measure: `page + search, ${N} letters`, value: total, unit: 'kB', target: '< 300', met: total < 300 });
  rows.push({ measure: `page + search, ${N / 4} letters`, value: (small.search.pageBytes + small.search.searchBytes) / 1e3, unit: 'kB', target: '', met: null });
  rows.push({ measure: `time to results (typing included)`, value: big.search.ms, unit: 'ms', target: '', met: null });
  for (const [w, c] of Object.entries(big.others)) {
    const kb = (c.pageBytes + c.searchBytes) / 1e3;
    rows.push({ measure: `page + search “${w}” + 1 filter, ${N}`, value: kb, unit: 'kB', target: '< 300', met: kb < 300 });
  }
  // 100,000: build time by a power law through the two sizes (Pagefind grows faster than
  // linearly); bytes and Pagefind's memory in proportion; a search's bytes by kind: the
  // metadata and filter chunks grow with the letters, the rest (scripts, WebAssembly,
  // the page, one index chunk, a page of fragments) does not.
  const power = (a: number, b: number) => b * (100_000 / N) ** (Math.log(b / a) / Math.log(4));
  const linear = (a: number, b: number) => b + ((b - a) / (N - N / 4)) * (100_000 - N);
  const growing = (c: SearchCost) => c.files.filter((f) => /\.pf_(meta|filter)$/.test(f.url)).reduce((n, f) => n + f.bytes, 0);
  const fixed = (c: SearchCost) => c.pageBytes + c.searchBytes - growing(c);
  const e = {
    seconds: power(small.archive.seconds!, big.archive.seconds!),
    bytes: linear(small.archive.bytes!, big.archive.bytes!),
    pagefindRssMiB: linear(small.archive.pagefindRssMiB!, big.archive.pagefindRssMiB!),
    searchKB: (fixed(big.search) + growing(big.search) * (100_000 / N)) / 1e3,
  };
  rows.push({ measure: 'extrapolated: archive of 100,000', value: e.seconds, unit: 's', target: '', met: null });
  rows.push({ measure: 'extrapolated: bytes, 100,000', value: e.bytes / 1e6, unit: 'MB', target: '', met: null });
  rows.push({ measure: 'extrapolated: Pagefind RSS, 100,000', value: e.pagefindRssMiB, unit: 'MiB', target: '', met: null });
  rows.push({ measure: 'extrapolated: page + search, 100,000', value: e.searchKB, unit: 'kB', target: '', met: null });

  const machine = { cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageAtEnd: Number(load.toFixed(2)) };
  const width = Math.max(...rows.map((r) => r.measure.length));
  const lines = [`imr-letters archive bench — ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverageAtEnd}`, ''];
  lines.push(`${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit       target        met`);
  for (const r of rows) {
    lines.push(`${r.measure.padEnd(width)}  ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(10)}  ${r.unit.padEnd(9)}  ${r.target.padEnd(12)}  ${r.met === null ? '' : r.met ? 'yes' : 'NO'}`);
  }
  const searchFiles = big.search.files.map((f) => `  ${String(f.bytes).padStart(8)}  ${f.url}`);
  const json = { machine, rows, searchDownloads: big.search.files, measured };
  process.stdout.write(`${lines.join('\n')}\n\nwhat the search downloaded (${N} letters, bytes on the wire):\n${searchFiles.join('\n')}\n\n${JSON.stringify({ machine, rows }, null, 2)}\n`);
  if (jsonOut) await writeFile(jsonOut, `${JSON.stringify(json, null, 2)}\n`);
  printRows(`open data — ${machineLine()}`, await measureOpenData(dataLetters, dataSteps, log));
}

await main();
