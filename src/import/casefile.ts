/**
 * Case data and body paragraphs → the text of a case file: YAML frontmatter laid out
 * like a hand-written one, then the Markdown body, its paragraphs wrapped at 100
 * columns and escaped so that Markdown reads back exactly the letter's words. Pure.
 */
import type { CaseData, Citation, Item } from '../schema/case.js';

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

const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar: plain when that reads back as the same string, else double-quoted. */
export function yamlScalar(value: string, flow = false): string {
  const plain =
    value === value.trim() &&
    value.length > 0 &&
    /^[A-Za-z(][^\n\t"\\\u200B\u00AD]*$/.test(value) &&
    !/[:#]\s|\s#|:$/.test(value) &&
    !RESERVED.test(value) &&
    !(flow && /[,[\]{}]/.test(value)) &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(value);
  // YAML's double-quoted escapes are JSON's, plus `\u200B` and `\u00AD` for the break marks.
  return plain ? value : JSON.stringify(value).replace(/\u200B/g, '\\u200B').replace(/\u00AD/g, '\\u00AD');
}

function citationYaml(c: Citation): string {
  if (typeof c === 'string') return c;
  if ('mtus' in c) return `mtus: ${yamlScalar(c.mtus)}`;
  if ('nonMtus' in c) return `nonMtus: ${yamlScalar(c.nonMtus)}`;
  return `text: ${yamlScalar(c.text)}`;
}

function itemYaml(item: Item, note: string | undefined): string[] {
  const out = [`  - id: ${item.id}`, `    category: ${yamlScalar(item.category)}${note ? `   # ${note}` : ''}`, `    request: ${yamlScalar(item.request)}`];
  const m = item.modified;
  if (m) {
    out.push('    modified:', `      form: ${m.form}`, `      authorized: ${yamlScalar(m.authorized)}`);
    if (m.remainder !== undefined) out.push(`      remainder: ${yamlScalar(m.remainder)}`);
    if (m.printIs === false) out.push('      printIs: false   # the letter prints "…, <remainder>: <decision>" without "is"');
  }
  out.push(`    decision: ${item.decision}`);
  out.push('    claimsAdministratorGuideline:', ...item.claimsAdministratorGuideline.map((c) => `      - ${citationYaml(c)}`));
  out.push('    imroGuideline:', ...item.imroGuideline.map((c) => `      - ${citationYaml(c)}`));
  return out;
}

export function caseFileText(input: CaseFileInput): string {
  const d = input.data;
  const flow = (list: readonly string[]) => `[${list.map((s) => yamlScalar(s, true)).join(', ')}]`;
  const yaml = [
    '---',
    ...input.comments.map((c) => `# ${c}`.trimEnd()),
    `case: ${d.case}`,
    `revision: ${d.revision}`,
    `status: ${d.status}`,
    ...(d.publicOnly ? ['publicOnly: true   # no parties on record: the public edition only'] : []),
    `priority: ${d.priority}`,
    'dates:',
    `  injury: ${d.dates.injury}`,
    `  urDenial: ${d.dates.urDenial}`,
    `  applicationReceived: ${d.dates.applicationReceived}`,
    `  assigned: ${d.dates.assigned}`,
    `  decision: ${d.dates.decision}`,
    'reviewer:',
    `  licensure: ${flow(d.reviewer.licensure)}`,
    ...(d.reviewer.licensureSeparator ? [`  licensureSeparator: ${JSON.stringify(d.reviewer.licensureSeparator)}   # the letter prints "${d.reviewer.licensure.join(d.reviewer.licensureSeparator)}"`] : []),
    `  specialties: ${flow(d.reviewer.specialties)}`,
    'patient:',
    d.patient.age === undefined ? '  # age: the summary does not state it' : `  age: ${d.patient.age}${input.patientNote ? `   # ${input.patientNote}` : ''}`,
    `  sex: ${d.patient.sex}${d.patient.age === undefined && input.patientNote ? `   # ${input.patientNote}` : ''}`,
    'items:',
    ...d.items.flatMap((item, i) => itemYaml(item, input.categoryNotes?.[i])),
    '---',
  ];
  const body: string[] = ['', '# Clinical case summary', ''];
  body.push(...input.summary.flatMap((p) => [...markdownParagraph(p), '']));
  d.items.forEach((item, i) => {
    body.push(`# Rationale: ${item.id}`, '');
    body.push(...(input.rationales[i] ?? []).flatMap((p) => [...markdownParagraph(p), '']));
  });
  return `${[...yaml, ...body].join('\n').replace(/\n+$/, '')}\n`;
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
