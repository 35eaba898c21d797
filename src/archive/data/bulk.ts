/**
 * The bulk files: `letters.csv.gz`, `items.csv.gz` and `letters.jsonl.gz`.
 *
 * Rows are sorted by decision month, then case number and revision. Each file is a
 * series of gzip members (RFC 1952 allows several; gunzip, zcat, Python's gzip, R and
 * Node read them as one stream): the CSV header, then one member per chunk of letters
 * (see chunks.ts: about 64 letters, never two months). A member depends only on its own
 * text (level 9, no file name, mtime 0, OS byte fixed), so the same rows give the same
 * bytes on any machine, and a build that adds a few letters compresses only the chunks
 * they fall in: the other members come from the cache (see store.ts).
 *
 * CSV is written by csv-stringify (RFC 4180 quoting, LF line ends, UTF-8, no BOM).
 */
import { gzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { ITEM_COLUMNS, LETTER_COLUMNS, rowObject, type ItemRow, type LetterRow } from './columns.js';

export interface BulkFile {
  /** Relative to the archive's root, e.g. `data/letters.csv.gz`. */
  path: string;
  bytes: Uint8Array;
  /** Size of the decompressed text. */
  textBytes: number;
  rows: number;
}

/** The bulk files, in the order of a chunk's members (see `ChunkTexts`). */
export const BULK_PATHS = ['data/letters.csv.gz', 'data/items.csv.gz', 'data/letters.jsonl.gz'] as const;

/** Each bulk file's first text: the CSV header rows (the JSON Lines have none). */
export function bulkHeaders(): [string, string, null] {
  return [stringify([LETTER_COLUMNS.map((c) => c.name)]), stringify([ITEM_COLUMNS.map((c) => c.name)]), null];
}

/** gzip, deterministic: level 9, mtime 0, no name, OS byte 255 ("unknown") whatever the platform. */
export function gzipDeterministic(text: string | Uint8Array): Buffer {
  const out = gzipSync(text, { level: 9 });
  out[9] = 255;
  return out;
}

/** Item columns that repeat the letter's: left out of the items nested in a letter's JSON. */
const LETTER_FIELDS_IN_ITEMS = new Set(['case', 'revision', 'current', 'decision_date', 'decision_month', 'priority', 'reviewer_specialties', 'url']);

const OWN_ITEM_COLUMNS = ITEM_COLUMNS.filter((c) => !LETTER_FIELDS_IN_ITEMS.has(c.name));

/** A letter as a JSON object: the letter's columns and `items`, each with the item's own columns. */
export function letterJson(row: LetterRow, items: readonly ItemRow[]): Record<string, unknown> {
  return { ...rowObject(LETTER_COLUMNS, row), items: items.map((i) => rowObject(OWN_ITEM_COLUMNS, i)) };
}
