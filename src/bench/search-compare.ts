/**
 * The search engines side by side (issue 13), at each size: the archive's SQLite FTS5
 * shards and today's Pagefind build (and Pagefind with one index per year, on request),
 * on the same generated letters (`search-records.ts`), each built in its own process
 * (`search-child.ts`) whose process tree's memory is sampled (`tree-rss.ts`). Then the
 * first page of six searches in Chromium: the commonest word, a rare word, a phrase, a
 * filter only, a date range and a rare word with a filter (SQLite: the archive's search page, `measureQueries` of
 * `search-queries.ts`; Pagefind: `pagefind-queries.ts`). Then, for SQLite, a day's 600
 * letters added to the largest size (`addLetters`).
 */
import { readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeSearchPageOnly } from '../archive/index.js';
import { facetsOf, type LetterFacets } from '../archive/facets.js';
import { assembleDatabase, folderEmit, readSearchManifest } from '../archive/search/index.js';
import type { Case } from '../check/index.js';
import { generateCase } from '../generate/index.js';
import { publicFacts } from '../render/facts.js';
import { benchDir, projectRoot } from './common.js';
import { measurePagefind, type PagefindCost, type PagefindQuery } from './pagefind-queries.js';
import { measureQueries, type QueryCost } from './search-queries.js';
import { runSampled } from './tree-rss.js';

export interface BuildRun {
  engine: string;
  letters: number;
  seconds: number;
  peakTreeMiB: number;
  files: number;
  bytes: number;
  years: number;
  /** Why it has no figures (e.g. stopped over the memory limit). */
  failed?: string;
}

export interface QueryRow {
  label: string;
  /** SQLite: data bytes (search files) and engine bytes (code) before the first results; Pagefind: all bytes. */
  dataBytes: number;
  engineBytes: number;
  ms: number;
  results: number;
  /** SQLite: requests of search data and databases read before the first results. */
  requests?: number;
  databases?: number;
}

export interface SizeResult {
  letters: number;
  builds: BuildRun[];
  queries: Record<string, QueryRow[]>;
  add?: BuildRun;
}

/** The facets of the first `n` generated letters, equal ones shared (the search page's counts). */
export function generatedFacets(n: number, seed: number): LetterFacets[] {
  const shared = new Map<string, LetterFacets>();
  const out: LetterFacets[] = [];
  for (let i = 0; i < n; i++) {
    const f = facetsOf(publicFacts({ data: generateCase(seed, i).data } as Case));
    const key = JSON.stringify(f);
    let s = shared.get(key);
    if (!s) shared.set(key, (s = f));
    out.push(s);
  }
  return out;
}

/** The six searches, from the catalog: its commonest word and a rare one. */
function pickQueries(searchDir: string, work: string): { common: string; rare: string; month: string } {
  const m = readSearchManifest(searchDir);
  const file = path.join(work, 'catalog.sqlite3');
  assembleDatabase(searchDir, m.catalog, file);
  const db = new Database(file, { readonly: true });
  try {
    const common = db.prepare('SELECT term FROM terms ORDER BY docs DESC, term LIMIT 1').pluck().get() as string;
    const rare = db.prepare(`SELECT term FROM terms WHERE term GLOB '[a-z][a-z][a-z][a-z]*' ORDER BY docs, term LIMIT 1`).pluck().get() as string;
    const month = db.prepare('SELECT max(month) FROM counts').pluck().get() as string;
    return { common, rare, month };
  } finally {
    db.close();
  }
}

/** A run over this much memory (process tree) is stopped: the machine is shared (default 8 GiB, `--limit-mib`). */
let limitMiB = 8192;

const child = (engine: string, letters: number, dir: string, extra: Record<string, unknown> = {}) =>
  runSampled<Omit<BuildRun, 'engine' | 'peakTreeMiB'>>(path.join(benchDir, 'search-child.js'), { engine, letters, dir, ...extra }, projectRoot, { limitMiB }).then((r) => ({ engine, ...r }));

export async function compareSearch(sizes: readonly number[], o: { tmp: string; keep?: boolean; pagefind: boolean; pagefindYears: boolean; queries: boolean; add: number; limitMiB?: number; log: (s: string) => void }): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  limitMiB = o.limitMiB ?? limitMiB;
  for (const n of sizes) {
    const dir = path.join(o.tmp, `sqlite-${n}`);
    await mkdir(dir, { recursive: true });
    const r: SizeResult = { letters: n, builds: [], queries: {} };
    o.log(`SQLite FTS5 shards of ${n} generated letters…`);
    r.builds.push(await child('sqlite', n, dir));
    o.log(`  ${r.builds[0]!.seconds.toFixed(1)} s, peak ${r.builds[0]!.peakTreeMiB.toFixed(0)} MiB`);
    const picked = pickQueries(path.join(dir, 'search'), o.tmp);
    const [y, mo] = picked.month.split('-');
    const from = `${y}-${mo}`;
    const sqliteQueries: [string, string][] = [
      [`commonest word “${picked.common}”`, `q=${encodeURIComponent(picked.common)}`],
      [`rare word “${picked.rare}”`, `q=${encodeURIComponent(picked.rare)}`],
      ['phrase “straight leg raise”', `q=${encodeURIComponent('"straight leg raise"')}`],
      ['filter only: category Surgery', 'category=Surgery'],
      [`date range ${from}`, `from=${from}&to=${from}`],
      [`“${picked.rare}” + category Pharmaceuticals`, `q=${encodeURIComponent(picked.rare)}&category=Pharmaceuticals`],
    ];
    if (o.queries) {
      o.log('  the search page and six searches in Chromium…');
      const emit = folderEmit(dir);
      await writeSearchPageOnly((rel, data) => emit(rel, typeof data === 'string' ? Buffer.from(data) : data), { templates: path.join(projectRoot, 'templates', 'archive'), styles: path.join(projectRoot, 'styles'), facets: generatedFacets(n, 1) });
      const costs: QueryCost[] = await measureQueries(dir, sqliteQueries.map(([, q]) => q));
      r.queries.sqlite = costs.map((c, i) => ({ label: sqliteQueries[i]![0], dataBytes: c.dataBytes, engineBytes: c.engineBytes + c.pageBytes, ms: c.ms, results: c.results, requests: c.dataRequests, databases: c.databases }));
    }
    if (o.add && n === sizes[sizes.length - 1]) {
      o.log(`  + ${o.add} letters (addLetters)…`);
      r.add = await child('add', o.add, dir, { base: n });
    }
    if (o.keep) o.log(`  kept ${dir} (search/, index.html, assets/): node dist/bench/search-trace.js --dir ${dir}`);
    else await rm(dir, { recursive: true, force: true });
    const pf: PagefindQuery[] = [
      { label: sqliteQueries[0]![0], term: picked.common },
      { label: sqliteQueries[1]![0], term: picked.rare },
      { label: sqliteQueries[2]![0], term: '"straight leg raise"' },
      { label: sqliteQueries[3]![0], term: null, filters: { category: 'Surgery' } },
      { label: sqliteQueries[4]![0], term: null, filters: { month: from } },
      { label: sqliteQueries[5]![0], term: picked.rare, filters: { category: 'Pharmaceuticals' } },
    ];
    for (const engine of [...(o.pagefind ? ['pagefind'] : []), ...(o.pagefindYears && n === sizes[sizes.length - 1] ? ['pagefind-years'] : [])]) {
      const pdir = path.join(o.tmp, `${engine}-${n}`);
      await mkdir(pdir, { recursive: true });
      o.log(`${engine === 'pagefind' ? 'Pagefind' : 'Pagefind, one index per year,'} of ${n} generated letters…`);
      let b: BuildRun;
      try {
        b = await child(engine, n, pdir);
      } catch (error) {
        o.log(`  ${engine} failed: ${(error as Error).message}`);
        r.builds.push({ engine, letters: n, seconds: Number.NaN, peakTreeMiB: Number.NaN, files: 0, bytes: 0, years: 0, failed: (error as Error).message });
        await rm(pdir, { recursive: true, force: true });
        continue;
      }
      r.builds.push(b);
      o.log(`  ${b.seconds.toFixed(1)} s, peak ${b.peakTreeMiB.toFixed(0)} MiB`);
      try {
        if (o.queries) {
          const years = engine === 'pagefind-years' ? readdirSync(path.join(pdir, 'pagefind')).sort().reverse() : [];
          const costs: PagefindCost[] = await measurePagefind(pdir, pf, years);
          r.queries[engine] = costs.map((c) => ({ label: c.label, dataBytes: c.bytes, engineBytes: c.engineBytes, ms: c.ms, results: c.results }));
        }
      } catch (error) {
        o.log(`  ${engine}'s searches failed: ${(error as Error).message}`);
      } finally {
        await rm(pdir, { recursive: true, force: true });
      }
    }
    results.push(r);
  }
  return results;
}

/** The side-by-side table. */
export function formatComparison(results: readonly SizeResult[]): string {
  const lines: string[] = [];
  const fmt = (v: number, d = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'failed');
  for (const r of results) {
    lines.push(`${r.letters.toLocaleString('en-US')} letters`);
    lines.push(`  ${'engine'.padEnd(16)} ${'index s'.padStart(9)} ${'peak MiB'.padStart(9)} ${'files'.padStart(7)} ${'MB'.padStart(9)} ${'dbs/indexes'.padStart(11)}`);
    for (const b of r.builds) lines.push(b.failed ? `  ${b.engine.padEnd(16)} ${b.failed}` : `  ${b.engine.padEnd(16)} ${fmt(b.seconds, 1).padStart(9)} ${fmt(b.peakTreeMiB).padStart(9)} ${fmt(b.files).padStart(7)} ${fmt(b.bytes / 1e6, 1).padStart(9)} ${fmt(b.years).padStart(11)}`);
    if (r.add) lines.push(`  + ${r.add.letters} letters (addLetters): ${fmt(r.add.seconds, 1)} s, peak ${fmt(r.add.peakTreeMiB)} MiB`);
    for (const [engine, qs] of Object.entries(r.queries)) {
      lines.push(`  first page, ${engine} (search data kB + engine code and page kB; time from navigation):`);
      for (const q of qs) lines.push(`    ${q.label.padEnd(40)} ${fmt(q.dataBytes / 1e3, 1).padStart(8)} kB${q.engineBytes ? ` + ${fmt(q.engineBytes / 1e3, 1)} kB` : ''}  ${fmt(q.ms).padStart(6)} ms  ${fmt(q.results)} results${q.requests === undefined ? '' : `, ${q.requests} requests, ${q.databases} databases`}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
