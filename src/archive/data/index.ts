/**
 * The archive's open data, written by the archive step into its staging folder (every
 * file through the archive's sink, so the leak check reads each, gzip included):
 *
 *   data/index.html                      downloads, data dictionary, static API, feeds
 *   data/letters.csv.gz, items.csv.gz, letters.jsonl.gz    the bulk files (see bulk.ts)
 *   data/datapackage.json                the dictionary as a Frictionless Data Package
 *   data/statistics.json                 the statistics page's figures
 *   letters/<case>/v<revision>/letter.json, api/…         the static API (see api.ts)
 *   feeds/latest.xml, feeds/category/<slug>.xml           Atom feeds (see feeds.ts)
 *   statistics/index.html, statistics/<chart>.svg         the statistics page
 */
import type { ArchiveLetter } from '../collect.js';
import type { Chrome } from '../pages.js';
import { apiIndexFiles, letterApiFile } from './api.js';
import { bulkFiles, createCompressor, type BulkFile } from './bulk.js';
import { ITEM_COLUMNS, LETTER_COLUMNS, itemRows, letterJsonUrl, letterRows, type Column, type ItemRow } from './columns.js';
import { atomFeeds } from './feeds.js';
import { dataView, loadDataTemplates, sizeOf, statisticsView } from './pages.js';
import { statisticsSections } from './sections.js';
import { computeStatistics } from './stats.js';

export interface OpenDataOptions {
  /** The archive's templates folder (`data.hbs`, `statistics.hbs`, `layout.hbs`). */
  templates: string;
  /** The archive's style sheet, relative to the archive's root. */
  css: string;
  /** Where compressed months are kept between builds (none: compress everything). */
  cache?: string;
  /** Entries per feed (default 50). */
  feedSize?: number;
}

export interface OpenDataResult {
  files: number;
  bulk: { path: string; bytes: number; textBytes: number; rows: number }[];
  feeds: number;
  charts: number;
  gzip: { compressed: number; cached: number };
}

/** Adds a file to the archive being staged (written, then checked for leaks). */
export type AddFile = (rel: string, data: string | Uint8Array) => Promise<void>;

const BULK_WHAT: Record<string, string> = {
  'data/letters.csv.gz': 'CSV, a row per letter revision',
  'data/items.csv.gz': 'CSV, a row per disputed item',
  'data/letters.jsonl.gz': 'JSON Lines, a letter revision per line with its items',
};

export async function writeOpenData(add: AddFile, letters: readonly ArchiveLetter[], listed: readonly ArchiveLetter[], options: OpenDataOptions): Promise<OpenDataResult> {
  const templates = await loadDataTemplates(options.templates);
  const lRows = letterRows(letters);
  const iRows = itemRows(letters);
  const compressor = createCompressor(options.cache);
  let files = 0;
  const put = async (rel: string, data: string | Uint8Array) => {
    await add(rel, data);
    files++;
  };

  const bulk = await bulkFiles(lRows, iRows, compressor);
  for (const b of bulk) await put(b.path, b.bytes);
  await compressor.prune();
  await put('data/datapackage.json', dataPackage(bulk));

  const itemsOf = new Map<ArchiveLetter, ItemRow[]>();
  for (const i of iRows) (itemsOf.get(i.letter) ?? itemsOf.set(i.letter, []).get(i.letter)!).push(i);
  for (const r of lRows) {
    const f = letterApiFile(r, itemsOf.get(r.letter) ?? []);
    await put(f.path, f.text);
  }
  const feedSize = options.feedSize ?? 50;
  const feeds = atomFeeds(listed, { size: feedSize });
  for (const f of feeds) await put(f.path, templates.feed(f));
  const bulkInfo = bulk.map((b) => ({ path: b.path, bytes: b.bytes.length, textBytes: b.textBytes, rows: b.rows }));
  for (const f of apiIndexFiles(lRows, { bulk: bulkInfo.map(({ path, bytes, rows }) => ({ path, bytes, rows })), feeds: feeds.map((f) => ({ path: f.path, title: f.title })) })) await put(f.path, f.text);

  const stats = computeStatistics(lRows, iRows);
  await put('data/statistics.json', `${JSON.stringify(stats, null, 2)}\n`);
  const { sections, charts } = await statisticsSections(stats);
  for (const c of charts) await put(`statistics/${c.file}`, c.svg);
  const chrome = (title: string, description: string, bodyClass: string): Chrome => ({ title, description, root: '../', styles: [`../${options.css}`], scripts: [], bodyClass });
  await put('statistics/index.html', templates.statistics(chrome('Statistics', `Overturn rates and decision counts of ${stats.letters} IMR final determinations, by request category, specialty, guideline and month.`, 'stats-page'), statisticsView(stats, sections)));
  const view = dataView({
    letters: lRows.length,
    items: iRows.length,
    bulk: bulk.map((b) => ({ name: b.path.slice('data/'.length), href: b.path.slice('data/'.length), what: BULK_WHAT[b.path] ?? '', rows: b.rows.toLocaleString('en-US'), size: sizeOf(b.bytes.length), textSize: sizeOf(b.textBytes) })),
    example: lRows.length ? letterJsonUrl(listed[0] ?? lRows[0]!.letter) : null,
    feeds: feeds.map((f) => ({ href: `../${f.path}`, title: f.title, entries: f.entries.length })),
    feedSize,
  });
  await put('data/index.html', templates.data(chrome('Open data', 'Bulk downloads, data dictionary, static JSON API and Atom feeds of the IMR decisions archive.', 'data-page'), view));
  return { files, bulk: bulkInfo, feeds: feeds.length, charts: charts.length, gzip: { ...compressor.stats } };
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
