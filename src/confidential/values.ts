/**
 * The confidential values of a case (its `parties` block) and the forms a reader may see
 * them in (`needles`). Pure.
 */
import { foldText } from './fold.js';

export type Party = 'injured worker' | 'representative' | 'employer' | 'claims administrator' | 'requesting provider' | 'cc';

export type ValueKind =
  | 'claim number'
  | 'injured worker name'
  | 'injured worker address'
  | 'representative name'
  | 'representative address'
  | 'employer name'
  | 'claims administrator name'
  | 'claims administrator address'
  | 'requesting provider name'
  | 'requesting provider address'
  | 'cc name'
  | 'cc address'
  | 'party name'
  | 'party address';

export interface ConfidentialValue {
  value: string;
  kind: ValueKind;
  /** The case file it comes from. */
  file: string;
  case: string | undefined;
  /** Where it stands in the case file, e.g. `parties.injuredWorker.name`. */
  key?: string;
}

interface RawParty {
  name?: unknown;
  address?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

const PARTY_KEYS: [string, Party][] = [
  ['injuredWorker', 'injured worker'],
  ['representative', 'representative'],
  ['claimsAdministrator', 'claims administrator'],
  ['requestingProvider', 'requesting provider'],
];

/**
 * Every confidential value of a case's `parties` block, read leniently: the block may
 * come from a case file that does not pass the check, and still must not leak.
 */
export function confidentialValues(parties: unknown, file: string, caseNumber: string | undefined): ConfidentialValue[] {
  const out: ConfidentialValue[] = [];
  if (!parties || typeof parties !== 'object') return out;
  const p = parties as Record<string, unknown>;
  const add = (value: unknown, kind: ValueKind, key: string) => {
    const s = str(value);
    if (s) out.push({ value: s, kind, file, case: caseNumber, key });
  };
  const party = (raw: unknown, who: Party, key: string) => {
    if (!raw || typeof raw !== 'object') return;
    const r = raw as RawParty;
    add(r.name, `${who} name` as ValueKind, `${key}.name`);
    if (Array.isArray(r.address)) r.address.forEach((line, i) => add(line, `${who} address` as ValueKind, `${key}.address[${i}]`));
    else add(r.address, `${who} address` as ValueKind, `${key}.address`);
  };
  add(p.claimNumber, 'claim number', 'parties.claimNumber');
  for (const [key, who] of PARTY_KEYS) {
    party(p[key], who, `parties.${key}`);
    if (key !== 'representative') continue;
    if (p.employer && typeof p.employer === 'object') add((p.employer as RawParty).name, 'employer name', 'parties.employer.name');
    else add(p.employer, 'employer name', 'parties.employer');
  }
  if (Array.isArray(p.cc)) p.cc.forEach((c, i) => party(c, 'cc', `parties.cc[${i}]`));
  return out;
}

/** The reviewed exceptions of a case file: `parties.notConfidential[].phrase`. */
export function allowedPhrases(parties: unknown): string[] {
  const list = (parties as { notConfidential?: unknown } | undefined)?.notConfidential;
  if (!Array.isArray(list)) return [];
  return list.map((e) => (e as { phrase?: unknown } | null)?.phrase).filter((p): p is string => typeof p === 'string' && p.trim() !== '');
}

/** The form of a value a needle stands for, as a message names it. */
export type Form =
  | 'full'
  | 'given name and surname'
  | 'surname'
  | 'name part'
  | 'name without its suffix'
  | 'name without its legal suffix'
  | 'shortened name'
  | 'claim number'
  | 'address line';

/** One form of a value, as folded words. */
export interface Needle {
  words: string[];
  value: ConfidentialValue;
  form: Form;
  /** A single word that may be an ordinary word too: matched with the word rules of `./matcher.ts`. */
  single: boolean;
  /** Whether an allowed phrase (`parties.notConfidential`) may excuse it: only parts of a value, never a whole one. */
  excusable: boolean;
}

/** Credentials and generational suffixes after a person's name (`, MD`, `Jr.`). */
const CREDENTIALS = new Set(['md', 'do', 'dc', 'dpm', 'dds', 'dmd', 'phd', 'psyd', 'pa', 'pac', 'c', 'np', 'fnp', 'rn', 'lvn', 'pt', 'dpt', 'ot', 'otr', 'lac', 'lmft', 'lcsw', 'qme', 'ame', 'facs', 'faaos', 'faapmr', 'mph', 'ms', 'ma', 'mba', 'od', 'jr', 'sr', 'ii', 'iii', 'iv', 'esq', 'bc', 'abpn', 'cfnp', 'fnpbc']);
/** Legal forms of a business at the end of its name. */
const LEGAL = new Set(['inc', 'incorporated', 'llc', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'llp', 'lp', 'pc', 'pa', 'plc', 'pllc', 'apc', 'aplc', 'lc', 'na', 'dba']);
/** Generic words that end business names (`Lines`, `Services`, …): a shortened name drops them. */
const GENERIC = new Set(['lines', 'services', 'service', 'group', 'associates', 'partners', 'holdings', 'enterprises', 'industries', 'systems', 'solutions', 'management', 'administrators', 'administration', 'international', 'and', 'of', 'the', 'california', 'usa', 'america', 'national', 'insurance', 'claims']);
/** Words that make a name a business's, not a person's. */
const ORG_WORDS = new Set([...LEGAL, ...GENERIC, 'law', 'office', 'offices', 'firm', 'department', 'center', 'clinic', 'medical', 'health', 'hospital', 'county', 'city', 'state', 'district', 'fund', 'authority', 'agency', 'records', 'trust', 'bank', 'university', 'school', 'foundation', 'care', 'network', 'logistics', 'freight', 'distribution', 'storage', 'builders', 'growers', 'packing', 'hospitality', 'foods', 'market', 'markets', 'stores', 'construction', 'transport', 'transportation', 'staffing', 'advocates', 'attorneys', 'legal', 'risk', 'comp', 'workers', 'orthopedic', 'orthopaedic', 'spine', 'pain', 'institute', 'physicians', 'therapy', 'rehabilitation', 'surgery', 'surgical', 'imaging', 'pharmacy']);
/** Words before `of` that introduce a firm's owner: `Law Offices of …`. */
const FIRM_LEAD = new Set(['the', 'law', 'office', 'offices', 'firm', 'injury', 'advocates', 'attorneys', 'legal', 'group', 'practice', 'clinic']);

const isInitial = (w: string) => w.length === 1;

/** Removes the periods of dotted abbreviations (`M.D.`, `L.L.C.`, `P.O.`), so they fold to one word. */
const undot = (s: string) => s.replace(/\b(?:\p{L}\.){2,}/gu, (m) => m.replace(/\./g, ''));

export function needlesOf(v: ConfidentialValue): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  const add = (words: string[], form: Form, excusable: boolean) => {
    if (words.length === 0) return;
    const key = words.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ words, value: v, form, single: words.length === 1 && form !== 'claim number', excusable });
  };
  const full = foldText(undot(v.value));
  if (v.kind === 'claim number') {
    add(full, 'claim number', false);
    return out;
  }
  if (v.kind.endsWith('address')) {
    add(full, 'address line', full.length === 1);
    // ZIP+4 written as ZIP alone.
    const n = full.length;
    if (n >= 3 && /^\d{5}$/.test(full[n - 2]!) && /^\d{4}$/.test(full[n - 1]!)) add(full.slice(0, -1), 'address line', false);
    // `100 Example Street, Apt. 1`: each part with a number, alone (`100 Example St.`).
    const parts = undot(v.value).split(',').map((p) => foldText(p));
    if (parts.length > 1) for (const p of parts) if (p.length >= 2 && p.some((w) => /\d/.test(w))) add(p, 'address line', false);
    return out;
  }
  add(full, 'full', full.length === 1);
  nameNeedles(v, full, add);
  return out;
}

type Add = (words: string[], form: Form, excusable: boolean) => void;

function nameNeedles(v: ConfidentialValue, full: string[], add: Add): void {
  let words = [...full];
  // `Test P. Physician, MD` → `Test P. Physician`.
  let credentialed = false;
  while (words.length > 1 && CREDENTIALS.has(words[words.length - 1]!)) {
    words.pop();
    credentialed = true;
  }
  if (credentialed) add(words, 'name without its suffix', false);
  const business = !credentialed && v.kind !== 'injured worker name' && words.some((w) => ORG_WORDS.has(w));
  if (!business) {
    personNeedles(words, add);
    return;
  }
  // `Law Offices of Maria K. Lopez` → the person; `Law Office of Placeholder and Associates` → `Placeholder`.
  const of = words.indexOf('of');
  if (of > 0 && words.slice(0, of).every((w) => FIRM_LEAD.has(w))) {
    let rest = words.slice(of + 1);
    while (rest.length > 1 && (LEGAL.has(rest[rest.length - 1]!) || GENERIC.has(rest[rest.length - 1]!))) rest = rest.slice(0, -1);
    if (rest.length >= 2 && rest.length <= 4 && !rest.some((w) => ORG_WORDS.has(w))) personNeedles(rest, add);
    else if (rest.length === 1) add(rest, 'name part', true);
    else if (rest.length > 1) add(rest, 'shortened name', true);
    return;
  }
  // `Example Freight Lines, Inc.` → `Example Freight Lines` → `Example Freight`.
  let base = [...words];
  if (base[0] === 'the' && base.length > 1) base = base.slice(1);
  while (base.length > 1 && LEGAL.has(base[base.length - 1]!)) base.pop();
  if (base.length !== words.length) add(base, 'name without its legal suffix', base.length === 1);
  let short = [...base];
  while (short.length > 2 && GENERIC.has(short[short.length - 1]!)) short.pop();
  if (short.length !== base.length) add(short, 'shortened name', true);
}

/** `Maria K. Lopez`: the given name and surname, the surname alone, `Lopez, Maria`. */
function personNeedles(words: string[], add: Add): void {
  if (words.length === 1) {
    add(words, 'surname', true);
    return;
  }
  const given = words[0]!;
  const surname = words[words.length - 1]!;
  add([given, surname], 'given name and surname', false);
  add([surname, given], 'given name and surname', false);
  add([surname], 'surname', true);
  // A double surname (`Garcia Lopez`, `Garcia-Lopez`): each part alone too.
  const middle = words.slice(1, -1).filter((w) => !isInitial(w));
  if (middle.length === 1 && words.length === 3) add(middle, 'name part', true);
}
