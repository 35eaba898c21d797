/**
 * PDF metadata, pinned: Title, Subject, Keywords, Creator and Producer from the
 * letter, and the creation and modification dates from the case (or
 * SOURCE_DATE_EPOCH), never the clock, so the same letter gives the same bytes.
 *
 * Chromium's PDF is patched, not re-encoded: its clock dates and structure ids are
 * rewritten in place (same widths, so every offset stays right), and the full
 * document information dictionary is appended as a PDF incremental update. That costs
 * well under a millisecond, where loading and saving the document with a PDF library
 * took ~16 ms a letter.
 */
import { ImrError } from '../errors.js';

export interface PdfMetadata {
  title: string;
  subject: string;
  keywords: string[];
  /** The date written as CreationDate and ModDate. */
  date: Date;
  creator: string;
}

/**
 * Chromium names the structure elements of a tagged PDF after DOM node ids
 * (`/ID (node00000367)`), which depend on what the page printed before. Renumbers them
 * in order of first appearance, keeping their width, so the bytes depend on the letter
 * only.
 */
export function renumberNodeIds(text: string): string {
  const ids = new Map<string, string>();
  return text.replace(/\(node(\d+)\)/g, (_m, digits: string) => {
    let id = ids.get(digits);
    if (id === undefined) {
      id = String(ids.size + 1).padStart(digits.length, '0');
      ids.set(digits, id);
    }
    return `(node${id})`;
  });
}

/** `D:20161230120000+00'00'`, the form Chromium writes (so an in-place rewrite keeps the width). */
export function pdfDate(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+00'00'`;
}

/** A PDF text string: literal when ASCII, else UTF-16BE with a byte order mark. */
export function pdfString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let i = 0; i < value.length; i++) hex += value.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** Chromium's PDF is not in the form its metadata can be pinned in. */
export class PdfPatchError extends ImrError {
  constructor(message: string) {
    super('PdfPatchError', message);
  }
}

/** Pins a Chromium PDF's metadata (see the module comment); returns the bytes and the page count. */
export function pinMetadata(pdf: Uint8Array, meta: PdfMetadata): { bytes: Uint8Array; pages: number } {
  let text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const date = pdfDate(meta.date);
  text = renumberNodeIds(text);
  // The clock, wherever Chromium wrote it, becomes the letter's date (same width).
  text = text.replace(/\/(CreationDate|ModDate) \(D:\d{14}[^)]{0,8}\)/g, (m, key: string) => {
    const value = `/${key} (${date})`;
    if (value.length !== m.length) throw new PdfPatchError(`unexpected date form ${m}`);
    return value;
  });
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = /\/Size (\d+)/.exec(trailer)?.[1];
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)?.[1];
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1];
  if (!size || !root || !startxref) throw new PdfPatchError('no classic trailer in the PDF Chromium printed');
  const pages = (text.match(/\/Type \/Page(?![s\w])/g) ?? []).length;

  // Incremental update: a new information dictionary, its cross-reference entry, a trailer.
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const id = Number(size);
  const info =
    `${id} 0 obj\n<</Title ${pdfString(meta.title)}\n/Subject ${pdfString(meta.subject)}\n/Keywords ${pdfString(meta.keywords.join(', '))}\n` +
    `/Creator ${pdfString(meta.creator)}\n/Producer ${pdfString(meta.creator)}\n/CreationDate (${date})\n/ModDate (${date})>>\nendobj\n`;
  const xrefAt = body.length + info.length;
  const update =
    `${info}xref\n${id} 1\n${String(body.length).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${id + 1}\n/Root ${root}\n/Info ${id} 0 R\n/Prev ${startxref}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { bytes: Buffer.from(body + update, 'latin1'), pages };
}

/** The date a letter's files carry: SOURCE_DATE_EPOCH when set, else the decision date (UTC noon). */
export function letterDate(decisionDate: string, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${decisionDate}T12:00:00Z`);
}
