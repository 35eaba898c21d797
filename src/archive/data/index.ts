/**
 * The archive's open data, written by the archive step into its staging folder, every
 * text leak-checked (a bulk file member by member; see `OpenDataCheck`), chunk by chunk
 * with a cache (see chunks.ts, store.ts):
 *
 *   data/index.html                      downloads, data dictionary, static API, feeds
 *   data/letters.csv.gz, items.csv.gz, letters.jsonl.gz    the bulk files (see bulk.ts)
 *   data/datapackage.json                the dictionary as a Frictionless Data Package
 *   data/statistics.json                 the statistics page's figures
 *   letters/<case>/v<revision>/letter.json, api/…         the static API (see api.ts)
 *   feeds/latest.xml, feeds/category/<slug>.xml           Atom feeds (see feeds.ts)
 *   statistics/index.html, statistics/<chart>.svg         the statistics page
 */
import { gunzipSync } from 'node:zlib';
import type { ArchiveLetter } from '../collect.js';
import { codeHash } from '../code-hash.js';
import { modeOf } from '../leak.js';
import type { Chrome } from '../pages.js';
import { apiIndexText } from './api.js';
import { BULK_PATHS, bulkHeaders, gzipDeterministic, type BulkFile } from './bulk.js';
import { chunkKey, chunkLetter, chunkTexts, chunksOf, monthFileText, textId, type ChunkLetter } from './chunks.js';
import { ITEM_COLUMNS, LETTER_COLUMNS, letterJsonUrl, type Column } from './columns.js';
import { atomFeeds } from './feeds.js';
import { dataView, loadDataTemplates, sizeOf, statisticsView } from './pages.js';
import { statisticsSections } from './sections.js';
import { emptyTally, mergeTallies, statisticsOf, type Tally } from './stats.js';
import { openStore, type ChunkEntry, type Member, type Store } from './store.js';

/**
 * The leak check of the open data, when the caller leaves it to this step (the archive
 * does): each text is checked once, a bulk file member by member, and a text found clean
 * under the same `key` by an earlier build (its verdict is kept in the cache) is not
 * read again. Without it, every file goes through `add`, which checks it whole.
 */
export interface OpenDataCheck {
  /**
   * The key of the verdicts kept: the check's code and options, and the token index the
   * words of every text found clean went to (the values are not in it: see `recheck`).
   */
  key: string;
  /**
   * Checks one text of a file (`where`: `text`, or `gunzipped` for a bulk file's member)
   * and records its leaks; returns how many. `unit` names the text in the token index
   * (`text:<id>`).
   */
  scan(rel: string, where: string, text: string, unit: string): number;
  /** Checks a text found clean before for the values added since, when they may be in it; returns the leaks found. */
  recheck?(rel: string, where: string, unit: string, text: () => string): number;
  /** Writes a file whose every text was checked, now or under the same key before. */
  write(rel: string, data: string | Uint8Array): Promise<void>;
}

export interface OpenDataOptions {
  /** The archive's templates folder (`data.hbs`, `statistics.hbs`, `layout.hbs`). */
  templates: string;
  /** The archive's style sheet, relative to the archive's root. */
  css: string;
  /** Where chunks and leak-check verdicts are kept between builds (none: make and check everything). */
  cache?: string;
  /** Entries per feed (default 50). */
  feedSize?: number;
  /** The leak check, done here (see `OpenDataCheck`); none: `add` checks each file. */
  check?: OpenDataCheck;
}

export interface OpenDataResult {
  files: number;
  bulk: { path: string; bytes: number; textBytes: number; rows: number }[];
  feeds: number;
  charts: number;
  /** The chunks' gzip members compressed by this build, and those taken from the cache. */
  gzip: { compressed: number; cached: number };
  /** Texts the leak check read, and texts it did not read again (found clean before under the same key). */
  checked: { scanned: number; known: number };
}

/** Adds a file to the archive being staged (written, then checked for leaks). */
export type AddFile = (rel: string, data: string | Uint8Array) => Promise<void>;

const BULK_WHAT: Record<string, string> = {
  'data/letters.csv.gz': 'CSV, a row per letter revision',
  'data/items.csv.gz': 'CSV, a row per disputed item',
  'data/letters.jsonl.gz': 'JSON Lines, a letter revision per line with its items',
};


/** Where the open data's files go: through `add`, or checked here (see `OpenDataCheck`). */
function createOutput(add: AddFile, check: OpenDataCheck | undefined, store: Store) {
  const counts = { files: 0, scanned: 0, known: 0 };
  /** Checks a text unless it is known clean; true when it is clean. */
  const verify = (rel: string, where: string, id: string, text: () => string) => {
    if (!check) return;
    if (store.isClean(id)) {
      counts.known++;
      if ((check.recheck?.(rel, where, `text:${id}`, text) ?? 0) > 0) store.forget(id);
      return;
    }
    counts.scanned++;
    if (check.scan(rel, where, text(), `text:${id}`) === 0) store.markClean(id);
  };
  return {
    counts,
    verify,
    /** A text file, checked unless known clean (`id`: its `textId`, when known). */
    async text(rel: string, text: string, id?: string) {
      counts.files++;
      if (!check) return add(rel, text);
      verify(rel, 'text', id ?? textId(modeOf(rel, 'text'), text), () => text);
      await check.write(rel, text);
    },
    /** A bulk file whose members were each verified. */
    async bulk(rel: string, bytes: Uint8Array) {
      counts.files++;
      await (check ? check.write(rel, bytes) : add(rel, bytes));
    },
  };
}
type Output = ReturnType<typeof createOutput>;

/** A chunk's entry: from the cache, else made (and cached); its members verified either way. */
async function chunkEntry(letters: readonly ChunkLetter[], version: string, store: Store, out: Output, gzip: OpenDataResult['gzip']): Promise<ChunkEntry> {
  const key = chunkKey(version, letters);
  let entry = await store.chunk(key);
  if (entry) {
    gzip.cached += entry.members.length;
    entry.members.forEach((m, k) => out.verify(BULK_PATHS[k]!, 'gunzipped', m.id, () => gunzipSync(m.bytes).toString('utf8')));
    return entry;
  }
  const t = chunkTexts(letters);
  const members: Member[] = t.texts.map((text, k) => {
    const id = textId('plain', text);
    out.verify(BULK_PATHS[k]!, 'gunzipped', id, () => text);
    return { bytes: gzipDeterministic(text), textBytes: Buffer.byteLength(text), rows: t.rows[k]!, id };
  });
  gzip.compressed += members.length;
  entry = { members, tally: t.tally, entries: t.entries, letters: letters.length, current: t.current };
  await store.putChunk(key, entry);
  return entry;
}

interface Walked {
  bulk: BulkFile[];
  tally: Tally;
  months: { month: string; letters: number }[];
  current: number;
}

/**
 * Every letter's `letter.json`, the bulk files and the API's month files, chunk by chunk:
 * only a chunk's letters are in memory at once, with the bulk files' compressed bytes.
 */
async function walkChunks(letters: readonly ArchiveLetter[], store: Store, out: Output, gzip: OpenDataResult['gzip']): Promise<Walked> {
  const version = codeHash(['data/', 'collect', 'pages']);
  const parts: Buffer[][] = bulkHeaders().map((h, k) => {
    if (h === null) return [];
    out.verify(BULK_PATHS[k]!, 'gunzipped', textId('plain', h), () => h);
    return [gzipDeterministic(h)];
  });
  const textBytes = bulkHeaders().map((h) => (h === null ? 0 : Buffer.byteLength(h)));
  const rows = [0, 0, 0];
  const tally = emptyTally();
  const months: Walked['months'] = [];
  let entries: string[] = [];
  let current = 0;
  const closeMonth = async () => {
    const m = months[months.length - 1];
    if (m) await out.text(`api/months/${m.month}.json`, monthFileText(m.month, entries));
    entries = [];
  };
  for (const chunk of chunksOf(letters)) {
    const ls = chunk.letters.map(chunkLetter);
    for (const l of ls) await out.text(letterJsonUrl(l.row.letter), l.text, l.id);
    const entry = await chunkEntry(ls, version, store, out, gzip);
    entry.members.forEach((m, k) => {
      parts[k]!.push(m.bytes);
      textBytes[k]! += m.textBytes;
      rows[k]! += m.rows;
    });
    mergeTallies(tally, entry.tally);
    current += entry.current;
    if (months[months.length - 1]?.month !== chunk.month) {
      await closeMonth();
      months.push({ month: chunk.month, letters: 0 });
    }
    months[months.length - 1]!.letters += entry.letters;
    entries.push(entry.entries);
  }
  await closeMonth();
  const bulk = BULK_PATHS.map((p, k) => ({ path: p, bytes: Buffer.concat(parts[k]!), textBytes: textBytes[k]!, rows: rows[k]! }));
  for (const b of bulk) await out.bulk(b.path, b.bytes);
  return { bulk, tally, months, current };
}

export async function writeOpenData(add: AddFile, letters: readonly ArchiveLetter[], listed: readonly ArchiveLetter[], options: OpenDataOptions): Promise<OpenDataResult> {
  const templates = await loadDataTemplates(options.templates);
  const store = await openStore(options.cache, options.check?.key);
  const out = createOutput(add, options.check, store);
  const gzip = { compressed: 0, cached: 0 };
  const { bulk, tally, months, current } = await walkChunks(letters, store, out, gzip);
  await out.text('data/datapackage.json', dataPackage(bulk));

  const feedSize = options.feedSize ?? 50;
  const feeds = atomFeeds(listed, { size: feedSize });
  for (const f of feeds) await out.text(f.path, templates.feed(f));
  const bulkInfo = bulk.map((b) => ({ path: b.path, bytes: b.bytes.length, textBytes: b.textBytes, rows: b.rows }));
  await out.text('api/index.json', apiIndexText(letters.length, current, months, bulkInfo, feeds));

  const stats = statisticsOf(tally);
  await out.text('data/statistics.json', `${JSON.stringify(stats, null, 2)}\n`);
  const { sections, charts } = await statisticsSections(stats);
  for (const c of charts) await out.text(`statistics/${c.file}`, c.svg);
  const chrome = (title: string, description: string, bodyClass: string): Chrome => ({ title, description, root: '../', styles: [`../${options.css}`], scripts: [], bodyClass });
  await out.text('statistics/index.html', templates.statistics(chrome('Statistics', `Overturn rates and decision counts of ${stats.letters} IMR final determinations, by request category, specialty, guideline and month.`, 'stats-page'), statisticsView(stats, sections)));
  const first = listed[0] ?? letters[0];
  const view = dataView({
    letters: bulk[0]!.rows,
    items: bulk[1]!.rows,
    bulk: bulk.map((b) => ({ name: b.path.slice('data/'.length), href: b.path.slice('data/'.length), what: BULK_WHAT[b.path] ?? '', rows: b.rows.toLocaleString('en-US'), size: sizeOf(b.bytes.length), textSize: sizeOf(b.textBytes) })),
    example: first ? letterJsonUrl(first) : null,
    feeds: feeds.map((f) => ({ href: `../${f.path}`, title: f.title, entries: f.entries.length })),
    feedSize,
  });
  await out.text('data/index.html', templates.data(chrome('Open data', 'Bulk downloads, data dictionary, static JSON API and Atom feeds of the IMR decisions archive.', 'data-page'), view));
  await store.save();
  return { files: out.counts.files, bulk: bulkInfo, feeds: feeds.length, charts: charts.length, gzip, checked: { scanned: out.counts.scanned, known: out.counts.known } };
}

const FRICTIONLESS_TYPE: Record<string, string> = { string: 'string', integer: 'integer', date: 'date', boolean: 'boolean', list: 'string' };

/** The data dictionary as a Frictionless Data Package (`datapackage.json`). */
export function dataPackage(bulk: readonly BulkFile[]): string {
  const fields = <R>(cols: readonly Column<R>[]) =>
    cols.map((c) => ({ name: c.name, type: FRICTIONLESS_TYPE[c.type], description: c.type === 'list' ? `${c.meaning} A list: values joined with " | ".` : c.meaning }));
  const resource = (b: BulkFile, name: string, schema: object | null) => ({
    name,
    path: b.path.slice('data/'.length),
    ...(schema ? { format: 'csv', mediatype: 'text/csv', dialect: { delimiter: ',', header: true, lineTerminator: '\n' }, schema } : { format: 'jsonl', mediatype: 'application/jsonl' }),
    compression: 'gz',
    encoding: 'utf-8',
    bytes: b.bytes.length,
  });
  const [letters, items, jsonl] = bulk as [BulkFile, BulkFile, BulkFile];
  return `${JSON.stringify(
    {
      name: 'imr-final-determinations',
      title: 'California workers’ compensation IMR final determinations: public facts',
      resources: [
        resource(letters, 'letters', { fields: fields(LETTER_COLUMNS), primaryKey: ['case', 'revision'] }),
        resource(items, 'items', { fields: fields(ITEM_COLUMNS), primaryKey: ['case', 'revision', 'item'] }),
        resource(jsonl, 'letters-jsonl', null),
      ],
    },
    null,
    2,
  )}\n`;
}
