/**
 * A year's shard (`<year>.sqlite3`): the `letters` table and the contentless FTS5 table
 * `text` of every listed letter decided that year, inserted in id order (ascending
 * date), then optimized and vacuumed. The same letters give the same bytes, whether a
 * year is built alone (a CI matrix job) or with the others.
 */
import { existsSync, rmSync } from 'node:fs';
import { ArchiveError } from '../../errors.js';
import { facetTokens } from './facet-token.js';
import { letterId } from './ids.js';
import { excerptOf, yearOf, type SearchLetter } from './record.js';
import { compact, FTS5_PGSZ, openForWriting, openReadOnly, SHARD_SCHEMA, type Db } from './sqlite.js';

export interface ShardInfo {
  year: number;
  letters: number;
  /** First and last decision dates. */
  first: string;
  last: string;
}

/** FTS5's pending-terms buffer while a shard is built: fewer, larger segments to merge (default 1 MiB). */
const HASH_SIZE = 64 * 1024 * 1024;

/** Creates the shard's tables in a new database. */
export function createShard(file: string): Db {
  if (existsSync(file)) rmSync(file);
  const db = openForWriting(file, { journal: false });
  db.exec(SHARD_SCHEMA);
  db.exec(`INSERT INTO text(text, rank) VALUES('hashsize', ${HASH_SIZE})`);
  db.exec(`INSERT INTO text(text, rank) VALUES('pgsz', ${FTS5_PGSZ})`);
  return db;
}

/** Statements that add a letter to an open shard. */
export function shardWriter(db: Db): (l: SearchLetter) => number {
  const row = db.prepare(`INSERT INTO letters(id, "case", revision, url, date, outcome, title, items, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const facets = db.prepare(`INSERT INTO facets(id, facets) VALUES (?, ?)`);
  const text = db.prepare(`INSERT INTO text(rowid, body, f) VALUES (?, ?, ?)`);
  return (l) => {
    const id = letterId(l.date, l.case);
    row.run(id, l.case, l.revision, l.url, l.date, l.outcome, l.title, JSON.stringify(l.items), excerptOf(l.body));
    facets.run(id, facetsJson(l.facets));
    text.run(id, l.body, facetTokens(l.facets).join(' '));
    return id;
  };
}

/** The facets as stored: keys and values sorted, so the same facets give the same text. */
export function facetsJson(facets: SearchLetter['facets']): string {
  const sorted: Record<string, string[]> = {};
  for (const k of Object.keys(facets).sort()) sorted[k] = [...facets[k]!].sort();
  return JSON.stringify(sorted);
}

/**
 * Writes `letters` (all of one year) as a new shard at `file`, in id order: the same
 * letters give the same bytes.
 */
export function writeShard(file: string, letters: Iterable<SearchLetter>): ShardInfo {
  const list = [...letters].map((l) => ({ l, id: letterId(l.date, l.case) })).sort((a, b) => a.id - b.id);
  if (!list.length) throw new ArchiveError(`No letters for the shard ${file}`);
  const builder = new ShardBuilder(file, yearOf(list[0]!.l));
  try {
    for (const { l } of list) builder.add(l);
    return builder.finish();
  } catch (error) {
    builder.abort();
    throw error;
  }
}

/**
 * A shard built a letter at a time, in any order (the bench streams generated letters
 * into every year at once): inserts in transactions of `batch` letters, then `finish()`
 * optimizes and vacuums. In id order, the bytes depend on the letters only.
 */
export class ShardBuilder {
  private readonly db: Db;
  private readonly write: (l: SearchLetter) => number;
  private pending = 0;
  constructor(
    readonly file: string,
    readonly year: number,
    private readonly batch = 5_000,
  ) {
    this.db = createShard(file);
    this.write = shardWriter(this.db);
  }

  add(l: SearchLetter): void {
    if (yearOf(l) !== this.year) throw new ArchiveError(`${l.case} was decided on ${l.date}, not in ${this.year}: a shard holds one year`);
    if (this.pending === 0) this.db.exec('BEGIN');
    try {
      this.write(l);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new ArchiveError(`${l.case} (${l.date}) is twice in the letters of ${this.year}: search lists one revision of a case`);
      throw error;
    }
    if (++this.pending >= this.batch) this.commit();
  }

  finish(): ShardInfo {
    this.commit();
    compact(this.db);
    const info = shardInfoOf(this.db);
    this.db.close();
    return info;
  }

  abort(): void {
    if (this.db.open) this.db.close();
    rmSync(this.file, { force: true });
  }

  private commit(): void {
    if (this.pending) this.db.exec('COMMIT');
    this.pending = 0;
  }
}

/** A shard's year, letters and dates, read from the shard itself. */
export function shardInfo(file: string): ShardInfo {
  const db = openReadOnly(file);
  try {
    return shardInfoOf(db);
  } finally {
    db.close();
  }
}

export function shardInfoOf(db: Db, schema = 'main'): ShardInfo {
  const r = db.prepare(`SELECT count(*) AS n, min(date) AS first, max(date) AS last FROM ${schema}.letters`).get() as { n: number; first: string | null; last: string | null };
  if (!r.n || !r.first || !r.last) throw new ArchiveError('A search shard without letters');
  return { year: Number(r.first.slice(0, 4)), letters: r.n, first: r.first, last: r.last };
}
