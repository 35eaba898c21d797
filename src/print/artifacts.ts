/**
 * Content outside the tag tree becomes an artifact. Chromium tags the letter's own content
 * (`/P <</MCID 3 >>BDC … EMC`) but paints the page background, and the `@page` margin boxes
 * (the footer "Page X of Y", the public edition's letterhead), outside any marked content:
 * a screen reader and a PDF/UA checker see untagged text. Every text object, painted path,
 * XObject or shading at marked-content depth 0 is wrapped in `/Artifact BMC … EMC`; clipping
 * paths (`W n`) and graphics state stay as they are, so `q`/`Q` and `BT`/`ET` nest as before.
 *
 * Skia writes one operator a line (a text object's `Td … Tj` pairs share one); a content
 * stream in any other shape is a `PdfPatchError`, never a guess.
 */
import { PdfPatchError } from './pdf-file.js';

const PATH_CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
/** Operators that paint, which must never be met at depth 0 outside a unit handled below. */
const PAINTS = new Set(['Tj', 'TJ', "'", '"', 'BI', 'ID', 'EI', 'd0', 'd1']);
const ARTIFACT_BEGIN = '/Artifact BMC';

/** A line's last token (its operator). Not a regex: `/(\S+)\s*$/` backtracks on long lines. */
function operator(line: string): string {
  const trimmed = line.trimEnd();
  const last = trimmed.slice(Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\t'), trimmed.lastIndexOf('\r')) + 1);
  // `/TH <</MCID 0 >>BDC`: Skia writes no space before BDC.
  return last.endsWith('BDC') ? 'BDC' : last;
}

/** Wraps every painting operation outside marked content in `/Artifact BMC … EMC`. */
export function markArtifacts(content: string): string {
  const lines = content.split('\n');
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const op = operator(line);
    if (op === 'BDC' || op === 'BMC') depth++;
    else if (op === 'EMC') {
      depth--;
      if (depth < 0) throw new PdfPatchError('EMC without a marked-content sequence');
    }
    if (depth > 0 || op === 'BDC' || op === 'BMC' || op === 'EMC') {
      out.push(line);
      continue;
    }
    const end = unitEnd(lines, i, op);
    if (end === -1) {
      if (PAINTS.has(op)) throw new PdfPatchError(`\`${op}\` outside a text object`);
      out.push(line);
      continue;
    }
    const unit = lines.slice(i, end + 1);
    if (unit.some((l) => ['BDC', 'BMC', 'EMC'].includes(operator(l)))) throw new PdfPatchError('marked content inside an untagged text object or path');
    const clipOnly = op !== 'BT' && operator(lines[end]!) === 'n';
    out.push(...(clipOnly ? unit : [ARTIFACT_BEGIN, ...unit, 'EMC']));
    i = end;
  }
  if (depth !== 0) throw new PdfPatchError('a marked-content sequence left open');
  return out.join('\n');
}

/** The last line of the unit that starts at line `i` (a text object, a path and its painting, `Do`, `sh`), or -1. */
function unitEnd(lines: string[], i: number, op: string): number {
  if (op === 'Do' || op === 'sh') return i;
  if (op === 'BT') {
    for (let j = i + 1; j < lines.length; j++) if (operator(lines[j]!) === 'ET') return j;
    throw new PdfPatchError('BT without ET');
  }
  if (PATH_CONSTRUCTION.has(op)) {
    for (let j = i + 1; j < lines.length; j++) {
      const next = operator(lines[j]!);
      if (PATH_PAINTING.has(next)) return j;
      if (!PATH_CONSTRUCTION.has(next) && next !== 'W' && next !== 'W*') throw new PdfPatchError(`a path ended by \`${next}\``);
    }
    throw new PdfPatchError('a path never painted');
  }
  return -1;
}
