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

function runPdftotext(file: string, command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-layout', '-enc', 'UTF-8', '--', file, '-'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
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
