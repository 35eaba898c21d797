/**
 * The archive's open data, read back with real parsers:
 *
 * - the bulk CSV files through csv-parse, the JSON Lines through JSON.parse, every row
 *   against the letters' public facts JSON written by the build;
 * - the Atom feeds through fast-xml-parser's validator (well-formed XML) and feedsmith
 *   (Atom), with the elements RFC 4287 requires;
 * - every figure of `statistics.json` and of the statistics page's tables recomputed
 *   from the bulk CSV by the code below (independent of `src/archive/data/stats.ts`);
 * - the same inputs give the same bytes, with or without the gzip cache;
 * - the leak check reads the bulk files: a confidential value in them stops the archive;
 * - on the 152 corpus letters imported and built, the counts by decision and by month
 *   equal those of the corpus's `index.csv`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed } from 'feedsmith';
import { fromHtml } from 'hast-util-from-html';
import type { Element, ElementContent, Root } from 'hast';
import { afterAll, describe, expect, it } from 'vitest';
import { createMatcher } from '../src/archive/confidential.js';
import { gzipDeterministic } from '../src/archive/data/bulk.js';
import { buildArchive } from '../src/archive/index.js';
import { scanFile } from '../src/archive/leak.js';
import { build } from '../src/commands/build.js';
import { importFiles } from '../src/commands/import.js';
import type { PublicFacts } from '../src/render/facts.js';
import { SLOW, projectInputs, root, setup } from './helpers.js';

const temps: string[] = [];
const archiveInputs = { templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') };

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `imr-data-${prefix}-`));
  temps.push(dir);
  return dir;
}

async function site(cases: string, prefix: string): Promise<string> {
  const out = await temp(prefix);
  const built = await build({ paths: [cases], out, ...projectInputs, htmlOnly: true, editions: ['public'] });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await buildArchive({ out, cases: [cases], ...archiveInputs });
  expect(result.leaks).toEqual([]);
  expect(result.published).toBe(true);
  return out;
}

type Rec = Record<string, string>;
const gz = async (file: string) => gunzipSync(await readFile(file)).toString('utf8');
const csv = async (file: string): Promise<Rec[]> => parse(await gz(file), { columns: true, relax_column_count: false, relax_quotes: false }) as Rec[];
const list = (cell: string) => (cell === '' ? [] : cell.split(' | '));

/** Every `*-public.json` the build wrote, by `case vN`. */
async function buildFacts(out: string): Promise<Map<string, PublicFacts>> {
  const facts = new Map<string, PublicFacts>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('-public.json')) {
        const f = JSON.parse(await readFile(p, 'utf8')) as PublicFacts;
        if (f.status === 'final') facts.set(`${f.case} v${f.revision}`, f);
      }
    }
  };
  await walk(path.join(out, 'letters'));
  return facts;
}

// ---- Independent recomputation of the statistics from the bulk CSV. ----

interface Rate {
  items: number;
  overturned: number;
}
function tally(records: Rec[], keysOf: (r: Rec) => string[]): Map<string, Rate> {
  const m = new Map<string, Rate>();
  for (const r of records) {
    for (const k of new Set(keysOf(r))) {
      const t = m.get(k) ?? { items: 0, overturned: 0 };
      t.items += 1;
      t.overturned += r.decision === 'Overturned' ? 1 : 0;
      m.set(k, t);
    }
  }
  return m;
}
const pct = (num: number, den: number) => (den === 0 ? '–' : `${((100 * num) / den).toFixed(1)}%`);
const days = (a: string, b: string) => (Date.UTC(+b.slice(0, 4), +b.slice(5, 7) - 1, +b.slice(8, 10)) - Date.UTC(+a.slice(0, 4), +a.slice(5, 7) - 1, +a.slice(8, 10))) / 864e5;

function recompute(letters: Rec[], items: Rec[]) {
  const L = letters.filter((r) => r.current === 'true');
  const I = items.filter((r) => r.current === 'true');
  const months: string[] = [];
  const sorted = L.map((r) => r.decision_month!).sort();
  if (sorted.length) {
    for (let d = new Date(`${sorted[0]}-01T00:00:00Z`); d.toISOString().slice(0, 7) <= sorted[sorted.length - 1]!; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.toISOString().slice(0, 7));
  }
  const byMonth = tally(I, (r) => [r.decision_month!]);
  const perMonth = new Map(months.map((m) => [m, L.filter((r) => r.decision_month === m).length]));
  const itemCounts = L.map((r) => Number(r.item_count));
  const dayCounts = L.map((r) => days(r.application_received!, r.decision_date!));
  // Cross-check the CSV's own derived columns.
  for (const r of L) expect(Number(r.days_to_decision)).toBe(days(r.application_received!, r.decision_date!));
  return {
    letters: L.length,
    items: I.length,
    overturned: I.filter((r) => r.decision === 'Overturned').length,
    outcomes: ['Upheld', 'Overturned', 'Overturned in part'].map((o) => [o, L.filter((r) => r.outcome === o).length] as const),
    byCategory: tally(I, (r) => [r.category!]),
    bySpecialty: tally(I, (r) => list(r.reviewer_specialties!)),
    byGuideline: tally(I, (r) => list(r.guideline_sources!)),
    byYear: tally(I, (r) => [r.decision_date!.slice(0, 4)]),
    byMonth: new Map(months.map((m) => [m, byMonth.get(m) ?? { items: 0, overturned: 0 }])),
    perMonth,
    itemsPerLetter: itemCounts,
    daysToDecision: dayCounts,
  };
}

const BINS: [string, number, number][] = [['0–7', 0, 7], ['8–14', 8, 14], ['15–21', 15, 21], ['22–30', 22, 30], ['31–45', 31, 45], ['46–60', 46, 60], ['over 60', 61, 1e9]];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthName = (m: string) => `${MONTH_NAMES[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;

const toText = (n: ElementContent): string => (n.type === 'text' ? n.value : n.type === 'element' ? n.children.map(toText).join('') : '');

/** The statistics page's tables: caption → rows of cell texts. */
function pageTables(html: string): Map<string, string[][]> {
  const tree = fromHtml(html) as Root;
  const tables = new Map<string, string[][]>();
  const walk = (n: Root | Element) => {
    for (const c of n.children) {
      if (c.type !== 'element') continue;
      if (c.tagName === 'table') {
        const caption = c.children.find((x): x is Element => x.type === 'element' && x.tagName === 'caption');
        const body = c.children.find((x): x is Element => x.type === 'element' && x.tagName === 'tbody')!;
        const rows = body.children.filter((x): x is Element => x.type === 'element' && x.tagName === 'tr').map((tr) => tr.children.filter((x): x is Element => x.type === 'element').map((cell) => toText(cell).trim()));
        tables.set(toText(caption!).trim(), rows);
      } else walk(c);
    }
  };
  walk(tree);
  return tables;
}

function expectRates(shown: string[][] | undefined, want: Map<string, Rate>, label: (k: string) => string = (k) => k): void {
  expect(shown, 'table present').toBeDefined();
  const rows = new Map(shown!.map((r) => [r[0]!, r.slice(1)]));
  expect([...rows.keys()].sort()).toEqual([...want.keys()].map(label).sort());
  for (const [k, t] of want) expect(rows.get(label(k)), k).toEqual([t.items.toLocaleString('en-US'), t.overturned.toLocaleString('en-US'), pct(t.overturned, t.items)]);
}

async function checkStatistics(out: string): Promise<ReturnType<typeof recompute>> {
  const a = path.join(out, 'archive');
  const want = recompute(await csv(path.join(a, 'data', 'letters.csv.gz')), await csv(path.join(a, 'data', 'items.csv.gz')));
  const json = JSON.parse(await readFile(path.join(a, 'data', 'statistics.json'), 'utf8')) as {
    letters: number; items: number; overturned: number; rate: number;
    byCategory: { key: string; items: number; overturned: number }[]; bySpecialty: typeof json.byCategory; byGuideline: typeof json.byCategory; byYear: typeof json.byCategory; byMonth: typeof json.byCategory;
    decisionsPerMonth: { key: string; letters: number }[]; outcomes: { key: string; letters: number }[];
    itemsPerLetter: { rows: { key: string; letters: number }[]; mean: number; median: number; min: number; max: number };
    daysToDecision: { rows: { key: string; letters: number }[]; mean: number; median: number; within30: number };
  };
  expect([json.letters, json.items, json.overturned]).toEqual([want.letters, want.items, want.overturned]);
  expect(json.rate).toBeCloseTo(want.overturned / want.items, 12);
  const asMap = (rows: { key: string; items: number; overturned: number }[]) => new Map(rows.map((r) => [r.key, { items: r.items, overturned: r.overturned }]));
  expect(asMap(json.byCategory)).toEqual(want.byCategory);
  expect(asMap(json.bySpecialty)).toEqual(want.bySpecialty);
  expect(asMap(json.byGuideline)).toEqual(want.byGuideline);
  expect(asMap(json.byYear)).toEqual(want.byYear);
  expect(asMap(json.byMonth)).toEqual(want.byMonth);
  expect(json.byMonth.map((r) => r.key)).toEqual([...want.byMonth.keys()]);
  expect(json.decisionsPerMonth.map((r) => [r.key, r.letters])).toEqual([...want.perMonth]);
  expect(json.outcomes.map((r) => [r.key, r.letters])).toEqual(want.outcomes);
  const maxItems = Math.max(...want.itemsPerLetter);
  expect(json.itemsPerLetter.rows.map((r) => [Number(r.key), r.letters])).toEqual(Array.from({ length: maxItems }, (_, k) => [k + 1, want.itemsPerLetter.filter((n) => n === k + 1).length]));
  expect(json.itemsPerLetter.mean).toBeCloseTo(want.itemsPerLetter.reduce((s, n) => s + n, 0) / want.letters, 12);
  expect(json.daysToDecision.rows.map((r) => [r.key, r.letters])).toEqual(BINS.map(([k, lo, hi]) => [k, want.daysToDecision.filter((d) => d >= lo && d <= hi).length]));
  expect(json.daysToDecision.within30).toBe(want.daysToDecision.filter((d) => d <= 30).length);
  const ds = [...want.daysToDecision].sort((x, y) => x - y);
  const mid = ds.length / 2;
  expect(json.daysToDecision.median).toBe(ds.length % 2 ? ds[Math.floor(mid)] : (ds[mid - 1]! + ds[mid]!) / 2);

  // The page shows the same figures.
  const html = await readFile(path.join(a, 'statistics', 'index.html'), 'utf8');
  const tables = pageTables(html);
  expectRates(tables.get('Overturn rate by request category'), want.byCategory);
  expectRates(tables.get('Overturn rate by reviewer specialty'), want.bySpecialty);
  expectRates(tables.get('Overturn rate by guideline cited'), want.byGuideline);
  expectRates(tables.get('Overturn rate by year of decision'), want.byYear);
  expectRates(tables.get('Overturn rate by month of decision'), want.byMonth, monthName);
  expect(tables.get('Decisions per month')).toEqual([...want.perMonth].map(([m, n]) => [monthName(m), n.toLocaleString('en-US')]));
  expect(tables.get('Letters by outcome')!.map((r) => r.slice(0, 2))).toEqual(want.outcomes.map(([o, n]) => [o, String(n)]));
  expect(html).toContain(`<strong>${pct(want.overturned, want.items)}</strong> of the items were overturned`);
  // Every chart is an SVG file the page shows with a text alternative.
  const imgs = [...html.matchAll(/<img src="([^"]+\.svg)" alt="([^"]+)"/g)];
  expect(imgs.length).toBe(8);
  for (const [, src] of imgs) expect(await readFile(path.join(a, 'statistics', src!), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  return want;
}

afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('the open data of cases/', () => {
  let out: string;
  let facts: Map<string, PublicFacts>;
  setup(async () => {
    out = await site(path.join(root, 'cases'), 'cases');
    facts = await buildFacts(out);
  });

  it('has a letters CSV row per final letter, equal to its public facts', async () => {
    const rows = await csv(path.join(out, 'archive', 'data', 'letters.csv.gz'));
    expect(rows.length).toBe(facts.size);
    for (const r of rows) {
      const f = facts.get(`${r.case} v${r.revision}`)!;
      expect(f, r.case).toBeDefined();
      expect([r.decision_date, r.priority, r.date_of_injury, r.ur_denial_date, r.application_received, r.date_assigned]).toEqual([f.dates.decision, f.priority, f.dates.injury, f.dates.urDenial, f.dates.applicationReceived, f.dates.assigned]);
      expect(list(r.reviewer_specialties!)).toEqual(f.reviewer.specialties);
      expect(list(r.reviewer_licensure!)).toEqual(f.reviewer.licensure);
      expect(Number(r.item_count)).toBe(f.items.length);
      expect(Number(r.items_overturned)).toBe(f.items.filter((i) => i.decision === 'Overturned').length);
      expect(r.outcome!.toLowerCase()).toBe(f.outcome);
      expect(list(r.categories!)).toEqual([...new Set(f.items.map((i) => i.category))].sort());
      expect(Number(r.patient_age)).toBe(f.patient.age);
    }
    // Sorted by month, case and revision.
    const keys = rows.map((r) => `${r.decision_month} ${r.case} ${r.revision}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('has an items CSV row per item, and JSON Lines with the same data', async () => {
    const items = await csv(path.join(out, 'archive', 'data', 'items.csv.gz'));
    const all = [...facts.values()].flatMap((f) => f.items.map((i, k) => ({ f, i, k })));
    expect(items.length).toBe(all.length);
    for (const { f, i, k } of all) {
      const row = items.find((r) => r.case === f.case && r.revision === String(f.revision) && r.item === String(k + 1))!;
      expect([row.request, row.category, row.decision, row.imro_guideline, row.claims_administrator_guideline]).toEqual([i.request, i.category, i.decision, i.imroGuideline, i.claimsAdministratorGuideline]);
    }
    const lines = (await gz(path.join(out, 'archive', 'data', 'letters.jsonl.gz'))).split('\n');
    expect(lines.pop()).toBe('');
    const objects = lines.map((l) => JSON.parse(l) as { case: string; revision: number; item_count: number; items: { request: string; decision: string; guideline_sources: string[] }[] });
    expect(objects.length).toBe(facts.size);
    for (const o of objects) {
      expect(o.items.map((i) => [i.request, i.decision])).toEqual(facts.get(`${o.case} v${o.revision}`)!.items.map((i) => [i.request, i.decision]));
      expect(o.item_count).toBe(o.items.length);
      for (const i of o.items) expect(i.guideline_sources.length).toBeGreaterThan(0);
    }
    // The static API: the same object beside each letter's page, and an index by month.
    for (const o of objects) expect(JSON.parse(await readFile(path.join(out, 'archive', 'letters', o.case, `v${o.revision}`, 'letter.json'), 'utf8'))).toEqual(o);
    const index = JSON.parse(await readFile(path.join(out, 'archive', 'api', 'index.json'), 'utf8')) as { letters: number; months: { month: string; letters: number; url: string }[] };
    expect(index.letters).toBe(facts.size);
    let listed = 0;
    for (const m of index.months) {
      const month = JSON.parse(await readFile(path.join(out, 'archive', m.url), 'utf8')) as { letters: { case: string; json_url: string; decision_date: string }[] };
      expect(month.letters.length).toBe(m.letters);
      for (const l of month.letters) {
        expect(l.decision_date.slice(0, 7)).toBe(m.month);
        expect(existsSync(path.join(out, 'archive', l.json_url)), l.json_url).toBe(true);
      }
      listed += m.letters;
    }
    expect(listed).toBe(facts.size);
  });

  it('documents every column in the data dictionary and datapackage.json', async () => {
    const html = await readFile(path.join(out, 'archive', 'data', 'index.html'), 'utf8');
    const pkg = JSON.parse(await readFile(path.join(out, 'archive', 'data', 'datapackage.json'), 'utf8')) as { resources: { path: string; schema?: { fields: { name: string; type: string; description: string }[] } }[] };
    for (const res of pkg.resources.filter((r) => r.schema)) {
      const header = Object.keys((await csv(path.join(out, 'archive', 'data', res.path)))[0]!);
      expect(res.schema!.fields.map((f) => f.name)).toEqual(header);
      for (const f of res.schema!.fields) {
        expect(f.description.length).toBeGreaterThan(10);
        expect(html).toContain(`<code>${f.name}</code>`);
      }
    }
  });

  it('publishes valid Atom feeds with stable ids and decision dates', async () => {
    const dir = path.join(out, 'archive', 'feeds');
    const files = ['latest.xml', ...(await readdir(path.join(dir, 'category'))).map((f) => `category/${f}`)];
    const categories = new Set([...facts.values()].flatMap((f) => f.items.map((i) => i.category)));
    expect(files.length).toBe(1 + categories.size);
    for (const file of files) {
      const xml = await readFile(path.join(dir, file), 'utf8');
      expect(XMLValidator.validate(xml), file).toBe(true);
      const feed = parseAtomFeed(xml);
      expect(feed.id && feed.title?.value && feed.updated && feed.authors?.length, file).toBeTruthy();
      const entries = feed.entries ?? [];
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        const [, c, rev] = /^urn:imr-letters:(CM\d{2}-\d{7}):v(\d+)$/.exec(e.id!) ?? [];
        const f = facts.get(`${c} v${rev}`)!;
        expect(f, e.id).toBeDefined();
        expect(e.updated).toBe(`${f.dates.decision}T00:00:00Z`);
        expect(e.title?.value).toContain(c);
        expect(e.links?.[0]?.href).toMatch(new RegExp(`letters/${c}/v${rev}/$`));
        if (file !== 'latest.xml') expect((e.categories ?? []).map((x) => x.term)).toContain([...categories].find((k) => file.includes(k.toLowerCase().replace(/&/g, ' ').replace(/[^a-z0-9]+/g, '-'))));
      }
      const dates = entries.map((e) => e.updated!);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(feed.updated).toBe(dates[0]);
    }
  });

  it('recomputes every statistic from the bulk CSV', async () => {
    await checkStatistics(out);
  });

  it('gives the same bytes again, with or without the gzip cache', async () => {
    const read = async () => {
      const a = path.join(out, 'archive');
      const files = ['data/letters.csv.gz', 'data/items.csv.gz', 'data/letters.jsonl.gz', 'data/statistics.json', 'statistics/index.html', 'statistics/by-category.svg', 'feeds/latest.xml', 'api/index.json'];
      return Promise.all(files.map(async (f) => [f, (await readFile(path.join(a, f))).toString('base64')]));
    };
    const first = await read();
    await rm(path.join(out, '.cache'), { recursive: true, force: true });
    const cold = await buildArchive({ out, cases: [path.join(root, 'cases')], ...archiveInputs });
    expect(cold.openData.gzip.cached).toBe(0);
    expect(await read()).toEqual(first);
    const warm = await buildArchive({ out, cases: [path.join(root, 'cases')], ...archiveInputs });
    expect(warm.openData.gzip.compressed).toBe(0);
    expect(warm.openData.gzip.cached).toBeGreaterThan(0);
    expect(await read()).toEqual(first);
  });
});

describe('a corrected letter in the open data', () => {
  it('has a row per revision, the earlier one not current, and counts once in the statistics', async () => {
    const cases = await temp('rev-cases');
    const out = await temp('rev-out');
    const original = await readFile(path.join(root, 'cases', 'CM16-0233904.md'), 'utf8');
    await writeFile(path.join(cases, 'CM16-0233904.md'), original);
    await build({ paths: [cases], out, ...projectInputs, htmlOnly: true, editions: ['public'] });
    // Revision 2 says what it corrects and the day it is issued (rule issued-date-missing).
    const revision2 = original
      .replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the date of the UR denial.')
      .replace(/^ {2}decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: 2017-02-01');
    await writeFile(path.join(cases, 'CM16-0233904.md'), revision2);
    const rebuilt = await build({ paths: [cases], out, ...projectInputs, htmlOnly: true, editions: ['public'] });
    expect(rebuilt.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((await buildArchive({ out, cases: [cases], ...archiveInputs })).published).toBe(true);
    const rows = await csv(path.join(out, 'archive', 'data', 'letters.csv.gz'));
    expect(rows.map((r) => [r.case, r.revision, r.current, r.superseded_by, r.amends])).toEqual([
      ['CM16-0233904', '1', 'false', '2', ''],
      ['CM16-0233904', '2', 'true', '', 'Corrects the date of the UR denial.'],
    ]);
    const want = await checkStatistics(out);
    expect(want.letters).toBe(1);
    // The feed lists the current revision only.
    const feed = parseAtomFeed(await readFile(path.join(out, 'archive', 'feeds', 'latest.xml'), 'utf8'));
    expect((feed.entries ?? []).map((e) => e.id)).toEqual(['urn:imr-letters:CM16-0233904:v2']);
  });
});

describe('the leak check reads the bulk files', () => {
  it('finds a value in any gzip member of a bulk file, not only the first', async () => {
    const matcher = createMatcher([{ value: 'Specimen Logistics, Inc.', kind: 'employer name', file: 'x.md', case: 'CM16-0229336' }]);
    const members = Buffer.concat([gzipDeterministic('case,request\n'), gzipDeterministic('CM16-0000001,Norco\n'), gzipDeterministic('CM16-0229336,SPECIMEN LOGISTICS INC wheelchair\n')]);
    expect(gunzipSync(members).toString()).toContain('SPECIMEN');
    expect((await scanFile('data/items.csv.gz', members, matcher, { poppler: false })).map((l) => [l.file, l.kind, l.where])).toEqual([['data/items.csv.gz', 'employer name', 'gunzipped']]);
    // Deterministic: no time, no name, the same OS byte on any platform.
    const a = gzipDeterministic('same text');
    expect([a[4], a[5], a[6], a[7], a[9]]).toEqual([0, 0, 0, 0, 255]);
    expect(gzipDeterministic('same text')).toEqual(a);
  });

  it('refuses an archive whose gzipped CSV holds a confidential value', async () => {
    const cases = await temp('leak-cases');
    // A case whose confidential employer name is also its request: it would be in items.csv.gz.
    const src = await readFile(path.join(root, 'cases', 'CM16-0229336.md'), 'utf8');
    const employer = /employer:\n\s+name: (.+)/.exec(src)![1]!;
    const leaking = src.replace(/request: .*/, `request: "${employer} wheelchair"`);
    // `check` and `build` refuse such a letter; the archive is the last line for letters built before
    // the parties were known. So it is built with another employer, and archived with the real case file.
    await writeFile(path.join(cases, 'CM16-0229336.md'), leaking.replace(/(employer:\n\s+name: ).+/, '$1Unrelated Decoy Employer'));
    const out = await temp('leak-out');
    const built = await build({ paths: [cases], out, ...projectInputs, htmlOnly: true, editions: ['public'] });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    await writeFile(path.join(cases, 'CM16-0229336.md'), leaking);
    const result = await buildArchive({ out, cases: [cases], ...archiveInputs });
    expect(result.published).toBe(false);
    const files = new Set(result.leaks.map((l) => `${l.file} ${l.where}`));
    expect(files).toContain('data/items.csv.gz gunzipped');
    expect(files).toContain('data/letters.jsonl.gz gunzipped');
    expect(files).toContain('letters/CM16-0229336/v1/letter.json text');
    expect(existsSync(path.join(out, 'archive'))).toBe(false);
  });
});

const corpus = path.resolve(root, '..', 'shared', 'corpus', 'dwc-imr-2016-2017');
describe('the open data of the 152 corpus letters', () => {
  it('agrees with the corpus index: decisions, months, outcomes', async () => {
    const cases = await temp('corpus-cases');
    const run = await importFiles({ paths: [path.join(corpus, 'pdf')], into: cases, config: projectInputs.config });
    expect(run.files.filter((f) => f.state !== 'written').map((f) => f.file)).toEqual([]);
    const out = await site(cases, 'corpus');
    const want = await checkStatistics(out);
    const index = parse(await readFile(path.join(corpus, 'index.csv'), 'utf8'), { columns: true }) as Rec[];
    expect(want.letters).toBe(index.length);
    const decisions = index.flatMap((r) => r.decisions!.split('|'));
    expect(want.items).toBe(decisions.length);
    expect(want.overturned).toBe(decisions.filter((d) => d === 'Overturned').length);
    const month = (mdY: string) => `${mdY.slice(6, 10)}-${mdY.slice(0, 2)}`;
    const perMonth = new Map<string, number>();
    for (const r of index) perMonth.set(month(r.decision_date!), (perMonth.get(month(r.decision_date!)) ?? 0) + 1);
    expect(new Map([...want.perMonth].filter(([, n]) => n > 0))).toEqual(perMonth);
    const itemsByMonth = new Map<string, Rate>();
    for (const r of index) {
      const t = itemsByMonth.get(month(r.decision_date!)) ?? { items: 0, overturned: 0 };
      for (const d of r.decisions!.split('|')) {
        t.items++;
        if (d === 'Overturned') t.overturned++;
      }
      itemsByMonth.set(month(r.decision_date!), t);
    }
    expect(new Map([...want.byMonth].filter(([, t]) => t.items > 0))).toEqual(itemsByMonth);
    const outcome = (ds: string[]) => (ds.every((d) => d === 'Upheld') ? 'Upheld' : ds.every((d) => d === 'Overturned') ? 'Overturned' : 'Overturned in part');
    expect(want.outcomes).toEqual(['Upheld', 'Overturned', 'Overturned in part'].map((o) => [o, index.filter((r) => outcome(r.decisions!.split('|')) === o).length]));
  }, SLOW);
});
