/**
 * PDF metadata, pinned: Title, Subject, Keywords, Creator and Producer from the
 * letter, and the creation and modification dates from the case (or
 * SOURCE_DATE_EPOCH), never the clock, so the same letter gives the same bytes.
 */
import { PDFDocument } from 'pdf-lib';

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
export function renumberNodeIds(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const ids = new Map<string, string>();
  const out = text.replace(/\(node(\d+)\)/g, (_m, digits: string) => {
    let id = ids.get(digits);
    if (id === undefined) {
      id = String(ids.size + 1).padStart(digits.length, '0');
      ids.set(digits, id);
    }
    return `(node${id})`;
  });
  return Buffer.from(out, 'latin1');
}

export async function pinMetadata(pdf: Uint8Array, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(renumberNodeIds(pdf), { updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setKeywords(meta.keywords);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.creator);
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  doc.setLanguage('en-US');
  const bytes = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes, pages: doc.getPageCount() };
}

/** The date a letter's files carry: SOURCE_DATE_EPOCH when set, else the decision date (UTC noon). */
export function letterDate(decisionDate: string, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${decisionDate}T12:00:00Z`);
}
