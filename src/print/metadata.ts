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

export async function pinMetadata(pdf: Uint8Array, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
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
