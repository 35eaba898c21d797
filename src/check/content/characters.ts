/**
 * Characters that print differently from what the data holds, or not at all:
 *
 * - `control-character` (error): C0/C1 controls other than tab and line feed (ESC,
 *   backspace, …) anywhere in the file, written or escaped;
 * - `invisible-character` (error): bidi controls (U+202A–202E, U+2066–2069, U+200E/F,
 *   U+061C) and every other format character (Unicode `Cf`: U+200B–200D, U+2060, U+00AD,
 *   U+FEFF…), and line/paragraph separators. The importer's two marks stay allowed when
 *   written as an entity or escape (so they are visible in the source): the break mark
 *   U+200B (`&#x200B;` in the body, `\u200B` in a quoted YAML value) and the split-word
 *   mark U+00AD, the soft hyphen where the original's typesetter split a word at a line
 *   end (`&#xAD;`, `\u00AD`; see `src/import/hyphenation.ts`). Written raw, both are errors;
 * - `glyph-not-in-font` (error): a printed character (a frontmatter value or the body's
 *   text) that no shipped font has a glyph for (`src/render/coverage.ts`): it would print
 *   as an empty box or from whatever system font the machine has.
 */
import { isScalar, visit, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type Span } from '../../diagnostics.js';
import { fontCoverage } from '../../render/coverage.js';
import type { Section } from '../sections.js';
import { lineStarts, toPosition } from './text.js';

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
const INVISIBLE = /[\p{Cf}\u2028\u2029]/u;
/** Text of printable ASCII, tabs and line feeds only: no control, invisible or uncovered character. */
const PLAIN = /^[\t\n\x20-\x7e]*$/;
const BREAK_MARK = 0x200b;
const SPLIT_MARK = 0x00ad;
/** The importer's marks, allowed when written as an entity or escape: how each is written. */
const MARKS: ReadonlyMap<number, string> = new Map([
  [BREAK_MARK, 'a break mark is written `&#x200B;`'],
  [SPLIT_MARK, 'a split-word mark is written `&#xAD;`'],
]);

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

function describe(ch: string): { rule: string; message: string } | undefined {
  const c = ch.codePointAt(0)!;
  if (CONTROL.test(ch)) return { rule: 'control-character', message: `Unexpected control character ${hex(c)}: it prints as nothing (or rewrites a terminal) while the data keeps it; delete it` };
  if (INVISIBLE.test(ch)) {
    const bidi = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/u.test(ch);
    return {
      rule: 'invisible-character',
      message: `Unexpected invisible ${bidi ? 'bidi control' : 'format character'} ${hex(c)}: ${bidi ? 'it reorders the printed text, so the letter shows one text and the data another' : 'it is not printed, so the letter and the data differ'}; delete it${MARKS.has(c) ? ` (${MARKS.get(c)!})` : ''}`,
    };
  }
  return undefined;
}

/** Every control or invisible character written in the file, at its position. */
function written(file: string, source: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = lineStarts(source);
  const re = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cf}\u2028\u2029]/gu;
  for (const m of source.matchAll(re)) {
    const what = describe(m[0]);
    if (!what) continue;
    const start = toPosition(lines, m.index);
    out.push(diagnostic(file, { start, end: { line: start.line, column: start.column + m[0].length } }, 'error', what.rule, what.message));
  }
  return out;
}

interface Printed {
  value: string;
  /** The value's source text and where it starts, for exact positions of written characters. */
  raw: string;
  span: (from: number, to: number) => Span;
  /** The whole value's span (computed only for a problem). */
  whole: () => Span;
}

function printedValues(source: string, sections: readonly Section[], doc: Document.Parsed | undefined, yamlSpan: (r: readonly [number, number]) => Span): Printed[] {
  const out: Printed[] = [];
  const lines = lineStarts(source);
  const abs = (a: number, b: number): Span => ({ start: toPosition(lines, a), end: toPosition(lines, b) });
  const walk = (n: { type: string; value?: unknown; children?: unknown[]; position?: { start: { offset?: number }; end: { offset?: number } } }) => {
    if ((n.type === 'text' || n.type === 'inlineCode') && typeof n.value === 'string') {
      const from = n.position?.start.offset ?? 0;
      const to = n.position?.end.offset ?? from;
      out.push({ value: n.value, raw: source.slice(from, to), span: (a, b) => abs(from + a, from + b), whole: () => abs(from, to) });
    }
    for (const c of n.children ?? []) walk(c as typeof n);
  };
  for (const s of sections) for (const c of s.children) walk(c as never);
  const offset = (p: { line: number; column: number }) => (lines[p.line - 1] ?? 0) + p.column - 1;
  const yamlValue = (value: string, range: readonly number[]): Printed => {
    const from = range[0]!;
    const whole = yamlSpan([from, range[1]!]);
    return { value, raw: source.slice(offset(whole.start), offset(whole.end)), span: (a, b) => yamlSpan([from + a, from + b]), whole: () => whole };
  };
  if (doc) {
    visit(doc, {
      Pair(_k, pair) {
        const node = pair.value;
        if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
        out.push(yamlValue(node.value, node.range));
      },
      Seq(_k, seq) {
        for (const node of seq.items) {
          if (!isScalar(node) || typeof node.value !== 'string' || !node.range) continue;
          out.push(yamlValue(node.value, node.range));
        }
      },
    });
  }
  return out;
}

export function characterRule(file: string, source: string, sections: readonly Section[], doc: Document.Parsed | undefined, yamlSpan: (r: readonly [number, number]) => Span): Diagnostic[] {
  const out = written(file, source);
  // The fonts are read on the first character beyond ASCII: a letter in plain ASCII (printable
  // ASCII is in every Latin font) costs nothing more.
  let coverage: ((c: number) => boolean) | undefined;
  const covered = (c: number) => (c >= 0x20 && c < 0x7f) || (coverage ??= fontCoverage())(c);
  for (const p of printedValues(source, sections, doc, yamlSpan)) {
    // Printable ASCII, tabs and line feeds: nothing to report (most values of most letters).
    if (PLAIN.test(p.value)) continue;
    const reported = new Set<string>();
    const chars = [...p.value];
    for (let k = 0; k < chars.length; k++) {
      const ch = chars[k]!;
      const c = ch.codePointAt(0)!;
      if (c === 0x0a || c === 0x09 || c === 0x20 || reported.has(ch)) continue;
      const what = describe(ch);
      if (what) {
        // Written characters are reported above; these come from an escape or an entity.
        if (!p.raw.includes(ch) && !MARKS.has(c)) out.push(diagnostic(file, p.whole(), 'error', what.rule, `${what.message} (written as an escape or entity)`));
        reported.add(ch);
        continue;
      }
      if (covered(c)) continue;
      // A run of characters no font covers is one problem.
      let run = ch;
      while (k + 1 < chars.length && !covered(chars[k + 1]!.codePointAt(0)!) && !describe(chars[k + 1]!) && !/\s/u.test(chars[k + 1]!)) run += chars[++k]!;
      const literal = p.raw.indexOf(run);
      const span = literal === -1 ? p.whole() : p.span(literal, literal + run.length);
      const list = [...new Set(run)].slice(0, 6).map((x) => `${JSON.stringify(x)} (${hex(x.codePointAt(0)!)})`).join(', ');
      out.push(diagnostic(file, span, 'error', 'glyph-not-in-font', `No shipped font has a glyph for ${list}: it would print as an empty box or from a system font; write it with Latin characters (or ship a font that covers it)`));
    }
  }
  return out;
}
