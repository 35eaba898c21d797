/**
 * The archive's open data at scale, in its own process:
 * `node dist/bench/data-child.js '{"letters":N,"steps":[10,600],"dir":"…"}'` prints
 * `{letters, runs: [{added, total, ...}], peakRssMiB}`.
 *
 * The letters are the synthetic generator's cases (with invented parties), turned into
 * the archive's letters through `publicFacts` as a build would: no HTML is built, so
 * the measure is the open data's alone (bulk files, letter JSON, API, feeds,
 * statistics and charts), with every file written into a staging folder and
 * leak-checked as the archive does it (the one matcher of every case's whole values,
 * the verdicts kept in the cache under the matcher's key).
 *
 * 1. cold: N letters, an empty cache;
 * 2. the same N again (nothing added), with the cache of run 1;
 * 3. then each step's letters more (a day's new letters, decided the day after the
 *    newest), each with the cache of the run before; their case files were among the
 *    archive's cases from the start, so the confidential values do not change;
 * 4. then 10 letters more whose case files are new: the confidential values change, and
 *    the leak check reads every text again.
 * Each run stages the open data anew in an empty folder, as the archive does.
 *
 * Memory is this process's peak RSS (the archive holds every letter's facts and every
 * case's confidential values anyway: they are its input).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveLetter } from '../archive/collect.js';
import { createMatcher } from '../archive/confidential.js';
import { writeOpenData } from '../archive/data/index.js';
import { formatLeak, leakCheckKey, textLeaks, type Leak } from '../archive/leak.js';
import { writeAtomic } from '../publish/files.js';
import { projectRoot } from './common.js';
import { syntheticLetters as lettersOf, type Values } from './letters.js';

const options = JSON.parse(process.argv[2] ?? '{}') as { letters: number; steps: number[]; dir: string };
const newestFirst = (a: ArchiveLetter, b: ArchiveLetter) => (a.decisionDate !== b.decisionDate ? (a.decisionDate < b.decisionDate ? 1 : -1) : a.case < b.case ? -1 : 1);

/** The archive's matcher of `values` (every case's whole values): made once per set of values, as a build makes it once. */
let made: { values: number; matcher: ReturnType<typeof createMatcher> } | undefined;
const matcherOf = (values: Values) => (made?.values === values.length ? made : (made = { values: values.length, matcher: createMatcher(values, { parts: false }) })).matcher;

async function run(letters: ArchiveLetter[], values: Values, staging: string, cache: string) {
  let bytes = 0;
  const leaks: Leak[] = [];
  // The archive makes this matcher for all its files, so it is not timed here; the
  // check's key (a hash of the values, once per matcher) is the open data's, and is.
  const matcher = matcherOf(values);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const spent = { write: 0, scan: 0 };
  const check = {
    key: leakCheckKey([matcher]),
    scan: (rel: string, where: string, text: string) => {
      const t = performance.now();
      const found = textLeaks(rel, where, text, [matcher]);
      leaks.push(...found);
      spent.scan += performance.now() - t;
      return found.length;
    },
    write: async (rel: string, data: string | Uint8Array) => {
      const t = performance.now();
      await writeAtomic(staging, rel, data);
      bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      spent.write += performance.now() - t;
    },
  };
  const add = () => Promise.reject(new Error('every file goes through the check'));
  const result = await writeOpenData(add, letters, [...letters].sort(newestFirst), { templates: path.join(projectRoot, 'templates', 'archive'), css: 'assets/archive.css', cache, check });
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  await rm(staging, { recursive: true, force: true });
  for (const l of leaks.slice(0, 10)) process.stderr.write(`bench: leak ${formatLeak(l)}\n`);
  return {
    seconds, cpuSeconds: (used.user + used.system) / 1e6, writeSeconds: spent.write / 1000, scanSeconds: spent.scan / 1000, files: result.files, bytes, leaks: leaks.length,
    compressed: result.gzip.compressed, cached: result.gzip.cached, scanned: result.checked.scanned, known: result.checked.known,
    bulkBytes: result.bulk.reduce((n, b) => n + b.bytes, 0), bulkTextBytes: result.bulk.reduce((n, b) => n + b.textBytes, 0),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

const cache = path.join(options.dir, 'cache');
await mkdir(options.dir, { recursive: true });
const seen = new Set<string>();
const all = lettersOf(options.letters, 0, seen);
const base = all.letters.length;
// The letters of the steps, decided the day after the newest letter before, and one
// more step of 10 whose case files are new too. The steps' case files are in the
// archive's cases from the start (as a pending case's file is before its letter is
// issued): the confidential values stay the same until the last step.
const newestDay = (letters: readonly ArchiveLetter[]) => letters.reduce((m, l) => (l.decisionDate > m ? l.decisionDate : m), '');
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
let next = 10_000_000;
let day = newestDay(all.letters);
const steps = options.steps.map((count) => {
  day = dayAfter(day);
  const more = lettersOf(count, next, seen, day);
  next += count;
  return more;
});
const late = lettersOf(10, next, seen, dayAfter(day));
const values = [...all.values, ...steps.flatMap((s) => s.values)];
const runs: (Awaited<ReturnType<typeof run>> & { added: number; total: number; valuesChanged: boolean })[] = [];
const measure = async (added: number, valuesChanged: boolean) => {
  const r = await run(all.letters, values, path.join(options.dir, `staging-${runs.length}`), cache);
  runs.push({ added, total: all.letters.length, valuesChanged, ...r });
  process.stderr.write(`bench: ${JSON.stringify(runs[runs.length - 1])}\n`);
};
await measure(base, false);
await measure(0, false);
for (const more of steps) {
  all.letters.push(...more.letters);
  await measure(more.letters.length, false);
}
all.letters.push(...late.letters);
values.push(...late.values);
await measure(late.letters.length, true);
await rm(options.dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ letters: base, runs, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
