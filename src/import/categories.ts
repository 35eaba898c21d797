/**
 * The vocabulary the importer infers a request's DWC category from (data, not code).
 *
 * The method (`inferCategory` in `infer.ts`):
 * 1. **The request's words.** Each category has the treatments, procedures, devices and
 *    services that belong to it; for Pharmaceuticals also dosage forms and units
 *    (`10mg`, `5%`, `cream`, `tablets`), drug names and the USAN stems of drug classes
 *    (`-profen` NSAIDs, `-prazole` proton pump inhibitors, `-codone` opioids, `-azepam`
 *    benzodiazepines…). The groups are tried in the order below, the first match wins:
 *    the order settles requests that name two things ("acupuncture with capsaicin
 *    patch" is acupuncture; "Toradol 60mg injection" is a drug; "epidural injection
 *    under fluoroscopy" is an injection, not imaging).
 * 2. **Its guideline citations**, when the request's words name nothing: the MTUS
 *    sections and ODG chapters a category's treatments are cited under ("Opioids",
 *    "Special Studies", "Epidural steroid injections", "Physical Medicine"…).
 * 3. Otherwise the category is `unknown`: a warning for the author, never a guess.
 *
 * Each entry is a regular-expression fragment, matched case-insensitively; `\b` marks
 * a whole word. Extend a group with the general name of a treatment, never with the
 * words of one letter.
 */
import type { CATEGORIES } from '../schema/case.js';

export type Category = (typeof CATEGORIES)[number];

export interface VocabularyGroup {
  category: Category;
  /** What the group holds, for the README and for messages. */
  about: string;
  terms: readonly string[];
}

/** USAN stems of drug classes (a word ending in one names a drug). */
export const DRUG_STEMS = [
  'profen', 'fenac', 'oxicam', 'coxib', // NSAIDs
  'prazole', 'tidine', // proton pump inhibitors, H2 blockers
  'codone', 'morphone', 'morphine', 'fentanil', 'fentanyl', 'adol', // opioids
  'azepam', 'azolam', 'barbital', // benzodiazepines, barbiturates
  'triptyline', 'oxetine', 'pramine', 'faxine', 'traline', // antidepressants
  'gabalin', 'pentin', 'amate', // anti-epilepsy drugs
  'caine', // local anaesthetics
  'setron', 'triptan', 'sartan', 'olol', 'dipine', 'statin', 'gliptin', 'formin', 'afil', 'dronate', 'lukast', 'xaban', 'parin',
  'cillin', 'mycin', 'floxacin', 'cycline', 'conazole',
  'sone', 'olone', // corticosteroids (prednisone, prednisolone)
];

/** Drug names (generic and brand) common in workers' compensation requests. */
export const DRUG_NAMES = [
  'norco', 'percocet', 'oxycontin', 'ultram', 'nucynta', 'butrans', 'suboxone', 'opana', 'dilaudid', 'methadone', 'buprenorphine', 'codeine', 'tramadol', 'tapentadol',
  'fioricet', 'naprosyn', 'anaprox', 'motrin', 'mobic', 'celebrex', 'voltaren', 'flector', 'pennsaid', 'toradol', 'relafen', 'nabumetone', 'etodolac', 'indomethacin', 'naproxen',
  'prilosec', 'protonix', 'nexium', 'pepcid', 'zantac', 'dexilant', 'carafate', 'sucralfate',
  'ketorolac', 'oxaprozin', 'daypro', 'topiramate', 'flexeril', 'amrix', 'fexmid', 'baclofen', 'norflex', 'orphenadrine', 'zanaflex', 'tizanidine', 'robaxin', 'methocarbamol', 'skelaxin', 'metaxalone', 'lorzone', 'chlorzoxazone', 'soma', 'carisoprodol', 'cyclobenzaprine',
  'neurontin', 'gabapentin', 'lyrica', 'pregabalin', 'topamax', 'horizant',
  'lidoderm', 'lidopro', 'terocin', 'capsaicin', 'menthol', 'methyl salicylate', 'camphor', 'ketoprofen', 'flurbiprofen',
  'cymbalta', 'duloxetine', 'savella', 'elavil', 'trazodone', 'desyrel', 'wellbutrin', 'bupropion', 'zoloft', 'prozac', 'paxil', 'lexapro', 'celexa', 'effexor', 'remeron', 'mirtazapine',
  'seroquel', 'abilify', 'valium', 'xanax', 'ativan', 'klonopin', 'buspirone', 'hydroxyzine', 'vistaril',
  'ambien', 'zolpidem', 'lunesta', 'eszopiclone', 'sonata', 'belsomra', 'restoril', 'melatonin',
  'colace', 'docusate', 'senna', 'sennosides', 'senokot', 'lactulose', 'linzess', 'amitiza', 'movantik', 'relistor', 'miralax',
  'zofran', 'ondansetron', 'phenergan', 'promethazine', 'reglan', 'imitrex', 'butalbital',
  'medrol', 'prednisone', 'dexamethasone', 'tylenol', 'acetaminophen', 'aspirin',
  'synapryn', 'tabradol', 'deprizine', 'dicopanol', 'fanatrex', 'cyclophene', 'ketophene', 'trezix',
  'theramine', 'sentra', 'gabadone', 'trepadone', 'medical food', 'vitamin', 'supplement', 'glucosamine', 'chondroitin',
  'viagra', 'cialis', 'testosterone', 'androgel', 'provigil', 'nuvigil', 'modafinil', 'insulin', 'metformin', 'misoprostol', 'diclofenac', 'ibuprofen', 'meloxicam', 'celecoxib',
  'omeprazole', 'pantoprazole', 'famotidine', 'ranitidine', 'lidocaine', 'nortriptyline', 'amitriptyline', 'diazepam', 'alprazolam', 'hydrocodone', 'oxycodone', 'morphine', 'fentanyl',
];

/** Dosage units and forms: a request that states one is a drug. */
export const DOSAGE = [
  '\\d(?:\\.\\d+)?\\s*(?:mg|mcg|ml|gm|gms|grams?|g|iu)\\b',
  '\\d(?:\\.\\d+)?\\s*%',
  '\\b(?:cream|gel|ointment|patch(?:es)?|tablets?|tabs?|capsules?|caps|suspension|lotion|solution|spray|refills?|compound(?:ed)?|transdermal|sublingual|ER|XR|SR|CR|ODT)\\b',
];

/** The request's words, in order of precedence (the first group that matches wins). */
export const REQUEST_VOCABULARY: readonly VocabularyGroup[] = [
  { category: 'Psych Services', about: 'psychology, psychiatry, psychotherapy, counselling', terms: ['psycholog', 'psychiatr', 'psychotherap', 'neuropsych', 'cognitive behavio', '\\bcbt\\b', 'counsel+ing', 'mental health', 'behavioral (?:health|medicine|therapy|pain)', 'hypnotherap'] },
  { category: 'Programs', about: 'multidisciplinary and membership programs', terms: ['partial hospitali[sz]ation', 'functional restoration', '\\bfrp\\b', 'work (?:hardening|conditioning)', '\\bgym\\b', '\\bymca\\b', '(?:pool|health club) membership', 'weight loss', 'detox', '\\bprogram\\b'] },
  { category: 'Home Health', about: 'care and help at home', terms: ['\\brn\\b', '\\blvn\\b', 'home health', 'home care', 'in-home', 'home assistance', 'housekeeping', 'caregiver', 'attendant care', 'nurs(?:e|ing) (?:visit|care)', '\\baide\\b', 'chore'] },
  { category: 'Transportation', about: 'getting to care', terms: ['transport', '\\btaxi\\b', 'mileage', 'ambulance'] },
  {
    category: 'Rehabilitation',
    about: 'physical and occupational therapy, chiropractic, acupuncture',
    terms: ['physical therapy', '\\bpt\\b(?!\\/ptt)', 'occupational therapy', '\\bot\\b', 'chiropract', '\\bchiro\\b', 'acupuncture', 'manipulation', 'physiotherapy', 'hand therapy', 'aqua(?:tic)? therapy', 'pool therapy', 'vestibular', 'speech therapy', 'rehabilitation', 'therapeutic exercise', 'manual therapy'],
  },
  { category: 'Pharmaceuticals', about: 'drugs: dosage, drug names, drug-class stems', terms: [...DOSAGE, `\\b(?:${DRUG_NAMES.join('|')})\\b`, `\\w(?:${DRUG_STEMS.join('|')})\\b`] },
  {
    category: 'Diagnostic Testing',
    about: 'imaging, electrodiagnosis, laboratory and other tests',
    terms: [
      '\\bmri\\b', '\\bmra\\b', '\\bmr\\b', 'magnetic resonance', 'x-?rays?\\b', 'radiograph', '\\bct\\b', 'computed tomography', '\\bcat scan', '\\bpet\\b', '\\bemg\\b', '\\bncv\\b', '\\bncs\\b', 'nerve conduction', 'electromyogra', 'electrodiagnos',
      '\\bekg\\b', '\\becg\\b', 'electrocardiogram', 'echocardiogra', 'electroencephalogram', '\\beeg\\b', 'bone scan', 'bone density', '\\bdexa\\b', 'arthrogram', 'myelogram', 'discogra', '\\bssep\\b', 'doppler', 'audiogram', 'audiometr', 'spirometr', 'pulmonary function', 'sleep study', 'polysomnogra',
      '\\blabs?\\b', 'laborator', '\\bcbc\\b', '\\bcmp\\b', 'panel', 'pt\\/ptt', 'urinalysis', '\\bua\\b', 'urine', 'drug screen', 'toxicology', 'genetic', '\\bdna\\b', 'diagnostic', '\\btest(?:s|ing)?\\b', 'imaging', '\\bscan\\b', 'studies', '\\bstudy\\b',
    ],
  },
  {
    category: 'Injection',
    about: 'injections, blocks and ablations',
    terms: ['inject', 'epidural', '\\besi\\b', 'facet', 'medial branch', 'nerve block', '\\bblock\\b', 'trigger point', 'platelet', '\\bprp\\b', 'neurolytic', 'radiofrequency', 'ablation', '\\brfa\\b', 'botox', 'botulinum', 'cortisone', 'synvisc', 'euflexxa', 'orthovisc', 'supartz', 'hyaluron', 'viscosupplement', 'prolotherapy', 'stellate'],
  },
  {
    category: 'Evaluation & Management',
    about: 'consultations, referrals, visits, clearances',
    terms: ['consult', 'referral', 'clearance', 'office visit', 'follow[- ]?up', '\\bexam\\b', 're-?exam', 'medication management', 'second opinion', 'specialist', 'telemedicine', '\\bsurg\\w* (?:evaluation|consult)'],
  },
  {
    category: 'DMEPOS',
    about: 'durable medical equipment, prosthetics, orthotics and supplies',
    terms: [
      'wheelchair', 'commode', '\\bchair\\b', 'brace', 'sling', 'splint', 'collar', 'corset', 'immobilizer', '\\bboot\\b', 'orthotic', 'orthosis', 'insoles?', 'prosthe', '\\btens\\b', 'h-?wave', 'interferential', 'stimulator unit', '\\bunit\\b', '\\bwraps?\\b', '\\bpads?\\b', 'gloves?', 'wipes',
      '\\bbed\\b', 'mattress', 'cushion', 'pillow', 'workstation', 'support', 'cryotherapy', 'ice machine', 'hearing aids?', 'scooter', '\\bcane\\b', 'walker', 'rollator', 'crutch', 'shower', 'grab bars?', 'toilet', 'reacher', 'stockings', 'compression (?:garment|sleeve|stocking)', '\\bcpap\\b', 'oxygen concentrator', 'glucometer',
      'vascutherm', 'rental', 'purchase', '\\bdme\\b', 'device', 'equipment', '\\bkit\\b', 'supplies',
    ],
  },
  {
    category: 'Surgery',
    about: 'operations and what is needed for them',
    terms: ['surg', 'operative', 'arthroscop', '\\brepair\\b', 'decompression', 'fixation', '\\borif\\b', 'fusion', 'arthrodesis', 'release', '\\w+ectomy', '\\w+plasty', '\\w+otomy', 'tenodesis', 'replacement', 'reconstruction', 'debridement', 'excision', 'removal', 'implant', 'spinal cord stimulat', 'neurolysis', 'transposition', 'graft', 'amputation', '\\bassist\\b', 'anesthesia'],
  },
  { category: 'Evaluation & Management', about: 'evaluations and visits (after surgery: "surgical evaluation" is a visit)', terms: ['evaluation', '\\bvisits?\\b', 'assessment', 'appointment'] },
  {
    category: 'Therapies',
    about: 'other treatments: modalities, stimulation, massage',
    terms: ['shockwave', '\\beswt\\b', 'electrical (?:muscle )?stimulation', 'e-?stim', '\\bems\\b', 'ultrasound', 'infrared', 'laser', 'biofeedback', '\\bheat\\b', '\\bcold\\b', '\\bice\\b', 'neurostimulation', 'traction', 'massage', 'hyperbaric', 'therapy', 'treatments?\\b'],
  },
];

/** Guideline sections and chapters that name a category when the request's words do not. */
export const GUIDELINE_VOCABULARY: readonly VocabularyGroup[] = [
  { category: 'Pharmaceuticals', about: 'drug sections', terms: ['opioid', 'nsaid', 'non-?steroidal', 'muscle relaxant', 'topical analgesic', 'proton pump', 'medications? for', 'anti-?epilep', 'antidepressant', 'benzodiazepine', 'insomnia', 'medical food', 'antiemetic', 'cyclobenzaprine', 'pharmac', 'compound'] },
  { category: 'Psych Services', about: 'psychological treatment', terms: ['psycholog', 'behavioral interventions', 'cognitive behavioral', 'stress related conditions'] },
  { category: 'Programs', about: 'programs', terms: ['functional restoration', 'chronic pain programs', 'work conditioning', 'gym memberships'] },
  { category: 'Injection', about: 'injections', terms: ['epidural', 'injection', 'facet', 'nerve block', 'trigger point', 'radiofrequency'] },
  { category: 'Diagnostic Testing', about: 'studies and tests', terms: ['special studies', 'diagnostic', 'imaging', 'electrodiagnostic', '\\bmri\\b', 'x-ray', 'laboratory', 'urine drug', 'drug testing'] },
  { category: 'DMEPOS', about: 'equipment', terms: ['durable medical equipment', '\\bdme\\b', 'tens\\b', 'h-wave', 'interferential', 'continuous-flow cryotherapy', 'cold/heat packs'] },
  { category: 'Home Health', about: 'home health', terms: ['home health'] },
  { category: 'Rehabilitation', about: 'physical medicine', terms: ['physical medicine', 'manual therapy', 'acupuncture', 'physical therapy', 'chiropractic', 'postsurgical treatment'] },
  { category: 'Evaluation & Management', about: 'visits', terms: ['office visit', 'consultation', 'referral', 'independent medical examinations'] },
  { category: 'Surgery', about: 'surgery', terms: ['surgical considerations', 'surgery'] },
];

/** A group's terms as one case-insensitive regular expression. */
export function vocabularyPattern(group: VocabularyGroup): RegExp {
  return new RegExp(group.terms.join('|'), 'i');
}
