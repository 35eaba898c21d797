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

class Rates {
  private readonly m = new Map<string, { items: number; overturned: number }>();
  add(key: string, overturned: boolean): void {
    const r = this.m.get(key) ?? { items: 0, overturned: 0 };
    r.items++;
    if (overturned) r.overturned++;
    this.m.set(key, r);
  }
  ensure(key: string): void {
    if (!this.m.has(key)) this.m.set(key, { items: 0, overturned: 0 });
  }
  /** By items, most first, then by key; or by key when `byKey`. */
  rows(byKey = false): RateRow[] {
    const rows = [...this.m].map(([key, r]) => ({ key, items: r.items, overturned: r.overturned, rate: r.items ? r.overturned / r.items : null }));
    return rows.sort((a, b) => (!byKey && a.items !== b.items ? b.items - a.items : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
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

function distribution(values: number[], rows: CountRow[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? null : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { rows, letters: n, min: n ? sorted[0]! : null, max: n ? sorted[n - 1]! : null, mean: n ? sorted.reduce((s, v) => s + v, 0) / n : null, median };
}

export function computeStatistics(letterRows: readonly LetterRow[], itemRows: readonly ItemRow[]): Statistics {
  const letters = letterRows.filter((r) => r.letter.current);
  const items = itemRows.filter((r) => r.letter.current);
  const category = new Rates();
  const specialty = new Rates();
  const guideline = new Rates();
  const year = new Rates();
  const month = new Rates();
  let overturned = 0;
  for (const r of items) {
    const o = r.item.decision === 'Overturned';
    if (o) overturned++;
    category.add(r.item.category, o);
    for (const s of new Set(r.facts.reviewer.specialties)) specialty.add(s, o);
    for (const g of itemGuidelines(r.item)) guideline.add(g, o);
    year.add(r.letter.decisionDate.slice(0, 4), o);
    month.add(r.letter.decisionDate.slice(0, 7), o);
  }
  const months = letters.map((r) => r.letter.decisionDate.slice(0, 7)).sort();
  const allMonths = months.length ? monthRange(months[0]!, months[months.length - 1]!) : [];
  for (const m of allMonths) month.ensure(m);
  for (const y of new Set(allMonths.map((m) => m.slice(0, 4)))) year.ensure(y);
  const perMonth = new Map(allMonths.map((m) => [m, 0]));
  for (const m of months) perMonth.set(m, perMonth.get(m)! + 1);
  const outcomes = new Map(OUTCOME_ORDER.map((o) => [o, 0]));
  const labelOf = (o: string) => (o === 'upheld' ? 'Upheld' : o === 'overturned' ? 'Overturned' : 'Overturned in part');
  for (const r of letters) outcomes.set(labelOf(r.letter.outcome), (outcomes.get(labelOf(r.letter.outcome)) ?? 0) + 1);

  const withFacts = letters.filter((r) => r.facts);
  const counts = withFacts.map((r) => r.facts!.items.length);
  const maxItems = counts.reduce((m, c) => Math.max(m, c), 0);
  const itemsRows: CountRow[] = [];
  for (let k = 1; k <= maxItems; k++) itemsRows.push({ key: String(k), letters: counts.filter((c) => c === k).length });
  const days = withFacts.map((r) => daysBetween(r.facts!.dates.applicationReceived, r.letter.decisionDate));
  const dayRows = DAY_BINS.map((b) => ({ key: b.key, letters: days.filter((d) => d >= b.from && d <= b.to).length }));

  return {
    letters: letters.length,
    items: items.length,
    overturned,
    rate: items.length ? overturned / items.length : null,
    outcomes: [...outcomes].map(([key, n]) => ({ key, letters: n })),
    byCategory: category.rows(),
    bySpecialty: specialty.rows(),
    byGuideline: guideline.rows(),
    byYear: year.rows(true),
    byMonth: month.rows(true),
    decisionsPerMonth: [...perMonth].map(([key, n]) => ({ key, letters: n })),
    itemsPerLetter: distribution(counts, itemsRows),
    daysToDecision: { ...distribution(days, dayRows), within30: days.filter((d) => d <= 30).length },
  };
}

/** `12.5%`: a rate as shown on the page and in the tables, one decimal. */
export function percent(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}
