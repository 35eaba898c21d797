/**
 * The open data page and the statistics page: their views (pure) and their templates
 * (`templates/archive/data.hbs`, `statistics.hbs`, in the archive's `layout.hbs`).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { tidy } from '../../render/index.js';
import { valueLabel } from '../facets.js';
import { SITE_NAME, sizeLabel, type Chrome } from '../pages.js';
import { ITEM_COLUMNS, LETTER_COLUMNS, LIST_SEPARATOR } from './columns.js';
import type { FeedView } from './feeds.js';
import { percent, type RateRow, type Statistics } from './stats.js';

export interface DataTemplates {
  data(chrome: Chrome, view: Record<string, unknown>): string;
  statistics(chrome: Chrome, view: Record<string, unknown>): string;
  feed(view: FeedView): string;
}

export async function loadDataTemplates(dir: string): Promise<DataTemplates> {
  const hb = Handlebars.create();
  const partials = path.join(dir, 'partials');
  for (const file of (await readdir(partials)).filter((f) => f.endsWith('.hbs')).sort()) {
    hb.registerPartial(file.replace(/\.hbs$/, ''), await readFile(path.join(partials, file), 'utf8'));
  }
  const compile = async (name: string) => hb.compile(await readFile(path.join(dir, `${name}.hbs`), 'utf8'), { strict: false });
  const layout = await compile('layout');
  const data = await compile('data');
  const statistics = await compile('statistics');
  const feed = hb.compile(await readFile(path.join(dir, 'feed.xml.hbs'), 'utf8'), { strict: true });
  const page = (chrome: Chrome, body: string) => tidy(layout({ ...chrome, siteName: SITE_NAME, body }));
  return {
    data: (chrome, view) => page(chrome, data({ ...view, root: chrome.root })),
    statistics: (chrome, view) => page(chrome, statistics({ ...view, root: chrome.root })),
    feed: (view) => tidy(feed({ ...view, siteName: SITE_NAME })),
  };
}

const n = (v: number) => v.toLocaleString('en-US');
const fixed1 = (v: number | null) => (v === null ? '–' : v.toFixed(1));

/** A chart as the page shows it: an image of the SVG file with its text alternative. */
export interface ChartView {
  src: string;
  alt: string;
  caption: string;
  width: number;
  height: number;
}

export interface SectionView {
  id: string;
  heading: string;
  note?: string;
  chart: ChartView | null;
  table: { caption: string; head: { text: string; num: boolean }[]; rows: { text: string }[][] };
}

/** The table of a rate breakdown: group, items, overturned, rate. */
export function rateTable(caption: string, groupLabel: string, rows: readonly RateRow[], label: (k: string) => string = (k) => k): SectionView['table'] {
  return {
    caption,
    head: [{ text: groupLabel, num: false }, { text: 'Items', num: true }, { text: 'Overturned', num: true }, { text: 'Overturn rate', num: true }],
    rows: rows.map((r) => [{ text: label(r.key) }, { text: n(r.items) }, { text: n(r.overturned) }, { text: percent(r.rate) }]),
  };
}

export function countTable(caption: string, groupLabel: string, rows: readonly { key: string; letters: number }[], label: (k: string) => string = (k) => k): SectionView['table'] {
  return { caption, head: [{ text: groupLabel, num: false }, { text: 'Letters', num: true }], rows: rows.map((r) => [{ text: label(r.key) }, { text: n(r.letters) }]) };
}

export const monthLabel = (m: string) => valueLabel('month', m);

/** The statistics page's view, less its charts (added by the caller). */
export function statisticsView(s: Statistics, sections: SectionView[]): Record<string, unknown> {
  const months = s.decisionsPerMonth.map((r) => r.key);
  return {
    lettersLabel: n(s.letters),
    itemsLabel: n(s.items),
    overturnedLabel: n(s.overturned),
    overallRate: percent(s.rate),
    range: months.length ? (months.length === 1 ? `in ${monthLabel(months[0]!)}` : `from ${monthLabel(months[0]!)} to ${monthLabel(months[months.length - 1]!)}`) : '',
    outcomes: s.outcomes.map((o) => ({ key: o.key, letters: n(o.letters), share: percent(s.letters ? o.letters / s.letters : null) })),
    sections,
  };
}

/** The sentences under the distributions' headings. */
export function distributionNotes(s: Statistics): { items: string; days: string } {
  const i = s.itemsPerLetter;
  const d = s.daysToDecision;
  return {
    items: i.letters ? `Mean ${fixed1(i.mean)} items a letter, median ${fixed1(i.median)}, from ${i.min} to ${i.max}.` : 'No letter.',
    days: d.letters
      ? `Median ${fixed1(d.median)} days, mean ${fixed1(d.mean)}, from ${d.min} to ${d.max}; ${n(d.within30)} of ${n(d.letters)} letters (${percent(d.within30 / d.letters)}) within 30 days.`
      : 'No letter.',
  };
}

export interface BulkView {
  name: string;
  href: string;
  what: string;
  rows: string;
  size: string;
  textSize: string;
}

export function dataView(options: { letters: number; items: number; bulk: BulkView[]; example: string | null; feeds: { href: string; title: string; entries: number }[]; feedSize: number }): Record<string, unknown> {
  const columns = (cols: readonly { name: string; type: string; meaning: string }[]) => cols.map((c) => ({ name: c.name, type: c.type, meaning: c.meaning }));
  return {
    lettersLabel: n(options.letters),
    itemsLabel: n(options.items),
    separator: LIST_SEPARATOR,
    bulk: options.bulk,
    tables: [
      { caption: 'letters.csv.gz and letters.jsonl.gz: a row per letter revision', columns: columns(LETTER_COLUMNS) },
      { caption: 'items.csv.gz, and items in letters.jsonl.gz: a row per item', columns: columns(ITEM_COLUMNS) },
    ],
    example: options.example,
    feeds: options.feeds,
    feedSize: options.feedSize,
  };
}

export const sizeOf = sizeLabel;
