/**
 * The layout text of a posted decision → the structured letter: header block, the
 * reviewer's credentials, the case summary and every item with its guidelines and
 * rationale. Pure: text in, `{ letter, diagnostics }` out; the letter is set only when
 * nothing is an error. Every problem names the line of the layout text it is about.
 *
 * The letter's parts, as `pdftotext -layout` gives them:
 *
 *     Case Number:           CM16-0233904
 *     Date Assigned:         12/09/2016                      Date of Injury:      10/26/2016
 *     Decision Date:         01/06/2017                      UR Denial Date:      11/09/2016
 *     Priority:              Standard                        Application          12/05/2016
 *                                                            Received:
 *                      HOW THE IMR FINAL DETERMINATION WAS MADE
 *     <boilerplate> … The Expert Reviewer has the following credentials:
 *     State(s) of Licensure: …
 *     Certification(s)/Specialty: …
 *                            CLINICAL CASE SUMMARY
 *     The expert reviewer developed the following clinical case summary based on … records:
 *     <paragraphs>
 *                     IMR ISSUES, DECISIONS AND RATIONALES
 *     The Final Determination was based on decisions for the disputed items/services set forth below:
 *     <item line>: Upheld
 *     Claims Administrator guideline: …
 *     MAXIMUS guideline: …
 *     Decision rationale: <paragraphs>
 *     … (one such group per item)
 */
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { CaseData, Citation, Item } from '../schema/case.js';
import { CASE_NUMBER } from '../schema/case.js';
import { US_STATES } from '../schema/states.js';
import { joinLines, lineWidth, sentencePageBreaks, splitParagraph, toLines, toParagraphs, type Line, type Paragraph } from './layout.js';
import { parseGuideline, parseLead } from './items.js';
import { patientFacts } from './infer.js';
import { DEFAULT_ORGANIZATION } from '../config.js';
import { SENTENCES } from '../render/sentences.js';
import { markSplitWords } from './hyphenation.js';

export const HEADINGS = SENTENCES.headings;

/** The fixed sentences of the templates that the importer expects (and drops): read from the templates (`render/sentences.ts`). */
export const boilerplate = SENTENCES.howMade;
export const CREDENTIALS_LEAD = SENTENCES.credentialsLead;
export const SUMMARY_LEAD = SENTENCES.summaryLead;
export const ISSUES_LEAD = SENTENCES.issuesLead;
export const RATIONALE_LABEL = 'Decision rationale:';
export const CA_LABEL = 'Claims Administrator guideline:';

/** A disputed item as the letter prints it (category and id are inferred later). */
export interface LetterItem extends Pick<Item, 'request' | 'modified' | 'decision' | 'claimsAdministratorGuideline' | 'imroGuideline'> {
  /** Line of the item line in the layout text. */
  line: number;
  /** The rationale's paragraphs, without the "Decision rationale:" label. */
  rationale: string[];
}

export interface Letter {
  case: string;
  priority: CaseData['priority'];
  dates: CaseData['dates'];
  reviewer: CaseData['reviewer'];
  patient: CaseData['patient'];
  /** The words the patient facts were read from. */
  patientEvidence: string;
  summary: string[];
  items: LetterItem[];
  /** Pages of the layout text. */
  pages: number;
}

export interface ParseOptions {
  /** The IMR organization's full name, as in the boilerplate (default `MAXIMUS Federal Services`). */
  orgName?: string;
  /** The label of its guideline citations (default `MAXIMUS`). */
  orgShortName?: string;
}

export interface ParseResult {
  letter: Letter | undefined;
  diagnostics: Diagnostic[];
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Footer lines of letters printed by imr-letters itself (`CM16-0233904 — Page 1 of 2`), dropped so that its output imports too. */
const FOOTER = /^\s*(?:CM\d{2}-\d{7}(?: rev\. \d+)?(?: DRAFT)?\s+[\u2014-]\s+)?Page \d+ of \d+\s*$/;

/** Drops footer lines: a `FOOTER` line that is the last text of a page. */
function dropFooters(lines: Line[]): Line[] {
  return lines.filter((l, i) => {
    if (!FOOTER.test(l.text)) return true;
    const next = lines.slice(i + 1).find((n) => n.text.trim());
    return !(next === undefined || next.pageStart);
  });
}

export function parseLetter(file: string, text: string, options: ParseOptions = {}): ParseResult {
  const orgName = options.orgName ?? DEFAULT_ORGANIZATION.name;
  const orgShort = options.orgShortName ?? DEFAULT_ORGANIZATION.shortName;
  const diagnostics: Diagnostic[] = [];
  const all = markSplitWords(dropFooters(toLines(text)));
  const lastLine = all[all.length - 1]?.no ?? 1;
  const fail = (rule: string, line: number, message: string, column = 1, length = 0) => {
    diagnostics.push(diagnostic(file, { start: { line, column }, end: { line, column: column + length } }, 'error', rule, message));
  };
  const failAt = (rule: string, l: Line | undefined, message: string, needle?: string) => {
    const at = l && needle ? l.text.indexOf(needle) : -1;
    fail(rule, l?.no ?? 1, message, at >= 0 ? at + 1 : 1, at >= 0 ? needle!.length : 0);
  };
  const done = (letter?: Letter): ParseResult => ({ letter: diagnostics.some((d) => d.severity === 'error') ? undefined : letter, diagnostics });

  if (!all.some((l) => l.text.trim())) {
    fail('import-empty', 1, 'The file has no text: a scanned image, or not a posted decision? (`pdftotext -layout` finds no words)');
    return done();
  }

  // The three section headings, in order, each once.
  const headingAt = (title: string) => all.filter((l) => squash(l.text) === title);
  const found = Object.values(HEADINGS).map((title) => ({ title, lines: headingAt(title) }));
  for (const h of found) {
    if (h.lines.length === 0) fail('import-structure', lastLine, `No heading ${JSON.stringify(h.title)}: is this a posted IMR final determination?`);
    else if (h.lines.length > 1) failAt('import-structure', h.lines[1], `The heading ${JSON.stringify(h.title)} appears ${h.lines.length} times; a letter has it once`, h.title);
  }
  if (diagnostics.length) return done();
  const [howMade, summaryHeading, issuesHeading] = found.map((h) => all.indexOf(h.lines[0]!)) as [number, number, number];
  if (!(howMade < summaryHeading && summaryHeading < issuesHeading)) {
    failAt('import-structure', all[summaryHeading], `The sections are out of order: expected ${HEADINGS.howMade}, then ${HEADINGS.summary}, then ${HEADINGS.issues}`);
    return done();
  }
  const width = lineWidth(all.slice(howMade));
  const isHeading = (l: Line) => (Object.values(HEADINGS) as string[]).includes(squash(l.text));
  const paragraphs = (from: number, to: number) => toParagraphs(all.slice(from, to), { width, isHeading });

  // Header block.
  const header = parseHeader(all.slice(0, howMade), fail, lastLine);

  // Credentials.
  const reviewer = parseCredentials(all.slice(howMade + 1, summaryHeading), all[howMade]!, orgName, fail, failAt);

  // Summary.
  const summaryParas = paragraphs(summaryHeading + 1, issuesHeading);
  const summary = dropLead(summaryParas, SUMMARY_LEAD, all[summaryHeading]!, fail, 'the summary');
  if (summary && summary.length === 0) fail('import-summary', all[summaryHeading]!.no, 'The clinical case summary has no text after its lead-in sentence');
  const summaryText = (summary ?? []).map((p) => p.text);
  const facts = patientFacts(summaryText.join(' '));
  // An age the summary does not state is left out (nothing is guessed); one outside the
  // schema's range is not a patient's age as read (a warning, and left out too).
  let age = facts.age;
  if (age !== undefined && (age < 14 || age > 110)) {
    diagnostics.push(
      diagnostic(file, lineSpan(summary![0]!.lines[0]!.no), 'warning', 'import-patient', `The age read from the summary, ${age} (${JSON.stringify(facts.evidence)}), is outside 14–110: it is not recorded; set \`patient.age\` if the letter states it`),
    );
    age = undefined;
  }

  // Items.
  const issueParas = paragraphs(issuesHeading + 1, all.length);
  const body = dropLead(issueParas, ISSUES_LEAD, all[issuesHeading]!, fail, 'the issues');
  const items = body ? parseItems(body, orgShort, fail, all[issuesHeading]!) : [];

  if (!header || !reviewer || !summary) return done();
  return done({
    case: header.case,
    priority: header.priority,
    dates: header.dates,
    reviewer,
    patient: age === undefined ? { sex: facts.sex } : { age, sex: facts.sex },
    patientEvidence: facts.evidence ?? '',
    summary: summaryText,
    items,
    pages: all[all.length - 1]?.page ?? 1,
  });
}

const lineSpan = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 1 } });

type Fail = (rule: string, line: number, message: string, column?: number, length?: number) => void;
type FailAt = (rule: string, l: Line | undefined, message: string, needle?: string) => void;

/** MM/DD/YYYY → YYYY-MM-DD, or undefined when it is not a calendar date. */
export function isoDate(us: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(us);
  if (!m) return undefined;
  const [, mm, dd, yyyy] = m as unknown as [string, string, string, string];
  const d = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  if (d.getUTCFullYear() !== Number(yyyy) || d.getUTCMonth() !== Number(mm) - 1 || d.getUTCDate() !== Number(dd)) return undefined;
  return `${yyyy}-${mm}-${dd}`;
}

interface Header {
  case: string;
  priority: CaseData['priority'];
  dates: CaseData['dates'];
}

function parseHeader(lines: readonly Line[], fail: Fail, lastLine: number): Header | undefined {
  const firstLine = lines.find((l) => l.text.trim())?.no ?? 1;
  const field = (label: RegExp, name: string): { value: string; line: Line; column: number } | undefined => {
    for (const line of lines) {
      const m = label.exec(line.text);
      if (m) return { value: m[1]!, line, column: m.index + m[0].length - m[1]!.length + 1 };
    }
    fail('import-header', Math.min(firstLine, lastLine), `The header block has no ${name}`);
    return undefined;
  };
  let ok = true;
  const caseField = field(/Case Number:\s+(\S+)/, '"Case Number:"');
  if (caseField && !CASE_NUMBER.test(caseField.value)) {
    fail('import-header', caseField.line.no, `The case number ${JSON.stringify(caseField.value)} is not CM + two digits + - + seven digits`, caseField.column, caseField.value.length);
    ok = false;
  }
  const priorityField = field(/Priority:\s+(\S+)/, '"Priority:"');
  if (priorityField && !['Standard', 'Expedited'].includes(priorityField.value)) {
    fail('import-header', priorityField.line.no, `The priority ${JSON.stringify(priorityField.value)} is neither Standard nor Expedited`, priorityField.column, priorityField.value.length);
    ok = false;
  }
  const dateLabels: [keyof CaseData['dates'], RegExp, string][] = [
    ['injury', /Date of Injury:\s+(\S+)/, '"Date of Injury:"'],
    ['urDenial', /UR Denial Date:\s+(\S+)/, '"UR Denial Date:"'],
    ['applicationReceived', /Application(?:\s+Received:)?\s+(\d\S*)/, '"Application Received:"'],
    ['assigned', /Date Assigned:\s+(\S+)/, '"Date Assigned:"'],
    ['decision', /Decision Date:\s+(\S+)/, '"Decision Date:"'],
  ];
  const dates: Partial<CaseData['dates']> = {};
  for (const [key, re, name] of dateLabels) {
    const f = field(re, name);
    if (!f) {
      ok = false;
      continue;
    }
    const iso = isoDate(f.value);
    if (!iso) {
      fail('import-header', f.line.no, `${name} ${JSON.stringify(f.value)} is not a date written MM/DD/YYYY`, f.column, f.value.length);
      ok = false;
    } else dates[key] = iso;
  }
  if (!caseField || !priorityField || !ok) return undefined;
  return { case: caseField.value, priority: priorityField.value as CaseData['priority'], dates: dates as CaseData['dates'] };
}

function parseCredentials(lines: readonly Line[], heading: Line, orgName: string, fail: Fail, failAt: FailAt): CaseData['reviewer'] | undefined {
  const lead = lines.findIndex((l) => l.text.trim().startsWith(CREDENTIALS_LEAD));
  const lic = lines.findIndex((l) => l.text.trim().startsWith('State(s) of Licensure:'));
  const spec = lines.findIndex((l) => l.text.trim().startsWith('Certification(s)/Specialty:'));
  if (lead === -1 || lic === -1 || spec === -1 || !(lead < lic && lic < spec)) {
    fail('import-reviewer', heading.no, `Expected "${CREDENTIALS_LEAD}", then "State(s) of Licensure: …" and "Certification(s)/Specialty: …" lines after the heading`);
    return undefined;
  }
  const said = squash(lines.slice(0, lead).map((l) => l.text).join(' '));
  const expected = boilerplate(orgName);
  if (said !== expected) {
    const a = said.split(' ');
    const b = expected.split(' ');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    fail(
      'import-boilerplate',
      heading.no + 1,
      `The text under "${HEADINGS.howMade}" differs from the template's at word ${i + 1}: ${JSON.stringify(a.slice(i, i + 6).join(' '))}, expected ${JSON.stringify(b.slice(i, i + 6).join(' '))}; the built letter could not reproduce it (is the IMR organization ${JSON.stringify(orgName)}?)`,
    );
  }
  const until = (from: number, to: number) => {
    const out: Line[] = [];
    for (let i = from; i < to; i++) {
      if (!lines[i]!.text.trim()) break;
      out.push(lines[i]!);
    }
    return out;
  };
  const licLines = until(lic, spec);
  const specLines = until(spec, lines.length);
  const licText = squash(licLines.map((l) => l.text).join(' ')).replace(/^State\(s\) of Licensure:\s*/, '');
  const specText = squash(specLines.map((l) => l.text).join(' ')).replace(/^Certification\(s\)\/Specialty:\s*/, '');
  let ok = true;
  const states = licText.split(/\s*,\s*/);
  const separators = licText.match(/\s*,\s*/g) ?? [];
  const unknown = states.filter((s) => !(US_STATES as readonly string[]).includes(s));
  if (!licText || unknown.length) {
    failAt('import-reviewer', licLines[0], licText ? `Not a US state in the licensure: ${unknown.map((s) => JSON.stringify(s)).join(', ')}` : 'The licensure names no state', unknown[0]);
    ok = false;
  }
  const kinds = new Set(separators);
  if (kinds.size > 1 || (kinds.size === 1 && ![',', ', '].includes([...kinds][0]!))) {
    failAt('import-reviewer', licLines[0], `The states are separated in more than one way (${[...kinds].map((k) => JSON.stringify(k)).join(' and ')}); a case file prints them with one separator`);
    ok = false;
  }
  const specialties = specText.split(', ');
  if (!specText || specialties.some((s) => !s.trim() || s !== s.trim())) {
    failAt('import-reviewer', specLines[0], specText ? `Cannot split the specialties ${JSON.stringify(specText)} at ", "` : 'No specialty after "Certification(s)/Specialty:"');
    ok = false;
  }
  if (!ok) return undefined;
  return { licensure: states as CaseData['reviewer']['licensure'], ...(kinds.has(',') ? { licensureSeparator: ',' as const } : {}), specialties };
}

/** Drops a section's fixed lead-in sentence from its first paragraph; undefined (and an error) when it is not there. */
function dropLead(paras: Paragraph[], lead: string, heading: Line, fail: Fail, what: string): Paragraph[] | undefined {
  const first = paras[0];
  if (!first || !squash(first.text).startsWith(lead)) {
    fail('import-boilerplate', first?.lines[0]?.no ?? heading.no, `Expected ${what} to open with "${lead}"`);
    return undefined;
  }
  const rest = squash(first.text).slice(lead.length).trim();
  if (!rest) return paras.slice(1);
  // Keep the lines after the lead-in (it ended at a line's end: a page break followed it).
  for (let k = 1; k < first.lines.length; k++) {
    if (squash(joinLines(first.lines.slice(0, k))) === lead) {
      const lines = first.lines.slice(k);
      return [{ lines, text: joinLines(lines) }, ...paras.slice(1)];
    }
  }
  return [{ lines: first.lines, text: rest }, ...paras.slice(1)];
}

/** A plain item line that holds the words of a modified request's form is a fragment of one, cut at a page break. */
const MODIFIED_WORDS = /original request|authorized by the Claims Administrator|The Claims Administrator authorized/;

/**
 * The paragraph before a claims administrator's guideline is the item line. When the
 * item line starts a page and the text before it (the previous rationale) ended at the
 * bottom of the page above, the two read as one paragraph: cut it at the last page
 * break after which the rest reads as a whole item line.
 */
function splitLeads(paras: Paragraph[]): Paragraph[] {
  const out: Paragraph[] = [];
  paras.forEach((p, i) => {
    const next = paras[i + 1];
    const cuts = next?.text.startsWith(CA_LABEL) ? sentencePageBreaks(p).reverse() : [];
    for (const cut of cuts) {
      const [head, tail] = splitParagraph(p, cut);
      const lead = parseLead(tail.text);
      if (lead.ok && (lead.value.modified || !MODIFIED_WORDS.test(tail.text))) {
        out.push(head, tail);
        return;
      }
    }
    out.push(p);
  });
  return out;
}

function parseItems(all: Paragraph[], orgShort: string, fail: Fail, heading: Line): LetterItem[] {
  const imroLabel = `${orgShort} guideline:`;
  const paras = splitLeads(all);
  const starts = paras.map((p, i) => (p.text.startsWith(CA_LABEL) ? i : -1)).filter((i) => i !== -1);
  if (starts.length === 0) {
    fail('import-items', paras[0]?.lines[0]?.no ?? heading.no, `No item: no paragraph starts with "${CA_LABEL}"`);
    return [];
  }
  const items: LetterItem[] = [];
  starts.forEach((ca, k) => {
    const leadPara = paras[ca - 1];
    const prevEnd = k === 0 ? 0 : starts[k - 1]! + 3;
    const line = (p: Paragraph | undefined) => p?.lines[0]?.no ?? heading.no;
    if (!leadPara || ca - 1 < prevEnd) {
      fail('import-items', line(paras[ca]), `No item line ("<request>: Upheld") before this "${CA_LABEL}"`);
      return;
    }
    if (k === 0 && ca - 1 > 0) {
      fail('import-items', line(paras[0]), 'Unexpected text between the lead-in sentence and the first item line');
    }
    const lead = parseLead(leadPara.text);
    if (!lead.ok) {
      fail('import-items', line(leadPara), `Cannot read the item line ${JSON.stringify(clip(leadPara.text))}: expected ${lead.reason}`);
    }
    const caPara = paras[ca]!;
    const imroPara = paras[ca + 1];
    const ratPara = paras[ca + 2];
    const caG = parseGuideline(caPara.text.slice(CA_LABEL.length), 'The Claims Administrator');
    if (!caG.ok) fail('import-guideline', line(caPara), `Cannot read the claims administrator's guideline: ${caG.reason}`);
    let imroG: ReturnType<typeof parseGuideline> | undefined;
    if (!imroPara || !imroPara.text.startsWith(imroLabel)) {
      const other = imroPara && /^(\S.{0,40}?) guideline:/.exec(imroPara.text);
      fail(
        'import-guideline',
        line(imroPara ?? caPara),
        other
          ? `The IMR organization's guideline is labelled ${JSON.stringify(`${other[1]} guideline:`)}, but the configuration prints ${JSON.stringify(imroLabel)}`
          : `Expected "${imroLabel}" after the claims administrator's guideline`,
      );
    } else {
      imroG = parseGuideline(imroPara.text.slice(imroLabel.length), 'The Expert Reviewer');
      if (!imroG.ok) fail('import-guideline', line(imroPara), `Cannot read the ${orgShort} guideline: ${imroG.reason}`);
    }
    const nextLead = k + 1 < starts.length ? starts[k + 1]! - 1 : paras.length;
    if (!ratPara || !ratPara.text.startsWith(RATIONALE_LABEL) || ca + 2 >= nextLead) {
      fail('import-rationale', line(ratPara ?? imroPara ?? caPara), `Expected "${RATIONALE_LABEL}" after the guidelines`);
      return;
    }
    const rationale = [ratPara.text.slice(RATIONALE_LABEL.length).trim(), ...paras.slice(ca + 3, nextLead).map((p) => p.text)].filter(Boolean);
    if (!rationale.length) {
      fail('import-rationale', line(ratPara), 'The decision rationale is empty');
      return;
    }
    if (lead.ok && caG.ok && imroG?.ok) {
      items.push({
        line: line(leadPara),
        ...lead.value,
        claimsAdministratorGuideline: caG.value as Citation[],
        imroGuideline: imroG.value as Citation[],
        rationale,
      });
    }
  });
  return items;
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
