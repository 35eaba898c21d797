/**
 * Synthetic cases for benchmarks and scale tests: realistic, valid, varied, and the
 * same for the same seed. The mix follows the 152 posted decisions of
 * `../shared/corpus/dwc-imr-2016-2017/` (counted once, written down here so the
 * generator needs no corpus): 1–15 items a letter (61% one item), ~11% of items
 * Overturned, ~9% modified requests, summaries of ~1,600 characters and rationales of
 * ~1,100, so a letter averages ~6,000 characters.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { formatCaseFile } from '../write/case-file.js';
import { writeAtomic } from '../publish/files.js';
import { CATEGORIES, type CaseData, type Citation, type Item } from '../schema/case.js';
import { US_STATES } from '../schema/states.js';

/** A small, fast, seedable PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Items per letter in the corpus: [count, letters]. */
const ITEM_COUNTS: [number, number][] = [[1, 93], [2, 25], [3, 10], [4, 4], [5, 7], [6, 6], [7, 2], [8, 4], [15, 1]];
const SPECIALTIES: [string[], number][] = [
  [['Preventive Medicine', 'Occupational Medicine'], 38],
  [['Family Practice'], 30],
  [['Physical Medicine & Rehabilitation', 'Pain Management'], 15],
  [['Physical Medicine & Rehabilitation'], 10],
  [['Internal Medicine'], 9],
  [['Orthopedic Surgery', 'Sports Medicine'], 4],
  [['Anesthesiology', 'Pain Management', 'Hospice & Palliative Medicine'], 4],
  [['Emergency Medicine'], 4],
  [['Neurology', 'Pain Management'], 3],
  [['Chiropractor'], 2],
  [['Psychiatry'], 1],
];

const TREATMENTS: { category: (typeof CATEGORIES)[number]; request: string[]; mtus: string[] }[] = [
  { category: 'Pharmaceuticals', request: ['Norco 10/325mg #120', 'Tramadol ER 150mg #30', 'Cyclobenzaprine 7.5mg #60', 'Ibuprofen 800mg #90', 'Gabapentin 600mg #90', 'Omeprazole 20mg #60', 'Lidocaine 5% patch #30', 'Baclofen 10mg #60', 'Oxycodone 10mg #60', 'Flurbiprofen/Lidocaine cream 180gm'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use', 'Chronic Pain Medical Treatment 2016, Section(s): Muscle relaxants (for pain)', 'Chronic Pain Medical Treatment 2016, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs)', 'Chronic Pain Medical Treatment 2016, Section(s): Topical Analgesics', 'Chronic Pain Medical Treatment 2016, Section(s): Anti-epilepsy drugs (AEDs)'] },
  { category: 'Rehabilitation', request: ['Physical therapy 2 times a week for 6 weeks for the lumbar spine', 'Acupuncture 6 sessions for the cervical spine', 'Chiropractic treatment 8 visits', 'Occupational therapy 12 sessions for the right hand', 'Aquatic therapy 12 sessions'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Physical Medicine', 'Acupuncture Treatment 2007', 'Chronic Pain Medical Treatment 2016, Section(s): Manual therapy & manipulation'] },
  { category: 'Diagnostic Testing', request: ['MRI of the lumbar spine without contrast', 'MRI of the right shoulder', 'EMG/NCV of the bilateral upper extremities', 'Urine drug screen', 'X-ray of the left knee, 3 views'], mtus: ['Low Back Complaints 2004, Section(s): Special Studies', 'Shoulder Complaints 2004, Section(s): Special Studies', 'Neck and Upper Back Complaints 2004, Section(s): Special Studies', 'Chronic Pain Medical Treatment 2016, Section(s): Drug testing'] },
  { category: 'Injection', request: ['Lumbar epidural steroid injection at L4-L5', 'Right shoulder subacromial injection', 'Facet joint injections L4-5, L5-S1', 'Trigger point injections x4'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Epidural steroid injections (ESIs)', 'Shoulder Complaints 2004, Section(s): Initial Care', 'Low Back Complaints 2004, Section(s): Summary'] },
  { category: 'Surgery', request: ['Right shoulder arthroscopy with subacromial decompression', 'Left carpal tunnel release', 'L4-L5 microdiscectomy', 'Right knee arthroscopic partial meniscectomy'], mtus: ['Shoulder Complaints 2004, Section(s): Surgical Considerations', 'Forearm, Wrist, and Hand Complaints 2004, Section(s): Surgical Considerations', 'Knee Complaints 2004, Section(s): Surgical Considerations'] },
  { category: 'DMEPOS', request: ['TENS unit purchase', 'Lumbar support brace', 'Cold therapy unit rental for 7 days', 'Home exercise kit', 'Cervical traction unit'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Transcutaneous electrotherapy', 'Low Back Complaints 2004, Section(s): Physical Methods'] },
  { category: 'Evaluation & Management', request: ['Follow-up visit with pain management', 'Orthopedic consultation', 'Spine surgery evaluation for the lumbar', 'Internal medicine consultation'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Office visits'] },
  { category: 'Programs', request: ['Functional restoration program 80 hours', 'Work hardening program 10 sessions'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Functional restoration programs (FRPs)'] },
  { category: 'Psych Services', request: ['Cognitive behavioral therapy 6 sessions', 'Psychological evaluation'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Behavioral interventions', 'Stress Related Conditions 2004'] },
  { category: 'Home Health', request: ['Home health aide 4 hours a day for 4 weeks'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Home health services'] },
  { category: 'Transportation', request: ['Transportation to and from medical appointments'], mtus: ['Chronic Pain Medical Treatment 2016, Section(s): Introduction'] },
];

const NON_MTUS = ['Official Disability Guidelines (ODG), Pain Chapter', 'Official Disability Guidelines (ODG), Low Back Chapter', 'ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders', 'Official Disability Guidelines (ODG), Shoulder Chapter', 'Official Disability Guidelines (ODG), Knee & Leg Chapter'];
const BODY = ['lumbar spine', 'cervical spine', 'right shoulder', 'left shoulder', 'right knee', 'left knee', 'right wrist', 'left hand', 'thoracic spine', 'left ankle'];
const MECHANISM = ['lifting a heavy box', 'a fall from a ladder', 'repetitive overhead work', 'a motor vehicle accident', 'slipping on a wet floor', 'pulling a pallet jack', 'assisting a patient transfer', 'cumulative trauma at a keyboard'];
const DIAGNOSES = ['lumbar radiculopathy', 'cervical strain', 'rotator cuff tendinitis', 'internal derangement of the knee', 'carpal tunnel syndrome', 'myofascial pain syndrome', 'lumbar degenerative disc disease', 'chronic pain syndrome', 'adhesive capsulitis', 'plantar fasciitis', 'sacroiliac joint dysfunction', 'cubital tunnel syndrome'];
const FINDINGS = ['tenderness to palpation over the paraspinal muscles', 'decreased range of motion in flexion and extension', 'a positive straight leg raise on the right', 'diminished sensation in the L5 dermatome', 'a positive Neer and Hawkins sign', 'crepitus with patellar compression', 'a positive Tinel sign at the wrist', 'guarding and muscle spasm', 'normal motor strength in all extremities', 'an antalgic gait'];
const TREATED = ['physical therapy', 'chiropractic care', 'acupuncture', 'non-steroidal anti-inflammatory medication', 'opioid analgesics', 'a home exercise program', 'activity modification', 'a prior epidural steroid injection', 'topical analgesics', 'muscle relaxants'];
const REASONS = [
  'The records do not document objective functional improvement with the prior course of treatment.',
  'There is no documentation of a failed trial of first-line therapy.',
  'The guidelines recommend this treatment only for a short period, and the duration requested exceeds that recommendation.',
  'The submitted records do not contain a current urine drug screen or a signed pain agreement.',
  'The physical examination does not show red flag findings or a progressive neurological deficit.',
  'The requested number of sessions exceeds the number recommended for a trial.',
  'There is no documentation of the pain relief and functional status expected for ongoing use.',
  'The request is consistent with the guideline criteria, and the records document the indication for it.',
  'The injured worker has completed conservative care without lasting benefit, as the guidelines require.',
  'Imaging findings correlate with the clinical examination, which supports the request.',
];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function weighted<T>(rnd: () => number, list: readonly [T, number][]): T {
  const total = list.reduce((n, [, w]) => n + w, 0);
  let x = rnd() * total;
  for (const [v, w] of list) if ((x -= w) < 0) return v;
  return list[list.length - 1]![0];
}

function isoDate(day: number): string {
  return new Date(Date.UTC(2015, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

function paragraph(rnd: () => number, sentences: string[], targetChars: number): string {
  let text = '';
  while (text.length < targetChars) text += `${text ? ' ' : ''}${pick(rnd, sentences)}`;
  return text;
}

/** Wraps text at about 100 columns, as authors write it. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  // A line must not start with something Markdown reads as a list or heading.
  return lines.map((l) => (/^([-+*#>]|\d+[.)])(\s|$)/.test(l) ? `\\${l}` : l)).join('\n');
}

export interface GeneratedCase {
  file: string;
  text: string;
  data: CaseData;
}

/** The `index`-th case of a seed: deterministic, valid, and different from its neighbours. */
export function generateCase(seed: number, index: number, options: { parties?: boolean } = {}): GeneratedCase {
  const rnd = random((seed * 1_000_003 + index * 7919) >>> 0);
  const year = 17 + Math.floor(rnd() * 3);
  const caseNumber = `CM${year}-${String(1_000_000 + ((index * 7_919 + seed) % 8_999_999)).padStart(7, '0')}`;
  const injury = Math.floor(rnd() * 1200);
  const urDenial = injury + 20 + Math.floor(rnd() * 600);
  const received = urDenial + Math.floor(rnd() * 30);
  const assigned = received + Math.floor(rnd() * 15);
  const decision = assigned + 5 + Math.floor(rnd() * 30);
  const age = 22 + Math.floor(rnd() * 45);
  const sex = rnd() < 0.55 ? 'male' : 'female';
  const part = pick(rnd, BODY);
  const count = weighted(rnd, ITEM_COUNTS);
  const items: Item[] = [];
  const rationales: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = pick(rnd, TREATMENTS);
    const request = pick(rnd, t.request);
    const decisionOf = rnd() < 0.11 ? 'Overturned' : 'Upheld';
    const cite = (): Citation[] => {
      const r = rnd();
      if (r < 0.18) return ['none'];
      if (r < 0.3) return ['outside-mtus', { nonMtus: pick(rnd, NON_MTUS) }];
      const list: Citation[] = [{ mtus: pick(rnd, t.mtus) }];
      if (rnd() < 0.35) list.push({ nonMtus: pick(rnd, NON_MTUS) });
      return list;
    };
    const item: Item = {
      id: `item-${i + 1}`,
      category: t.category,
      request: `${request}${count > 1 && i > 0 && rnd() < 0.3 ? ` for the ${part}` : ''}`,
      decision: decisionOf,
      claimsAdministratorGuideline: cite(),
      imroGuideline: cite(),
    };
    if (rnd() < 0.09) item.modified = { form: rnd() < 0.6 ? 'partial' : 'alternative', authorized: `${request} (part)`, remainder: `${request} (remainder)` };
    items.push(item);
    const conclusion = `The medical necessity of ${item.request} is ${decisionOf === 'Upheld' ? 'not established' : 'established'}.`;
    const reasons = [...REASONS.slice(0, 7), conclusion];
    // A rationale names what it decides, as a posted one does: it ends with its conclusion
    // (unless it already drew it), so no rationale reads as another item's (rule rationale-off-topic).
    const body = paragraph(rnd, reasons, 700 + Math.floor(rnd() * 800));
    rationales.push(wrap(body.includes(conclusion) ? body : `${body} ${conclusion}`));
  }
  const summarySentences = [
    `The injured worker is a ${age} year old ${sex} who sustained an industrial injury on ${isoDate(injury)} due to ${pick(rnd, MECHANISM)}.`,
    `The diagnoses include ${pick(rnd, DIAGNOSES)} and ${pick(rnd, DIAGNOSES)}.`,
    `Treatment to date has included ${pick(rnd, TREATED)}, ${pick(rnd, TREATED)} and ${pick(rnd, TREATED)}.`,
    `On examination of the ${part} there was ${pick(rnd, FINDINGS)} and ${pick(rnd, FINDINGS)}.`,
    `The injured worker rated the pain ${2 + Math.floor(rnd() * 8)}/10 and reported ${pick(rnd, ['difficulty sleeping', 'limited tolerance for sitting', 'difficulty with overhead reaching', 'pain with prolonged standing'])}.`,
    `The treating physician requested ${items.map((i) => i.request).join('; ')}.`,
    `Utilization review on ${isoDate(urDenial)} ${items.some((i) => i.modified) ? 'modified' : 'non-certified'} the request.`,
  ];
  const summary = wrap(paragraph(rnd, summarySentences, 1200 + Math.floor(rnd() * 900)));
  const specialties = weighted(rnd, SPECIALTIES);
  const licensure = [...new Set(['California', ...Array.from({ length: Math.floor(rnd() * 3) }, () => pick(rnd, US_STATES))])];
  const data: CaseData = {
    case: caseNumber,
    revision: 1,
    status: 'final',
    priority: rnd() < 0.03 ? 'Expedited' : 'Standard',
    dates: { injury: isoDate(injury), urDenial: isoDate(urDenial), applicationReceived: isoDate(received), assigned: isoDate(assigned), decision: isoDate(decision) },
    reviewer: { licensure: licensure as CaseData['reviewer']['licensure'], specialties },
    patient: { age, sex },
    items,
  };
  // Parties come from their own random stream, so a case is the same with or without them.
  if (options.parties) data.parties = syntheticParties(random((seed * 2_000_003 + index * 104_729 + 17) >>> 0), index);
  return { file: `${caseNumber}.md`, text: toCaseFile(data, summary, rationales), data };
}

/** Writes a case file as an author would: YAML frontmatter, then the body. */
export function toCaseFile(data: CaseData, summary: string, rationales: readonly string[]): string {
  const body = ['', '# Clinical case summary', '', summary, ''];
  data.items.forEach((item, i) => body.push(`# Rationale: ${item.id}`, '', rationales[i] ?? '', ''));
  const parties = data.parties;
  const addresses = parties ? (['injuredWorker', 'representative', 'claimsAdministrator', 'requestingProvider'] as const).filter((k) => parties[k]?.address) : [];
  return formatCaseFile({
    data,
    header: ['yaml-language-server: $schema=../schema/case.schema.json', 'Synthetic case (imr-letters generate): not a real decision.'],
    flow: [['reviewer', 'licensure'], ['reviewer', 'specialties'], ...addresses.map((k) => ['parties', k, 'address'])],
    body: body.join('\n'),
  });
}

/** Writes `count` cases of `seed` into `dir`, `<case>.md` each. Returns the file paths. */
export async function generateCases(options: { count: number; into: string; seed?: number; parties?: boolean }): Promise<string[]> {
  await mkdir(options.into, { recursive: true });
  const files: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; files.length < options.count; i++) {
    const c = generateCase(options.seed ?? 1, i, { parties: options.parties });
    if (seen.has(c.data.case)) continue;
    seen.add(c.data.case);
    await writeAtomic(options.into, c.file, c.text);
    files.push(path.join(options.into, c.file));
  }
  return files;
}

// Synthetic parties (`generate --parties`): invented names and addresses, so the archive's
// leak check has confidential values to look for at scale.
const FIRST = ['Maria', 'James', 'Rosa', 'Daniel', 'Linda', 'Jose', 'Patricia', 'Michael', 'Guadalupe', 'Robert', 'Elena', 'David', 'Teresa', 'Kevin', 'Angela', 'Luis', 'Sandra', 'Thomas', 'Veronica', 'Anthony'];
const LAST = ['Alvarado', 'Whitfield', 'Nakamura', 'Okonkwo', 'Delgado', 'Brennan', 'Castellanos', 'Lindqvist', 'Fairbanks', 'Quintero', 'Haverford', 'Marchetti', 'Yamashiro', 'Pemberton', 'Villanueva', 'Ashcombe', 'Gallardo', 'Thornbury', 'Esquivel', 'Radcliffe'];
const STREETS = ['Oakmont Avenue', 'Sycamore Lane', 'Harbor View Drive', 'Mission Ridge Road', 'Cedar Hollow Court', 'El Camino Vista', 'Juniper Terrace', 'Redwood Crest Way'];
const CITIES = ['Fresno, CA 93721', 'Bakersfield, CA 93301', 'Stockton, CA 95202', 'Riverside, CA 92501', 'Oxnard, CA 93030', 'Modesto, CA 95354', 'Visalia, CA 93291', 'Salinas, CA 93901'];
const EMPLOYERS = ['Golden Valley Packing Company', 'Sierra Foothill Logistics, Inc.', 'Coastal Harvest Growers', 'Bayline Freight Services', 'Central Valley Cold Storage', 'Redwood Hospitality Group', 'Pacific Crest Builders', 'Sunridge Distribution Center'];
const ADMINS = ['Keystone Claims Management', 'Harborstone Risk Services', 'Meridian Workers Comp Administrators', 'Summit Ridge Claims Services'];
const FIRMS = ['Law Offices of', 'Injury Advocates of', 'The Law Firm of'];

function syntheticParties(rnd: () => number, index: number): NonNullable<CaseData['parties']> {
  const person = () => `${pick(rnd, FIRST)} ${String.fromCharCode(65 + Math.floor(rnd() * 26))}. ${pick(rnd, LAST)}`;
  const address = () => [`${100 + Math.floor(rnd() * 9_800)} ${pick(rnd, STREETS)}`, pick(rnd, CITIES)];
  const claimNumber = `${String(10 + Math.floor(rnd() * 89))}-${String(100_000 + ((index * 7_919) % 899_999))}-${String(Math.floor(rnd() * 100)).padStart(2, '0')}`;
  const parties: NonNullable<CaseData['parties']> = {
    claimNumber,
    injuredWorker: { name: person(), address: address() },
    employer: { name: pick(rnd, EMPLOYERS) },
    claimsAdministrator: { name: pick(rnd, ADMINS), address: [`PO Box ${1_000 + Math.floor(rnd() * 8_999)}`, pick(rnd, CITIES)] },
    requestingProvider: { name: `${person()}, MD`, address: address() },
  };
  if (rnd() < 0.6) parties.representative = { name: `${pick(rnd, FIRMS)} ${person()}`, address: address() };
  return parties;
}
