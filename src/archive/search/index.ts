/**
 * The archive's search files (`out/archive/search/`): a SQLite FTS5 shard per decision
 * year and a catalog, each split into chunk files, and `search.json`, the manifest the
 * search page fetches first. Read in the browser with sql.js-httpvfs over HTTP Range
 * requests. See `SEARCH-DESIGN` in the README ("Search at the size of the program").
 *
 * - `buildShards(work, letters)`: the year shards of `letters` in a scratch folder;
 * - `publishSearch(work, shards, emit)`: the catalog made from those shards, every
 *   database's chunks and `search.json`, handed to `emit` (the archive's checked writer,
 *   or a folder);
 * - `addLetters` (`./add.ts`): a day's letters into a published search folder.
 */
import { existsSync, mkdirSync, openSync, closeSync, writeSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ArchiveError } from '../../errors.js';
import { writeCatalog, type ShardFile } from './catalog.js';
import { CHUNK_SIZE, prefixOf, publishDatabase, type DbEntry } from './chunks.js';
import { yearOf, type SearchLetter } from './record.js';
import { ShardBuilder, shardInfo, writeShard, type ShardInfo } from './shard.js';
import { PAGE_SIZE } from './sqlite.js';

export const SEARCH_DIR = 'search';
export const MANIFEST_NAME = 'search.json';

export interface ShardEntry extends DbEntry {
  year: number;
  letters: number;
  first: string;
  last: string;
}

export interface SearchManifest {
  format: 1;
  pageSize: number;
  chunkSize: number;
  catalog: DbEntry;
  /** Newest year first. */
  shards: ShardEntry[];
}

export type Emit = (rel: string, bytes: Uint8Array) => Promise<void>;

/** Writes a shard per decision year of `letters` into `work` (`<year>.sqlite3`). */
export function buildShards(work: string, letters: readonly SearchLetter[]): ShardFile[] {
  mkdirSync(work, { recursive: true });
  const byYear = new Map<number, SearchLetter[]>();
  for (const l of letters) byYear.set(yearOf(l), [...(byYear.get(yearOf(l)) ?? []), l]);
  return [...byYear.keys()].sort().map((year) => {
    const file = path.join(work, `${year}.sqlite3`);
    writeShard(file, byYear.get(year)!);
    return { year, file };
  });
}

/**
 * The year shards of letters given one at a time (`add`), each written as it comes, so no
 * letter is kept in memory; `finish` compacts them (see `ShardBuilder`). The same letters
 * in the same order give the same bytes.
 */
export class YearShards {
  private readonly builders = new Map<number, ShardBuilder>();
  constructor(readonly work: string) {}

  get size(): number {
    return this.builders.size;
  }

  add(l: SearchLetter): void {
    const year = yearOf(l);
    let b = this.builders.get(year);
    if (!b) {
      mkdirSync(this.work, { recursive: true });
      b = new ShardBuilder(path.join(this.work, `${year}.sqlite3`), year);
      this.builders.set(year, b);
    }
    b.add(l);
  }

  finish(): ShardFile[] {
    return [...this.builders].sort((a, b) => a[0] - b[0]).map(([year, b]) => {
      b.finish();
      return { year, file: b.file };
    });
  }

  abort(): void {
    for (const b of this.builders.values()) b.abort();
  }
}

/** A shard's chunks, handed to `emit` under its prefix; its entry of `search.json`. */
export async function publishShard(shard: ShardFile, emit: Emit, chunkSize = CHUNK_SIZE): Promise<ShardEntry> {
  const info: ShardInfo = shardInfo(shard.file);
  if (info.year !== shard.year) throw new ArchiveError(`${shard.file} holds letters of ${info.year}, not ${shard.year}`);
  const entry = await publishDatabase(shard.file, String(shard.year), emit, chunkSize);
  return { year: info.year, letters: info.letters, first: info.first, last: info.last, ...entry };
}

/**
 * The catalog of `shards` (written to `work/catalog.sqlite3`), then every database's
 * chunks and `search.json`, through `emit`. Shards whose entry is given in `published`
 * are not emitted again (their files are in place); the rest are.
 */
export async function publishSearch(work: string, shards: readonly ShardFile[], emit: Emit, options: { chunkSize?: number; published?: ReadonlyMap<number, ShardEntry> } = {}): Promise<SearchManifest> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const catalogFile = path.join(work, 'catalog.sqlite3');
  writeCatalog(catalogFile, shards);
  const entries: ShardEntry[] = [];
  for (const s of shards) entries.push(options.published?.get(s.year) ?? (await publishShard(s, emit, chunkSize)));
  const catalog = await publishDatabase(catalogFile, 'catalog', emit, chunkSize);
  const manifest: SearchManifest = { format: 1, pageSize: PAGE_SIZE, chunkSize, catalog, shards: entries.sort((a, b) => b.year - a.year) };
  await emit(MANIFEST_NAME, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}

/** Writes into a folder: an `Emit` for the CLI and the tests. */
export function folderEmit(dir: string, written?: string[]): Emit {
  return async (rel, bytes) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
    written?.push(rel);
  };
}

export function readSearchManifest(dir: string): SearchManifest {
  const file = path.join(dir, MANIFEST_NAME);
  if (!existsSync(file)) throw new ArchiveError(`No ${file}: not a search folder`);
  const m = JSON.parse(readFileSync(file, 'utf8')) as SearchManifest;
  if (m.format !== 1 || !Array.isArray(m.shards) || !m.catalog) throw new ArchiveError(`${file} is not a search manifest of format 1`);
  return m;
}

/** Joins a published database's chunks back into `file`. */
export function assembleDatabase(dir: string, entry: DbEntry, file: string): void {
  const fd = openSync(file, 'w');
  try {
    let bytes = 0;
    for (let i = 0; i < entry.chunks; i++) {
      const chunk = readFileSync(path.join(dir, `${entry.prefix}${String(i).padStart(entry.suffixLength, '0')}`));
      writeSync(fd, chunk);
      bytes += chunk.length;
    }
    if (bytes !== entry.bytes) throw new ArchiveError(`The chunks of ${entry.prefix} hold ${bytes} bytes, ${entry.bytes} expected`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The shards published in a folder of shard prefixes (`<year>-<hash10>/000`, …; what a
 * CI matrix job uploads), assembled into `work`. The newest prefix wins when a year has two.
 */
export function assembleShards(dir: string, work: string): ShardFile[] {
  mkdirSync(work, { recursive: true });
  const shards: ShardFile[] = [];
  const seen = new Set<number>();
  for (const name of readdirSync(dir).filter((d) => /^\d{4}-[0-9a-f]{10}$/.test(d)).sort()) {
    const year = Number(name.slice(0, 4));
    if (seen.has(year)) throw new ArchiveError(`${dir} has two shards of ${year}`);
    seen.add(year);
    const parts = readdirSync(path.join(dir, name)).filter((f) => /^\d+$/.test(f)).sort();
    const file = path.join(work, `${year}.sqlite3`);
    const fd = openSync(file, 'w');
    try {
      for (const p of parts) writeSync(fd, readFileSync(path.join(dir, name, p)));
    } finally {
      closeSync(fd);
    }
    if (prefixOf(String(year), file) !== `${name}/`) throw new ArchiveError(`The chunks of ${path.join(dir, name)} do not make the database they are named for (missing or changed chunks)`);
    shards.push({ year, file });
  }
  return shards;
}

