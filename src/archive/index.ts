/**
 * The public archive: `out/archive/`, a static site any web host can serve.
 *
 *   index.html                              search with filters and counts; the latest decisions
 *   letters/<case>/v<revision>/index.html   a letter revision: the public edition in the archive's chrome
 *   letters/<case>/v<revision>/<case>-v<revision>-public.pdf
 *   browse/index.html, browse/<YYYY-MM>/    every listed letter by month, without JavaScript
 *   assets/                                 styles, the search scripts and engine, the letters' fonts
 *   search/                                 the search databases: a SQLite FTS5 shard per decision
 *                                           year and a catalog, in chunk files, and search.json
 *                                           (see search/index.ts)
 *
 * Only final revisions with a public edition go in. The latest final revision of a case
 * is listed by search; earlier ones have their page, marked superseded.
 *
 * The archive is built in a hidden folder beside the old one, every file is checked for
 * every confidential value of every case as it is written (whole values everywhere; a
 * letter's own pages and PDF also for every part of its own case's values, with the
 * shared matcher of `src/confidential/`; the search databases also through SQLite: every
 * text column and every indexed token, see `search/leak-scan.ts`), and only a clean archive replaces
 * `out/archive/` (a rename).
 *
 * It fails closed: a letter whose case file it did not read (no such file under
 * `--cases`, a symbolic link, not a case file, unreadable YAML) is refused and named,
 * and so is a letter whose case file has no `parties` without saying `publicOnly: true`.
 * Any refusal or leak and nothing is published. The same `out/` gives the same bytes: everything
 * is sorted, and nothing depends on the clock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../publish/files.js';
import { MANIFEST, readManifest, type ManifestLetter } from '../publish/manifest.js';
import { publicFactsSchema, type PublicFacts } from '../render/facts.js';
import { ArchiveError, OutputError } from '../errors.js';
import { collectLetters, letterUrl, listedLetters, type ArchiveLetter } from './collect.js';
import { readCaseFiles } from './cases.js';
import { createMatcher, formsOf, matcherKey, type ConfidentialValue, type Matcher } from './confidential.js';
import { CASE_CACHE } from './case-cache.js';
import { TokenIndex } from './token-index.js';
import { facetsOf, valueLabel, type LetterFacets } from './facets.js';
import { hasPoppler, type Leak, leakCodeKey, scanFile, textLeaks } from './leak.js';
import { scopeCss, searchText, splitLetterHtml } from './letter-html.js';
import { decidedTextRenderer, letterPageView, loadSiteTemplates, outcomeLabel, resultView, type Chrome, type SiteTemplates } from './pages.js';
import { searchAssets, searchPageHtml, type SearchAssets } from './search-page.js';
import { facetToken } from './search/facet-token.js';
import { letterId } from './search/ids.js';
import { assembleDatabase, publishSearch, YearShards, readSearchManifest, SEARCH_DIR, MANIFEST_NAME, type SearchManifest } from './search/index.js';
import { addLetters } from './search/add.js';
import { codeHash } from './code-hash.js';
import { applyChanges, dropRecord, emptyRecord, JOURNAL, readRecord, resumeJournal, sha256, treeHash, writeRecord, type PublishedFile, type PublishedPage, type ArchiveRecord } from './published.js';
import { scanCatalog, scanShard, type ScanMatchers } from './search/leak-scan.js';
import type { SearchLetter } from './search/record.js';
import type { DbEntry as SearchDbEntry } from './search/chunks.js';
import { writeOpenData, type OpenDataResult } from './data/index.js';

export const ARCHIVE_DIR = 'archive';

export interface ArchiveOptions {
  /** The build's output folder (default `out`); the archive goes to `<out>/archive/`. */
  out?: string;
  /** Case files or folders: where the confidential values come from (default `['cases']`). */
  cases?: string[];
  /** The archive's templates (default `templates/archive`). */
  templates?: string;
  /** The folder of `archive.css` (default `styles`). */
  styles?: string;
  /** Results per page of the search page (default 10). */
  pageSize?: number;
  /** Largest chunk file of a search database (default 24 MiB; a multiple of 4096). */
  chunkSize?: number;
  /**
   * Whether to write `search/` (default true). False: the pages only, the search files come
   * from `imr-letters search shard` per year and `search catalog` (a CI matrix).
   */
  search?: boolean;
  /** Build the whole archive again, whatever was published before (default false: only what changed; see `buildArchive`). */
  full?: boolean;
  /** A word in more files than this is too common for the token index to narrow a lookup (default 200; see `token-index.ts`). */
  retireAfter?: number;
  log?: (line: string) => void;
  /** Told as each phase ends (letter pages, other pages, open data, search), with the time and the memory so far (default none). */
  progress?: (line: string) => void;
}

export interface ArchiveResult {
  /** Whether `out/archive/` was replaced (false when a leak was found). */
  published: boolean;
  dir: string;
  letters: number;
  listed: number;
  superseded: number;
  files: number;
  bytes: number;
  /** Files written by this run (the others were kept as they were), and files removed. */
  written: number;
  removed: number;
  /** `incremental`, or `full: <why>`. */
  why: string;
  /** Bytes of `search/` (databases' chunks and search.json). */
  searchBytes: number;
  /** The search manifest as published. */
  search: SearchManifest | null;
  leaks: Leak[];
  /** Letters refused because the archive could not check them, each with why. */
  refused: { case: string; revision: number; reason: string }[];
  warnings: string[];
  values: { checked: number; forms: number };
  /**
   * Values the published files were not checked for (new case files), looked for in the
   * files kept as they were: the files, databases and open data texts read again for them
   * (those the token index says they may be in). Zero and zero on a full build.
   */
  newValues: { values: number; reread: number };
  seconds: { total: number; search: number };
  /** The open data: bulk files, API, feeds, statistics (see `data/index.ts`). */
  openData: OpenDataResult & { seconds: number };
}

const factsKey = (caseNumber: string, revision: number) => `${caseNumber} v${revision}`;

/** What a run of the archive step works with: its inputs read, its templates loaded, its keys. */
interface Context {
  out: string;
  input: ArchiveInput;
  templates: SiteTemplates;
  templatesDir: string;
  stylesDir: string;
  decidedText: Awaited<ReturnType<typeof decidedTextRenderer>>;
  /** The archive's code, templates, style sheet and options (see `published.ts`). */
  version: string;
  /** The leak check's code key (`leakCodeKey`). */
  check: string;
  /** The keys of every case file's values (`valuesKey`), sorted: what this run's files are checked for. */
  values: string[];
  options: ArchiveOptions;
}

/**
 * Builds the archive. With the record of the archive published before (same code,
 * templates, options and confidential values; see `published.ts`), only what changed:
 * a letter page whose inputs are unchanged is not read, rendered, written or checked
 * again; the open data's files, the search page and the browse pages are made in memory
 * and only those whose bytes changed are written and checked; search gets the new listed
 * letters through `addLetters`. Otherwise (`full`, no record, anything else changed),
 * the whole archive is staged and replaces the old one.
 */
export async function buildArchive(options: ArchiveOptions = {}): Promise<ArchiveResult> {
  const started = performance.now();
  const out = options.out ?? 'out';
  const templatesDir = options.templates ?? path.join('templates', 'archive');
  const stylesDir = options.styles ?? 'styles';
  const input = await readArchiveInput(options);
  const poppler = input.poppler;
  const version = createHash('sha256')
    .update(codeHash(['.', 'data/', 'search/', '../confidential/', '../render/', '../publish/', '../schema/']))
    .update(await treeHash(templatesDir))
    .update(await treeHash(path.join(templatesDir, '..', 'partials')))
    .update(await treeHash(path.join(stylesDir, 'archive.css')))
    .update(JSON.stringify({ pageSize: options.pageSize ?? null, chunkSize: options.chunkSize ?? null, search: options.search !== false, poppler }))
    .digest('hex');
  const ctx: Context = { out, input, templates: await loadSiteTemplates(templatesDir), templatesDir, stylesDir, decidedText: await decidedTextRenderer(templatesDir), version, check: leakCodeKey(), values: [...new Set(input.sets.map((f) => f.key))].sort(), options };
  const archiveDir = path.join(out, ARCHIVE_DIR);
  const resumed = await resumeJournal(out, archiveDir);
  const record = options.full || !resumed || !existsSync(archiveDir) ? undefined : await readRecord(out, version, ctx.check);
  const plan = record ? await planIncremental(ctx, record) : { full: options.full ? 'asked for' : 'no record of the archive published before (or its code, templates or options changed)' };
  let result: ArchiveResult;
  try {
    result = await runArchive(ctx, 'full' in plan ? undefined : plan);
  } catch (error) {
    if (!(error instanceof StaleRecord)) throw error;
    result = await runArchive(ctx, undefined);
    result.why = `full: ${error.message}`;
  }
  if (!result.why) result.why = 'full' in plan ? `full: ${plan.full}` : 'incremental';
  result.seconds.total = (performance.now() - started) / 1000;
  options.log?.(`archive (${result.why}): ${result.listed} letters listed, ${result.superseded} superseded, ${result.files} files, ${result.bytes} bytes; ${result.written} written, ${result.removed} removed`);
  return result;
}

/** The record does not describe the archive in place (a file it names is not in it): a full build. */
class StaleRecord extends Error {}

/** An incremental run: the record, the key of each letter's page, the listed letters new to search. */
interface Plan {
  record: ArchiveRecord;
  /** Listed letters search does not list yet (a new case, or a new revision of a listed one). */
  added: ArchiveLetter[];
  /** The token index of the published archive (see `token-index.ts`). */
  index: TokenIndex;
  /** Values the published files were not checked for (new case files), and the units of the archive they may be in. */
  fresh: { matcher: Matcher; units: Set<string> } | undefined;
}

/** The key of a letter revision's page: everything it is made of (see `published.ts`). */
function pageKey(ctx: Context, l: ArchiveLetter): string {
  const own = ctx.input.own.get(factsKey(l.case, l.revision))?.key ?? null;
  return sha256(JSON.stringify({ l, own }));
}

/**
 * What an incremental run adds to search, and the published files to read again for the
 * values they were not checked for; `{ full }` when it cannot be done incrementally.
 */
async function planIncremental(ctx: Context, record: ArchiveRecord): Promise<Plan | { full: string }> {
  const index = TokenIndex.open(ctx.out, record.index);
  if (!index) return { full: 'the token index of the archive published before is missing or is not its own' };
  const plan = planLetters(ctx, record);
  if ('full' in plan) {
    await index.discard();
    return plan;
  }
  const known = new Set(record.values);
  const values = ctx.input.sets.filter((f) => !known.has(f.key)).flatMap((f) => f.values);
  if (!values.length) return { ...plan, index, fresh: undefined };
  const exposure = index.exposed(values.flatMap((v) => formsOf(v, false)));
  if ('fallback' in exposure) {
    await index.discard();
    return { full: `a new confidential value cannot be looked up in the published files: ${exposure.fallback}` };
  }
  return { ...plan, index, fresh: { matcher: createMatcher(values, { parts: false }), units: exposure.units } };
}

/** The listed letters new to search; `{ full }` when search cannot take them incrementally. */
function planLetters(ctx: Context, record: ArchiveRecord): Pick<Plan, 'record' | 'added'> | { full: string } {
  const added: ArchiveLetter[] = [];
  const listed = new Set<string>();
  for (const l of ctx.input.listed) {
    listed.add(l.case);
    const before = record.listed.get(l.case);
    if (before === undefined || before < l.revision) {
      added.push(l);
      continue;
    }
    if (before > l.revision) return { full: `${l.case}: revision ${before} was listed, ${l.revision} is now` };
    if (record.pages.get(factsKey(l.case, l.revision))?.key !== pageKey(ctx, l)) return { full: `${l.case} v${l.revision}, listed by search, changed` };
  }
  for (const c of record.listed.keys()) if (!listed.has(c)) return { full: `${c} is no longer listed` };
  return { record, added };
}

async function runArchive(ctx: Context, plan: Plan | undefined): Promise<ArchiveResult> {
  const { out, input, options } = ctx;
  const staging = path.join(out, `.archive-${randomBytes(6).toString('hex')}.tmp`);
  const index = plan ? plan.index : await TokenIndex.create(out, { retireAfter: options.retireAfter });
  const shards = !plan && options.search !== false ? new YearShards(path.join(out, `.search-${randomBytes(6).toString('hex')}.tmp`)) : undefined;
  const sink = createSink(staging, path.join(out, ARCHIVE_DIR), input.matcher, input.poppler, plan, index);
  try {
    // Assets: the archive's style sheet, the search page's scripts and engine, named by their content.
    const began = performance.now();
    const phase = (what: string) => options.progress?.(`${what}: ${((performance.now() - began) / 1000).toFixed(1)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    const archiveCss = await readFile(path.join(ctx.stylesDir, 'archive.css'), 'utf8');
    const archiveCssName = `assets/archive-${hash10(archiveCss)}.css`;
    await sink.add(archiveCssName, archiveCss);
    const assets = await searchAssets(ctx.templatesDir);
    for (const f of assets.files) await sink.add(f.path, f.data);
    // Search records as the pages are made: straight into the year shards (a full build), or kept for `addLetters`.
    const added: SearchLetter[] = [];
    const { pages } = await writeLetterPages(ctx, sink, archiveCssName, plan, (r) => (shards ? shards.add(r) : added.push(r)));
    phase('letter pages');
    // The search page and the browse pages.
    await writeSearchPage((rel, data) => sink.add(rel, data), { templates: ctx.templates, assets, css: archiveCssName, facets: input.listed.map((l) => letterFacets(l)), pageSize: options.pageSize });
    await writeBrowsePages(sink, ctx.templates, input.listed, archiveCssName);
    phase('search and browse pages');
    const t0 = performance.now();
    const check = { key: sha256(`${ctx.check}\0${index.id}`), scan: sink.scanText, recheck: sink.recheckText, write: sink.write };
    const openData = await writeOpenData((rel, data) => sink.add(rel, data), input.letters, input.listed, { templates: ctx.templatesDir, css: archiveCssName, cache: path.join(out, '.cache', 'archive-data'), check });
    const openDataSeconds = (performance.now() - t0) / 1000;
    phase('open data');

    // The search databases, last: written in a scratch folder, published as chunks
    // through the sink (their bytes checked), and read back through SQLite for the check.
    const t = performance.now();
    const searchManifest = options.search === false ? null : plan ? await addToSearch(ctx, sink, staging, plan, added, index) : await writeSearch(ctx, shards!, sink, index);
    const searchSeconds = (performance.now() - t) / 1000;
    phase('search');
    await sink.done();
    phase('checks done');
    const removed = plan ? [...plan.record.files.keys()].filter((rel) => !sink.published.has(rel)) : [];
    const result: ArchiveResult = {
      published: false,
      dir: path.join(out, ARCHIVE_DIR),
      letters: input.letters.length,
      listed: input.listed.length,
      superseded: input.letters.length - input.listed.length,
      files: sink.published.size,
      bytes: sum(sink.published.values()),
      written: sink.moves.length,
      removed: removed.length,
      why: '',
      searchBytes: sum([...sink.published].filter(([rel]) => rel.startsWith(`${SEARCH_DIR}/`)).map(([, f]) => f)),
      search: searchManifest,
      leaks: sink.leaks,
      refused: input.refused,
      warnings: input.warnings,
      newValues: { values: plan?.fresh?.matcher.values.length ?? 0, reread: sink.reread },
      values: { checked: input.matcher.values.length, forms: input.matcher.forms + [...input.own.values()].reduce((n, m) => n + m.forms(), 0) },
      seconds: { total: 0, search: searchSeconds },
      openData: { ...openData, seconds: openDataSeconds },
    };
    if (sink.leaks.length || input.refused.length) {
      await index.discard();
      await rm(staging, { recursive: true, force: true });
      return result;
    }
    const next: ArchiveRecord = { ...emptyRecord(ctx.version, ctx.check, index.id, ctx.values), files: sink.published, pages, listed: new Map(input.listed.map((l) => [l.case, l.revision])) };
    // The index first: the record counts on it holding the words of every file it names.
    if (plan) {
      await index.commit();
      await applyChanges(out, path.join(out, ARCHIVE_DIR), staging, sink.moves, removed, next);
    } else {
      await dropRecord(out);
      await rm(path.join(out, JOURNAL), { force: true });
      await index.commit();
      await publish(out, staging);
      await writeRecord(out, next);
    }
    result.published = true;
    return result;
  } catch (error) {
    await index.discard();
    shards?.abort();
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (shards) await rm(shards.work, { recursive: true, force: true });
  }
}

const sum = (files: Iterable<PublishedFile>) => [...files].reduce((n, f) => n + f.bytes, 0);

/**
 * A page per letter revision (and its PDF), a search record per listed letter whose page
 * was made; with a plan, a page whose key is the record's is kept as it is, unread.
 */
async function writeLetterPages(ctx: Context, sink: Sink, archiveCssName: string, plan: Plan | undefined, toSearch: (r: SearchLetter) => void): Promise<{ pages: Map<string, PublishedPage> }> {
  const { out, input } = ctx;
  const letterCss = new Map<string, string>();
  const keptCss = new Set<string>();
  const fonts = new Set<string>();
  const pages = new Map<string, PublishedPage>();
  const searched = new Set((plan?.added ?? input.listed).map((l) => factsKey(l.case, l.revision)));
  // In search's id order (ascending decision date), so each year shard gets its letters in
  // the order that makes its bytes depend on its letters only (see `ShardBuilder`).
  const listed = [...input.listed].sort((x, y) => letterId(x.decisionDate, x.case) - letterId(y.decisionDate, y.case));
  for (const l of [...listed, ...input.letters.filter((x) => !x.current)]) {
    const id = factsKey(l.case, l.revision);
    const key = pageKey(ctx, l);
    const dir = letterUrl(l.case, l.revision);
    const pdfName = l.pdf ? path.posix.basename(l.pdf.path) : null;
    const before = plan?.record.pages.get(id);
    if (before && before.key === key) {
      sink.keep(`${dir}index.html`);
      if (pdfName) sink.keep(`${dir}${pdfName}`);
      keptCss.add(before.css);
      for (const f of before.fonts) fonts.add(f);
      pages.set(id, before);
      continue;
    }
    const parts = splitLetterHtml(await readEdition(out, l));
    const own = new Set<string>();
    const css = scopeCss(parts.css, '.letter-body', (url) => fontUrl(url, l.html, own));
    const cssName = `assets/letter-${hash10(css)}.css`;
    letterCss.set(cssName, css);
    for (const f of own) fonts.add(f);
    pages.set(id, { key, css: cssName, fonts: [...own].sort() });
    const root = '../../../';
    const chrome: Chrome = {
      title: `${l.case}${l.revision > 1 || !l.current ? ` revision ${l.revision}` : ''}${l.current ? '' : ' (superseded)'}`,
      description: `IMR final determination ${l.case}, decided ${l.decisionDate}: ${outcomeLabel(l.outcome)}.`,
      root,
      styles: [`${root}${cssName}`, `${root}${archiveCssName}`],
      scripts: [],
      bodyClass: l.current ? 'letter-current' : 'letter-superseded',
    };
    const mine = input.own.get(id)?.matcher();
    await sink.add(`${dir}index.html`, ctx.templates.letter(chrome, letterPageView(l, parts.main, pdfName)), mine);
    if (l.pdf && pdfName) {
      const bytes = await readFile(path.join(out, l.pdf.path)).catch((cause: unknown) => {
        throw new OutputError(`Cannot read ${path.join(out, l.pdf!.path)}`, { cause, hint: 'Restore the issued files from the published output.' });
      });
      await sink.add(`${dir}${pdfName}`, bytes, mine);
    }
    if (l.current && searched.has(id) && ctx.options.search !== false) toSearch(searchRecord(l, parts.main, ctx.decidedText));
  }
  for (const [name, css] of [...letterCss].sort()) await sink.add(name, css);
  for (const name of [...keptCss].sort()) if (!letterCss.has(name)) sink.keep(name);
  for (const font of [...fonts].sort()) {
    const bytes = await readFile(path.join(out, 'assets', font)).catch((cause: unknown) => {
      throw new OutputError(`Cannot read ${path.join(out, 'assets', font)}, a font of the letters`, { cause });
    });
    await sink.add(`assets/${font}`, bytes);
  }
  return { pages };
}

/**
 * The new listed letters into the published search (`addLetters`): the databases they
 * change get new chunk files (staged through the sink, their bytes checked), then
 * `search.json`; the databases changed are read back through SQLite for the check; the
 * others' files are kept as they are.
 */
async function addToSearch(ctx: Context, sink: Sink, staging: string, plan: Plan, records: readonly SearchLetter[], index: TokenIndex): Promise<SearchManifest | null> {
  const published = path.join(ctx.out, ARCHIVE_DIR, SEARCH_DIR);
  /** The databases kept as they were, read again for the new values they may hold. */
  const recheck = async (entries: readonly SearchDbEntry[]) => {
    const work = path.join(ctx.out, `.search-${randomBytes(6).toString('hex')}.tmp`);
    try {
      for (const entry of entries) {
        const fresh = sink.exposed(`${SEARCH_DIR}/${entry.prefix}`);
        if (!fresh) continue;
        await mkdir(work, { recursive: true });
        const db = path.join(work, 'recheck.sqlite3');
        assembleDatabase(published, entry, db);
        const rel = `${SEARCH_DIR}/${entry.prefix}`;
        const matchers = { all: [fresh], own: () => undefined };
        sink.leaks.push(...('year' in entry ? scanShard(db, rel, matchers) : scanCatalog(db, rel, matchers)));
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
  const keepAll = (except: readonly string[]) => {
    for (const rel of plan.record.files.keys()) {
      if (!rel.startsWith(`${SEARCH_DIR}/`) || sink.published.has(rel)) continue;
      const inner = rel.slice(SEARCH_DIR.length + 1);
      if (inner === MANIFEST_NAME || except.some((p) => inner.startsWith(p))) continue;
      sink.keep(rel);
    }
  };
  if (!records.length) {
    if (!plan.record.files.has(`${SEARCH_DIR}/${MANIFEST_NAME}`)) return null;
    keepAll([]);
    sink.keep(`${SEARCH_DIR}/${MANIFEST_NAME}`);
    const manifest = await readSearchManifest(published);
    if (manifest) await recheck([...manifest.shards, manifest.catalog]);
    return manifest;
  }
  if (!plan.record.files.has(`${SEARCH_DIR}/${MANIFEST_NAME}`)) throw new StaleRecord('no search published before');
  const work = path.join(ctx.out, `.search-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const byId = new Map(ctx.input.letters.map((l) => [factsKey(l.case, l.revision), l]));
    const bodies = new Map<string, string>();
    for (const r of records) {
      const before = plan.record.listed.get(r.case);
      const old = before === undefined ? undefined : byId.get(factsKey(r.case, before));
      if (before !== undefined && !old) throw new StaleRecord(`${r.case} v${before}, listed before, is not in the archive's letters`);
      if (old) bodies.set(factsKey(r.case, before!), searchText(splitLetterHtml(await readEdition(ctx.out, old)).main));
    }
    const result = await addLetters(published, records, {
      work,
      previousBody: (c, v) => bodies.get(factsKey(c, v)),
      emit: (rel, bytes) => sink.add(`${SEARCH_DIR}/${rel}`, bytes),
      chunkSize: ctx.options.chunkSize,
    });
    keepAll(result.removed);
    const db = path.join(work, 'check.sqlite3');
    const changed = result.manifest.shards.filter((s) => result.years.includes(s.year));
    for (const entry of [...changed, result.manifest.catalog]) {
      const from = existsSync(path.join(staging, SEARCH_DIR, entry.prefix)) ? path.join(staging, SEARCH_DIR) : published;
      assembleDatabase(from, entry, db);
      sink.leaks.push(...scanDatabase(ctx, index, db, entry, entry === result.manifest.catalog));
    }
    await recheck(result.manifest.shards.filter((s) => !result.years.includes(s.year)));
    return result.manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
/** What the archive is made of: the letters, their facts, and the confidential values to look for. */
export interface ArchiveInput {
  /** Every case's confidential values. */
  values: ConfidentialValue[];
  /** The same, by case file, with the key of each file's values. */
  sets: { key: string; values: ConfidentialValue[] }[];
  /** Their whole values (`parts: false`): what every file is checked for. */
  matcher: Matcher;
  /** Each letter's own values, every form, by `<case> v<revision>`. */
  own: Map<string, OwnValues>;
  poppler: boolean;
  letters: ArchiveLetter[];
  listed: ArchiveLetter[];
  refused: ArchiveResult['refused'];
  warnings: string[];
}

/** Reads `out/manifest.json`, the letters' public facts and the case files' confidential values. */
export async function readArchiveInput(options: ArchiveOptions): Promise<ArchiveInput> {
  const out = options.out ?? 'out';
  const warnings: string[] = [];
  if (!existsSync(path.join(out, MANIFEST))) {
    throw new OutputError(`No ${path.join(out, MANIFEST)}: there are no letters to publish`, { hint: 'Build the letters first: imr-letters build.' });
  }
  const manifest = await readManifest(out, 'imr-letters');
  const casePaths = options.cases?.length ? options.cases : ['cases'];
  const cases = await readCaseFiles(casePaths, { cache: path.join(out, CASE_CACHE) });
  for (const u of cases.unreadable) warnings.push(`${u.file}: ${u.reason}; its confidential values may be incomplete`);
  // Whole values of every case, in every file; each letter's own values in every form, in its own files.
  const matcher = createMatcher(cases.values, { parts: false });
  const poppler = await hasPoppler();
  if (!poppler) warnings.push('pdftotext/pdfinfo (poppler-utils) not found: the PDFs were checked on their bytes only, not on their text');

  // The public facts of every final letter: the JSON beside it, else its case file.
  const facts = new Map<string, PublicFacts>();
  for (const l of manifest.letters) {
    if (l.status !== 'final') continue;
    const f = await factsOf(out, l, cases.factsFor);
    if (f) facts.set(factsKey(l.case, l.revision), f);
  }
  const letters = collectLetters(manifest, (l) => facts.get(factsKey(l.case, l.revision)));
  const refused = refusals(letters, manifest.letters, cases, casePaths);
  const own = new Map<string, OwnValues>();
  for (const l of letters) {
    const entry = cases.entryFor(l.case, l.revision);
    if (entry) own.set(factsKey(l.case, l.revision), ownValues(entry.values, entry.allowed));
  }
  const listed = listedLetters(letters);
  for (const l of listed) if (!l.facts) warnings.push(`${l.case} v${l.revision}: no public facts (no JSON beside the edition, no matching case file): listed without its items, filtered by date and outcome only`);
  return { values: cases.values, sets: cases.sets, matcher, own, poppler, letters, listed, refused, warnings };
}

/**
 * A letter's own values: their matcher's key now, a matcher (every form) when a file of
 * the letter is checked. Not kept: an archive's own matchers would fill the memory.
 */
export interface OwnValues {
  key: string;
  matcher(): Matcher;
  /** Forms of the last matcher made (0 before). */
  forms(): number;
}

function ownValues(values: ConfidentialValue[], allowed: string[]): OwnValues {
  let forms = 0;
  return {
    key: matcherKey(values, { allowed }),
    matcher: () => {
      const m = createMatcher(values, { allowed });
      forms = m.forms;
      return m;
    },
    forms: () => forms,
  };
}

/** The matchers of the search databases' check: every case's whole values; a listed letter's own. */
export function searchMatchers(input: ArchiveInput): ScanMatchers {
  const revision = new Map(input.listed.map((l) => [l.case, l.revision]));
  return { all: [input.matcher], own: (c) => input.own.get(factsKey(c, revision.get(c) ?? 0))?.matcher() };
}

/** The search records of the listed letters `which` selects (read from their public pages). */
export async function archiveSearchLetters(input: ArchiveInput, options: ArchiveOptions, which: (l: ArchiveLetter) => boolean = () => true): Promise<SearchLetter[]> {
  const out = options.out ?? 'out';
  const decidedText = await decidedTextRenderer(options.templates ?? path.join('templates', 'archive'));
  const records: SearchLetter[] = [];
  for (const l of input.listed.filter(which)) records.push(searchRecord(l, splitLetterHtml(await readEdition(out, l)).main, decidedText));
  return records;
}

async function readEdition(out: string, l: ArchiveLetter): Promise<string> {
  return readFile(path.join(out, l.html), 'utf8').catch((cause: unknown) => {
    throw new OutputError(`Cannot read ${path.join(out, l.html)}, the public edition of ${l.case} v${l.revision}`, { cause, hint: 'Restore the issued files from the published output.' });
  });
}

/**
 * The search page (`index.html`): every filter group with its counts over `facets` (one
 * per listed letter) and the page's JSON (the engine's files, `search/search.json`, each
 * value's facet token).
 */
export async function writeSearchPage(
  add: (rel: string, data: string) => Promise<void>,
  o: { templates: SiteTemplates; assets: SearchAssets; css: string; facets: readonly LetterFacets[]; pageSize?: number },
): Promise<void> {
  await add('index.html', searchPageHtml(o.templates, o.facets, o.assets, { css: o.css, token: facetToken, pageSize: o.pageSize, manifest: `${SEARCH_DIR}/${MANIFEST_NAME}` }));
}

/**
 * The search page alone with its style sheet and scripts, into `add` (the bench: a search
 * folder made from generated letters gets the page that searches it).
 */
export async function writeSearchPageOnly(add: (rel: string, data: string | Uint8Array) => Promise<void>, o: { templates?: string; styles?: string; facets: readonly LetterFacets[] }): Promise<void> {
  const templatesDir = o.templates ?? path.join('templates', 'archive');
  const css = await readFile(path.join(o.styles ?? 'styles', 'archive.css'), 'utf8');
  const cssName = `assets/archive-${hash10(css)}.css`;
  await add(cssName, css);
  const assets = await searchAssets(templatesDir);
  for (const f of assets.files) await add(f.path, f.data);
  await writeSearchPage(add, { templates: await loadSiteTemplates(templatesDir), assets, css: cssName, facets: o.facets });
}

async function factsOf(out: string, l: ManifestLetter, fromCase: (c: string, r: number, h: string) => Promise<PublicFacts | undefined>): Promise<PublicFacts | undefined> {
  const json = l.files.find((f) => f.edition === 'public' && f.format === 'json');
  if (json) {
    try {
      // Read synchronously: an archive's thousands of small files, each a round trip to the thread pool otherwise.
      const written = publicFactsSchema.parse(JSON.parse(readFileSync(path.join(out, json.path), 'utf8')));
      // Facts written before they said what was decided on a modified request: the case
      // file's, when its public content is the one issued, else these (the request as written).
      if (written.items.some((i) => i.decided === undefined)) return (await fromCase(l.case, l.revision, l.publicHash)) ?? written;
      return written;
    } catch {
      // Missing or unreadable: fall back to the case file.
    }
  }
  return fromCase(l.case, l.revision, l.publicHash);
}

/** A letter's filter values; without facts, what the manifest knows (outcome and date). */
function letterFacets(l: ArchiveLetter): LetterFacets {
  if (l.facts) return facetsOf(l.facts);
  const month = l.decisionDate.slice(0, 7);
  return { decision: [], outcome: [outcomeLabel(l.outcome)], category: [], guideline: [], specialty: [], licensure: [], priority: [], year: [month.slice(0, 4)], month: [month] };
}

function searchRecord(l: ArchiveLetter, main: string, decidedText: (i: NonNullable<ArchiveLetter['facts']>['items'][number]) => string): SearchLetter {
  return {
    case: l.case,
    revision: l.revision,
    url: letterUrl(l.case, l.revision),
    date: l.decisionDate,
    outcome: outcomeLabel(l.outcome),
    title: l.revision > 1 ? `${l.case} (revision ${l.revision})` : l.case,
    items: (l.facts?.items ?? []).map((i) => [i.decision, decidedText(i)]),
    body: searchText(main),
    facets: letterFacets(l),
  };
}

/**
 * The search files of the year shards into the sink under `search/` (each chunk's bytes
 * checked as it is written), then every database read back through SQLite: every text
 * column, every letter's indexed tokens (`search/leak-scan.ts`).
 */
async function writeSearch(ctx: Context, years: YearShards, sink: Sink, index: TokenIndex): Promise<SearchManifest | null> {
  if (!years.size) return null;
  const shards = years.finish();
  const manifest = await publishSearch(years.work, shards, (rel, data) => sink.add(`${SEARCH_DIR}/${rel}`, data), { chunkSize: ctx.options.chunkSize });
  for (const s of shards) {
    const entry = manifest.shards.find((e) => e.year === s.year)!;
    sink.leaks.push(...scanDatabase(ctx, index, s.file, entry, false));
  }
  sink.leaks.push(...scanDatabase(ctx, index, path.join(years.work, 'catalog.sqlite3'), manifest.catalog, true));
  return manifest;
}

/** The leaks of a search database (shard or catalog) written by this run; its words go to the token index. */
function scanDatabase(ctx: Context, index: TokenIndex, file: string, entry: SearchDbEntry, catalog: boolean): Leak[] {
  const rel = `${SEARCH_DIR}/${entry.prefix}`;
  const words = new Set<string>();
  // A database's words go to the index as they come: all of a year's at once would fill the memory.
  const drain = () => {
    if (words.size < 100_000) return;
    index.add(rel, words);
    words.clear();
  };
  const matchers = { ...searchMatchers(ctx.input), words, drain };
  const leaks = catalog ? scanCatalog(file, rel, matchers) : scanShard(file, rel, matchers);
  index.add(rel, words);
  return leaks;
}

async function writeBrowsePages(sink: Sink, templates: Awaited<ReturnType<typeof loadSiteTemplates>>, listed: readonly ArchiveLetter[], css: string): Promise<void> {
  const byMonth = new Map<string, ArchiveLetter[]>();
  for (const l of listed) {
    const m = l.decisionDate.slice(0, 7);
    byMonth.set(m, [...(byMonth.get(m) ?? []), l]);
  }
  const months = [...byMonth.keys()].sort().reverse();
  const chrome = (title: string, root: string): Chrome => ({ title, description: `${title}: IMR final determinations`, root, styles: [`${root}${css}`], scripts: [], bodyClass: 'browse-page' });
  await sink.add(
    'browse/index.html',
    templates.browse(chrome('Decisions by month', '../'), {
      heading: 'Decisions by month',
      month: null,
      months: months.map((m) => ({ href: `${m}/`, label: valueLabel('month', m), count: byMonth.get(m)!.length })),
      letters: null,
    }),
  );
  for (const m of months) {
    const label = `Decisions of ${valueLabel('month', m)}`;
    await sink.add(`browse/${m}/index.html`, templates.browse(chrome(label, '../../'), { heading: label, month: m, months: null, letters: byMonth.get(m)!.map((l) => resultView(l, '../../')) }));
  }
}

/** A letter's font URL (relative to its HTML in `out/`) → the archive's copy, relative to `assets/`. */
function fontUrl(url: string, htmlPath: string, fonts: Set<string>): string {
  if (/^(data:|[a-z]+:\/\/)/i.test(url)) return url;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(htmlPath), url));
  if (!target.startsWith('assets/') || target.includes('..')) throw new ArchiveError(`The letter ${htmlPath} refers to ${url}, outside the assets`);
  const rel = target.slice('assets/'.length);
  fonts.add(rel);
  return rel;
}

const hash10 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex').slice(0, 10);

/**
 * The letters the archive refuses: no case file read for them, or one without parties
 * that does not say `publicOnly: true`.
 */
function refusals(letters: readonly ArchiveLetter[], entries: readonly ManifestLetter[], cases: Awaited<ReturnType<typeof readCaseFiles>>, paths: readonly string[]): ArchiveResult['refused'] {
  const out: ArchiveResult['refused'] = [];
  const where = paths.map((p) => `\`${p}\``).join(', ');
  for (const l of letters) {
    const key = factsKey(l.case, l.revision);
    const entry = cases.entryFor(l.case, l.revision);
    if (entry) {
      if (entry.refused) out.push({ case: l.case, revision: l.revision, reason: entry.refused });
      else if (!entry.hasParties && !entry.publicOnly) out.push({ case: l.case, revision: l.revision, reason: `its case file ${entry.file} has no \`parties\` and does not say \`publicOnly: true\`: add the parties (or \`publicOnly: true\` if the case has none on record)` });
      continue;
    }
    const source = entries.find((e) => e.case === l.case && e.revision === l.revision)?.source;
    const unreadable = cases.unreadable.find((u) => source !== undefined && path.resolve(u.file) === path.resolve(source));
    const reason = cases.missing.length === paths.length
      ? `its case file was not read: ${where} ${paths.length === 1 ? 'does' : 'do'} not exist; pass the folder the letters were built from with --cases`
      : unreadable
        ? `its case file ${unreadable.file} was not read: ${unreadable.reason}`
        : `its case file was not read: no case file for ${key} under ${where}${source ? ` (it was built from ${source})` : ''}; pass the folder the letters were built from with --cases`;
    out.push({ case: l.case, revision: l.revision, reason });
  }
  return out;
}

interface Sink {
  /**
   * Writes a file and checks it; `own` also checks it for every form of its letter's
   * values. A file the record has with the same bytes (checked for the same own values)
   * is kept as it is: not written, not checked.
   */
  add(rel: string, data: string | Uint8Array, own?: Matcher): Promise<void>;
  /** Writes a file whose texts were checked by `scanText` (now or by a build before, under the same key); kept when unchanged. */
  write(rel: string, data: string | Uint8Array): Promise<void>;
  /** Keeps a published file as it is, unread (the record has it; else the record is stale), unless new values may be in it. */
  keep(rel: string): void;
  /** Checks one text of a file for every case's values (its words go to the token index under `unit`); returns the leaks found. */
  scanText(rel: string, where: string, text: string, unit: string): number;
  /** Checks a text found clean before for the new values, if they may be in it (`unit`); returns the leaks found. */
  recheckText(rel: string, where: string, unit: string, text: () => string): number;
  /** Whether the new values may be in `unit` (a published file or database not written again). */
  exposed(unit: string): Matcher | undefined;
  done(): Promise<void>;
  /** Every file of the archive after this run: written or kept. */
  readonly published: Map<string, PublishedFile>;
  /** The files written into the staging folder. */
  readonly moves: string[];
  readonly leaks: Leak[];
  /** Published files, databases and texts read again for new values. */
  readonly reread: number;
}

/**
 * Writes the archive's files (those not published before as they are) and checks each for
 * confidential values as it goes, their words into `index`; a kept file the new values
 * may be in (`plan.fresh`) is read again from `archive` for them.
 */
function createSink(root: string, archive: string, matcher: Matcher, poppler: boolean, plan: Plan | undefined, index: TokenIndex): Sink {
  const record = plan?.record;
  const leaks: Leak[] = [];
  const running = new Set<Promise<void>>();
  const published = new Map<string, PublishedFile>();
  const moves: string[] = [];
  const rechecks: string[] = [];
  let reread = 0;
  const limit = 2;
  /** Whether the file is published already with these bytes (and checked for the same own values): then kept. */
  const known = (rel: string, data: string | Uint8Array, own: string | null): boolean => {
    const file: PublishedFile = { sha: sha256(data), bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length, own };
    const before = record?.files.get(rel);
    const same = before !== undefined && before.sha === file.sha && before.own === own;
    published.set(rel, same ? before : file);
    if (same) exposedFile(rel);
    return same;
  };
  const exposedFile = (rel: string) => {
    if (plan?.fresh?.units.has(rel)) rechecks.push(rel);
  };
  /** Runs a check of binary files (PDFs go through poppler, child processes), a few at once. */
  const track = async (job: Promise<void>) => {
    const tracked: Promise<void> = job.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= limit) await Promise.race(running);
  };
  const write = async (rel: string, data: string | Uint8Array) => {
    if (known(rel, data, null)) return;
    await writeAtomic(root, rel, data);
    moves.push(rel);
  };
  return {
    published,
    moves,
    get leaks() {
      return leaks;
    },
    get reread() {
      return reread;
    },
    write,
    keep(rel) {
      const before = record?.files.get(rel);
      if (!before) throw new StaleRecord(`the record of the archive does not have ${rel}`);
      published.set(rel, before);
      exposedFile(rel);
    },
    scanText(rel, where, text, unit) {
      const words = new Set<string>();
      const found = textLeaks(rel, where, text, [matcher], words);
      index.add(unit, words);
      leaks.push(...found);
      return found.length;
    },
    recheckText(rel, where, unit, text) {
      const fresh = plan?.fresh;
      if (!fresh?.units.has(unit)) return 0;
      reread++;
      const found = textLeaks(rel, where, text(), [fresh.matcher]);
      leaks.push(...found);
      return found.length;
    },
    exposed(unit) {
      if (!plan?.fresh?.units.has(unit)) return undefined;
      reread++;
      return plan.fresh.matcher;
    },
    async add(rel, data, own) {
      if (known(rel, data, own?.key ?? null)) return;
      await writeAtomic(root, rel, data);
      moves.push(rel);
      const matchers = own ? [matcher, own] : [matcher];
      const words = new Set<string>();
      if (typeof data === 'string') {
        leaks.push(...textLeaks(rel, 'text', data, matchers, words));
        index.add(rel, words);
        return;
      }
      await track(scanFile(rel, data, matchers, { poppler, words }).then((found) => {
        leaks.push(...found);
        index.add(rel, words);
      }));
    },
    async done() {
      await Promise.all(running);
      // Published files kept as they were, which the new values may be in: read again for them.
      const fresh = plan?.fresh?.matcher;
      for (const rel of fresh ? [...new Set(rechecks)].sort() : []) {
        reread++;
        const bytes = await readFile(path.join(archive, rel)).catch((cause: unknown) => {
          throw new OutputError(`Cannot read ${path.join(archive, rel)}, a published file to check for new confidential values`, { cause, hint: 'Build the archive again in full: imr-letters archive --full.' });
        });
        await track(scanFile(rel, bytes, [fresh!], { poppler }).then((found) => void leaks.push(...found)));
      }
      await Promise.all(running);
      leaks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
    },
  };
}

/** Replaces `out/archive/` with the staged one: two renames. */
async function publish(out: string, staging: string): Promise<void> {
  const target = path.join(out, ARCHIVE_DIR);
  const old = path.join(out, `.archive-old-${randomBytes(6).toString('hex')}.tmp`);
  const hadOne = existsSync(target);
  if (hadOne) await rename(target, old);
  try {
    await rename(staging, target);
  } catch (cause) {
    if (hadOne) await rename(old, target).catch(() => undefined);
    throw new OutputError(`Cannot replace ${target}`, { cause, hint: 'Check that the output folder is writable.' });
  }
  await rm(old, { recursive: true, force: true });
}

