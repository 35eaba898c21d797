/**
 * The Markdown body: the clinical case summary and one rationale per item.
 *
 *     # Clinical case summary
 *     …paragraphs…
 *     # Rationale: norco
 *     …paragraphs…
 *
 * Finds the sections and reports what does not belong in a letter.
 */
import type { Heading, RootContent } from 'mdast';
import { code, diagnostic, didYouMean, type Diagnostic, type Span } from '../diagnostics.js';

export interface Section {
  kind: 'summary' | 'rationale';
  /** The item id, for a rationale. */
  id: string;
  heading: Heading;
  children: RootContent[];
}

export const SUMMARY_HEADING = 'Clinical case summary';
export const RATIONALE_PREFIX = 'Rationale:';

export function nodeSpan(node: { position?: { start: { line: number; column: number }; end: { line: number; column: number } } | undefined }): Span {
  const p = node.position;
  return p
    ? { start: { line: p.start.line, column: p.start.column }, end: { line: p.end.line, column: p.end.column } }
    : { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

export function plainText(node: unknown): string {
  const n = node as { value?: unknown; children?: unknown[] };
  if (typeof n.value === 'string') return n.value;
  if (Array.isArray(n.children)) return n.children.map(plainText).join('');
  return '';
}

/** Node types a letter may hold, and what to do instead of the others. */
const NOT_IN_LETTERS: Record<string, string> = {
  html: 'raw HTML is not printed in letters; write the text as Markdown',
  code: 'code blocks have no place in a letter (an indent of four spaces makes one): remove the indent',
  inlineCode: 'backticks make code, which letters do not print; remove them',
  image: 'letters carry no images',
  imageReference: 'letters carry no images',
  thematicBreak: '`---` and `***` lines have no place in a letter body; remove the line',
  definition: 'link definitions are not printed in letters; write the address in the text',
  footnoteDefinition: 'letters have no footnotes',
  table: 'letters have no tables in their body',
};

function walk(node: unknown, visit: (n: { type: string }) => void): void {
  const n = node as { type: string; children?: unknown[] };
  visit(n);
  if (Array.isArray(n.children)) for (const c of n.children) walk(c, visit);
}

/** A GFM table's delimiter row: `| --- | :-: |`. */
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$/;

/** Whether a paragraph is a GitHub-flavoured table: a row with `|`, then a delimiter row. */
function isTable(node: RootContent, lines: readonly string[]): boolean {
  if (node.type !== 'paragraph' || !node.position) return false;
  const first = lines[node.position.start.line - 1] ?? '';
  const second = lines[node.position.start.line] ?? '';
  return node.position.end.line > node.position.start.line && first.includes('|') && TABLE_DELIMITER.test(second);
}

export function findSections(file: string, body: readonly RootContent[], itemIds: readonly string[], text = ''): { sections: Section[]; diagnostics: Diagnostic[] } {
  const lines = text.split('\n');
  const diagnostics: Diagnostic[] = [];
  const sections: Section[] = [];
  let current: Section | undefined;
  const headingChoices = [SUMMARY_HEADING, ...itemIds.map((id) => `${RATIONALE_PREFIX} ${id}`)];

  for (const node of body) {
    if (node.type === 'heading' && node.depth === 1) {
      const text = plainText(node).trim();
      const rationale = /^rationale\s*:\s*(.*)$/i.exec(text);
      if (/^clinical case summary$/i.test(text)) {
        current = { kind: 'summary', id: '', heading: node, children: [] };
        sections.push(current);
      } else if (rationale) {
        current = { kind: 'rationale', id: (rationale[1] ?? '').trim(), heading: node, children: [] };
        sections.push(current);
      } else {
        const guess = didYouMean(text, headingChoices);
        diagnostics.push(
          diagnostic(file, nodeSpan(node), 'error', 'unknown-section', `Unknown section ${code(text)}, expected \`# ${SUMMARY_HEADING}\` or \`# ${RATIONALE_PREFIX} <item id>\`${guess ? `; did you mean ${code(`# ${guess}`)}?` : ''}`, guess ? { span: nodeSpan(node), text: `# ${guess}` } : undefined),
        );
        current = undefined;
      }
      continue;
    }
    if (node.type === 'heading') {
      diagnostics.push(
        diagnostic(file, nodeSpan(node), 'error', 'nested-heading', `Unexpected heading ${code(`${'#'.repeat(node.depth)} ${plainText(node).trim()}`)}: letters have no sub-headings; sections are \`# ${SUMMARY_HEADING}\` and \`# ${RATIONALE_PREFIX} <item id>\``),
      );
      continue;
    }
    if (isTable(node, lines)) {
      diagnostics.push(diagnostic(file, nodeSpan(node), 'error', 'unsupported-markdown', `Unexpected table: ${NOT_IN_LETTERS.table}`));
    }
    walk(node, (n) => {
      const why = NOT_IN_LETTERS[n.type];
      if (why) diagnostics.push(diagnostic(file, nodeSpan(n as { position?: never }), 'error', n.type === 'html' ? 'raw-html' : 'unsupported-markdown', `Unexpected ${n.type === 'html' ? 'HTML' : n.type}: ${why}`));
      const url = (n as { url?: unknown }).url;
      if (n.type === 'link' && typeof url === 'string' && !/^(https?:|mailto:)/i.test(url)) {
        diagnostics.push(diagnostic(file, nodeSpan(n as { position?: never }), 'error', 'unsafe-link', `Unexpected link to ${code(url)}: only http, https and mailto links are printed`));
      }
    });
    if (!current) {
      if (!sections.length && !diagnostics.some((d) => d.rule === 'unknown-section')) {
        diagnostics.push(diagnostic(file, nodeSpan(node), 'error', 'outside-section', `Unexpected text before the first section: the body starts with \`# ${SUMMARY_HEADING}\``));
      }
      continue;
    }
    current.children.push(node);
  }
  return { sections, diagnostics };
}
