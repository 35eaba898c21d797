/**
 * One measured search build in its own process (its memory its own, sampled by the parent
 * with its children): `node dist/bench/search-child.js '{"engine":"sqlite","letters":N,"dir":D}'`.
 *
 * - `sqlite`: the archive's engine. A worker thread makes the generated letters' records
 *   while this thread inserts them into a shard per decision year (all open at once),
 *   then each shard is optimized and vacuumed, the catalog made, and every database
 *   written as chunk files with `search.json` into `D/search/` (what the archive publishes).
 * - `pagefind` / `pagefind-years`: today's Pagefind build of the same records, one index
 *   (or one per year, `D/pagefind/<year>/`), as the archive wrote it before issue 13.
 * - `add`: `letters` more (generator indexes after `base`) added to the search folder in
 *   `D/search/` with `addLetters` (a day's letters).
 *
 * Prints `{seconds, letters, files, bytes, years}` on its last line.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SearchLetter } from '../archive/search/record.js';
import { yearOf } from '../archive/search/record.js';
import { ShardBuilder } from '../archive/search/shard.js';
import { folderEmit, publishSearch, readSearchManifest } from '../archive/search/index.js';
import { addLetters } from '../archive/search/add.js';
import { pagefindFilters } from '../archive/facets.js';
import { closePagefind, openSearchIndex } from './pagefind-index.js';

interface Options {
  engine: 'sqlite' | 'pagefind' | 'pagefind-years' | 'add';
  letters: number;
  dir: string;
  seed?: number;
  /** The first generator index (`add`: the letters already in the archive). */
  base?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const BATCH = 500;

/** Records of generator indexes [from, from + count), made by a worker thread, a batch ahead. */
async function* records(from: number, count: number, seed: number): AsyncGenerator<SearchLetter[]> {
  const worker = new Worker(new URL('./search-worker.js', import.meta.url), { workerData: { seed } });
  let failed: ((e: Error) => void) | undefined;
  worker.on('error', (e) => failed?.(e));
  const ask = (at: number) =>
    new Promise<SearchLetter[]>((resolve, reject) => {
      failed = reject;
      worker.once('message', resolve);
      worker.postMessage({ from: at, to: Math.min(at + BATCH, from + count) });
    });
  try {
    let next = count > 0 ? ask(from) : null;
    for (let at = from; at < from + count; at += BATCH) {
      const batch = await next!;
      next = at + BATCH < from + count ? ask(at + BATCH) : null;
      yield batch;
    }
  } finally {
    await worker.terminate();
  }
}

function filesAndBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

async function sqlite(o: Options): Promise<{ years: number }> {
  const work = path.join(o.dir, 'work');
  mkdirSync(work, { recursive: true });
  const builders = new Map<number, ShardBuilder>();
  const t = performance.now();
  for await (const batch of records(0, o.letters, o.seed ?? 1)) {
    for (const l of batch) {
      const year = yearOf(l);
      let b = builders.get(year);
      if (!b) builders.set(year, (b = new ShardBuilder(path.join(work, `${year}.sqlite3`), year)));
      b.add(l);
    }
  }
  const t0 = performance.now();
  const shards = [...builders.values()].map((b) => {
    b.finish();
    return { year: b.year, file: b.file };
  });
  const t1 = performance.now();
  await publishSearch(work, shards, folderEmit(path.join(o.dir, 'search')));
  process.stderr.write(`bench:   inserted in ${((t0 - t) / 1000).toFixed(1)} s, optimized and vacuumed in ${((t1 - t0) / 1000).toFixed(1)} s, catalog and chunks in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`);
  rmSync(work, { recursive: true, force: true });
  return { years: shards.length };
}

async function pagefind(o: Options, perYear: boolean): Promise<{ years: number }> {
  // One index, or one per year built one after another (as a CI job per year would: the
  // memory of one year's index at a time); the letters are made again for each year.
  const years = perYear ? [2015, 2016, 2017, 2018, 2019, 2020, 2021] : [null];
  let built = 0;
  for (const year of years) {
    let index: Awaited<ReturnType<typeof openSearchIndex>> | undefined;
    for await (const batch of records(0, o.letters, o.seed ?? 1)) {
      for (const l of batch) {
        if (year !== null && yearOf(l) !== year) continue;
        index ??= await openSearchIndex();
        index.add({ url: l.url, content: l.body, meta: { title: l.title, date: l.date, outcome: l.outcome, items: JSON.stringify(l.items) }, filters: pagefindFilters(l.facets) });
      }
    }
    if (!index) continue;
    built++;
    const files = await index.finish();
    const emit = folderEmit(path.join(o.dir, 'pagefind', year === null ? '' : String(year)));
    for (const f of files) await emit(f.path, f.bytes);
  }
  await closePagefind();
  return { years: built };
}

async function add(o: Options): Promise<{ years: number; seconds: number }> {
  // A day's letters: generated ones, all decided the day after the archive's newest letter
  // (the generator spreads its dates over years; a day's posting falls in one year).
  const next = new Date(Date.parse(`${readSearchManifest(path.join(o.dir, 'search')).shards[0]!.last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const day: SearchLetter[] = [];
  for await (const batch of records(o.base ?? 0, o.letters, o.seed ?? 1)) {
    for (const l of batch) day.push({ ...l, date: next, facets: { ...l.facets, year: [next.slice(0, 4)], month: [next.slice(0, 7)] } });
  }
  const started = performance.now();
  const r = await addLetters(path.join(o.dir, 'search'), day, { work: path.join(o.dir, 'add-work') });
  rmSync(path.join(o.dir, 'add-work'), { recursive: true, force: true });
  process.stderr.write(`bench: added ${r.added}, replaced ${r.replaced}, years ${r.years.join(' ')}, ${r.written.length} files written, ${r.removed.length} prefixes removed, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { years: r.years.length, seconds: (performance.now() - started) / 1000 };
}

const started = performance.now();
const r = options.engine === 'sqlite' ? await sqlite(options) : options.engine === 'add' ? await add(options) : await pagefind(options, options.engine === 'pagefind-years');
const seconds = 'seconds' in r ? r.seconds : (performance.now() - started) / 1000;
const published = filesAndBytes(path.join(options.dir, options.engine.startsWith('pagefind') ? 'pagefind' : 'search'));
process.stdout.write(`${JSON.stringify({ seconds, letters: options.letters, ...published, years: r.years })}\n`);
