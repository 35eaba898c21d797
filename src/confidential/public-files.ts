/**
 * The build's second line: before a letter's public files (the public HTML, the public
 * PDF, the facts JSON) are written, their text is scanned with the same matcher as
 * `check` (`./matcher.ts`). A hit fails the letter: nothing of it is written. Pure.
 *
 * What is read: the HTML as HTML (its text, link targets and attributes); the JSON's
 * raw text and its decoded strings; the PDF's bytes as Latin-1 (uncompressed strings and
 * metadata) and its hex strings decoded (the document information). The PDF's page
 * text is printed from the HTML scanned here, so the HTML stands for it; the archive
 * (the last line) also reads the PDF's text with `pdftotext`.
 */
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { createMatcher, type Hit } from './matcher.js';
import type { Mode } from './text.js';
import { allowedPhrases, confidentialValues } from './values.js';
import { describeHit } from './describe.js';
import { hexStrings } from './pdf.js';

export const PUBLIC_LEAK_RULE = 'public-file-leak';

export interface PublicOutput {
  /** The file's path under the output folder. */
  rel: string;
  bytes: Uint8Array | string;
}

/** The texts of a file to scan, each with what part it is and how to read it. */
export function outputTexts(rel: string, bytes: Uint8Array | string): { where: string; text: string; mode: Mode }[] {
  const buf = typeof bytes === 'string' ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const asText = () => (typeof bytes === 'string' ? bytes : buf!.toString('utf8'));
  if (/\.pdf$/i.test(rel)) {
    const raw = typeof bytes === 'string' ? bytes : buf!.toString('latin1');
    return [
      { where: 'PDF bytes', text: raw, mode: 'plain' },
      { where: 'PDF strings', text: hexStrings(raw), mode: 'plain' },
    ];
  }
  if (/\.json$/i.test(rel)) {
    const text = asText();
    const texts = [{ where: 'text', text, mode: 'plain' as Mode }];
    try {
      texts.push({ where: 'JSON strings', text: jsonStrings(JSON.parse(text)).join('\n'), mode: 'plain' });
    } catch {
      // Not JSON after all: its raw text was read.
    }
    return texts;
  }
  return [{ where: 'text', text: asText(), mode: /\.html?$/i.test(rel) ? 'html' : 'plain' }];
}

function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(k), jsonStrings(v, out);
  return out;
}

/**
 * The diagnostics for every confidential value of `parties` found in the public files
 * `outputs` (its `notConfidential` phrases excuse parts of values, as in `check`), at
 * `span` of `file` (the case file), each naming the output file, the line
 * and column in it, and the kind of value. Empty when the files are clean.
 */
export function publicFileLeaks(file: string, parties: unknown, outputs: readonly PublicOutput[], span: Span): Diagnostic[] {
  const values = confidentialValues(parties, file, undefined);
  if (values.length === 0) return [];
  const matcher = createMatcher(values, { allowed: allowedPhrases(parties) });
  const out: Diagnostic[] = [];
  for (const o of outputs) {
    const seen = new Set<Hit['value']>();
    for (const { where, text, mode } of outputTexts(o.rel, o.bytes)) {
      for (const hit of matcher.find(text, mode)) {
        if (seen.has(hit.value)) continue;
        seen.add(hit.value);
        const at = where === 'text' ? lineColumn(text, hit.start) : undefined;
        const place = at ? `${o.rel}, line ${at.line}, column ${at.column}` : `${o.rel} (${where})`;
        const message = `Confidential value in a public file: ${describeHit(hit)} would be written to ${place}; nothing of this letter was written. Remove it from the case file (\`imr-letters check\` shows where) or from the template that prints it`;
        out.push(diagnostic(file, span, 'error', PUBLIC_LEAK_RULE, message));
      }
    }
  }
  return out;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
