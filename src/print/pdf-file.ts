/**
 * The PDFs Chromium (Skia) prints, read and written as objects: a classic cross-reference
 * table, one revision, no object streams (PDF 1.4). Enough to rewrite some objects and add
 * others, and write one clean revision again; not a general PDF parser. Anything else is a
 * `PdfPatchError` rather than a guess.
 *
 * Each object is kept as its text between `N 0 obj` and `endobj` (latin1, so a stream's bytes
 * survive as they are).
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { ImrError } from '../errors.js';

/** Chromium's PDF is not in the form it can be archived and pinned in. */
export class PdfPatchError extends ImrError {
  constructor(message: string) {
    super('PdfPatchError', message);
  }
}

export interface PdfDocument {
  /** Object number → its text between `N 0 obj` and `endobj`, trimmed. */
  objects: Map<number, string>;
  /** The catalog's object number. */
  root: number;
  /** The document information dictionary's object number, if the trailer names one. */
  info?: number;
}

/** Reads a PDF with one classic cross-reference table (as Chromium writes it). */
export function readPdf(text: string): PdfDocument {
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1];
  if (!startxref) throw new PdfPatchError('no startxref at the end of the PDF');
  const at = Number(startxref);
  const xref = /^xref\s+(\d+) (\d+)\s+/.exec(text.slice(at));
  if (!xref) throw new PdfPatchError('no classic cross-reference table');
  const first = Number(xref[1]);
  const count = Number(xref[2]);
  const entries = text.slice(at + xref[0].length, at + xref[0].length + count * 20);
  const trailer = text.slice(at + xref[0].length + count * 20);
  if (/\/Prev\b/.test(trailer) || /\/Encrypt\b/.test(trailer)) throw new PdfPatchError('an updated or encrypted PDF');
  const root = /\/Root (\d+) 0 R/.exec(trailer)?.[1];
  if (!root) throw new PdfPatchError('no /Root in the trailer');
  const offsets: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const entry = entries.slice(i * 20, i * 20 + 18);
    if (entry.endsWith('n')) offsets.push([first + i, Number(entry.slice(0, 10))]);
  }
  offsets.sort((a, b) => a[1] - b[1]);
  const objects = new Map<number, string>();
  offsets.forEach(([num, offset], i) => {
    const end = i + 1 < offsets.length ? offsets[i + 1]![1] : at;
    const chunk = text.slice(offset, end);
    const head = `${num} 0 obj`;
    const close = chunk.lastIndexOf('endobj');
    if (!chunk.startsWith(head) || close === -1) throw new PdfPatchError(`object ${num} is not where the cross-reference table says`);
    objects.set(num, chunk.slice(head.length, close).trim());
  });
  const info = /\/Info (\d+) 0 R/.exec(trailer)?.[1];
  return { objects, root: Number(root), ...(info ? { info: Number(info) } : {}) };
}

/** The next free object number. */
export function nextObject(doc: PdfDocument): number {
  return Math.max(0, ...doc.objects.keys()) + 1;
}

/**
 * Writes the document as one revision: a PDF 1.7 header with a binary comment, the objects
 * in number order, a cross-reference table with one section, and a trailer with `/ID` (a
 * hash of the objects, so equal documents get equal ids).
 */
export function writePdf(doc: PdfDocument, info: number): string {
  const size = nextObject(doc);
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = new Array<number>(size).fill(-1);
  const hash = createHash('sha256');
  for (let num = 1; num < size; num++) {
    const body = doc.objects.get(num);
    if (body === undefined) continue;
    offsets[num] = out.length;
    const obj = `${num} 0 obj\n${body}\nendobj\n`;
    hash.update(obj, 'latin1');
    out += obj;
  }
  const xrefAt = out.length;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let num = 1; num < size; num++) {
    xref += offsets[num]! < 0 ? '0000000000 65535 f \n' : `${String(offsets[num]).padStart(10, '0')} 00000 n \n`;
  }
  const id = hash.digest('hex').slice(0, 32).toUpperCase();
  return `${out}${xref}trailer\n<</Size ${size}\n/Root ${doc.root} 0 R\n/Info ${info} 0 R\n/ID [<${id}> <${id}>]>>\nstartxref\n${xrefAt}\n%%EOF\n`;
}

/** A stream object's text: its dictionary entries (without `/Length`) and its data. */
export function streamObject(entries: string, data: Buffer | string): string {
  const bytes = typeof data === 'string' ? data : data.toString('latin1');
  return `<<${entries ? `${entries}\n` : ''}/Length ${bytes.length}>> stream\n${bytes}\nendstream`;
}

/** Splits a stream object into its dictionary text and its (decoded, when FlateDecode) data. */
export function readStream(body: string): { dict: string; data: Buffer } {
  const m = /^<<([\s\S]*?)>>\s*stream\r?\n/.exec(body);
  if (!m) throw new PdfPatchError('not a stream object');
  const length = /\/Length (\d+)(?! \d+ R)/.exec(m[1]!)?.[1];
  if (!length) throw new PdfPatchError('a stream without a direct /Length');
  const raw = Buffer.from(body.slice(m[0].length, m[0].length + Number(length)), 'latin1');
  const filter = /\/Filter\s*\/(\w+)/.exec(m[1]!)?.[1];
  if (filter && filter !== 'FlateDecode') throw new PdfPatchError(`a stream with filter ${filter}`);
  return { dict: m[1]!, data: filter ? inflateSync(raw) : raw };
}

/**
 * A Flate-compressed stream object at zlib's default level, 6. For the content streams of a
 * 7-page letter (117 kB), level 9 took 33 ms against 20 ms (a loaded machine) for 1% fewer
 * bytes (17,297 against 17,465).
 */
export function flateStream(entries: string, data: Buffer): string {
  return streamObject(`${entries ? `${entries}\n` : ''}/Filter /FlateDecode`, deflateSync(data, { level: 6 }));
}

/** The object a dictionary entry refers to (`/Key N 0 R`), if any. */
export function ref(body: string, key: string): number | undefined {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(body);
  return m ? Number(m[1]) : undefined;
}

/** A dictionary object's text with entries added just before its closing `>>`. */
export function addEntries(body: string, entries: string): string {
  const close = body.lastIndexOf('>>');
  if (!body.startsWith('<<') || close === -1) throw new PdfPatchError('not a dictionary object');
  return `${body.slice(0, close)}\n${entries}>>${body.slice(close + 2)}`;
}
