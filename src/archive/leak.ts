/**
 * The leak check: every file of the archive, searched for every confidential value of
 * every case before the archive is published.
 *
 * What is read of each file:
 * - gzip files (Pagefind's `.pf_*` chunks and its WebAssembly): the decompressed bytes;
 * - PDFs: the raw bytes (uncompressed strings and XMP metadata) with their hex strings
 *   decoded (`<FEFF…>` UTF-16 text of the document information), and, when
 *   poppler-utils is installed, the document information and XMP as `pdfinfo` prints
 *   them and the text `pdftotext` extracts;
 * - everything else: the bytes as UTF-8 text.
 *
 * A CSV file (`.csv`, `.csv.gz`) is read as its reader sees it: cell by cell (see
 * `csvCells`), so the digits of two neighbouring cells (a date, then a count) are not
 * joined into one claim number; a value inside a cell is found as in any text.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { collectWords, maskValue, type Matcher, type ValueKind } from '../confidential/index.js';
import type { Mode } from '../confidential/text.js';
import { hexStrings } from '../confidential/pdf.js';
import { ArchiveError } from '../errors.js';
import { codeHash } from './code-hash.js';

export interface Leak {
  /** The file, relative to the archive folder. */
  file: string;
  kind: ValueKind;
  /** The case file the value comes from. */
  source: string;
  /** The first characters of the value and its length. */
  masked: string;
  /** What part of the file: `text`, `gunzipped`, `PDF text`, `PDF metadata`, `PDF bytes`. */
  where: string;
}

export interface ScanOptions {
  /** Whether poppler-utils (`pdftotext`, `pdfinfo`) is installed; without it only the PDFs' bytes are read. */
  poppler: boolean;
}

const isGzip = (b: Uint8Array) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The texts to search in a file's bytes, each with where it comes from. */
export async function fileTexts(file: string, bytes: Uint8Array, options: ScanOptions): Promise<{ where: string; text: string }[]> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isGzip(buf)) {
    let plain: Buffer;
    try {
      plain = gunzipSync(buf);
    } catch {
      return [{ where: 'text', text: buf.toString('latin1') }];
    }
    return [{ where: 'gunzipped', text: plain.toString('utf8') }];
  }
  if (/\.pdf$/i.test(file) || buf.subarray(0, 5).toString('latin1') === '%PDF-') {
    const raw = buf.toString('latin1');
    const texts = [
      { where: 'PDF bytes', text: raw },
      { where: 'PDF strings', text: hexStrings(raw) },
    ];
    if (options.poppler) {
      texts.push({ where: 'PDF metadata', text: `${await poppler('pdfinfo', ['-enc', 'UTF-8', '-'], buf)}\n${await poppler('pdfinfo', ['-meta', '-'], buf)}` });
      texts.push({ where: 'PDF text', text: await poppler('pdftotext', ['-q', '-enc', 'UTF-8', '-', '-'], buf) });
    }
    return texts;
  }
  return [{ where: 'text', text: buf.toString('utf8') }];
}

export { hexStrings };

function poppler(command: string, args: string[], bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(new ArchiveError(`${command} failed: ${error.message}`));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

/** Whether poppler-utils (`pdftotext` and `pdfinfo`) is on the PATH. */
export function hasPoppler(): Promise<boolean> {
  const one = (cmd: string) => new Promise<boolean>((resolve) => execFile(cmd, ['-v'], (error) => resolve(!(error && (error as NodeJS.ErrnoException).code === 'ENOENT'))));
  return Promise.all([one('pdftotext'), one('pdfinfo')]).then(([a, b]) => a && b);
}

/** How a file's text is read: HTML as HTML, everything else as plain text. */
export function modeOf(file: string, where: string): Mode {
  return where === 'text' && /\.html?$/i.test(file) ? 'html' : 'plain';
}

/** Between two cells of a CSV as the check reads it: more than a claim number's longest gap (`CLAIM_GAP`, 3), no sentence end. */
export const CELL_GAP = '\t\t\t\t';

/**
 * A CSV's text as the leak check reads it: its cells (as a CSV parser gives them,
 * quotes and doubled quotes undone), `CELL_GAP` between two cells and at the end of each
 * row. The words of a value within a cell are read as in any text; the letters and
 * digits of neighbouring cells are too far apart to spell one claim number (a reader of
 * the file sees separate cells, not one number). Words still run on from cell to cell
 * (a name split over two cells is found). Not valid CSV: the text as it is (read more
 * strictly, never less).
 */
export function csvCells(text: string): string {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch {
    return text;
  }
  return rows.map((r) => `${r.join(CELL_GAP)}${CELL_GAP}`).join('\n');
}

const isCsv = (file: string) => /\.csv(\.gz)?$/i.test(file);

/** The leaks of a text, once per value and place, for each matcher; `words` receives the text's folded words. */
export function textLeaks(file: string, where: string, text: string, matchers: readonly Matcher[], words?: Set<string>): Leak[] {
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  const read = isCsv(file) && (where === 'text' || where === 'gunzipped') ? csvCells(text) : text;
  const mode = modeOf(file, where);
  for (const [a, b] of slices(read)) {
    const part = a === 0 && b === read.length ? read : read.slice(a, b);
    if (!matchers.length && words) collectWords(part, mode, words);
    for (const [k, matcher] of matchers.entries()) {
      for (const hit of matcher.find(part, mode, k === 0 ? words : undefined)) {
        const key = `${hit.value.file}\0${hit.value.kind}\0${hit.value.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        leaks.push({ file, kind: hit.value.kind, source: hit.value.file, masked: maskValue(hit.value.value), where });
      }
    }
  }
  return leaks;
}

/** Characters of a text read at once: a longer one (a search database's 24 MiB chunk) is read in slices. */
export const SLICE = 1 << 20;
/** How far two slices overlap: a value whose first and last characters are closer than this is whole in one of them. */
export const OVERLAP = 1 << 16;

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** The first place at or after `i` that is not inside a word (a slice never starts or ends in one). */
function wordEnd(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const word = c < 128 ? (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : (c >= 0xd800 && c <= 0xdfff) || WORD_CHAR.test(text[i]!);
    if (!word) return i;
    i++;
  }
  return i;
}

/**
 * The slices a text is read in, so that the words of a long one are never all in memory
 * at once: the whole text up to `SLICE` characters; a longer one in slices of about
 * `SLICE`, each starting `OVERLAP` before the end of the one before, both ends moved past
 * the word they fall in. A value found in the whole text is found in a slice when its
 * characters span less than `OVERLAP` (64 Ki characters: no name, address or claim number
 * a reader reads as one is spread wider); a slice reads no word the text does not have.
 */
export function slices(text: string): [number, number][] {
  if (text.length <= SLICE) return [[0, text.length]];
  const out: [number, number][] = [];
  for (let a = 0; ; ) {
    const b = wordEnd(text, Math.min(text.length, a + SLICE));
    out.push([a, b]);
    if (b >= text.length) return out;
    a = wordEnd(text, b - OVERLAP);
  }
}

/**
 * The leaks of one file (one per value and place). `matcher` may be several (all cases'
 * whole values, one letter's every form). `words`, when given, receives every folded word
 * of the texts read (for the token index).
 */
export async function scanFile(file: string, bytes: Uint8Array, matcher: Matcher | readonly Matcher[], options: ScanOptions & { words?: Set<string> }): Promise<Leak[]> {
  const matchers = Array.isArray(matcher) ? (matcher as readonly Matcher[]) : [matcher as Matcher];
  const leaks: Leak[] = [];
  for (const { where, text } of await fileTexts(file, bytes, options)) leaks.push(...textLeaks(file, where, text, matchers, options.words));
  return leaks;
}

/** Scans files with a few at once (PDF text extraction runs in child processes). */
export async function scanFiles(
  files: AsyncIterable<{ path: string; bytes: Uint8Array }> | Iterable<{ path: string; bytes: Uint8Array }>,
  matcher: Matcher,
  options: ScanOptions & { concurrency?: number },
): Promise<{ leaks: Leak[]; scanned: number; bytes: number }> {
  const leaks: Leak[] = [];
  let scanned = 0;
  let total = 0;
  const running = new Set<Promise<void>>();
  const limit = Math.max(1, options.concurrency ?? 2);
  for await (const f of files) {
    scanned++;
    total += f.bytes.length;
    const p: Promise<void> = scanFile(f.path, f.bytes, matcher, options).then((found) => {
      leaks.push(...found);
    });
    const tracked = p.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  leaks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { leaks, scanned, bytes: total };
}

/**
 * The key of a leak check: the matchers' keys (their values and options) and the code of
 * the check (`src/confidential/`, this module, the dependencies). A text found clean
 * under a key is clean under the same key again; under another key it must be read again.
 */
export function leakCheckKey(matchers: readonly Matcher[]): string {
  return createHash('sha256').update(codeHash(['../confidential/', 'leak'])).update(matchers.map((m) => m.key).join('\n')).digest('hex');
}

/**
 * The key of the archive's check without its values: the check's code and its matcher's
 * options (whole values only). The values the archive was checked for are kept apart (the
 * record's `values`), so a new value is looked for without reading every file again.
 */
export function leakCodeKey(): string {
  return createHash('sha256').update(codeHash(['../confidential/', 'leak', 'token-index'])).update('whole values, parts: false').digest('hex');
}

/** One line per leak, for the command's report: the file and the kind of value, never the value. */
export function formatLeak(l: Leak): string {
  return `${l.file}: ${l.kind} from ${l.source} (${l.where}: ${l.masked})`;
}
