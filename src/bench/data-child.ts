/**
 * The archive's open data at scale, in its own process:
 * `node dist/bench/data-child.js '{"letters":N,"added":A,"dir":"…"}'` prints
 * `{letters, added, cold: {...}, incremental: {...}}`.
 *
 * The letters are the synthetic generator's cases (with invented parties), turned into
 * the archive's letters through `publicFacts` as a build would: no HTML is built, so
 * the measure is the open data's alone (bulk files, letter JSON, API, feeds,
 * statistics and charts), with every file written and leak-checked as the archive does.
 *
 * 1. cold: N letters, an empty gzip cache;
 * 2. incremental: the same N and A more (a day's new letters, decided the day after the
 *    newest), with the cache of run 1: only the months that changed are compressed.
 *
 * Memory is this process's peak RSS over both runs (the archive holds every letter's
 * facts anyway: they are its input).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveLetter } from '../archive/collect.js';
import { confidentialValues, createMatcher } from '../archive/confidential.js';
import { writeOpenData } from '../archive/data/index.js';
import { scanFile } from '../archive/leak.js';
import type { Case } from '../check/index.js';
import { generateCase } from '../generate/index.js';
import { writeAtomic } from '../publish/files.js';
import { publicFacts } from '../render/facts.js';
import { projectRoot } from './common.js';

const options = JSON.parse(process.argv[2] ?? '{}') as { letters: number; added: number; dir: string };

function lettersOf(count: number, from = 0, decidedOn?: string): { letters: ArchiveLetter[]; values: ReturnType<typeof confidentialValues> } {
  const letters: ArchiveLetter[] = [];
  const values: ReturnType<typeof confidentialValues> = [];
  const seen = new Set<string>();
  for (let k = from; k < from + count; k++) {
    const g = generateCase(1, k, { parties: true });
    if (seen.has(g.data.case)) continue;
    seen.add(g.data.case);
    const data = decidedOn ? { ...g.data, dates: { ...g.data.dates, decision: decidedOn } } : g.data;
    const facts = { ...publicFacts({ data } as Case), status: 'final' as const };
    values.push(...confidentialValues(g.data.parties, g.file, g.data.case));
    letters.push({
      case: data.case, revision: 1, decisionDate: data.dates.decision, outcome: facts.outcome, amends: null, current: true, supersededBy: null,
      revisions: [{ revision: 1, decisionDate: data.dates.decision, outcome: facts.outcome }],
      html: `letters/${data.case}/v1/${data.case}-v1-public.html`, pdf: null, factsPath: null, facts,
    });
  }
  return { letters, values };
}

const newestFirst = (a: ArchiveLetter, b: ArchiveLetter) => (a.decisionDate !== b.decisionDate ? (a.decisionDate < b.decisionDate ? 1 : -1) : a.case < b.case ? -1 : 1);

async function run(letters: ArchiveLetter[], values: ReturnType<typeof confidentialValues>, staging: string, cache: string) {
  const matcher = createMatcher(values);
  let bytes = 0;
  let leaks = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await writeOpenData(
    async (rel, data) => {
      await writeAtomic(staging, rel, data);
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      bytes += buf.length;
      leaks += (await scanFile(rel, buf, matcher, { poppler: false })).length;
    },
    letters,
    [...letters].sort(newestFirst),
    { templates: path.join(projectRoot, 'templates', 'archive'), css: 'assets/archive.css', cache },
  );
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, files: result.files, bytes, leaks, compressed: result.gzip.compressed, cached: result.gzip.cached, bulkBytes: result.bulk.reduce((n, b) => n + b.bytes, 0), bulkTextBytes: result.bulk.reduce((n, b) => n + b.textBytes, 0) };
}

const cache = path.join(options.dir, 'cache');
await mkdir(options.dir, { recursive: true });
const base = lettersOf(options.letters);
const cold = await run(base.letters, base.values, path.join(options.dir, 'cold'), cache);
process.stderr.write(`bench: cold ${JSON.stringify(cold)}, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
await rm(path.join(options.dir, 'cold'), { recursive: true, force: true });
const newest = base.letters.reduce((m, l) => (l.decisionDate > m ? l.decisionDate : m), '');
const next = new Date(Date.parse(`${newest}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const more = lettersOf(options.added, 10_000_000, next);
const incremental = await run([...base.letters, ...more.letters], [...base.values, ...more.values], path.join(options.dir, 'incremental'), cache);
await rm(options.dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ letters: base.letters.length, added: more.letters.length, cold, incremental, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
