/**
 * The open data's columns: one source of truth for the bulk CSV files, the JSON Lines,
 * the data dictionary page and `datapackage.json`. Each column has a name, a type and a
 * meaning, and the function that gives its value for a row. Pure.
 *
 * Two tables:
 * - `letters`: a row per final letter revision in the archive (superseded ones too, with
 *   `current` false);
 * - `items`: a row per disputed item of those letters.
 *
 * Lists (states, specialties, categories, sources) are joined with ` | `, as no value
 * contains a vertical bar. Dates are `YYYY-MM-DD`. An absent value is an empty cell
 * (`null` in JSON).
 */
import type { PublicFacts } from '../../render/facts.js';
import type { ArchiveLetter } from '../collect.js';
import { letterUrl } from '../collect.js';
import { outcomeLabel } from '../pages.js';

export type ColumnType = 'string' | 'integer' | 'date' | 'boolean' | 'list';
export type Cell = string | number | boolean | null | string[];

export interface Column<R> {
  name: string;
  type: ColumnType;
  meaning: string;
  value(row: R): Cell;
}

/** The separator of a `list` cell in CSV. */
export const LIST_SEPARATOR = ' | ';

/** A letter revision with what the tables need. */
export interface LetterRow {
  letter: ArchiveLetter;
  facts: PublicFacts | undefined;
}

export type Item = PublicFacts['items'][number];
export interface ItemRow {
  letter: ArchiveLetter;
  facts: PublicFacts;
  item: Item;
  /** 1-based position in the letter. */
  index: number;
}

/** Whole days from one `YYYY-MM-DD` to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const MTUS_UNNAMED = 'MTUS (chapter not named)';
export const NONE_CITED = 'None cited';

/** The guideline sources an item's IMRO guideline cites: `MTUS: <chapter>`, `ODG`, `ACOEM`, `Other`, or `None cited`. */
export function itemGuidelines(item: Item): string[] {
  const out: string[] = [];
  for (const source of item.sources) {
    if (source !== 'MTUS') out.push(source);
    else if (item.mtusChapters.length === 0) out.push(MTUS_UNNAMED);
    else for (const chapter of item.mtusChapters) out.push(`MTUS: ${chapter}`);
  }
  return out.length ? [...new Set(out)].sort() : [NONE_CITED];
}

const uniqueSorted = (values: Iterable<string>) => [...new Set(values)].sort();
const count = (f: PublicFacts | undefined, d: string) => (f ? f.items.filter((i) => i.decision === d).length : null);

export const LETTER_COLUMNS: Column<LetterRow>[] = [
  { name: 'case', type: 'string', meaning: 'IMR case number (CM, two-digit year, hyphen, seven digits).', value: (r) => r.letter.case },
  { name: 'revision', type: 'integer', meaning: 'Revision of the letter: 1, then 2, 3… for corrections of an issued letter.', value: (r) => r.letter.revision },
  { name: 'current', type: 'boolean', meaning: 'Whether this is the latest final revision of the case (false: superseded by a correction). Statistics count current revisions only.', value: (r) => r.letter.current },
  { name: 'superseded_by', type: 'integer', meaning: 'The revision that corrects this one, when superseded.', value: (r) => r.letter.supersededBy },
  { name: 'amends', type: 'string', meaning: 'What a correcting revision corrects, as its letter says.', value: (r) => r.letter.amends },
  { name: 'decision_date', type: 'date', meaning: 'Date of the final determination (the letter’s date).', value: (r) => r.letter.decisionDate },
  { name: 'decision_month', type: 'string', meaning: 'Year and month of the decision, YYYY-MM.', value: (r) => r.letter.decisionDate.slice(0, 7) },
  { name: 'outcome', type: 'string', meaning: 'Upheld (every item upheld), Overturned (every item overturned) or Overturned in part.', value: (r) => outcomeLabel(r.letter.outcome) },
  { name: 'priority', type: 'string', meaning: 'Standard or Expedited review.', value: (r) => r.facts?.priority ?? null },
  { name: 'date_of_injury', type: 'date', meaning: 'Date of the industrial injury.', value: (r) => r.facts?.dates.injury ?? null },
  { name: 'ur_denial_date', type: 'date', meaning: 'Date of the utilization review decision that denied or modified the request.', value: (r) => r.facts?.dates.urDenial ?? null },
  { name: 'application_received', type: 'date', meaning: 'Date the IMR application was received.', value: (r) => r.facts?.dates.applicationReceived ?? null },
  { name: 'date_assigned', type: 'date', meaning: 'Date the case was assigned to the IMR organization.', value: (r) => r.facts?.dates.assigned ?? null },
  { name: 'days_to_decision', type: 'integer', meaning: 'Days from application received to decision.', value: (r) => (r.facts ? daysBetween(r.facts.dates.applicationReceived, r.letter.decisionDate) : null) },
  { name: 'item_count', type: 'integer', meaning: 'Number of disputed items decided in the letter.', value: (r) => r.facts?.items.length ?? null },
  { name: 'items_upheld', type: 'integer', meaning: 'Items decided Upheld (the denial stands).', value: (r) => count(r.facts, 'Upheld') },
  { name: 'items_overturned', type: 'integer', meaning: 'Items decided Overturned (the treatment must be authorized).', value: (r) => count(r.facts, 'Overturned') },
  { name: 'categories', type: 'list', meaning: 'Request categories of the items (DWC’s categories), sorted.', value: (r) => (r.facts ? uniqueSorted(r.facts.items.map((i) => i.category)) : null) },
  { name: 'guideline_sources', type: 'list', meaning: 'Guideline sources the IMR organization cited for the items: MTUS: <chapter>, ODG, ACOEM, Other, None cited; sorted.', value: (r) => (r.facts ? uniqueSorted(r.facts.items.flatMap(itemGuidelines)) : null) },
  { name: 'reviewer_specialties', type: 'list', meaning: 'The expert reviewer’s board certifications or specialties, as printed.', value: (r) => r.facts?.reviewer.specialties ?? null },
  { name: 'reviewer_licensure', type: 'list', meaning: 'US states where the expert reviewer is licensed, as printed.', value: (r) => r.facts?.reviewer.licensure ?? null },
  { name: 'patient_age', type: 'integer', meaning: 'Age of the injured worker, as the case summary states it.', value: (r) => r.facts?.patient.age ?? null },
  { name: 'patient_sex', type: 'string', meaning: 'male, female or unspecified, as the case summary states it.', value: (r) => r.facts?.patient.sex ?? null },
  { name: 'url', type: 'string', meaning: 'The letter’s page, relative to the archive’s root.', value: (r) => letterUrl(r.letter.case, r.letter.revision) },
  { name: 'json_url', type: 'string', meaning: 'The letter’s public facts as JSON (the static API), relative to the archive’s root.', value: (r) => letterJsonUrl(r.letter) },
  { name: 'pdf_url', type: 'string', meaning: 'The public edition as PDF, relative to the archive’s root, when it was printed.', value: (r) => (r.letter.pdf ? `${letterUrl(r.letter.case, r.letter.revision)}${pdfName(r.letter)}` : null) },
];

export const ITEM_COLUMNS: Column<ItemRow>[] = [
  { name: 'case', type: 'string', meaning: 'IMR case number of the letter.', value: (r) => r.letter.case },
  { name: 'revision', type: 'integer', meaning: 'Revision of the letter.', value: (r) => r.letter.revision },
  { name: 'current', type: 'boolean', meaning: 'Whether the letter is the latest final revision of its case.', value: (r) => r.letter.current },
  { name: 'item', type: 'integer', meaning: 'Position of the item in the letter, from 1.', value: (r) => r.index },
  { name: 'item_id', type: 'string', meaning: 'The item’s id in its case file (kebab-case words of the request).', value: (r) => r.item.id },
  { name: 'decision_date', type: 'date', meaning: 'Date of the final determination.', value: (r) => r.letter.decisionDate },
  { name: 'decision_month', type: 'string', meaning: 'Year and month of the decision, YYYY-MM.', value: (r) => r.letter.decisionDate.slice(0, 7) },
  { name: 'request', type: 'string', meaning: 'The disputed request as the letter names it (for a modified request, the original request).', value: (r) => r.item.request },
  { name: 'category', type: 'string', meaning: 'Request category (DWC’s categories).', value: (r) => r.item.category },
  { name: 'decision', type: 'string', meaning: 'Upheld (not medically necessary: the denial stands) or Overturned (medically necessary: must be authorized).', value: (r) => r.item.decision },
  { name: 'guideline_sources', type: 'list', meaning: 'Sources the IMR organization cited: MTUS: <chapter>, MTUS (chapter not named), ODG, ACOEM, Other, or None cited.', value: (r) => itemGuidelines(r.item) },
  { name: 'imro_guideline', type: 'string', meaning: 'The IMR organization’s guideline statement, as printed.', value: (r) => r.item.imroGuideline },
  { name: 'claims_administrator_guideline', type: 'string', meaning: 'The claims administrator’s guideline statement, as printed.', value: (r) => r.item.claimsAdministratorGuideline },
  { name: 'priority', type: 'string', meaning: 'Standard or Expedited review.', value: (r) => r.facts.priority },
  { name: 'reviewer_specialties', type: 'list', meaning: 'The expert reviewer’s specialties, as printed.', value: (r) => r.facts.reviewer.specialties },
  { name: 'url', type: 'string', meaning: 'The letter’s page, relative to the archive’s root.', value: (r) => letterUrl(r.letter.case, r.letter.revision) },
];

/** `letters/<case>/v<revision>/letter.json`: a letter's public facts (the static API). */
export function letterJsonUrl(l: { case: string; revision: number }): string {
  return `${letterUrl(l.case, l.revision)}letter.json`;
}

function pdfName(l: ArchiveLetter): string {
  const p = l.pdf!.path;
  return p.slice(p.lastIndexOf('/') + 1);
}

export function letterRows(letters: readonly ArchiveLetter[]): LetterRow[] {
  return letters.map((letter) => ({ letter, facts: letter.facts }));
}

export function itemRows(letters: readonly ArchiveLetter[]): ItemRow[] {
  return letters.flatMap((letter) => (letter.facts ? letter.facts.items.map((item, k) => ({ letter, facts: letter.facts!, item, index: k + 1 })) : []));
}

/** A row as a JSON object: one key per column, lists as arrays, absent values `null`. */
export function rowObject<R>(columns: readonly Column<R>[], row: R): Record<string, Cell> {
  return Object.fromEntries(columns.map((c) => [c.name, c.value(row)]));
}

/** A row as CSV cells: lists joined, booleans `true`/`false`, absent values empty. */
export function rowCells<R>(columns: readonly Column<R>[], row: R): string[] {
  return columns.map((c) => {
    const v = c.value(row);
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.join(LIST_SEPARATOR);
    return String(v);
  });
}
