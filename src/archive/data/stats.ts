/**
 * The archive's statistics, from the rows of the open data (current revisions only: a
 * superseded revision is not counted twice). Pure.
 *
 * An overturn rate is over items, as DWC and CWCI report it: the items decided
 * Overturned divided by the items decided. An item counts once in each group it has: a
 * letter whose reviewer has two specialties counts its items under both, an item
 * citing MTUS and ODG counts under both sources.
 */
import { daysBetween, itemGuidelines, type ItemRow, type LetterRow } from './columns.js';

export interface RateRow {
  key: string;
  items: number;
  overturned: number;
  /** overturned / items; null when there is no item. */
  rate: number | null;
}

export interface CountRow {
  key: string;
  letters: number;
}

export interface Distribution {
  rows: CountRow[];
  letters: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
}

export interface Statistics {
  letters: number;
  items: number;
  overturned: number;
  rate: number | null;
  /** Letters by outcome: Upheld, Overturned, Overturned in part. */
  outcomes: CountRow[];
  byCategory: RateRow[];
  bySpecialty: RateRow[];
  byGuideline: RateRow[];
  byYear: RateRow[];
  /** Every month from the first to the last decision, empty months included. */
  byMonth: RateRow[];
  decisionsPerMonth: CountRow[];
  itemsPerLetter: Distribution;
  daysToDecision: Distribution & { within30: number };
}

/** Bins of days from application received to decision (the statutory limit is 30 days for a standard review). */
export const DAY_BINS: { key: string; from: number; to: number }[] = [
  { key: '0–7', from: 0, to: 7 },
  { key: '8–14', from: 8, to: 14 },
  { key: '15–21', from: 15, to: 21 },
  { key: '22–30', from: 22, to: 30 },
  { key: '31–45', from: 31, to: 45 },
  { key: '46–60', from: 46, to: 60 },
  { key: 'over 60', from: 61, to: Infinity },
];

const OUTCOME_ORDER = ['Upheld', 'Overturned', 'Overturned in part'];

/** Items and items overturned, by group. */
type Counts = Record<string, [items: number, overturned: number]>;

/**
 * What a set of letters adds to the statistics: counts only, so tallies of disjoint sets
 * of letters add up (`mergeTallies`) to the tally of their union, and the statistics
 * come from the sum (`statisticsOf`). A tally is plain JSON (the open data caches one
 * per chunk of letters). Distributions are kept as histograms (value → letters), which
 * give the same minimum, maximum, mean and median as the values themselves.
 */
export interface Tally {
  letters: number;
  items: number;
  overturned: number;
  outcomes: Record<string, number>;
  category: Counts;
  specialty: Counts;
  guideline: Counts;
  year: Counts;
  month: Counts;
  /** Current letters by month of decision. */
  perMonth: Record<string, number>;
  /** Letters (with facts) by number of items. */
  itemCounts: Record<string, number>;
  /** Letters (with facts) by days from application received to decision. */
  days: Record<string, number>;
}

export const emptyTally = (): Tally => ({ letters: 0, items: 0, overturned: 0, outcomes: {}, category: {}, specialty: {}, guideline: {}, year: {}, month: {}, perMonth: {}, itemCounts: {}, days: {} });

/** Sets an own property, whatever the key (`__proto__` included). */
const put = <V>(m: Record<string, V>, key: string, value: V) => void Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
const bump = (m: Record<string, number>, key: string, by = 1) => put(m, key, (Object.hasOwn(m, key) ? m[key]! : 0) + by);
function addRate(m: Counts, key: string, items: number, overturned: number): void {
  const [i, o] = Object.hasOwn(m, key) ? m[key]! : [0, 0];
  put(m, key, [i + items, o + overturned]);
}

const labelOf = (o: string) => (o === 'upheld' ? 'Upheld' : o === 'overturned' ? 'Overturned' : 'Overturned in part');

/** Adds a letter revision and its item rows to `t` (a superseded revision adds nothing). */
export function tallyLetter(t: Tally, row: LetterRow, items: readonly ItemRow[]): void {
  const l = row.letter;
  if (!l.current) return;
  t.letters++;
  bump(t.outcomes, labelOf(l.outcome));
  bump(t.perMonth, l.decisionDate.slice(0, 7));
  for (const r of items) {
    const o = r.item.decision === 'Overturned' ? 1 : 0;
    t.items++;
    t.overturned += o;
    addRate(t.category, r.item.category, 1, o);
    for (const s of new Set(r.facts.reviewer.specialties)) addRate(t.specialty, s, 1, o);
    for (const g of itemGuidelines(r.item)) addRate(t.guideline, g, 1, o);
    addRate(t.year, l.decisionDate.slice(0, 4), 1, o);
    addRate(t.month, l.decisionDate.slice(0, 7), 1, o);
  }
  if (row.facts) {
    bump(t.itemCounts, String(row.facts.items.length));
    bump(t.days, String(daysBetween(row.facts.dates.applicationReceived, l.decisionDate)));
  }
}

/** Adds `from` to `into`. */
export function mergeTallies(into: Tally, from: Tally): Tally {
  into.letters += from.letters;
  into.items += from.items;
  into.overturned += from.overturned;
  for (const k of ['outcomes', 'perMonth', 'itemCounts', 'days'] as const) for (const [key, n] of Object.entries(from[k])) bump(into[k], key, n);
  for (const k of ['category', 'specialty', 'guideline', 'year', 'month'] as const) for (const [key, [i, o]] of Object.entries(from[k])) addRate(into[k], key, i, o);
  return into;
}

/** Every month `YYYY-MM` from `first` to `last`, both included. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** By items, most first, then by key; or by key when `byKey`; every key of `ensure` present. */
function rateRows(m: Counts, byKey = false, ensure: readonly string[] = []): RateRow[] {
  const all: Counts = { ...m };
  for (const k of ensure) if (!Object.hasOwn(all, k)) addRate(all, k, 0, 0);
  const rows = Object.entries(all).map(([key, [items, overturned]]) => ({ key, items, overturned, rate: items ? overturned / items : null }));
  return rows.sort((a, b) => (!byKey && a.items !== b.items ? b.items - a.items : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A histogram's distribution (value → letters), with `rows` as given. */
function distribution(histogram: Record<string, number>, rows: CountRow[]): Distribution {
  const values = Object.entries(histogram).map(([v, c]) => [Number(v), c] as const).sort((a, b) => a[0] - b[0]);
  const n = values.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return { rows, letters: 0, min: null, max: null, mean: null, median: null };
  /** The value at 0-based position `k` of the sorted values. */
  const at = (k: number) => {
    let seen = 0;
    for (const [v, c] of values) if ((seen += c) > k) return v;
    return values[values.length - 1]![0];
  };
  const median = n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
  const sum = values.reduce((s, [v, c]) => s + v * c, 0);
  return { rows, letters: n, min: values[0]![0], max: values[values.length - 1]![0], mean: sum / n, median };
}

/** The statistics of a tally. */
export function statisticsOf(t: Tally): Statistics {
  const months = Object.keys(t.perMonth).sort();
  const allMonths = months.length ? monthRange(months[0]!, months[months.length - 1]!) : [];
  const count = (h: Record<string, number>, test: (v: number) => boolean) => Object.entries(h).reduce((s, [v, c]) => (test(Number(v)) ? s + c : s), 0);
  const maxItems = Object.keys(t.itemCounts).reduce((m, k) => Math.max(m, Number(k)), 0);
  const itemsRows: CountRow[] = [];
  for (let k = 1; k <= maxItems; k++) itemsRows.push({ key: String(k), letters: Object.hasOwn(t.itemCounts, String(k)) ? t.itemCounts[String(k)]! : 0 });
  const dayRows = DAY_BINS.map((b) => ({ key: b.key, letters: count(t.days, (d) => d >= b.from && d <= b.to) }));
  return {
    letters: t.letters,
    items: t.items,
    overturned: t.overturned,
    rate: t.items ? t.overturned / t.items : null,
    outcomes: OUTCOME_ORDER.map((key) => ({ key, letters: Object.hasOwn(t.outcomes, key) ? t.outcomes[key]! : 0 })),
    byCategory: rateRows(t.category),
    bySpecialty: rateRows(t.specialty),
    byGuideline: rateRows(t.guideline),
    byYear: rateRows(t.year, true, [...new Set(allMonths.map((m) => m.slice(0, 4)))]),
    byMonth: rateRows(t.month, true, allMonths),
    decisionsPerMonth: allMonths.map((key) => ({ key, letters: Object.hasOwn(t.perMonth, key) ? t.perMonth[key]! : 0 })),
    itemsPerLetter: distribution(t.itemCounts, itemsRows),
    daysToDecision: { ...distribution(t.days, dayRows), within30: count(t.days, (d) => d <= 30) },
  };
}

/** The statistics of letter and item rows (the items of each letter after it, or anywhere). */
export function computeStatistics(letterRows: readonly LetterRow[], itemRows: readonly ItemRow[]): Statistics {
  const itemsOf = new Map<LetterRow['letter'], ItemRow[]>();
  for (const i of itemRows) (itemsOf.get(i.letter) ?? itemsOf.set(i.letter, []).get(i.letter)!).push(i);
  const t = emptyTally();
  for (const r of letterRows) tallyLetter(t, r, itemsOf.get(r.letter) ?? []);
  return statisticsOf(t);
}

/** `12.5%`: a rate as shown on the page and in the tables, one decimal. */
export function percent(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}
