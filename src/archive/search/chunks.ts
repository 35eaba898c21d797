/**
 * A database as published: split into chunk files `<prefix>000`, `<prefix>001`, … of at
 * most `chunkSize` bytes, the layout of sql.js-httpvfs's `serverMode: "chunked"`
 * (`urlPrefix` = prefix, `serverChunkSize` = chunkSize, `databaseLengthBytes` = bytes).
 * The prefix names the database's content (`2016-<first 10 hex of its sha256>/`): a
 * changed database gets new URLs, an unchanged one keeps its files.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ArchiveError } from '../../errors.js';
import { openReadOnly, PAGE_SIZE } from './sqlite.js';

/** Default chunk size: 24 MiB, under Cloudflare Pages' 25 MiB a file. */
export const CHUNK_SIZE = 24 * 1024 * 1024;
export const SUFFIX_LENGTH = 3;

/** A database in `search.json`. */
export interface DbEntry {
  prefix: string;
  bytes: number;
  chunks: number;
  suffixLength: number;
  /**
   * Pages 1 to `roots` hold the header, the schema and the root page of every table
   * (where SQLite puts them when a database is created or vacuumed): what opening the
   * database and any query read first, so the search page fetches them in one request.
   */
  roots: number;
}

/** The highest root page of `file`'s tables and indexes. */
export function rootPages(file: string): number {
  const db = openReadOnly(file);
  try {
    return Math.max(1, (db.prepare('SELECT max(rootpage) FROM sqlite_schema').pluck().get() as number | null) ?? 1);
  } finally {
    db.close();
  }
}

/** `2016-0123456789/` for a database file. */
export function prefixOf(name: string, file: string): string {
  const hash = createHash('sha256');
  forEachPiece(file, 8 * 1024 * 1024, (piece) => void hash.update(piece));
  return `${name}-${hash.digest('hex').slice(0, 10)}/`;
}

function forEachPiece(file: string, size: number, each: (piece: Buffer, index: number) => void): number {
  const fd = openSync(file, 'r');
  try {
    const total = statSync(file).size;
    const buf = Buffer.allocUnsafe(Math.min(size, Math.max(total, 1)));
    let index = 0;
    for (let at = 0; at < total; at += size) {
      const n = readSync(fd, buf, 0, Math.min(size, total - at), at);
      each(buf.subarray(0, n), index++);
    }
    return total;
  } finally {
    closeSync(fd);
  }
}

/**
 * Emits `file`'s chunks as `<prefix><NNN>` (relative to the search folder) and returns
 * its entry. `emit` gets a buffer it may keep only until it resolves.
 */
export async function publishDatabase(file: string, name: string, emit: (rel: string, bytes: Uint8Array) => Promise<void>, chunkSize = CHUNK_SIZE): Promise<DbEntry> {
  if (chunkSize % PAGE_SIZE !== 0) throw new ArchiveError(`The chunk size ${chunkSize} is not a multiple of the page size ${PAGE_SIZE}`);
  const prefix = prefixOf(name, file);
  const total = statSync(file).size;
  const chunks = Math.ceil(total / chunkSize);
  if (chunks >= 10 ** SUFFIX_LENGTH) throw new ArchiveError(`${file} would need ${chunks} chunks: more than ${SUFFIX_LENGTH}-digit suffixes name`);
  const fd = openSync(file, 'r');
  try {
    // One chunk in memory at a time.
    for (let i = 0; i < chunks; i++) {
      const buf = Buffer.allocUnsafe(Math.min(chunkSize, total - i * chunkSize));
      readSync(fd, buf, 0, buf.length, i * chunkSize);
      await emit(`${prefix}${String(i).padStart(SUFFIX_LENGTH, '0')}`, buf);
    }
  } finally {
    closeSync(fd);
  }
  return { prefix, bytes: total, chunks, suffixLength: SUFFIX_LENGTH, roots: rootPages(file) };
}
