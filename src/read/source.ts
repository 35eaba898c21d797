/**
 * Reading case files from disk: finding them, and decoding their bytes. This is the
 * only place the check pipeline touches the file system.
 */
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { MAX_CASE_BYTES } from '../limits.js';

/** A case file's text, ready for `checkSource`. */
export interface Source {
  /** The path as given (or found under a given folder). */
  file: string;
  /** The text, without a byte order mark, with line ends normalised to `\n`. */
  text: string;
}

export { MAX_CASE_BYTES };

export type ReadResult = { source: Source; diagnostics: Diagnostic[] } | { source: undefined; diagnostics: Diagnostic[] };

/** Decodes a case file's bytes: UTF-8 only, at most `MAX_CASE_BYTES`, no NUL bytes. */
export function decodeSource(file: string, bytes: Uint8Array): ReadResult {
  const at = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 1 } });
  if (bytes.length > MAX_CASE_BYTES) {
    return {
      source: undefined,
      diagnostics: [
        diagnostic(file, at(1, 1), 'error', 'file-too-large', `The file has ${bytes.length} bytes, more than the ${MAX_CASE_BYTES} a case file may have; is it really a case file?`),
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const pos = positionOfByte(bytes, nul);
    return { source: undefined, diagnostics: [diagnostic(file, at(pos.line, pos.column), 'error', 'binary-file', 'Unexpected NUL byte: this looks like a binary file, expected UTF-8 text')] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const pos = positionOfByte(bytes, bad);
    return {
      source: undefined,
      diagnostics: [
        diagnostic(file, at(pos.line, pos.column), 'error', 'encoding', `Unexpected byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}: the file is not UTF-8; save it as UTF-8`),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  return { source: { file, text }, diagnostics: [] };
}

const START = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/** What a path that is not a regular file is, in words. */
function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/**
 * A case file's bytes. The path is looked at first (symbolic links followed): anything
 * but a regular file (a FIFO, a socket, a device such as `/dev/zero`) is refused at once,
 * `not-a-file`, without being opened; a file over `MAX_CASE_BYTES` is refused unread.
 * `info` is that look, taken before the bytes were read (the build state's stamp).
 */
export async function readBytes(file: string): Promise<{ bytes: Buffer; diagnostics: []; info: Stats } | { bytes: undefined; diagnostics: Diagnostic[] }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      return { bytes: undefined, diagnostics: [diagnostic(file, START, 'error', 'not-a-file', `The path is ${kindOf(info)}, not a case file: it was not read; give a regular \`.md\` file`)] };
    }
    if (info.size > MAX_CASE_BYTES) return { bytes: undefined, diagnostics: decodeSource(file, new Uint8Array(info.size)).diagnostics };
    return { bytes: await readFile(file), diagnostics: [], info };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    const broken = reason === 'ENOENT' && (await lstat(file).then((l) => l.isSymbolicLink()).catch(() => false));
    return { bytes: undefined, diagnostics: [diagnostic(file, START, 'error', 'unreadable', broken ? 'The file is a symbolic link to nothing (its target does not exist)' : `The file cannot be read (${reason})`)] };
  }
}

export async function readSource(file: string): Promise<ReadResult> {
  const read = await readBytes(file);
  if (!read.bytes) return { source: undefined, diagnostics: read.diagnostics };
  return decodeSource(file, read.bytes);
}

function positionOfByte(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Column in characters: count UTF-8 lead bytes since the line start.
  let column = 1;
  for (let i = lineStart; i < index; i++) if (((bytes[i] ?? 0) & 0xc0) !== 0x80) column++;
  return { line, column };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest invalid prefix (a cut inside a valid character
  // reads as invalid too, so step back to the character's lead byte).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1));
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  let i = Math.min(lo, bytes.length - 1);
  while (i > 0 && ((bytes[i] ?? 0) & 0xc0) === 0x80) i--;
  return i;
}

/**
 * The case files named by `paths`: files as given, folders searched recursively for
 * `*.md` files (skipping dot-folders and `node_modules`). Sorted, without duplicates.
 * Symbolic links are followed (a folder once: no loops); an entry named `*.md` that is
 * not a regular file (a FIFO, a socket, a device, a broken link) is listed, so that
 * reading it reports why it is refused: nothing is skipped without a word.
 * A path that does not exist comes back as a diagnostic.
 */
export async function findCaseFiles(paths: readonly string[]): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>();
  async function walk(dir: string): Promise<void> {
    const real = await realpath(dir).catch(() => dir);
    if (visited.has(real)) return;
    visited.add(real);
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).then((i) => i.isDirectory()).catch(() => false)));
      if (isDir) await walk(full);
      else if (entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') found.add(full);
    }
  }
  for (const p of paths) {
    try {
      const info = await stat(p);
      if (info.isDirectory()) await walk(p);
      else found.add(p);
    } catch {
      const link = await lstat(p).then((l) => l.isSymbolicLink()).catch(() => false);
      if (link) found.add(p);
      else diagnostics.push(diagnostic(p, START, 'error', 'not-found', 'No such file or folder'));
    }
  }
  return { files: [...found].sort(), diagnostics };
}
