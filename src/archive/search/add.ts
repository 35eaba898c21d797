/**
 * Incremental: a day's letters into a published search folder (`addLetters`). Copies the
 * year shards the letters touch (assembled from their chunks), inserts each letter, or
 * replaces its case's row when the case is already listed (a new revision: the FTS5
 * row is deleted with the previous revision's text, which the caller gives, as a
 * contentless table needs), updates the catalog (cases, word counts by year, counts by
 * month, the latest letters), and writes the changed databases under new prefixes, then
 * `search.json`, then removes the old prefixes. Other years' files are not touched.
 *
 * The shards are not optimized or vacuumed (FTS5 keeps a small segment for the day):
 * the result is the same for the same folder and letters, but not byte for byte the
 * full build of the same letters; a full build (`imr-letters archive`) compacts again.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ArchiveError } from '../../errors.js';
import { fillLatest, type ShardFile } from './catalog.js';
import { CHUNK_SIZE, publishDatabase } from './chunks.js';
import { facetTokens } from './facet-token.js';
import { dateOfId, letterId } from './ids.js';
import { assembleDatabase, folderEmit, MANIFEST_NAME, publishShard, readSearchManifest, type Emit, type SearchManifest, type ShardEntry } from './index.js';
import { yearOf, type SearchLetter } from './record.js';
import { createShard, shardWriter } from './shard.js';
import { PAGE_SIZE, TOKENIZER, openForWriting, type Db } from './sqlite.js';

export interface AddOptions {
  /** A scratch folder (the touched databases are assembled there). */
  work: string;
  /** The searchable text of a listed revision being replaced: needed to delete its FTS5 row. */
  previousBody?: (caseNumber: string, revision: number) => string | undefined;
  /** Where the new files go (default: into `searchDir`). */
  emit?: Emit;
  chunkSize?: number;
}

export interface AddResult {
  manifest: SearchManifest;
  added: number;
  replaced: number;
  /** Years whose shard was rewritten. */
  years: number[];
  /** Files written and prefixes removed, relative to the search folder. */
  written: string[];
  removed: string[];
}

interface Old {
  case: string;
  year: number;
  id: number;
  revision: number;
  facets: string;
  body: string;
}

export async function addLetters(searchDir: string, letters: readonly SearchLetter[], options: AddOptions): Promise<AddResult> {
  const manifest = readSearchManifest(searchDir);
  // A folder of the first format (4 KiB pages, a shard's facets in its `letters` rows) is not added to: rebuilt.
  if (manifest.pageSize !== PAGE_SIZE) throw new ArchiveError(`${searchDir} holds search databases of ${manifest.pageSize}-byte pages, written before the facets had a table of their own (1,024-byte pages): rebuild the archive's search (imr-letters archive) before adding letters to it`);
  const written: string[] = [];
  const emit = options.emit ?? folderEmit(searchDir, written);
  mkdirSync(options.work, { recursive: true });
  const catalogFile = path.join(options.work, 'catalog.sqlite3');
  assembleDatabase(searchDir, manifest.catalog, catalogFile);
  const catalog = openForWriting(catalogFile);
  const files = new Map<number, string>();
  const shardFile = (year: number): string => {
    let file = files.get(year);
    if (file) return file;
    file = path.join(options.work, `${year}.sqlite3`);
    const entry = manifest.shards.find((s) => s.year === year);
    if (entry) assembleDatabase(searchDir, entry, file);
    else createShard(file).close();
    files.set(year, file);
    return file;
  };
  try {
    const olds = previousRows(catalog, letters, shardFile, options);
    const years = [...new Set([...letters.map(yearOf), ...olds.map((o) => o.year)])].sort();
    for (const year of years) {
      const db = openForWriting(shardFile(year));
      try {
        updateShard(db, year, letters.filter((l) => yearOf(l) === year), olds.filter((o) => o.year === year));
      } finally {
        db.close();
      }
      updateTerms(catalog, year, files.get(year)!, letters.filter((l) => yearOf(l) === year), olds.filter((o) => o.year === year));
    }
    updateCatalogRows(catalog, letters, olds);
    const allYears = [...new Set([...manifest.shards.map((s) => s.year), ...years])];
    fillLatest(catalog, allYears.map((year): ShardFile => ({ year, get file() { return shardFile(year); } })));
    catalog.close();
    const chunkSize = options.chunkSize ?? manifest.chunkSize ?? CHUNK_SIZE;
    const shards = new Map<number, ShardEntry>(manifest.shards.map((s) => [s.year, s]));
    const removed: string[] = [];
    for (const year of years) {
      const old = shards.get(year);
      const entry = await publishShard({ year, file: files.get(year)! }, emit, chunkSize);
      if (old && old.prefix !== entry.prefix) removed.push(old.prefix);
      shards.set(year, entry);
    }
    const catalogEntry = await publishDatabase(catalogFile, 'catalog', emit, chunkSize);
    if (catalogEntry.prefix !== manifest.catalog.prefix) removed.push(manifest.catalog.prefix);
    const next: SearchManifest = { ...manifest, chunkSize, catalog: catalogEntry, shards: [...shards.values()].sort((a, b) => b.year - a.year) };
    await emit(MANIFEST_NAME, Buffer.from(`${JSON.stringify(next, null, 2)}\n`));
    if (!options.emit) for (const prefix of removed) rmSync(path.join(searchDir, prefix), { recursive: true, force: true });
    return { manifest: next, added: letters.length - olds.length, replaced: olds.length, years, written, removed };
  } finally {
    if (catalog.open) catalog.close();
  }
}

/** The listed rows the letters replace (their case is in the catalog), with what deleting them needs. */
function previousRows(catalog: Db, letters: readonly SearchLetter[], shardFile: (year: number) => string, options: AddOptions): Old[] {
  const find = catalog.prepare('SELECT year, id FROM cases WHERE "case" = ?');
  const seen = new Set<string>();
  const olds: Old[] = [];
  for (const l of letters) {
    if (seen.has(l.case)) throw new ArchiveError(`${l.case} is twice in the letters added: search lists one revision of a case`);
    seen.add(l.case);
    const hit = find.get(l.case) as { year: number; id: number } | undefined;
    if (!hit) continue;
    const shard = new Database(shardFile(hit.year), { readonly: true });
    const row = shard.prepare('SELECT revision, facets FROM letters JOIN facets USING (id) WHERE id = ?').get(hit.id) as { revision: number; facets: string } | undefined;
    shard.close();
    if (!row) throw new ArchiveError(`The catalog lists ${l.case} in ${hit.year}, whose shard does not have it: rebuild the archive's search`);
    if (row.revision >= l.revision) throw new ArchiveError(`${l.case} revision ${l.revision} is not newer than the listed revision ${row.revision}`);
    const body = options.previousBody?.(l.case, row.revision);
    if (body === undefined) throw new ArchiveError(`To replace ${l.case} revision ${row.revision} in search, its text is needed (a contentless index deletes a row by its words): give previousBody`);
    olds.push({ case: l.case, year: hit.year, id: hit.id, revision: row.revision, facets: row.facets, body });
  }
  return olds;
}

function updateShard(db: Db, year: number, add: readonly SearchLetter[], remove: readonly Old[]): void {
  const write = shardWriter(db);
  const delRow = db.prepare('DELETE FROM letters WHERE id = ?');
  const delFacets = db.prepare('DELETE FROM facets WHERE id = ?');
  const delText = db.prepare(`INSERT INTO text(text, rowid, body, f) VALUES('delete', ?, ?, ?)`);
  db.transaction(() => {
    for (const o of remove) {
      delRow.run(o.id);
      delFacets.run(o.id);
      delText.run(o.id, o.body, facetTokens(JSON.parse(o.facets) as Record<string, string[]>).join(' '));
    }
    for (const l of [...add].sort((a, b) => letterId(a.date, a.case) - letterId(b.date, b.case))) {
      if (yearOf(l) !== year) throw new ArchiveError(`${l.case} is not of ${year}`);
      write(l);
    }
  })();
}

/**
 * The catalog's words after a year's change: each word of the added and removed texts
 * (tokenized by FTS5 itself, in a scratch table) gets its letters changed by the
 * difference; a year leaves a word's years when its shard no longer has the word.
 */
function updateTerms(catalog: Db, year: number, shard: string, add: readonly SearchLetter[], remove: readonly Old[]): void {
  const scratch = new Database(':memory:');
  const delta = new Map<string, number>();
  try {
    for (const [name, texts, sign] of [['a', add.map((l) => l.body), 1], ['r', remove.map((o) => o.body), -1]] as const) {
      scratch.exec(`CREATE VIRTUAL TABLE ${name} USING fts5(body, detail=none, tokenize="${TOKENIZER}"); CREATE VIRTUAL TABLE ${name}v USING fts5vocab(${name}, 'row')`);
      const ins = scratch.prepare(`INSERT INTO ${name}(body) VALUES (?)`);
      scratch.transaction(() => texts.forEach((t) => ins.run(t)))();
      for (const r of scratch.prepare(`SELECT term, doc FROM ${name}v`).all() as { term: string; doc: number }[]) delta.set(r.term, (delta.get(r.term) ?? 0) + sign * r.doc);
    }
  } finally {
    scratch.close();
  }
  const db = new Database(shard, { readonly: true });
  db.exec(`CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, text, 'col')`);
  const inShard = db.prepare(`SELECT doc FROM temp.v WHERE term = ? AND col = 'body'`).pluck();
  const get = catalog.prepare('SELECT years, docs FROM terms WHERE term = ?');
  const put = catalog.prepare('INSERT OR REPLACE INTO terms(term, years, docs) VALUES (?, ?, ?)');
  const drop = catalog.prepare('DELETE FROM terms WHERE term = ?');
  try {
    catalog.transaction(() => {
      for (const [term, d] of [...delta].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (d === 0) continue;
        const old = get.get(term) as { years: string; docs: number } | undefined;
        const years = new Set((old?.years ?? '').split(' ').filter(Boolean).map(Number));
        if (((inShard.get(term) as number | undefined) ?? 0) > 0) years.add(year);
        else years.delete(year);
        const docs = (old?.docs ?? 0) + d;
        if (docs <= 0 || !years.size) drop.run(term);
        else put.run(term, [...years].sort((a, b) => b - a).join(' '), docs);
      }
    })();
  } finally {
    db.close();
  }
}

/** `cases` and `counts` after the change. */
function updateCatalogRows(catalog: Db, add: readonly SearchLetter[], remove: readonly Old[]): void {
  const count = catalog.prepare('INSERT INTO counts(month, key, value, n) VALUES (?, ?, ?, ?) ON CONFLICT(month, key, value) DO UPDATE SET n = n + excluded.n');
  const upsert = catalog.prepare('INSERT OR REPLACE INTO cases("case", year, id, url) VALUES (?, ?, ?, ?)');
  const counted = (facets: Record<string, string[]>, month: string, sign: number) => {
    for (const [key, values] of Object.entries(facets)) for (const v of values) count.run(month, key, v, sign);
  };
  catalog.transaction(() => {
    for (const o of remove) {
      counted(JSON.parse(o.facets) as Record<string, string[]>, dateOfId(o.id).slice(0, 7), -1);
    }
    for (const l of add) {
      counted(l.facets, l.date.slice(0, 7), 1);
      upsert.run(l.case, yearOf(l), letterId(l.date, l.case), l.url);
    }
    catalog.exec('DELETE FROM counts WHERE n = 0');
  })();
}
