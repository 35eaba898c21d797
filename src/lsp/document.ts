/**
 * A case file as the editor holds it: its lines, where the frontmatter is, and LSP
 * positions (0-based lines, UTF-16 columns) for the check's 1-based ones.
 *
 * Columns are UTF-16 code units on both sides: the check counts in JavaScript string
 * indices, which is what LSP's default position encoding (`utf-16`) means.
 */
import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../diagnostics.js';

export interface Frontmatter {
  /** Line of the opening `---` (always 0). */
  open: number;
  /** Line of the closing `---`, or undefined while it is not written yet (then the frontmatter runs to the end). */
  close: number | undefined;
  /** The YAML between the two lines. */
  yaml: string;
  /** Line where the YAML starts (1). */
  firstLine: number;
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The frontmatter block, when the file opens with `---`. */
export function frontmatter(lines: readonly string[]): Frontmatter | undefined {
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return undefined;
  let close: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    if (/^---[ \t]*$/.test(lines[i]!)) {
      close = i;
      break;
    }
  }
  const end = close ?? lines.length;
  return { open: 0, close, yaml: lines.slice(1, end).join('\n'), firstLine: 1 };
}

/** Whether a line (0-based) is inside the frontmatter's YAML. */
export function inFrontmatter(fm: Frontmatter | undefined, line: number): boolean {
  return fm !== undefined && line > fm.open && (fm.close === undefined || line < fm.close);
}

/** A check span (1-based) as an LSP range (0-based). */
export function toRange(span: Span): Range {
  return {
    start: { line: Math.max(0, span.start.line - 1), character: Math.max(0, span.start.column - 1) },
    end: { line: Math.max(0, span.end.line - 1), character: Math.max(0, span.end.column - 1) },
  };
}

/** Offset in the text of an LSP position. */
export function offsetAt(lines: readonly string[], position: Position): number {
  let offset = 0;
  for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i]!.length + 1;
  return offset + Math.min(position.character, (lines[position.line] ?? '').length);
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
