/**
 * The open data in chunks of letters: the unit of its cache.
 *
 * The letters are sorted as the bulk files list them (decision month, case, revision)
 * and cut into chunks: at each month's end, and after each letter whose key
 * (`<case> v<revision>`) hashes to the last of `CHUNK_LETTERS` values, so a chunk holds
 * 64 letters on average. A boundary depends on the letter alone, never on its
 * neighbours or on the build before: letters added to the archive fall into a few chunks
 * (or make a new one) and leave every other chunk as it was. The same letters give the
 * same chunks, whatever order they came in.
 *
 * A chunk's key is the hash of its letters' `letter.json` texts (which hold every public
 * fact the open data takes from a letter) and of the code that makes the open data: what
 * a chunk gives (its gzip members, its statistics, its API entries) is cached under it.
 * Pure.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { ArchiveLetter } from '../collect.js';
import { letterUrl } from '../collect.js';
import { letterJson } from './bulk.js';
import { ITEM_COLUMNS, LETTER_COLUMNS, itemRows, letterJsonUrl, rowCells, type ItemRow, type LetterRow } from './columns.js';
import { emptyTally, tallyLetter, type Tally } from './stats.js';

/** Letters in a chunk, on average. */
export const CHUNK_LETTERS = 64;

export interface Chunk {
  /** `YYYY-MM`: every letter of a chunk is of the same month of decision. */
  month: string;
  letters: ArchiveLetter[];
}

const month = (l: ArchiveLetter) => l.decisionDate.slice(0, 7);
const bulkOrder = (a: ArchiveLetter, b: ArchiveLetter) => (month(a) !== month(b) ? (month(a) < month(b) ? -1 : 1) : a.case !== b.case ? (a.case < b.case ? -1 : 1) : a.revision - b.revision);
const endsChunk = (l: ArchiveLetter) => createHash('sha256').update(`${l.case} v${l.revision}`).digest().readUInt32BE(0) % CHUNK_LETTERS === CHUNK_LETTERS - 1;

/** The letters in bulk order, cut into chunks. */
export function chunksOf(letters: readonly ArchiveLetter[]): Chunk[] {
  const chunks: Chunk[] = [];
  let open: Chunk | undefined;
  for (const l of [...letters].sort(bulkOrder)) {
    if (!open || open.month !== month(l)) chunks.push((open = { month: month(l), letters: [] }));
    open.letters.push(l);
    if (endsChunk(l)) open = undefined;
  }
  return chunks;
}

/** A letter with its rows, its JSON object and its `letter.json` text. */
export interface ChunkLetter {
  row: LetterRow;
  items: ItemRow[];
  json: Record<string, unknown>;
  /** `letter.json`: the JSON object, two spaces of indent, a final line break. */
  text: string;
  /** The hash of the text as plain text (the leak check's `textId`, and the chunk key's part). */
  id: string;
}

/** The hash a text is known by: its text and how the leak check reads it (`plain` or `html`). */
export const textId = (mode: string, text: string): string => createHash('sha256').update(`${mode}\0`).update(text).digest('hex').slice(0, 32);

export function chunkLetter(letter: ArchiveLetter): ChunkLetter {
  const row: LetterRow = { letter, facts: letter.facts };
  const items = itemRows([letter]);
  const json = letterJson(row, items);
  const text = `${JSON.stringify(json, null, 2)}\n`;
  return { row, items, json, text, id: textId('plain', text) };
}

/** The key of a chunk of letters (their texts in order) made by code `version`. */
export function chunkKey(version: string, letters: readonly ChunkLetter[]): string {
  const h = createHash('sha256').update(`${version}\n`);
  for (const l of letters) h.update(`${l.id}\n`);
  return h.digest('hex');
}

/** What a chunk gives the open data, but compressed (see `ChunkEntry` in store.ts). */
export interface ChunkTexts {
  /** The rows of `letters.csv`, `items.csv`, `letters.jsonl`, in that order (no header). */
  texts: [string, string, string];
  rows: [number, number, number];
  tally: Tally;
  /** The chunk's letters as `api/months/<month>.json` lists them, each two levels deep, joined by `,\n`. */
  entries: string;
  current: number;
}

/** The month file's indent of an entry: two levels of two spaces. */
const indent = (text: string) => text.replace(/^/gm, '    ');

export function chunkTexts(letters: readonly ChunkLetter[]): ChunkTexts {
  const items = letters.flatMap((l) => l.items);
  const tally = emptyTally();
  for (const l of letters) tallyLetter(tally, l.row, l.items);
  const entries = letters.map(({ row: { letter: l } }) =>
    indent(JSON.stringify({ case: l.case, revision: l.revision, current: l.current, decision_date: l.decisionDate, outcome: l.outcome, url: letterUrl(l.case, l.revision), json_url: letterJsonUrl(l) }, null, 2)),
  );
  return {
    texts: [stringify(letters.map((l) => rowCells(LETTER_COLUMNS, l.row))), stringify(items.map((i) => rowCells(ITEM_COLUMNS, i))), letters.map((l) => `${JSON.stringify(l.json)}\n`).join('')],
    rows: [letters.length, items.length, letters.length],
    tally,
    entries: entries.join(',\n'),
    current: letters.filter((l) => l.row.letter.current).length,
  };
}

/** `api/months/<month>.json` from its chunks' entries: the same text as `JSON.stringify({ month, letters }, null, 2)`. */
export function monthFileText(month: string, entries: readonly string[]): string {
  const list = entries.filter((e) => e.length > 0);
  return `{\n  "month": ${JSON.stringify(month)},\n  "letters": ${list.length ? `[\n${list.join(',\n')}\n  ]` : '[]'}\n}\n`;
}
