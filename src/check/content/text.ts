/**
 * The words of Markdown nodes as one string, with a way back to the case file: a match
 * in the text is reported at its line and column in the source.
 *
 * ```ts
 * const t = flatten(section.children, source.text);
 * const m = /TBD/.exec(t.text);
 * if (m) t.span(m.index, m.index + m[0].length);
 * ```
 */
import type { Span } from '../../diagnostics.js';

export interface FlatText {
  /** Text nodes' values, paragraphs and blocks separated by a blank line, inline breaks by a space. */
  text: string;
  /** The source span of `text.slice(start, end)`. */
  span(start: number, end: number): Span;
}

interface Segment {
  /** Where the segment starts in `text`. */
  at: number;
  value: string;
  /** Source offsets of the node; `exact` when the source holds the value verbatim. */
  from: number;
  to: number;
  exact: boolean;
}

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

const BLOCKS = new Set(['paragraph', 'blockquote', 'list', 'listItem', 'heading', 'code', 'table', 'tableRow', 'thematicBreak']);

export function flatten(nodes: readonly unknown[], source: string): FlatText {
  const segments: Segment[] = [];
  let text = '';
  const visit = (n: MdNode) => {
    if (typeof n.value === 'string' && (n.type === 'text' || n.type === 'inlineCode')) {
      const from = n.position?.start.offset ?? 0;
      const to = n.position?.end.offset ?? from;
      segments.push({ at: text.length, value: n.value, from, to, exact: source.slice(from, to) === n.value });
      text += n.value;
    } else if (n.type === 'break') text += ' ';
    for (const c of n.children ?? []) visit(c);
    if (BLOCKS.has(n.type) && !text.endsWith('\n\n')) text += '\n\n';
  };
  for (const n of nodes) visit(n as MdNode);
  const lines = lineStarts(source);
  const pos = (offset: number) => toPosition(lines, offset);
  const sourceOffset = (index: number, end: boolean): number => {
    // The segment holding `index` (for an end, the one holding index - 1).
    const probe = end ? index - 1 : index;
    let seg: Segment | undefined;
    for (const s of segments) {
      if (s.at > probe) break;
      seg = s;
    }
    if (!seg) return 0;
    const inside = Math.min(Math.max(probe - seg.at, 0), seg.value.length);
    if (seg.exact) return seg.from + inside + (end ? 1 : 0);
    // Escapes or entities: find the word in the node's source, else the node's bounds.
    return end ? seg.to : seg.from;
  };
  return {
    text,
    span(start, end) {
      let from = sourceOffset(start, false);
      let to = Math.max(sourceOffset(Math.max(end, start + 1), true), from);
      const seg = segments.find((s) => s.at <= start && start < s.at + s.value.length);
      if (seg && !seg.exact) {
        const needle = text.slice(start, end);
        const found = source.slice(seg.from, seg.to).indexOf(needle);
        if (found !== -1) {
          from = seg.from + found;
          to = from + needle.length;
        }
      }
      return { start: pos(from), end: pos(to) };
    },
  };
}

export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function toPosition(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Sentences of a text, with where each starts. A sentence ends at `.`, `!` or `?` before a capital, a quote or a paragraph break. */
export function sentences(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  const cut = /(?<=[.!?]["”’)\]]?)\s+(?=["“(]?[A-Z0-9])|\n\s*\n/g;
  for (let m = cut.exec(text); m; m = cut.exec(text)) {
    const s = text.slice(start, m.index);
    if (s.trim()) out.push({ start: start + (s.length - s.trimStart().length), text: s.trim() });
    start = m.index + m[0].length;
  }
  const last = text.slice(start);
  if (last.trim()) out.push({ start: start + (last.length - last.trimStart().length), text: last.trim() });
  return out;
}
