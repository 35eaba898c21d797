/**
 * Case data and body paragraphs → the text of a case file: YAML frontmatter (written by
 * `src/write/case-file.ts`), then the Markdown body, its paragraphs wrapped at 100
 * columns and escaped so that Markdown reads back exactly the letter's words. Pure.
 */
import type { CaseData, Item } from '../schema/case.js';
import { formatCaseFile } from '../write/case-file.js';

export interface CaseFileInput {
  data: CaseData;
  summary: readonly string[];
  /** Each item's rationale paragraphs, in item order. */
  rationales: readonly (readonly string[])[];
  /** Comment lines for the top of the frontmatter (without `# `). */
  comments: readonly string[];
  /** Per item: a comment after its `category:` (how it was inferred). */
  categoryNotes?: readonly string[];
  /** Comment after `age:` / `sex:`. */
  patientNote?: string;
}

/** The frontmatter's values in the order an author writes them. */
function ordered(d: CaseData): object {
  const item = (i: Item) => ({
    id: i.id,
    category: i.category,
    request: i.request,
    ...(i.modified ? { modified: { form: i.modified.form, authorized: i.modified.authorized, ...(i.modified.remainder !== undefined ? { remainder: i.modified.remainder } : {}), ...(i.modified.printIs === false ? { printIs: false } : {}) } } : {}),
    decision: i.decision,
    claimsAdministratorGuideline: i.claimsAdministratorGuideline,
    imroGuideline: i.imroGuideline,
  });
  return {
    case: d.case,
    revision: d.revision,
    status: d.status,
    ...(d.publicOnly ? { publicOnly: true } : {}),
    priority: d.priority,
    dates: { injury: d.dates.injury, urDenial: d.dates.urDenial, applicationReceived: d.dates.applicationReceived, assigned: d.dates.assigned, decision: d.dates.decision },
    reviewer: { licensure: d.reviewer.licensure, ...(d.reviewer.licensureSeparator ? { licensureSeparator: d.reviewer.licensureSeparator } : {}), specialties: d.reviewer.specialties },
    patient: { ...(d.patient.age !== undefined ? { age: d.patient.age } : {}), sex: d.patient.sex },
    items: d.items.map(item),
  };
}

/** The case file: the frontmatter through the one writer (`src/write/case-file.ts`), then the escaped Markdown body. */
export function caseFileText(input: CaseFileInput): string {
  const d = input.data;
  const notes: { path: (string | number)[]; text: string }[] = [];
  if (d.reviewer.licensureSeparator) notes.push({ path: ['reviewer', 'licensureSeparator'], text: `the letter prints "${d.reviewer.licensure.join(d.reviewer.licensureSeparator)}"` });
  if (d.publicOnly) notes.push({ path: ['publicOnly'], text: 'no parties on record: the public edition only' });
  const keyComments: { path: (string | number)[]; text: string }[] = [];
  if (d.patient.age === undefined) keyComments.push({ path: ['patient', 'sex'], text: 'age: the summary does not state it' });
  if (input.patientNote) notes.push({ path: ['patient', d.patient.age === undefined ? 'sex' : 'age'], text: input.patientNote });
  d.items.forEach((item, i) => {
    const note = input.categoryNotes?.[i];
    if (note) notes.push({ path: ['items', i, 'category'], text: note });
    if (item.modified?.printIs === false) notes.push({ path: ['items', i, 'modified', 'printIs'], text: 'the letter prints "…, <remainder>: <decision>" without "is"' });
  });
  const body: string[] = ['', '# Clinical case summary', ''];
  body.push(...input.summary.flatMap((p) => [...markdownParagraph(p), '']));
  d.items.forEach((item, i) => {
    body.push(`# Rationale: ${item.id}`, '');
    body.push(...(input.rationales[i] ?? []).flatMap((p) => [...markdownParagraph(p), '']));
  });
  return formatCaseFile({
    data: ordered(d),
    header: input.comments,
    notes,
    keyComments,
    flow: [['reviewer', 'licensure'], ['reviewer', 'specialties']],
    body: `${body.join('\n').replace(/\n+$/, '')}\n`,
  });
}

/**
 * Escapes the characters Markdown would read as markup, so that the paragraph renders
 * as exactly these words: emphasis, links, HTML, code, GFM strikethrough and tables,
 * character references. Line starts are escaped by `escapeLineStart`.
 */
export function escapeInline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~|]/g, (c) => `\\${c}`)
    .replace(/&(?=#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '\\&')
    // A break mark (see joinWrapped) stays visible in the case file: a zero width space
    // where a digit word broke, a soft hyphen where the typesetter split a word.
    .replace(/\u200B/g, '&#x200B;')
    .replace(/\u00AD/g, '&#xAD;');
}

/** A line that Markdown would read as a block (list item, heading, quote, rule, setext underline) gets its first character escaped. */
export function escapeLineStart(line: string): string {
  if (/^(?:[-+*](?:\s|$)|#{1,6}(?:\s|$)|>|=+\s*$|-+\s*$|_{3,}|\d{1,9}[.)](?:\s|$))/.test(line)) {
    const digits = /^\d{1,9}(?=[.)])/.exec(line);
    if (digits) return `${digits[0]}\\${line.slice(digits[0].length)}`;
    return line[0] === '\\' ? line : `\\${line}`;
  }
  return line;
}

/** One paragraph of the letter → Markdown lines: escaped, wrapped at `width` columns between words (not at two spaces). */
export function markdownParagraph(text: string, width = 100): string[] {
  // Two spaces after a sentence (see `spacing.ts`) are kept, and never a place to wrap.
  const words = text
    .replace(/ {2,}(?=\S)/g, '\u0001')
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => escapeInline(w).replace(/\u0001/g, '  '));
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map(escapeLineStart);
}
