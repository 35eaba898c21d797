/**
 * `imr-letters search …`: the archive's search files built apart, as a CI matrix does
 * (issue 13): a job per decision year builds its shard, a last job makes the catalog from
 * the shards and publishes everything beside the archive's pages.
 *
 *   search years   [--out DIR]                       `years=[2016,2017]` (for $GITHUB_OUTPUT)
 *   search shard   --year Y [--out DIR] [--cases …] [--into PARTS]
 *                  the shard of year Y, checked for confidential values (through SQLite
 *                  and its bytes), written as PARTS/<Y>-<hash10>/000…
 *   search catalog [--from PARTS] [--into DIR/archive/search] [--cases …]
 *                  the shards of PARTS (each checked against its name's hash), the catalog
 *                  made from them (checked), every chunk and search.json into the search folder
 *
 * A shard or a catalog with a leak is not written; the exit code is 1.
 */
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { archiveSearchLetters, readArchiveInput, searchMatchers, type ArchiveOptions } from '../archive/index.js';
import { readCaseFiles } from '../archive/cases.js';
import { createMatcher } from '../archive/confidential.js';
import { scanFile, type Leak } from '../archive/leak.js';
import { assembleShards, folderEmit, publishSearch, publishShard, type Emit, type SearchManifest, type ShardEntry } from '../archive/search/index.js';
import { scanCatalog, scanShard } from '../archive/search/leak-scan.js';
import { yearOf } from '../archive/search/record.js';
import { writeShard } from '../archive/search/shard.js';
import { ArchiveError } from '../errors.js';

/** The decision years of the listed letters, oldest first. */
export async function searchYears(options: ArchiveOptions): Promise<number[]> {
  const input = await readArchiveInput(options);
  return [...new Set(input.listed.map((l) => yearOf({ date: l.decisionDate })))].sort();
}

export interface SearchCommandResult {
  leaks: Leak[];
  refused: { case: string; revision: number; reason: string }[];
  written: boolean;
}

/** An `Emit` that checks each file's bytes before writing it. */
function checkedEmit(emit: Emit, matchers: Parameters<typeof scanFile>[2], leaks: Leak[], base: string): Emit {
  return async (rel, bytes) => {
    leaks.push(...(await scanFile(`${base}${rel}`, bytes, matchers, { poppler: false })));
    await emit(rel, bytes);
  };
}

/** The shard of `year` into `into` (`<year>-<hash10>/…`). */
export async function searchShard(options: ArchiveOptions & { year: number; into: string; chunkSize?: number }): Promise<SearchCommandResult & { entry: ShardEntry | null }> {
  const input = await readArchiveInput(options);
  if (input.refused.length) return { leaks: [], refused: input.refused, written: false, entry: null };
  const letters = await archiveSearchLetters(input, options, (l) => yearOf({ date: l.decisionDate }) === options.year);
  if (!letters.length) throw new ArchiveError(`No listed letter was decided in ${options.year}`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'imr-search-shard-'));
  try {
    const file = path.join(work, `${options.year}.sqlite3`);
    writeShard(file, letters);
    const matchers = searchMatchers(input);
    const leaks = scanShard(file, `search/${options.year}/`, matchers);
    // The chunks' bytes too, into a scratch folder first: nothing is written when one leaks.
    const staged = path.join(work, 'out');
    const entry = await publishShard({ year: options.year, file }, checkedEmit(folderEmit(staged), [input.matcher], leaks, 'search/'), options.chunkSize);
    if (leaks.length) return { leaks, refused: [], written: false, entry };
    await moveInto(path.join(staged, entry.prefix), path.join(options.into, entry.prefix));
    return { leaks, refused: [], written: true, entry };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The catalog of the shards in `from`, and every database's chunks and search.json, into `into`. */
export async function searchCatalog(options: { from: string; into: string; cases?: string[]; chunkSize?: number }): Promise<SearchCommandResult & { manifest: SearchManifest | null }> {
  const cases = await readCaseFiles(options.cases?.length ? options.cases : ['cases']);
  const all = [createMatcher(cases.values, { parts: false })];
  const work = await mkdtemp(path.join(os.tmpdir(), 'imr-search-catalog-'));
  try {
    const shards = existsSync(options.from) ? assembleShards(options.from, path.join(work, 'db')) : [];
    const staged = path.join(work, 'out');
    const leaks: Leak[] = [];
    const manifest = await publishSearch(path.join(work, 'db'), shards, checkedEmit(folderEmit(staged), all, leaks, 'search/'), { chunkSize: options.chunkSize });
    leaks.push(...scanCatalog(path.join(work, 'db', 'catalog.sqlite3'), `search/${manifest.catalog.prefix}`, { all, own: () => undefined }));
    if (leaks.length) return { leaks, refused: [], written: false, manifest };
    await rm(options.into, { recursive: true, force: true });
    await moveInto(staged, options.into);
    return { leaks, refused: [], written: true, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await rm(to, { recursive: true, force: true });
  // A rename when on one file system, else a copy.
  await rename(from, to).catch(() => cp(from, to, { recursive: true }));
}
