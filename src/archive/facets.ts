/**
 * The archive's filters: what a letter's public facts mean for each filter group of
 * the search page, and how those values are stored in the Pagefind index. Pure.
 *
 * Pagefind stores a filter as lists of page numbers, about 2 bytes per (page, value)
 * pair, and the search page downloads every filter it counts. So the index stores as
 * few pairs as the groups need:
 *
 * - `outcome` stores only the minority values ("Overturned", "Overturned in part");
 *   "Upheld" is the letters with neither (`none`), and its count is the rest.
 * - The per-item decision group is derived from `outcome`: a letter has an Upheld item
 *   when it is upheld or overturned in part, an Overturned item when it is overturned
 *   or overturned in part.
 * - `priority` stores only "Expedited"; "Standard" is the rest.
 * - The year group is derived from `month` (one month per letter).
 *
 * The search page's script gets `GROUPS` with every value's atoms (values of the stored
 * key it stands for) and turns checked boxes into Pagefind filters with the same rules
 * (`templates/archive/search.js`).
 */
import type { PublicFacts } from '../render/facts.js';

/** A filter group of the search form. */
export interface GroupSpec {
  /** Form field name and id, e.g. `category`. */
  id: string;
  /** The fieldset's legend. */
  legend: string;
  /** The Pagefind filter the group reads. */
  key: string;
  /** `single`: each letter has exactly one value of the group (counts add up); `multi`: any number (a letter with items upheld and overturned has both decisions). */
  kind: 'single' | 'multi';
  /** How the group's values are ordered on the page. */
  order: 'fixed' | 'count' | 'alpha' | 'desc';
  /** Values shown before "Show all"; 0 shows every value. */
  show: number;
  /**
   * Whether the group starts open. A closed group's filter is downloaded (for its counts)
   * only when it is opened or used: the search page downloads less.
   */
  open: boolean;
}

/** A Pagefind key whose most common value is not stored: letters without a stored value have it. */
export interface ImplicitKey {
  key: string;
  implicit: string;
  stored: string[];
}

export const OUTCOMES = ['Upheld', 'Overturned', 'Overturned in part'] as const;

export const IMPLICIT_KEYS: ImplicitKey[] = [
  { key: 'outcome', implicit: 'Upheld', stored: ['Overturned', 'Overturned in part'] },
  { key: 'priority', implicit: 'Standard', stored: ['Expedited'] },
];

export const GROUPS: GroupSpec[] = [
  { id: 'decision', legend: 'Decision on an item', key: 'outcome', kind: 'multi', order: 'fixed', show: 0, open: true },
  { id: 'outcome', legend: 'Outcome of the letter', key: 'outcome', kind: 'single', order: 'fixed', show: 0, open: true },
  { id: 'category', legend: 'Request category', key: 'category', kind: 'multi', order: 'alpha', show: 0, open: true },
  { id: 'guideline', legend: 'Guideline cited by the reviewer', key: 'guideline', kind: 'multi', order: 'count', show: 6, open: false },
  { id: 'specialty', legend: 'Reviewer specialty', key: 'specialty', kind: 'multi', order: 'count', show: 6, open: false },
  { id: 'licensure', legend: 'Reviewer state of licensure', key: 'licensure', kind: 'multi', order: 'count', show: 6, open: false },
  { id: 'priority', legend: 'Priority', key: 'priority', kind: 'single', order: 'fixed', show: 0, open: true },
  { id: 'year', legend: 'Year of decision', key: 'month', kind: 'single', order: 'desc', show: 0, open: true },
  { id: 'month', legend: 'Month of decision', key: 'month', kind: 'single', order: 'desc', show: 6, open: false },
];

/** The values of each group for one letter (what the letter "has"). */
export type LetterFacets = Record<string, string[]>;

const MTUS_UNNAMED = 'MTUS (chapter not named)';

/** The guideline values of a letter: `MTUS: <chapter>`, `ODG`, `ACOEM`, `Other`, `None cited`. */
export function guidelineValues(facts: PublicFacts): string[] {
  const values = new Set<string>();
  for (const item of facts.items) {
    for (const source of item.sources) {
      if (source === 'MTUS') {
        if (item.mtusChapters.length === 0) values.add(MTUS_UNNAMED);
        for (const chapter of item.mtusChapters) values.add(`MTUS: ${chapter}`);
      } else values.add(source);
    }
    if (item.sources.length === 0) values.add('None cited');
  }
  return [...values].sort();
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function outcomeValue(facts: PublicFacts): string {
  return facts.outcome === 'upheld' ? 'Upheld' : facts.outcome === 'overturned' ? 'Overturned' : 'Overturned in part';
}

/** Every group's values for a letter. */
export function facetsOf(facts: PublicFacts): LetterFacets {
  const month = facts.dates.decision.slice(0, 7);
  return {
    decision: sorted(facts.items.map((i) => i.decision)),
    outcome: [outcomeValue(facts)],
    category: sorted(facts.items.map((i) => i.category)),
    guideline: guidelineValues(facts),
    specialty: sorted(facts.reviewer.specialties),
    licensure: sorted(facts.reviewer.licensure),
    priority: [facts.priority],
    year: [month.slice(0, 4)],
    month: [month],
  };
}

/** What the Pagefind index stores for a letter: each key once, implicit values left out. */
export function pagefindFilters(f: LetterFacets): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  const keys = [...new Set(GROUPS.map((g) => g.key))];
  for (const key of keys) {
    const group = GROUPS.find((g) => g.key === key && g.id === key)!;
    const implicit = IMPLICIT_KEYS.find((k) => k.key === key);
    const values = (f[group.id] ?? []).filter((v) => !implicit || v !== implicit.implicit);
    if (values.length) filters[key] = values;
  }
  return filters;
}

/**
 * The stored-key values ("atoms") a group value stands for: a letter has the group
 * value when its value of the key is one of them. For most groups, the value itself.
 */
export function atomsOf(groupId: string, value: string, months: readonly string[]): string[] {
  if (groupId === 'decision') return value === 'Upheld' ? ['Upheld', 'Overturned in part'] : ['Overturned', 'Overturned in part'];
  if (groupId === 'year') return months.filter((m) => m.startsWith(`${value}-`));
  return [value];
}

/** A group value as shown: months as `January 2017`. */
export function valueLabel(groupId: string, value: string): string {
  if (groupId === 'month') {
    const [y, m] = value.split('-');
    return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
  }
  return value;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Letters per group value, over `letters`. */
export function countFacets(letters: readonly LetterFacets[]): Record<string, Map<string, number>> {
  const counts: Record<string, Map<string, number>> = {};
  for (const g of GROUPS) counts[g.id] = new Map();
  for (const f of letters) {
    for (const g of GROUPS) {
      const m = counts[g.id]!;
      for (const v of f[g.id] ?? []) m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  // Fixed groups list every value, even at 0.
  for (const v of ['Upheld', 'Overturned']) counts.decision!.set(v, counts.decision!.get(v) ?? 0);
  for (const v of OUTCOMES) counts.outcome!.set(v, counts.outcome!.get(v) ?? 0);
  for (const v of ['Standard', 'Expedited']) counts.priority!.set(v, counts.priority!.get(v) ?? 0);
  return counts;
}

export interface FormGroup {
  id: string;
  legend: string;
  key: string;
  kind: 'single' | 'multi';
  show: number;
  open: boolean;
  values: { value: string; label: string; atoms: string[]; count: number }[];
}

const FIXED_ORDER: Record<string, readonly string[]> = {
  decision: ['Upheld', 'Overturned'],
  outcome: OUTCOMES,
  priority: ['Standard', 'Expedited'],
};

/** The search form's groups, values in display order, with counts over every listed letter. */
export function formGroups(letters: readonly LetterFacets[]): FormGroup[] {
  const counts = countFacets(letters);
  const months = [...counts.month!.keys()].sort();
  return GROUPS.map((g) => {
    const entries = [...counts[g.id]!.entries()];
    const order = (a: [string, number], b: [string, number]): number => {
      if (g.order === 'fixed') return FIXED_ORDER[g.id]!.indexOf(a[0]) - FIXED_ORDER[g.id]!.indexOf(b[0]);
      if (g.order === 'desc') return a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0;
      if (g.order === 'count' && a[1] !== b[1]) return b[1] - a[1];
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    };
    return {
      id: g.id,
      legend: g.legend,
      key: g.key,
      kind: g.kind,
      show: g.show,
      open: g.open,
      values: entries.sort(order).map(([value, count]) => ({ value, label: valueLabel(g.id, value), atoms: atomsOf(g.id, value, months), count })),
    };
  });
}
