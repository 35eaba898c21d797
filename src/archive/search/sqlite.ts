/**
 * The SQLite side of search: the schema of a shard and of the catalog, and how a database
 * is opened to be written. Everything a published file holds must be readable by
 * SQLite 3.35 (sql.js-httpvfs 0.8.12 in the browser): no STRICT tables, no
 * `contentless_delete`, page size 4096, rollback journal (`journal_mode=DELETE`).
 */
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * 1 KiB pages: a query reads a few B-tree paths and ten scattered result rows, a page
 * each, so bytes go with the page size (measured with `src/bench/search-trace.ts` at
 * 100,000 letters: first pages 18–84 kB at 1 KiB, 30–116 kB at 2 KiB, 32–270 kB at 4 KiB).
 */
export const PAGE_SIZE = 1024;
/** FTS5's leaf size: a leaf blob and its row fit in a page (no overflow page; FTS5's default is 4050, for 4 KiB pages). */
export const FTS5_PGSZ = PAGE_SIZE - 64;

/** The FTS5 tokenizer: words in Unicode, diacritics dropped, `_` kept inside a token (facet tokens). */
export const TOKENIZER = "unicode61 remove_diacritics 2 tokenchars '_'";

export const SHARD_SCHEMA = `
CREATE TABLE letters(
  id INTEGER PRIMARY KEY,
  "case" TEXT NOT NULL,
  revision INTEGER NOT NULL,
  url TEXT NOT NULL,
  date TEXT NOT NULL,
  outcome TEXT NOT NULL,
  title TEXT NOT NULL,
  items TEXT NOT NULL,
  excerpt TEXT NOT NULL
);
CREATE TABLE facets(id INTEGER PRIMARY KEY, facets TEXT NOT NULL);
CREATE VIRTUAL TABLE text USING fts5(body, f, content='', detail=full, tokenize="${TOKENIZER}");
`;

export const CATALOG_SCHEMA = `
CREATE TABLE cases("case" TEXT PRIMARY KEY, year INTEGER NOT NULL, id INTEGER NOT NULL, url TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE terms(term TEXT PRIMARY KEY, years TEXT NOT NULL, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE counts(month TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(month, key, value)) WITHOUT ROWID;
CREATE TABLE latest(id INTEGER PRIMARY KEY, year INTEGER, "case" TEXT, url TEXT, date TEXT, outcome TEXT, title TEXT, items TEXT);
`;

/** Letters in `latest`. */
export const LATEST = 50;

/**
 * Opens a database to write: page size 4096 (on a new file), rollback journal (none with
 * `journal: false`, for a new file), no fsync
 * (the file is built in a scratch folder and published only when whole), a 64 MiB cache.
 */
export function openForWriting(file: string, options: { journal?: boolean } = {}): Db {
  const db = new Database(file);
  db.pragma(`page_size = ${PAGE_SIZE}`);
  // A new shard needs no rollback journal (a failed build is thrown away): half the writes.
  // The file's format is the same either way (rollback journal, bytes 18 and 19 = 1).
  db.pragma(options.journal === false ? 'journal_mode = OFF' : 'journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  return db;
}

export function openReadOnly(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** Merges the FTS5 index into one segment, then rewrites the file compactly (the full build). */
export function compact(db: Db, fts = true): void {
  if (fts) db.exec(`INSERT INTO text(text) VALUES('optimize')`);
  db.exec('VACUUM');
}
