/**
 * Import: the layout text of a posted decision → the text of a valid case file.
 *
 * ```ts
 * const r = importLetter({ file: 'CM16-0233904.pdf', text: layoutText });
 * if (r.caseFile) write(`${r.caseNumber}.md`, r.caseFile); // only when there is no error
 * ```
 *
 * The letter is parsed (`letter.ts`), the facts it does not print as fields are
 * inferred (`infer.ts`: category, id, patient), the case file is written out
 * (`casefile.ts`), then checked as `imr-letters check` would, and read back: its data
 * must be what was parsed and its Markdown must give back the letter's words. A letter
 * that fails any step gets diagnostics and no case file. Pure: no file system.
 */
import type { RootContent } from 'mdast';
import { checkSource, canonicalJson } from '../check/index.js';
import { plainText } from '../check/sections.js';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { UNKNOWN_CATEGORY, type CaseData, type Item } from '../schema/case.js';
import { caseFileText } from './casefile.js';
import { inferCategory, itemIds } from './infer.js';
import type { GapWord } from './pdftext.js';
import { keepDoubleSpaces } from './spacing.js';
import { parseLetter, type Letter, type ParseOptions } from './letter.js';

export { parseLetter, type Letter } from './letter.js';

export interface ImportInput {
  /** The file the text came from, as given (named in diagnostics and in the case file's comment). */
  file: string;
  /** Its `pdftotext -layout` text. */
  text: string;
  /** The PDF's words with their wide gaps (`wordGaps`), to keep two spaces after a sentence; none for a `.txt`. */
  words?: readonly GapWord[];
}

export interface ImportOptions extends ParseOptions {
  /** Path from the case file's folder to `schema/case.schema.json`, for the editor comment (default `../schema/case.schema.json`). */
  schemaPath?: string;
  /** How the source is named in the case file's comment (default `file`). */
  sourceLabel?: string;
}

export interface ImportResult {
  file: string;
  /** The case number, when the header could be read. */
  caseNumber: string | undefined;
  /** The case file's text; undefined when there is any error. */
  caseFile: string | undefined;
  letter: Letter | undefined;
  diagnostics: Diagnostic[];
}

export function importLetter(input: ImportInput, options: ImportOptions = {}): ImportResult {
  const { file } = input;
  const parsed = parseLetter(file, input.text, options);
  const diagnostics = [...parsed.diagnostics];
  const letter = parsed.letter;
  const caseNumber = letter?.case ?? /Case Number:\s+(CM\d{2}-\d{7})/.exec(input.text)?.[1];
  const result = (caseFile?: string): ImportResult => {
    const sorted = sortDiagnostics(diagnostics);
    return { file, caseNumber, caseFile: hasErrors(sorted) ? undefined : caseFile, letter, diagnostics: sorted };
  };
  if (!letter) return result();

  // Two spaces where the PDF sets them (summary and rationales, in the letter's order).
  const prose = keepDoubleSpaces([...letter.summary, ...letter.items.flatMap((i) => i.rationale)], input.words);
  let taken = letter.summary.length;
  const summary = prose.slice(0, taken);
  const rationales = letter.items.map((i) => prose.slice(taken, (taken += i.rationale.length)));

  const ids = itemIds(letter.items.map((i) => i.request));
  const notes: string[] = [];
  const items: Item[] = [];
  letter.items.forEach((it, i) => {
    const words = [...it.claimsAdministratorGuideline, ...it.imroGuideline].map((c) => (typeof c === 'string' ? '' : Object.values(c)[0])).join(' ');
    const guess = inferCategory(it.request, words);
    if (!guess) {
      diagnostics.push(
        diagnostic(file, { start: { line: it.line, column: 1 }, end: { line: it.line, column: 1 } }, 'warning', 'import-category', `Cannot tell the request category of ${JSON.stringify(it.request)} from its words or its guidelines: imported as \`category: unknown\`, for the author to settle`),
      );
    }
    notes.push(guess ? `inferred from ${guess.from === 'request' ? 'the request' : 'the guidelines'}: "${guess.keyword}"` : 'not told by the request or its guidelines: set it');
    items.push({
      id: ids[i]!,
      category: guess?.category ?? UNKNOWN_CATEGORY,
      request: it.request,
      ...(it.modified ? { modified: it.modified } : {}),
      decision: it.decision,
      claimsAdministratorGuideline: it.claimsAdministratorGuideline,
      imroGuideline: it.imroGuideline,
    });
  });
  if (hasErrors(diagnostics)) return result();

  const data: CaseData = {
    case: letter.case,
    revision: 1,
    status: 'final',
    // A posted decision has no parties on record: the archive publishes it only because the case file says so.
    publicOnly: true,
    priority: letter.priority,
    dates: letter.dates,
    reviewer: letter.reviewer,
    patient: letter.patient,
    items,
  };
  const text = caseFileText({
    data,
    summary,
    rationales,
    comments: [
      `yaml-language-server: $schema=${options.schemaPath ?? '../schema/case.schema.json'}`,
      `Imported by \`imr-letters import\` from ${options.sourceLabel ?? file}`,
      `(a posted decision: final, public data only). Category and patient facts are inferred`,
      `from the letter's words. Add \`parties\` (and remove \`publicOnly\`) to build the mailed letter.`,
    ],
    categoryNotes: notes,
    patientNote: letter.patientEvidence ? `the summary: "${letter.patientEvidence}"` : undefined,
  });

  // Check the case file as `imr-letters check` would, then read it back.
  const caseFileName = `${letter.case}.md`;
  const checked = checkSource({ file: caseFileName, text });
  const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  for (const d of checked.diagnostics) {
    if (d.severity !== 'error') continue;
    diagnostics.push(diagnostic(file, at, 'error', 'import-check', `The case file made from this letter fails the check at ${caseFileName}:${d.line}:${d.column} (${d.rule}): ${d.message}`));
  }
  const c = checked.case;
  if (!c) return result();
  if (canonicalJson(c.data) !== canonicalJson(data)) {
    diagnostics.push(diagnostic(file, at, 'error', 'import-check', 'The case file does not read back as the data parsed from the letter (a YAML quoting problem in the importer)'));
    return result();
  }
  const readBack = (nodes: readonly RootContent[]) => nodes.map((n) => squash(plainText(n)));
  const want = (paras: readonly string[]) => paras.map(squash);
  const sections: [string, string[], string[], number][] = [
    ['the summary', readBack(c.summary), want(letter.summary), letter.items[0]?.line ?? 1],
    ...letter.items.map((it, i): [string, string[], string[], number] => [`the rationale of item ${i + 1}`, readBack(c.rationales.get(items[i]!.id) ?? []), want(it.rationale), it.line]),
  ];
  for (const [what, got, expected, line] of sections) {
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      const k = got.findIndex((g, j) => g !== expected[j]);
      diagnostics.push(
        diagnostic(file, { start: { line, column: 1 }, end: { line, column: 1 } }, 'error', 'import-check', `The Markdown of ${what} does not read back as the letter's words (paragraph ${k === -1 ? got.length + 1 : k + 1}): an escaping problem in the importer`),
      );
    }
  }
  return result(text);
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
