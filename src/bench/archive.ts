/**
 * `npm run bench:archive` (also run at the end of `npm run bench`): the public archive
 * at scale, printed as tables and as JSON (`--json-out FILE` also writes the JSON).
 *
 * 1. The search engines side by side (issue 13, `search-compare.ts`): the archive's
 *    SQLite FTS5 shards and today's Pagefind build of the same generated letters, at
 *    each size of `--letters` (default `10000,100000`; `--quick`: 1,000): index time,
 *    peak memory of the whole process tree, files and bytes published, and the first
 *    page of the commonest word, a rare word, a phrase, a filter only and a date range in
 *    Chromium (bytes and time); then 600 letters added to the largest size (`--add N`).
 *    `--pagefind-years` also builds Pagefind with one index per year at the largest size;
 *    `--no-pagefind` leaves Pagefind out (the 1.3 million run); `--no-queries` skips Chromium.
 *    `--tmp DIR` writes there instead of the system's temporary folder; `--keep` leaves
 *    the largest size's search archive there (for `search-trace.js`).
 *    A build whose process tree passes `--limit-mib` (default 8192: the machine is shared)
 *    is stopped and reported as such.
 * 2. Unless `--search-only`: the whole archive (pages, search, open data, leak check) of
 *    10,000 built letters (HTML-only builds), target < 60 s... as before, and the open
 *    data alone at `--data-letters` (default 100,000): a cold run, the same again with its
 *    cache, then with 10 and 600 letters more (`--data-steps 10,600`; each on the cache of
 *    the run before): wall and CPU time, gzip members compressed, texts leak-checked, peak
 *    memory. `--data-only` runs that part only.
 *
 * 3. `--incremental [--letters N] [--steps 60,600,6000] [--tmp DIR] [--keep]`: the archive
 *    step alone on N built letters (default 100,000), in full, then with each step's
 *    letters added, each on the archive published before (see `incremental.ts`).
 *
 * The machine's load is printed with the results: the numbers are of a shared machine.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateCases } from '../generate/index.js';
import { BenchError, projectRoot, runChild, type Row } from './common.js';
import { compareSearch, formatComparison } from './search-compare.js';
import { measureIncremental } from './incremental.js';

const root = projectRoot;

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
  // The synthetic letters' public facts hold no case's values: any leak is a fault (the
  // child prints them). (The 4 claim numbers reported before were cells read as one
  // number; a CSV is now read cell by cell: see csvCells in src/archive/leak.ts.)
  const leaks = r.runs.reduce((n, x) => n + x.leaks, 0);
  if (leaks > 0) throw new BenchError(`the open data of synthetic letters reported ${leaks} leaks`);
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

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** The whole archive (pages, search, open data, leak check) of `n` built letters. */
async function measureWholeArchive(n: number, tmp: string, log: (s: string) => void): Promise<Row[]> {
  const cases = path.join(tmp, `cases-${n}`);
  const out = path.join(tmp, `out-${n}`);
  log(`generating ${n} synthetic cases with parties…`);
  await generateCases({ count: n, into: cases, seed: 1, parties: true });
  log(`HTML-only build of ${n} (public edition)…`);
  await runChild('child.js', { paths: [cases], out, htmlOnly: true, editions: ['public'], config: path.join(root, 'imr-letters.config.yaml'), templates: path.join(root, 'templates'), styles: path.join(root, 'styles') });
  log(`whole archive of ${n}…`);
  const a = await runChild('archive-child.js', { out, cases: [cases], templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
  if (a.leaks) throw new BenchError(`the archive of ${n} synthetic letters reported ${a.leaks} leaks`);
  await rm(out, { recursive: true, force: true });
  await rm(cases, { recursive: true, force: true });
  return [
    { measure: `whole archive of ${n} letters`, value: a.seconds!, unit: 's', target: n === 10_000 ? '< 60' : '', met: n === 10_000 ? a.seconds! < 60 : null },
    { measure: `  of which the search files and their check`, value: a.searchSeconds!, unit: 's', target: '', met: null },
    { measure: `  files`, value: a.files!, unit: 'files', target: '', met: null },
    { measure: `  bytes`, value: a.bytes! / 1e6, unit: 'MB', target: '', met: null },
    { measure: `  of which search`, value: a.searchBytes! / 1e6, unit: 'MB', target: '', met: null },
    { measure: `  peak RSS, Node`, value: a.nodeRssMiB!, unit: 'MiB', target: '', met: null },
  ];
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const dataLetters = Number(option('--data-letters') ?? (quick ? 10_000 : 100_000));
  const dataSteps = (option('--data-steps') ?? '10,600').split(',').map(Number);
  const machineLine = () => `${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`;
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  if (process.argv.includes('--incremental')) {
    // The archive step at scale, incremental: a full build, then each step's letters added.
    const n = Number(option('--letters') ?? (quick ? 10_000 : 100_000));
    const steps = (option('--steps') ?? '60,600,6000').split(',').map(Number);
    const base = option('--tmp') ?? os.tmpdir();
    const { rows, runs } = await measureIncremental(n, steps, base, process.argv.includes('--keep'), log);
    printRows(`imr-letters incremental archive bench — ${machineLine()}`, rows);
    const json = `${JSON.stringify({ machine: machineLine(), rows, runs }, null, 2)}\n`;
    process.stdout.write(json);
    const jsonOut = option('--json-out');
    if (jsonOut) await writeFile(jsonOut, json);
    return;
  }
  if (process.argv.includes('--data-only')) {
    const rows = await measureOpenData(dataLetters, dataSteps, log);
    printRows(`imr-letters open data bench — ${machineLine()}`, rows);
    process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
    return;
  }
  const sizes = (option('--letters') ?? (quick ? '1000' : '10000,100000')).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new BenchError(`--letters wants whole numbers, e.g. 10000,100000`);
  const jsonOut = option('--json-out');
  // `--tmp DIR`: where the bench writes (default the system's temporary folder).
  const base = option('--tmp') ?? os.tmpdir();
  await mkdir(base, { recursive: true });
  const tmp = await mkdtemp(path.join(base, 'imr-bench-archive-'));
  try {
    const search = await compareSearch(sizes, {
      tmp,
      keep: process.argv.includes('--keep'),
      pagefind: !process.argv.includes('--no-pagefind'),
      pagefindYears: process.argv.includes('--pagefind-years'),
      queries: !process.argv.includes('--no-queries'),
      add: Number(option('--add') ?? 600),
      limitMiB: Number(option('--limit-mib') ?? 8192),
      log,
    });
    process.stdout.write(`imr-letters search bench — ${machineLine()}\n\n${formatComparison(search)}\n`);
    const json: Record<string, unknown> = { machine: machineLine(), search };
    if (!process.argv.includes('--search-only')) {
      const rows = await measureWholeArchive(quick ? 1_000 : 10_000, tmp, log);
      printRows(`whole archive — ${machineLine()}`, rows);
      const data = await measureOpenData(dataLetters, dataSteps, log);
      printRows(`open data — ${machineLine()}`, data);
      Object.assign(json, { archive: rows, openData: data });
    }
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    if (jsonOut) await writeFile(jsonOut, `${JSON.stringify(json, null, 2)}\n`);
  } finally {
    if (!process.argv.includes('--keep')) await rm(tmp, { recursive: true, force: true });
  }
}

await main();
