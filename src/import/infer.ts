/**
 * What a case file needs that a posted letter does not print as a field: the patient's
 * age and sex (read from the summary), each item's request category (from keywords of
 * the request, then of its guideline citations) and a short item id. Pure functions.
 */
import { CATEGORIES, type CaseData } from '../schema/case.js';

type Category = (typeof CATEGORIES)[number];

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

/**
 * The first age the summary states ("a 37 year old female", "a now 26-year-old
 * female", "age 52") and the sex stated right after it (within a few words: "male",
 * "woman"…). The sex is `unspecified` when the words do not say it; the age is left
 * undefined (an error for the caller) rather than guessed.
 */
export function patientFacts(summary: string): PatientFacts {
  const m = AGE.exec(summary);
  if (!m) return { sex: 'unspecified' };
  const age = Number(m[1] ?? m[2] ?? m[3]);
  const after = summary.slice(m.index + m[0].length, m.index + m[0].length + 60);
  const sexWord = /^[\s,]*(?:[a-z-]+\s+){0,3}?(male|female|man|woman|gentleman|lady)\b/i.exec(after);
  const sex = sexWord ? SEX_WORDS[sexWord[1]!.toLowerCase()]! : 'unspecified';
  return { age, sex, evidence: `${m[0]}${sexWord ? sexWord[0].replace(/^[\s,]*/, ' ') : ''}`.trim() };
}

/** Keyword rules, in order: the first whose pattern matches the request names its category. */
const REQUEST_RULES: [Category, RegExp][] = [
  ['Psych Services', /psycholog|psychiatr|psychotherap|cognitive behavio|\bcbt\b|counsel+ing/i],
  ['Programs', /partial hospitali[sz]ation|functional restoration|work (?:hardening|conditioning)|\bgym\b|weight loss|detox|\bprogram\b/i],
  ['Home Health', /\brn\b|home health|home care|nurs(?:e|ing) (?:visit|care)|\baide\b/i],
  ['Transportation', /transport/i],
  [
    'Rehabilitation',
    /physical therapy|\bpt\b(?!\/ptt)|occupational therapy|\bot\b|chiropract|\bchiro\b|acupuncture|manipulation|physiotherapy|hand therapy|rehabilitation|therapeutic exercise|manual therapy/i,
  ],
  [
    'Pharmaceuticals',
    /\d(?:\.\d+)?\s*(?:mg|mcg|ml|gm|gms|grams?|g)\b|\d(?:\.\d+)?\s*%|\b(?:cream|gel|ointment|patch|tablets?|tabs?|capsules?|suspension|lotion|refills?|compound(?:ed)?)\b|\b(?:norco|hydrocodone|oxycodone|oxycontin|percocet|tramadol|ultram|tapentadol|nucynta|morphine|methadone|fentanyl|buprenorphine|butrans|codeine|fioricet|etodolac|naproxen|naprosyn|ibuprofen|motrin|meloxicam|mobic|celecoxib|celebrex|diclofenac|voltaren|flector|ketorolac|toradol|omeprazole|prilosec|pantoprazole|protonix|famotidine|pepcid|ranitidine|cyclobenzaprine|flexeril|baclofen|orphenadrine|norflex|tizanidine|zanaflex|methocarbamol|robaxin|lorzone|chlorzoxazone|carisoprodol|soma|gabapentin|neurontin|pregabalin|lyrica|lidocaine|lidoderm|lidopro|capsaicin|ketoprofen|flurbiprofen|terocin|trezix|nortriptyline|amitriptyline|duloxetine|cymbalta|diazepam|valium|alprazolam|xanax|zolpidem|ambien|colace|docusate|synapryn|tabradol|deprizine|dicopanol|fanatrex|cyclophene|ketophene|medrol|prednisone|acetaminophen|tylenol|ondansetron|zofran|trazodone|topiramate|misoprostol)\b|\w(?:profen|prazole|tidine|codone|morphone|azepam|triptyline|oxetine)\b/i,
  ],
  [
    'Diagnostic Testing',
    /\bmri\b|\bmr\b|magnetic resonance|x-?rays?\b|radiograph|\bct\b|computed tomography|\bcat scan|\bemg\b|\bncv\b|\bncs\b|nerve conduction|electromyogra|electrodiagnos|\bekg\b|\becg\b|electrocardiogram|electroencephalogram|\beeg\b|bone scan|arthrogram|\bssep\b|\blabs?\b|\bcbc\b|\bcmp\b|pt\/ptt|urinalysis|\bua\b|urine|drug screen|\btest(?:s|ing)?\b|imaging|\bscan\b|studies|\bstudy\b/i,
  ],
  ['Injection', /inject|epidural|\besi\b|facet|nerve block|\bblock\b|trigger point|platelet|\bprp\b|neurolytic/i],
  ['Evaluation & Management', /consult|referral|clearance|office visit|follow[- ]?up|\bexam\b|re-?exam|medication management|specialist|\bsurg\w* (?:evaluation|consult)/i],
  [
    'DMEPOS',
    /wheelchair|commode|\bchair\b|brace|sling|\btens\b|\bunit\b|\bwraps?\b|\bpads?\b|gloves?|wipes|\bbed\b|workstation|support|cryotherapy|hearing aids?|scooter|\bcane\b|walker|crutch|orthotic|pillow|vascutherm|rental|purchase|\bdme\b|splint|supplies/i,
  ],
  ['Surgery', /surg|arthroscop|\brepair\b|decompression|fixation|\borif\b|fusion|release|\w+ectomy|\w+plasty|\w+otomy|tenodesis|replacement|\bassist\b/i],
  ['Evaluation & Management', /evaluation|\bvisits?\b|assessment/i],
  ['Therapies', /shockwave|\beswt\b|electrical (?:muscle )?stimulation|e-?stim|ultrasound|infrared|biofeedback|\bheat\b|\bcold\b|\bice\b|neurostimulation|traction|massage|therapy|treatments?\b/i],
];

/** Guideline sections that name a category when the request's words do not. */
const GUIDELINE_RULES: [Category, RegExp][] = [
  ['Pharmaceuticals', /opioid|nsaid|muscle relaxant|topical analgesic|proton pump|medications? for|anti-?epilep|antidepressant|cyclobenzaprine|pharmac/i],
  ['Psych Services', /psycholog/i],
  ['Programs', /functional restoration|chronic pain programs/i],
  ['Injection', /epidural|injection|facet/i],
  ['Diagnostic Testing', /special studies|diagnostic|imaging|electrodiagnostic|\bmri\b|x-ray|laboratory|urine drug/i],
  ['DMEPOS', /durable medical equipment|\bdme\b|tens\b/i],
  ['Rehabilitation', /physical medicine|manual therapy|acupuncture|physical therapy|chiropractic/i],
  ['Evaluation & Management', /office visit|consultation|referral/i],
  ['Surgery', /surgical considerations|surgery/i],
];

export interface CategoryGuess {
  category: Category;
  /** Where it came from: `request` words or `guideline` words. */
  from: 'request' | 'guideline';
  keyword: string;
}

/** The DWC request category of an item, from its request's words, else its guideline sections. */
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
