/**
 * The bulk files: `letters.csv.gz`, `items.csv.gz` and `letters.jsonl.gz`.
 *
 * Rows are sorted by decision month, then case number and revision. Each file is a
 * series of gzip members (RFC 1952 allows several; gunzip, zcat, Python's gzip, R and
 * Node read them as one stream): the CSV header, then one member per decision month.
 * A member depends only on its own text (level 9, no file name, mtime 0, OS byte fixed),
 * so the same rows give the same bytes on any machine, and a build that adds a few
 * letters compresses only the months they fall in: the other members come from a cache
 * (`<cache>/<sha256 of the text>.gz`) when one is given.
 *
 * CSV is written by csv-stringify (RFC 4180 quoting, LF line ends, UTF-8, no BOM).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { ITEM_COLUMNS, LETTER_COLUMNS, rowCells, rowObject, type Column, type ItemRow, type LetterRow } from './columns.js';

export interface BulkFile {
  /** Relative to the archive's root, e.g. `data/letters.csv.gz`. */
  path: string;
  bytes: Uint8Array;
  /** Size of the decompressed text. */
  textBytes: number;
  rows: number;
}

/** Compresses text to one gzip member, from the cache when it holds it. */
export interface Compressor {
  gzip(text: string): Promise<Buffer>;
  /** Members compressed this run, and members taken from the cache. */
  readonly stats: { compressed: number; cached: number };
  /** Removes cached members not used since the compressor was made. */
  prune(): Promise<void>;
}

/** gzip, deterministic: level 9, mtime 0, no name, OS byte 255 ("unknown") whatever the platform. */
export function gzipDeterministic(text: string | Uint8Array): Buffer {
  const out = gzipSync(text, { level: 9 });
  out[9] = 255;
  return out;
}

/**
 * A compressor with an on-disk cache of members in `dir` (none: compress everything).
 * The cache is only an accelerator: a missing or unreadable entry is compressed again.
 */
export function createCompressor(dir: string | undefined): Compressor {
  const stats = { compressed: 0, cached: 0 };
  const used = new Set<string>();
  return {
    stats,
    async gzip(text) {
      if (!dir) {
        stats.compressed++;
        return gzipDeterministic(text);
      }
      const key = createHash('sha256').update('gzip-9\n').update(text).digest('hex');
      const file = path.join(dir, `${key}.gz`);
      used.add(`${key}.gz`);
      const cached = await readFile(file).catch(() => undefined);
      if (cached && cached.length > 18 && cached[0] === 0x1f && cached[1] === 0x8b) {
        stats.cached++;
        return cached;
      }
      const bytes = gzipDeterministic(text);
      stats.compressed++;
      await mkdir(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
      return bytes;
    },
    async prune() {
      if (!dir) return;
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const n of names) if (n.endsWith('.gz') && !used.has(n)) await rm(path.join(dir, n), { force: true });
    },
  };
}

const month = (l: { decisionDate: string }) => l.decisionDate.slice(0, 7);
const order = (a: { letter: { case: string; revision: number; decisionDate: string } }, b: typeof a) =>
  month(a.letter) !== month(b.letter) ? (month(a.letter) < month(b.letter) ? -1 : 1) : a.letter.case !== b.letter.case ? (a.letter.case < b.letter.case ? -1 : 1) : a.letter.revision - b.letter.revision;

/** Rows grouped by decision month, months in order, rows sorted within. */
function byMonth<R extends { letter: { case: string; revision: number; decisionDate: string } }>(rows: readonly R[]): R[][] {
  const sorted = [...rows].sort((a, b) => order(a, b) || ('index' in a && 'index' in b ? (a.index as number) - (b.index as number) : 0));
  const groups: R[][] = [];
  for (const r of sorted) {
    const last = groups[groups.length - 1];
    if (last && month(last[0]!.letter) === month(r.letter)) last.push(r);
    else groups.push([r]);
  }
  return groups;
}

async function members(parts: string[], compressor: Compressor): Promise<{ bytes: Buffer; textBytes: number }> {
  const out: Buffer[] = [];
  let textBytes = 0;
  for (const p of parts) {
    textBytes += Buffer.byteLength(p);
    out.push(await compressor.gzip(p));
  }
  return { bytes: Buffer.concat(out), textBytes };
}

async function csvFile<R extends { letter: { case: string; revision: number; decisionDate: string } }>(file: string, columns: readonly Column<R>[], rows: readonly R[], compressor: Compressor): Promise<BulkFile> {
  const header = stringify([columns.map((c) => c.name)]);
  const parts = [header, ...byMonth(rows).map((g) => stringify(g.map((r) => rowCells(columns, r))))];
  const { bytes, textBytes } = await members(parts, compressor);
  return { path: file, bytes, textBytes, rows: rows.length };
}

/** Item columns that repeat the letter's: left out of the items nested in a letter's JSON. */
const LETTER_FIELDS_IN_ITEMS = new Set(['case', 'revision', 'current', 'decision_date', 'decision_month', 'priority', 'reviewer_specialties', 'url']);

/** A letter as a JSON object: the letter's columns and `items`, each with the item's own columns. */
export function letterJson(row: LetterRow, items: readonly ItemRow[]): Record<string, unknown> {
  const own = ITEM_COLUMNS.filter((c) => !LETTER_FIELDS_IN_ITEMS.has(c.name));
  return { ...rowObject(LETTER_COLUMNS, row), items: items.map((i) => rowObject(own, i)) };
}

/** The three bulk files. `itemsOf` gives a letter row's item rows. */
export async function bulkFiles(letters: readonly LetterRow[], items: readonly ItemRow[], compressor: Compressor): Promise<BulkFile[]> {
  const itemsOf = new Map<LetterRow['letter'], ItemRow[]>();
  for (const i of items) (itemsOf.get(i.letter) ?? itemsOf.set(i.letter, []).get(i.letter)!).push(i);
  const jsonl = byMonth(letters).map((g) => g.map((r) => `${JSON.stringify(letterJson(r, itemsOf.get(r.letter) ?? []))}\n`).join(''));
  const lines = await members(jsonl, compressor);
  return [
    await csvFile('data/letters.csv.gz', LETTER_COLUMNS, letters, compressor),
    await csvFile('data/items.csv.gz', ITEM_COLUMNS, items, compressor),
    { path: 'data/letters.jsonl.gz', bytes: lines.bytes, textBytes: lines.textBytes, rows: letters.length },
  ];
}
