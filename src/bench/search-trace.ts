/**
 * Where a search's bytes go: each query of `measureQueries` (real Chromium, cold cache),
 * its every request to the search files mapped to the database it reads, the pages of
 * its `Range`, and, through SQLite's `dbstat` on the database assembled in Node, the
 * table or index each page belongs to.
 *
 *   node dist/bench/search-trace.js --build N --dir D      a search-only archive of N generated letters in D, kept
 *   node dist/bench/search-trace.js --dir D [QUERY…]       trace the queries (default: the bench's six kinds)
 *
 * Prints per query: data bytes and ms to the first page, then per database the requests,
 * bytes and pages by table/index (`*` marks pages read after the first page was drawn).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeSearchPageOnly } from '../archive/index.js';
import { assembleDatabase, folderEmit, readSearchManifest, type SearchManifest } from '../archive/search/index.js';
import type { DbEntry } from '../archive/search/chunks.js';
import { benchDir, projectRoot } from './common.js';
import { measureQueries, type QueryCost } from './search-queries.js';
import { runSampled } from './tree-rss.js';
import { generatedFacets } from './search-compare.js';

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
}

/** page number → object name, per database prefix. */
function pageMaps(dir: string, m: SearchManifest): Map<string, { name: string; owner: Map<number, string> }> {
  const out = new Map<string, { name: string; owner: Map<number, string> }>();
  const work = path.join(dir, 'trace-work');
  mkdirSync(work, { recursive: true });
  const dbs: [string, DbEntry][] = [['catalog', m.catalog], ...m.shards.map((s): [string, DbEntry] => [String(s.year), s])];
  for (const [name, entry] of dbs) {
    const file = path.join(work, `${name}.sqlite3`);
    assembleDatabase(path.join(dir, 'search'), entry, file);
    const db = new Database(file, { readonly: true });
    const owner = new Map<number, string>();
    for (const r of db.prepare('SELECT name, pageno, pagetype FROM dbstat').all() as { name: string; pageno: number; pagetype: string }[]) owner.set(r.pageno, `${r.name}${r.pagetype === 'internal' ? ' (interior)' : r.pagetype === 'overflow' ? ' (overflow)' : ''}`);
    db.close();
    out.set(entry.prefix, { name, owner });
  }
  return out;
}

function report(cost: QueryCost, maps: ReturnType<typeof pageMaps>, m: SearchManifest): string {
  const lines = [`${cost.query || '(home)'}: ${(cost.dataBytes / 1e3).toFixed(1)} kB data in ${cost.dataRequests} requests, ${cost.ms} ms, ${cost.results} results; settled ${(cost.settledBytes / 1e3).toFixed(1)} kB — ${cost.status}`];
  const per = new Map<string, { requests: number; bytes: number; heads: number; pages: Map<string, number> }>();
  for (const f of cost.files) {
    if (!f.path.startsWith('search/')) continue;
    const rel = f.path.slice('search/'.length);
    const slash = rel.lastIndexOf('/');
    const prefix = slash >= 0 ? rel.slice(0, slash + 1) : rel;
    const db = maps.get(prefix);
    const key = `${db?.name ?? prefix}${f.first ? '' : ' *'}`;
    let p = per.get(key);
    if (!p) per.set(key, (p = { requests: 0, bytes: 0, heads: 0, pages: new Map() }));
    p.requests++;
    p.bytes += f.bytes;
    if (f.method === 'HEAD') p.heads++;
    const r = /bytes=(\d+)-(\d+)/.exec(f.range ?? '');
    if (db && r) {
      const chunk = Number(rel.slice(slash + 1));
      const from = chunk * m.chunkSize + Number(r[1]);
      const to = chunk * m.chunkSize + Number(r[2]);
      for (let page = Math.floor(from / m.pageSize) + 1; page <= Math.floor(to / m.pageSize) + 1; page++) {
        const o = db.owner.get(page) ?? (page === 1 ? 'header' : 'free/unknown');
        p.pages.set(o, (p.pages.get(o) ?? 0) + 1);
      }
    }
  }
  const ends = (re: RegExp) => cost.files.filter((f) => re.test(f.path)).map((f) => f.end);
  const data = ends(/^search\//).filter((e) => e <= cost.ms);
  lines.push(`  timeline ms: page ${Math.max(...ends(/(^|\/)index\.html$|^$|\.css$/), 0)}, engine code ${Math.max(...ends(/\.(js|wasm)$/), 0)}, manifest ${Math.max(...ends(/search\.json$/), 0)}, first data ${Math.min(...data)}, last data ${Math.max(...data)}, drawn ${cost.ms}`);
  if (process.argv.includes('--times')) for (const f of cost.files) lines.push(`    ${String(f.start).padStart(5)}–${String(f.end).padStart(5)} ms ${f.method} ${f.path} ${f.range ?? ''} ${f.bytes}`);
  for (const [k, p] of [...per].sort()) {
    lines.push(`  ${k.padEnd(12)} ${String(p.requests).padStart(3)} req (${p.heads} HEAD) ${(p.bytes / 1e3).toFixed(1).padStart(7)} kB  ${[...p.pages].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o}:${n}`).join(' ')}`);
  }
  return lines.join('\n');
}

export const TRACE_QUERIES = (common: string, rare: string, month: string): string[] => [
  `q=${encodeURIComponent(common)}`,
  `q=${encodeURIComponent(rare)}`,
  `q=${encodeURIComponent('"straight leg raise"')}`,
  'category=Surgery',
  `from=${month}&to=${month}`,
  `q=${encodeURIComponent(rare)}&category=Pharmaceuticals`,
];

async function main(argv: string[]): Promise<void> {
  const dir = path.resolve(option(argv, '--dir') ?? '');
  if (!option(argv, '--dir')) throw new Error('--dir D is needed');
  const build = option(argv, '--build');
  if (build) {
    const n = Number(build);
    mkdirSync(dir, { recursive: true });
    const r = await runSampled<{ seconds: number }>(path.join(benchDir, 'search-child.js'), { engine: 'sqlite', letters: n, dir }, projectRoot, { limitMiB: 8192 });
    const emit = folderEmit(dir);
    await writeSearchPageOnly((rel, data) => emit(rel, typeof data === 'string' ? Buffer.from(data) : data), { templates: path.join(projectRoot, 'templates', 'archive'), styles: path.join(projectRoot, 'styles'), facets: generatedFacets(n, 1) });
    console.log(`built ${n} in ${r.seconds.toFixed(1)} s, peak ${r.peakTreeMiB.toFixed(0)} MiB`);
    return;
  }
  const m = readSearchManifest(path.join(dir, 'search'));
  const maps = pageMaps(dir, m);
  const queries = argv.filter((a, i) => !a.startsWith('--') && !['--dir', '--build', '--common', '--rare', '--month'].includes(argv[i - 1] ?? ''));
  const defaults = TRACE_QUERIES(option(argv, '--common') ?? 'a', option(argv, '--rare') ?? 'norco', option(argv, '--month') ?? m.shards[0]!.last.slice(0, 7));
  for (const cost of await measureQueries(dir, queries.length ? queries : defaults)) console.log(report(cost, maps, m));
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
