/**
 * The public facts of a letter: what the archive searches and filters on (decision,
 * request category, specialty, licensure, guideline source, priority, dates). Public
 * data only — never a party. Written beside the public edition as
 * `<case>-v<revision>-public.json`.
 */
import { z } from 'zod';
import type { Case } from '../check/index.js';
import { UNKNOWN_CATEGORY, type Citation } from '../schema/case.js';
import { citationText, outcomeOf, type Outcome } from './model.js';

export type GuidelineSource = 'MTUS' | 'ODG' | 'ACOEM' | 'Other';

export interface PublicFacts {
  case: string;
  revision: number;
  status: 'draft' | 'final';
  priority: string;
  dates: { injury: string; urDenial: string; applicationReceived: string; assigned: string; decision: string; issued?: string };
  reviewer: { licensure: string[]; specialties: string[] };
  /** `age` is null when the summary does not state it (the archive shows "not stated"). */
  patient: { age: number | null; sex: string };
  outcome: Outcome;
  supersedes: number | null;
  amends: string | null;
  items: {
    id: string;
    request: string;
    /** What the reviewer decided: the remainder of a modified request, else the request. */
    decided?: string;
    /** For a modified request: its form and what the claims administrator authorized. */
    modified?: { form: 'partial' | 'alternative'; authorized: string };
    category: string;
    decision: string;
    claimsAdministratorGuideline: string;
    imroGuideline: string;
    /** The guideline sources the IMR organization cited, e.g. `MTUS`, `ODG`. */
    sources: GuidelineSource[];
    /** MTUS chapters cited by the IMR organization, e.g. `Chronic Pain Medical Treatment`. */
    mtusChapters: string[];
  }[];
}

/** The facts file as read back (by the archive): validated, not cast. */
export const publicFactsSchema = z.object({
  case: z.string(),
  revision: z.int(),
  status: z.enum(['draft', 'final']),
  priority: z.string(),
  dates: z.object({ injury: z.string(), urDenial: z.string(), applicationReceived: z.string(), assigned: z.string(), decision: z.string(), issued: z.string().optional() }),
  reviewer: z.object({ licensure: z.array(z.string()), specialties: z.array(z.string()) }),
  patient: z.object({ age: z.number().nullable(), sex: z.string() }),
  outcome: z.enum(['upheld', 'overturned', 'overturned in part']),
  supersedes: z.int().nullable(),
  amends: z.string().nullable(),
  items: z.array(
    z.object({
      id: z.string(),
      request: z.string(),
      decided: z.string().optional(),
      modified: z.object({ form: z.enum(['partial', 'alternative']), authorized: z.string() }).optional(),
      category: z.string(),
      decision: z.string(),
      claimsAdministratorGuideline: z.string(),
      imroGuideline: z.string(),
      sources: z.array(z.enum(['MTUS', 'ODG', 'ACOEM', 'Other'])),
      mtusChapters: z.array(z.string()),
    }),
  ),
}) satisfies z.ZodType<PublicFacts>;

const MTUS_CHAPTERS = [
  'Chronic Pain Medical Treatment',
  'Chronic Pain Treatment Guidelines',
  'Low Back Complaints',
  'Neck and Upper Back Complaints',
  'Shoulder Complaints',
  'Elbow Disorders',
  'Forearm, Wrist, and Hand Complaints',
  'Knee Complaints',
  'Ankle and Foot Complaints',
  'Acupuncture Treatment',
  'Postsurgical Treatment',
  'Stress Related Conditions',
  'Eye',
  'Independent Medical Examinations and Consultations',
  'Initial Approaches to Treatment',
  'General Approach to Initial Assessment and Documentation',
  'Opioids',
];

/** Sources and MTUS chapters named by a list of citations. */
export function classifyCitations(citations: readonly Citation[]): { sources: GuidelineSource[]; mtusChapters: string[] } {
  const sources = new Set<GuidelineSource>();
  const chapters = new Set<string>();
  for (const c of citations) {
    if (typeof c === 'string') continue;
    const text = 'mtus' in c ? c.mtus : 'nonMtus' in c ? c.nonMtus : c.text;
    if ('mtus' in c || /\bMTUS\b/.test(text) && !/Non-?MTUS/i.test(text)) {
      sources.add('MTUS');
      for (const ch of MTUS_CHAPTERS) if (text.toLowerCase().includes(ch.toLowerCase())) chapters.add(ch);
    }
    if (/Official Disability Guidelines|\bODG\b/i.test(text)) sources.add('ODG');
    if (/ACOEM/i.test(text)) sources.add('ACOEM');
    if ('nonMtus' in c && !/Official Disability Guidelines|\bODG\b|ACOEM/i.test(text)) sources.add('Other');
  }
  const order: GuidelineSource[] = ['MTUS', 'ODG', 'ACOEM', 'Other'];
  return { sources: order.filter((s) => sources.has(s)), mtusChapters: [...chapters].sort() };
}

/** The archive's name of a category: the DWC category, or "Unknown" for a category not settled (`unknown`). */
export function categoryLabel(category: string): string {
  return category === UNKNOWN_CATEGORY ? 'Unknown' : category;
}

export function publicFacts(c: Case): PublicFacts {
  const d = c.data;
  return {
    case: d.case,
    revision: d.revision,
    status: d.status,
    priority: d.priority,
    dates: { ...d.dates },
    reviewer: { licensure: [...d.reviewer.licensure], specialties: [...d.reviewer.specialties] },
    patient: { age: d.patient.age ?? null, sex: d.patient.sex },
    outcome: outcomeOf(d.items.map((i) => i.decision)),
    supersedes: d.revision > 1 ? d.revision - 1 : null,
    amends: d.amends ?? null,
    items: d.items.map((item) => ({
      id: item.id,
      request: item.request,
      decided: item.modified?.remainder ?? item.request,
      ...(item.modified ? { modified: { form: item.modified.form, authorized: item.modified.authorized } } : {}),
      category: categoryLabel(item.category),
      decision: item.decision,
      claimsAdministratorGuideline: item.claimsAdministratorGuideline.map((g) => citationText(g, 'The Claims Administrator')).join(' '),
      imroGuideline: item.imroGuideline.map((g) => citationText(g, 'The Expert Reviewer')).join(' '),
      ...classifyCitations(item.imroGuideline),
    })),
  };
}
