/**
 * What a case file needs that a posted letter does not print as a field: the patient's
 * age and sex (read from the summary), each item's request category (from keywords of
 * the request, then of its guideline citations) and a short item id. Pure functions.
 */
import type { CaseData } from '../schema/case.js';
import { GUIDELINE_VOCABULARY, REQUEST_VOCABULARY, vocabularyPattern, type Category } from './categories.js';

export interface PatientFacts {
  age?: number;
  sex: CaseData['patient']['sex'];
  /** The words the facts were read from, for messages. */
  evidence?: string;
}

const AGE = /\b(\d{1,3})[- ](?:years?|yrs?)[- ]old\b|\baged? (\d{1,3})\b|\b(\d{1,3}) years of age\b/i;
const SEX_WORDS: Record<string, 'male' | 'female'> = {
  male: 'male',
  man: 'male',
  gentleman: 'male',
  female: 'female',
  woman: 'female',
  lady: 'female',
};

const SUBJECT_SEX = /\b(?:is|was)\s+an?\s+(?:[a-z-]+\s+){0,2}?(male|female|man|woman|gentleman|lady)\b/i;

/**
 * The first age the summary states ("a 37 year old female", "a now 26-year-old
 * female", "age 52") and the sex stated right after it (within a few words: "male",
 * "woman"…). Without an age, the sex of the summary's subject ("… is a male who").
 * The sex is `unspecified` when the words do not say it; an age not stated is left
 * undefined (the case file then has none) rather than guessed.
 */
export function patientFacts(summary: string): PatientFacts {
  const m = AGE.exec(summary);
  if (!m) {
    // No age: the sex the summary's subject is said to be ("The injured worker is a male who…").
    const subject = SUBJECT_SEX.exec(summary);
    return subject ? { sex: SEX_WORDS[subject[1]!.toLowerCase()]!, evidence: subject[0] } : { sex: 'unspecified' };
  }
  const age = Number(m[1] ?? m[2] ?? m[3]);
  const after = summary.slice(m.index + m[0].length, m.index + m[0].length + 60);
  const sexWord = /^[\s,]*(?:[a-z-]+\s+){0,3}?(male|female|man|woman|gentleman|lady)\b/i.exec(after);
  const sex = sexWord ? SEX_WORDS[sexWord[1]!.toLowerCase()]! : 'unspecified';
  return { age, sex, evidence: `${m[0]}${sexWord ? sexWord[0].replace(/^[\s,]*/, ' ') : ''}`.trim() };
}

const REQUEST_RULES: [Category, RegExp][] = REQUEST_VOCABULARY.map((g) => [g.category, vocabularyPattern(g)]);
const GUIDELINE_RULES: [Category, RegExp][] = GUIDELINE_VOCABULARY.map((g) => [g.category, vocabularyPattern(g)]);

export interface CategoryGuess {
  category: Category;
  /** Where it came from: `request` words or `guideline` words. */
  from: 'request' | 'guideline';
  keyword: string;
}

/** The DWC request category of an item, from its request's words, else its guideline sections (the method: `categories.ts`); undefined when neither tells it. */
export function inferCategory(request: string, guidelines: string): CategoryGuess | undefined {
  for (const [category, re] of REQUEST_RULES) {
    const m = re.exec(request);
    if (m) return { category, from: 'request', keyword: m[0] };
  }
  for (const [category, re] of GUIDELINE_RULES) {
    const m = re.exec(guidelines);
    if (m) return { category, from: 'guideline', keyword: m[0] };
  }
  return undefined;
}

const STOP = new Set(['a', 'an', 'the', 'of', 'for', 'to', 'and', 'or', 'with', 'in', 'on', 'at', 'by', 'per', 'was', 'is', 'times', 'associated', 'surgical', 'service', 'retrospective', 'request']);

/** A short kebab-case id from a request: its first significant words, without parentheses (`MRI (magnetic resonance imaging) of the right shoulder` → `mri-right-shoulder`). */
export function itemIdBase(request: string, maxWords = 5, maxLength = 40): string {
  const words = request
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !STOP.has(w));
  let id = '';
  for (const w of words.slice(0, maxWords)) {
    const next = id ? `${id}-${w}` : w;
    if (next.length > maxLength) break;
    id = next;
  }
  return id || 'item';
}

/** Unique ids for the requests of one letter, in order: a repeated base gets `-2`, `-3`… */
export function itemIds(requests: readonly string[]): string[] {
  const used = new Set<string>();
  return requests.map((r) => {
    const base = itemIdBase(r);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}
