/**
 * The edge of the importer: a posted decision's file → its layout text.
 *
 * A PDF is read with poppler's `pdftotext -layout` (Debian's poppler-utils), the very
 * command that made the corpus's reference texts, so a PDF and its `.txt` import
 * alike, and the column layout of the header block is the one the parser knows. A
 * `.txt` file is taken as that command's output.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { ImrError } from '../errors.js';
import { MAX_IMPORT_BYTES } from '../limits.js';

/** A posted decision's file could not be read as text. */
export class ExtractError extends ImrError {
  constructor(message: string, hint?: string) {
    super('ExtractError', message, { hint });
  }
}

/** Largest input read, in bytes (see `limits.ts`). */
export const MAX_INPUT_BYTES = MAX_IMPORT_BYTES;

export function isPdf(file: string): boolean {
  return /\.pdf$/i.test(file);
}

/** The layout text of `file`: `pdftotext -layout` of a PDF, or the text of a `.txt` file. */
export async function layoutText(file: string, options: { pdftotext?: string; timeoutMs?: number } = {}): Promise<string> {
  if (!isPdf(file)) {
    const bytes = await readFile(file);
    if (bytes.length > MAX_INPUT_BYTES) throw new ExtractError(`The file has ${bytes.length} bytes, more than ${MAX_INPUT_BYTES}: not a posted decision's text`);
    if (bytes.includes(0)) throw new ExtractError('The file holds NUL bytes: not a text file (a PDF must be named *.pdf)');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
    } catch {
      throw new ExtractError('The file is not UTF-8 text');
    }
  }
  return runPdftotext(file, options.pdftotext ?? 'pdftotext', options.timeoutMs ?? 30_000);
}

/**
 * The words of a PDF in reading order, from `pdftotext -bbox`, each with whether the
 * next word on its line starts a wide gap after it: more than 1.5 spaces (a space
 * being the median gap between two words of a line), as when the letter's typist put
 * two spaces after a sentence. `pdftotext -layout` shows one space there; this is how the importer keeps
 * two (see `spacing.ts`). A `.txt` file has no positions: undefined.
 */
export async function wordGaps(file: string, options: { pdftotext?: string; timeoutMs?: number } = {}): Promise<GapWord[] | undefined> {
  if (!isPdf(file)) return undefined;
  const html = await runPdftotext(file, options.pdftotext ?? 'pdftotext', options.timeoutMs ?? 30_000, ['-bbox']);
  return parseBbox(html);
}

export interface GapWord {
  word: string;
  /** A wide gap (two spaces) follows it on its line. */
  wide: boolean;
}

const BBOX_WORD = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** `pdftotext -bbox` HTML → words with their wide-gap flags. Pure. */
export function parseBbox(html: string): GapWord[] {
  const boxes = [...html.matchAll(BBOX_WORD)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
    word: m[5]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITY[e]!),
  }));
  const sameLine = (i: number) => {
    const b = boxes[i]!;
    const next = boxes[i + 1];
    return next !== undefined && Math.abs(next.y0 - b.y0) < (b.y1 - b.y0) / 4 && next.x0 > b.x1 ? next.x0 - b.x1 : undefined;
  };
  // One space: the median gap between two words of a line (the PDF's own measure, whatever its font).
  const gaps = boxes.map((_, i) => sameLine(i)).filter((g): g is number => g !== undefined).sort((x, y) => x - y);
  const space = gaps.length ? gaps[Math.floor((gaps.length - 1) / 2)]! : Infinity;
  return boxes.map((b, i) => ({ word: b.word, wide: (sameLine(i) ?? 0) > 1.5 * space }));
}

function runPdftotext(file: string, command: string, timeoutMs: number, mode: readonly string[] = ['-layout']): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...mode, '-enc', 'UTF-8', '--', file, '-'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_INPUT_BYTES) child.kill();
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new ExtractError(`${command} not found`, 'Install poppler-utils (Debian: apt-get install poppler-utils), or import the `pdftotext -layout` text instead')
          : new ExtractError(`${command} failed: ${e.message}`),
      );
    });
    child.on('close', (code, signal) => {
      if (size > MAX_INPUT_BYTES) return reject(new ExtractError(`The text of the PDF exceeds ${MAX_INPUT_BYTES} bytes`));
      if (code !== 0) {
        const detail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-1)[0] ?? '';
        return reject(new ExtractError(signal ? `${command} was stopped (${signal}); is the PDF damaged?` : `${command} could not read the PDF${detail ? `: ${detail}` : ''}`));
      }
      resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}
