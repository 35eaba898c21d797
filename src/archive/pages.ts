/**
 * The archive's pages, from the Handlebars templates of `templates/archive/`: the
 * search page, a page per letter revision, and the browse-by-month pages. The views
 * are built here from the collected letters; rendering is pure once the templates
 * are read.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { PublicFacts } from '../render/facts.js';
import { longDate, type DecidedPart } from '../render/model.js';
import { letterUrl, type ArchiveLetter } from './collect.js';
import { valueLabel, type FormGroup } from './facets.js';
import { tidy } from '../render/index.js';

export const SITE_NAME = 'IMR Decisions Archive';

export interface Chrome {
  title: string;
  description: string;
  /** From the page back to the archive's root, e.g. `../../../`. */
  root: string;
  styles: string[];
  scripts: string[];
  bodyClass: string;
}

export interface ResultView {
  href: string;
  title: string;
  date: string;
  dateLabel: string;
  outcome: string;
  outcomeClass: string;
  items: ItemListView[];
}

export interface SiteTemplates {
  index(chrome: Chrome, view: { count: number; countLabel: string; groups: (FormGroup & { moreCount: number })[]; dataJson: string }): string;
  letter(chrome: Chrome, view: LetterPageView): string;
  browse(chrome: Chrome, view: { heading: string; month: string | null; months: { href: string; label: string; count: number }[] | null; letters: ResultView[] | null }): string;
}

export interface LetterPageView {
  caseNumber: string;
  revision: number;
  showRevision: boolean;
  month: string;
  monthLabel: string;
  decisionDate: string;
  outcome: string;
  outcomeClass: string;
  amends: string | null;
  superseded: { revision: number; href: string; date: string } | null;
  items: ItemListView[];
  facts: { label: string; value: string }[];
  pdf: { href: string; description: string; signed: boolean } | null;
  revisions: { revision: number; href: string; date: string; isThis: boolean; superseded: boolean }[];
  letterHtml: string;
}

export async function loadSiteTemplates(dir: string): Promise<SiteTemplates> {
  const hb = Handlebars.create();
  const partials = path.join(dir, 'partials');
  for (const file of (await readdir(partials)).filter((f) => f.endsWith('.hbs')).sort()) {
    hb.registerPartial(file.replace(/\.hbs$/, ''), await readFile(path.join(partials, file), 'utf8'));
  }
  // The words around a decided request are the mailed letter's (one home: `templates/partials/`).
  hb.registerPartial('decided-request', await readFile(path.join(dir, '..', 'partials', 'decided-request.hbs'), 'utf8'));
  const compile = async (name: string) => hb.compile(await readFile(path.join(dir, `${name}.hbs`), 'utf8'), { strict: false });
  const layout = await compile('layout');
  const index = await compile('index');
  const letter = await compile('letter');
  const browse = await compile('browse');
  const page = (chrome: Chrome, body: string) => tidy(layout({ ...chrome, siteName: SITE_NAME, body }));
  return {
    index: (chrome, view) => page(chrome, index({ ...view, countLabel: countOf(view.count), root: chrome.root })),
    letter: (chrome, view) => page(chrome, letter({ ...view, root: chrome.root })),
    browse: (chrome, view) =>
      page(
        chrome,
        browse({
          ...view,
          months: view.months?.map((m) => ({ ...m, countLabel: countOf(m.count) })) ?? null,
          lettersLabel: view.letters ? countOf(view.letters.length) : '',
          root: chrome.root,
        }),
      ),
  };
}

/** `1 decision`, `1,234 decisions`. */
export function countOf(n: number, one = 'decision', many = 'decisions'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export const outcomeLabel = (o: string): string => (o ? o[0]!.toUpperCase() + o.slice(1) : 'Unknown');
export const cssClass = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export interface ItemListView extends DecidedPart {
  request: string;
  decision: string;
  decisionClass: string;
  category: string;
}

/** What was decided on an item, from its public facts (facts written before `decided` existed: the request). */
export function decidedOf(i: PublicFacts['items'][number]): DecidedPart {
  return {
    decided: i.decided ?? i.request,
    modified: i.modified ? { partial: i.modified.form === 'partial', original: i.request, authorized: i.modified.authorized } : undefined,
  };
}

/** The items of a letter as listed: for a modified request, the part decided and what UR authorized. */
export function itemViews(facts: PublicFacts | undefined): ItemListView[] {
  return (facts?.items ?? []).map((i) => ({ request: i.request, ...decidedOf(i), decision: i.decision, decisionClass: cssClass(i.decision), category: i.category }));
}

/** The same words as plain text (for the search results' data), from the template at `dir/../partials/`. */
export async function decidedTextRenderer(dir: string): Promise<(i: PublicFacts['items'][number]) => string> {
  const hb = Handlebars.create();
  hb.registerPartial('decided-request', await readFile(path.join(dir, '..', 'partials', 'decided-request.hbs'), 'utf8'));
  const render = hb.compile('{{> decided-request}}', { noEscape: true });
  return (i) => render(decidedOf(i)).trim();
}

export function resultView(l: ArchiveLetter, root: string): ResultView {
  return {
    href: `${root}${letterUrl(l.case, l.revision)}`,
    title: l.revision > 1 ? `${l.case} (revision ${l.revision})` : l.case,
    date: l.decisionDate,
    dateLabel: longDate(l.decisionDate),
    outcome: outcomeLabel(l.outcome),
    outcomeClass: cssClass(l.outcome || 'unknown'),
    items: itemViews(l.facts),
  };
}

/** `123 kB` */
export function sizeLabel(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function letterPageView(l: ArchiveLetter, letterHtml: string, pdfName: string | null): LetterPageView {
  const f = l.facts;
  const facts: { label: string; value: string }[] = [];
  if (f) {
    facts.push({ label: 'Priority', value: f.priority });
    facts.push({ label: 'Application received', value: longDate(f.dates.applicationReceived) });
    facts.push({ label: 'Date assigned', value: longDate(f.dates.assigned) });
    facts.push({ label: 'Reviewer specialty', value: f.reviewer.specialties.join(', ') });
    facts.push({ label: 'Reviewer licensed in', value: f.reviewer.licensure.join(', ') });
    facts.push({ label: 'Request categories', value: [...new Set(f.items.map((i) => i.category))].join(', ') });
  }
  const next = l.supersededBy ? l.revisions.find((r) => r.revision === l.supersededBy) : undefined;
  const up = '../../../';
  const month = l.decisionDate.slice(0, 7);
  const pdf = l.pdf && pdfName ? { href: pdfName, description: [l.pdf.pages ? `${l.pdf.pages} page${l.pdf.pages === 1 ? '' : 's'}` : '', sizeLabel(l.pdf.bytes)].filter(Boolean).join(', '), signed: l.pdf.signed } : null;
  const latest = Math.max(...l.revisions.map((r) => r.revision));
  return {
    caseNumber: l.case,
    revision: l.revision,
    showRevision: l.revisions.length > 1 || l.revision > 1,
    month,
    monthLabel: valueLabel('month', month),
    decisionDate: longDate(l.decisionDate),
    outcome: outcomeLabel(l.outcome),
    outcomeClass: cssClass(l.outcome || 'unknown'),
    amends: l.amends,
    superseded: next ? { revision: next.revision, href: `${up}${letterUrl(l.case, next.revision)}`, date: longDate(next.decisionDate) } : null,
    items: itemViews(f),
    facts,
    pdf,
    revisions: l.revisions.map((r) => ({
      revision: r.revision,
      href: `${up}${letterUrl(l.case, r.revision)}`,
      date: longDate(r.decisionDate),
      isThis: r.revision === l.revision,
      superseded: r.revision !== latest,
    })),
    letterHtml,
  };
}

/** JSON for a `<script type="application/json">`: `<` escaped so no `</script>` can close it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
