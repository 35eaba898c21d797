/**
 * A Chromium PDF made fit for a records archive and a screen reader, deterministically:
 *
 * - Title, Subject, Keywords, Creator and Producer from the letter, the creation and
 *   modification dates from the case (or SOURCE_DATE_EPOCH), never the clock;
 * - the structure ids Chromium takes from DOM node ids renumbered, so the bytes depend on the
 *   letter only;
 * - everything painted outside the tag tree (page background, the footer and the public
 *   letterhead, which are `@page` margin boxes) marked as an artifact (`artifacts.ts`);
 * - a RoleMap for the PDF 2.0 structure types Chromium writes (`Strong`, `Em`…), which a
 *   PDF 1.7 reader otherwise rejects (poppler: "StructElem object is wrong type (Strong)")
 *   and drops with their text;
 * - XMP metadata equal to the document information, with the PDF/UA-1 and PDF/A-2B
 *   identification (`xmp.ts`), and an sRGB output intent (`srgb.ts`) for Chromium's
 *   DeviceRGB colours;
 * - annotations flagged to print; a trailer `/ID`; one revision, PDF 1.7 (`pdf-file.ts`).
 *
 * The PDF is rewritten object by object, not re-encoded by a PDF library: only the page
 * content streams are inflated and deflated again (a few ms a letter).
 */
import { markArtifacts } from './artifacts.js';
import { PdfPatchError, addEntries, flateStream, nextObject, readPdf, readStream, ref, streamObject, writePdf, type PdfDocument } from './pdf-file.js';
import { SRGB_NAME, srgbProfile } from './srgb.js';
import { xmpPacket } from './xmp.js';

export { PdfPatchError };

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

/** Structure types of PDF 1.7 (ISO 32000-1, 14.8.4): these need no RoleMap. */
const STANDARD_TYPES = new Set(
  'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form'.split(' '),
);
/** PDF 2.0 types Chromium may write, and the PDF 1.7 type each maps to (else `Span` for inline, `Div`). */
const ROLE_OF: Record<string, string> = { Strong: 'Span', Em: 'Span', Sub: 'Span', Title: 'H1', FENote: 'Note', Aside: 'Div', DocumentFragment: 'Div' };

/** An sRGB output intent's ICC profile stream, made once (it never changes). */
let icc: string | undefined;

/** Archives a Chromium PDF (see the module comment); returns the bytes and the page count. */
export function pinMetadata(pdf: Uint8Array, meta: PdfMetadata): { bytes: Uint8Array; pages: number } {
  const text = renumberNodeIds(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1'));
  const doc = readPdf(text);
  const pages = markPages(doc);
  const roles = new Set<string>();
  for (const [num, body] of doc.objects) {
    for (const m of body.matchAll(/\/S \/(\w+)/g)) if (/\/Type \/StructElem\b/.test(body) || /\/P \d+ 0 R/.test(body)) roles.add(m[1]!);
    if (/\/Type\s*\/Annot\b/.test(body) && !/\/F \d/.test(body)) doc.objects.set(num, addEntries(body, '/F 4'));
  }
  const catalog = doc.objects.get(doc.root)!;
  const treeRoot = ref(catalog, 'StructTreeRoot');
  const roleMap = [...roles].filter((r) => !STANDARD_TYPES.has(r)).sort().map((r) => `/${r} /${ROLE_OF[r] ?? 'Span'}`);
  if (treeRoot !== undefined && roleMap.length) doc.objects.set(treeRoot, addEntries(doc.objects.get(treeRoot)!, `/RoleMap <<${roleMap.join(' ')}>>`));
  const lang = /\/Lang \(([^)]*)\)/.exec(catalog)?.[1] ?? 'en-US';

  const date = pdfDate(meta.date);
  const keywords = meta.keywords.join(', ');
  const info = nextObject(doc);
  doc.objects.set(info, `<</Title ${pdfString(meta.title)}\n/Subject ${pdfString(meta.subject)}\n/Keywords ${pdfString(keywords)}\n/Creator ${pdfString(meta.creator)}\n/Producer ${pdfString(meta.creator)}\n/CreationDate (${date})\n/ModDate (${date})>>`);
  const xmp = Buffer.from(xmpPacket({ title: meta.title, subject: meta.subject, keywords, creator: meta.creator, date: meta.date, lang }), 'utf8');
  doc.objects.set(info + 1, streamObject('/Type /Metadata\n/Subtype /XML', xmp));
  icc ??= flateStream('/N 3', srgbProfile());
  doc.objects.set(info + 2, icc);
  if (/\/(Metadata|OutputIntents)\b/.test(catalog)) throw new PdfPatchError('the catalog already has metadata or output intents');
  const intent = `<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier ${pdfString(SRGB_NAME)} /Info ${pdfString(SRGB_NAME)} /DestOutputProfile ${info + 2} 0 R>>`;
  doc.objects.set(doc.root, addEntries(catalog, `/Metadata ${info + 1} 0 R\n/OutputIntents [${intent}]`));
  // Chromium's own information dictionary (with the clock) is no longer referenced.
  if (doc.info !== undefined) doc.objects.delete(doc.info);
  return { bytes: Buffer.from(writePdf(doc, info), 'latin1'), pages };
}

/** Marks each page's untagged content as artifacts; returns the number of pages. */
function markPages(doc: PdfDocument): number {
  let pages = 0;
  for (const body of [...doc.objects.values()]) {
    if (!/\/Type \/Page(?![s\w])/.test(body)) continue;
    pages++;
    const contents = ref(body, 'Contents');
    if (contents === undefined) throw new PdfPatchError('a page whose /Contents is not one stream');
    const { data } = readStream(doc.objects.get(contents)!);
    doc.objects.set(contents, flateStream('', Buffer.from(markArtifacts(data.toString('latin1')), 'latin1')));
  }
  return pages;
}

/** The date a letter's files carry: SOURCE_DATE_EPOCH when set, else the decision date (UTC noon). */
export function letterDate(decisionDate: string, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${decisionDate}T12:00:00Z`);
}
