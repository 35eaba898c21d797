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
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../publish/files.js';
import { MANIFEST, readManifest, type ManifestLetter } from '../publish/manifest.js';
import { publicFactsSchema, type PublicFacts } from '../render/facts.js';
import { ArchiveError, OutputError } from '../errors.js';
import { collectLetters, letterUrl, listedLetters, type ArchiveLetter } from './collect.js';
import { readCaseFiles } from './cases.js';
import { createMatcher, type Matcher } from './confidential.js';
import { facetsOf, valueLabel, type LetterFacets } from './facets.js';
import { hasPoppler, type Leak, leakCheckKey, scanFile, textLeaks } from './leak.js';
import { scopeCss, searchText, splitLetterHtml } from './letter-html.js';
import { decidedTextRenderer, letterPageView, loadSiteTemplates, outcomeLabel, resultView, type Chrome, type SiteTemplates } from './pages.js';
import { searchAssets, searchPageHtml, type SearchAssets } from './search-page.js';
import { facetToken } from './search/facet-token.js';
import { buildShards, publishSearch, SEARCH_DIR, MANIFEST_NAME, type SearchManifest } from './search/index.js';
import { scanCatalog, scanShard, type ScanMatchers } from './search/leak-scan.js';
import type { SearchLetter } from './search/record.js';
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
  log?: (line: string) => void;
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
  /** Bytes of `search/` (databases' chunks and search.json). */
  searchBytes: number;
  /** The search manifest as published. */
  search: SearchManifest | null;
  leaks: Leak[];
  /** Letters refused because the archive could not check them, each with why. */
  refused: { case: string; revision: number; reason: string }[];
  warnings: string[];
  values: { checked: number; forms: number };
  seconds: { total: number; search: number };
  /** The open data: bulk files, API, feeds, statistics (see `data/index.ts`). */
  openData: OpenDataResult & { seconds: number };
}

const factsKey = (caseNumber: string, revision: number) => `${caseNumber} v${revision}`;

export async function buildArchive(options: ArchiveOptions = {}): Promise<ArchiveResult> {
  const started = performance.now();
  const out = options.out ?? 'out';
  const log = options.log ?? (() => undefined);
  const templatesDir = options.templates ?? path.join('templates', 'archive');
  const stylesDir = options.styles ?? 'styles';
  const input = await readArchiveInput(options);
  const { matcher, poppler, letters, listed, own, refused, warnings } = input;
  const templates = await loadSiteTemplates(templatesDir);
  const decidedText = await decidedTextRenderer(templatesDir);

  const staging = path.join(out, `.archive-${randomBytes(6).toString('hex')}.tmp`);
  const sink = createSink(staging, matcher, poppler);
  const work = path.join(out, `.search-${randomBytes(6).toString('hex')}.tmp`);
  const records: SearchLetter[] = [];
  const search = options.search !== false;
  let searchSeconds = 0;
  try {
    // Assets: the archive's style sheet, the search page's scripts and engine, named by their content.
    const archiveCss = await readFile(path.join(stylesDir, 'archive.css'), 'utf8');
    const archiveCssName = `assets/archive-${hash10(archiveCss)}.css`;
    await sink.add(archiveCssName, archiveCss);
    const assets = await searchAssets(templatesDir);
    for (const f of assets.files) await sink.add(f.path, f.data);

    // A page per letter revision; a search record per listed letter.
    const letterCss = new Map<string, string>();
    const fonts = new Set<string>();
    const ordered = [...listed, ...letters.filter((l) => !l.current)];
    for (const l of ordered) {
      const html = await readEdition(out, l);
      const parts = splitLetterHtml(html);
      const css = scopeCss(parts.css, '.letter-body', (url) => fontUrl(url, l.html, fonts));
      const cssName = `assets/letter-${hash10(css)}.css`;
      letterCss.set(cssName, css);
      const dir = letterUrl(l.case, l.revision);
      const root = '../../../';
      const pdfName = l.pdf ? path.posix.basename(l.pdf.path) : null;
      const chrome: Chrome = {
        title: `${l.case}${l.revision > 1 || !l.current ? ` revision ${l.revision}` : ''}${l.current ? '' : ' (superseded)'}`,
        description: `IMR final determination ${l.case}, decided ${l.decisionDate}: ${outcomeLabel(l.outcome)}.`,
        root,
        styles: [`${root}${cssName}`, `${root}${archiveCssName}`],
        scripts: [],
        bodyClass: l.current ? 'letter-current' : 'letter-superseded',
      };
      const mine = own.get(factsKey(l.case, l.revision));
      await sink.add(`${dir}index.html`, templates.letter(chrome, letterPageView(l, parts.main, pdfName)), mine);
      if (l.pdf && pdfName) {
        const bytes = await readFile(path.join(out, l.pdf.path)).catch((cause: unknown) => {
          throw new OutputError(`Cannot read ${path.join(out, l.pdf!.path)}`, { cause, hint: 'Restore the issued files from the published output.' });
        });
        await sink.add(`${dir}${pdfName}`, bytes, mine);
      }
      if (l.current && search) records.push(searchRecord(l, parts.main, decidedText));
    }
    for (const [name, css] of [...letterCss].sort()) await sink.add(name, css);
    for (const font of [...fonts].sort()) {
      const bytes = await readFile(path.join(out, 'assets', font)).catch((cause: unknown) => {
        throw new OutputError(`Cannot read ${path.join(out, 'assets', font)}, a font of the letters`, { cause });
      });
      await sink.add(`assets/${font}`, bytes);
    }

    // The search page and the browse pages.
    await writeSearchPage((rel, data) => sink.add(rel, data), { templates, assets, css: archiveCssName, facets: listed.map((l) => letterFacets(l)), pageSize: options.pageSize });
    await writeBrowsePages(sink, templates, listed, archiveCssName);
    const t0 = performance.now();
    const check = { key: leakCheckKey([matcher]), scan: sink.scanText, write: sink.write };
    const openData = await writeOpenData((rel, data) => sink.add(rel, data), letters, listed, { templates: templatesDir, css: archiveCssName, cache: path.join(out, '.cache', 'archive-data'), check });
    const openDataSeconds = (performance.now() - t0) / 1000;

    // The search databases, last: written in a scratch folder, published as chunks
    // through the sink (their bytes checked), and read back through SQLite for the check.
    const t = performance.now();
    const { manifest: searchManifest, bytes: searchBytes } = await writeSearch(work, records, sink, { ...searchMatchers(input), chunkSize: options.chunkSize });
    searchSeconds = (performance.now() - t) / 1000;
    await sink.done();

    const result: ArchiveResult = {
      published: false,
      dir: path.join(out, ARCHIVE_DIR),
      letters: letters.length,
      listed: listed.length,
      superseded: letters.length - listed.length,
      files: sink.files,
      bytes: sink.bytes,
      searchBytes,
      search: searchManifest,
      leaks: sink.leaks,
      refused,
      warnings,
      values: { checked: matcher.values.length, forms: matcher.forms + [...own.values()].reduce((n, m) => n + m.forms, 0) },
      seconds: { total: 0, search: searchSeconds },
      openData: { ...openData, seconds: openDataSeconds },
    };
    if (sink.leaks.length || refused.length) {
      await rm(staging, { recursive: true, force: true });
    } else {
      await publish(out, staging);
      result.published = true;
    }
    result.seconds.total = (performance.now() - started) / 1000;
    log(`archive: ${result.listed} letters listed, ${result.superseded} superseded, ${result.files} files, ${result.bytes} bytes`);
    return result;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** What the archive is made of: the letters, their facts, and the confidential values to look for. */
export interface ArchiveInput {
  matcher: Matcher;
  /** Each letter's own values, every form, by `<case> v<revision>`. */
  own: Map<string, Matcher>;
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
  const cases = await readCaseFiles(casePaths);
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
  const own = new Map<string, Matcher>();
  for (const l of letters) {
    const entry = cases.entryFor(l.case, l.revision);
    if (entry) own.set(factsKey(l.case, l.revision), createMatcher(entry.values, { allowed: entry.allowed }));
  }
  const listed = listedLetters(letters);
  for (const l of listed) if (!l.facts) warnings.push(`${l.case} v${l.revision}: no public facts (no JSON beside the edition, no matching case file): listed without its items, filtered by date and outcome only`);
  return { matcher, own, poppler, letters, listed, refused, warnings };
}

/** The matchers of the search databases' check: every case's whole values; a listed letter's own. */
export function searchMatchers(input: ArchiveInput): ScanMatchers {
  const revision = new Map(input.listed.map((l) => [l.case, l.revision]));
  return { all: [input.matcher], own: (c) => input.own.get(factsKey(c, revision.get(c) ?? 0)) };
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

async function factsOf(out: string, l: ManifestLetter, fromCase: (c: string, r: number, h: string) => PublicFacts | undefined): Promise<PublicFacts | undefined> {
  const json = l.files.find((f) => f.edition === 'public' && f.format === 'json');
  if (json) {
    try {
      const written = publicFactsSchema.parse(JSON.parse(await readFile(path.join(out, json.path), 'utf8')));
      // Facts written before they said what was decided on a modified request: the case
      // file's, when its public content is the one issued, else these (the request as written).
      if (written.items.some((i) => i.decided === undefined)) return fromCase(l.case, l.revision, l.publicHash) ?? written;
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
 * The search files of `records` into the sink under `search/` (each chunk's bytes
 * checked as it is written), then every database read back through SQLite: every text
 * column, every letter's indexed tokens (`search/leak-scan.ts`).
 */
async function writeSearch(work: string, records: readonly SearchLetter[], sink: Sink, options: ScanMatchers & { chunkSize?: number }): Promise<{ manifest: SearchManifest | null; bytes: number }> {
  if (!records.length) return { manifest: null, bytes: 0 };
  await mkdir(work, { recursive: true });
  let bytes = 0;
  const shards = buildShards(work, records);
  const manifest = await publishSearch(
    work,
    shards,
    async (rel, data) => {
      bytes += data.length;
      await sink.add(`${SEARCH_DIR}/${rel}`, data);
    },
    { chunkSize: options.chunkSize },
  );
  const matchers: ScanMatchers = { all: options.all, own: options.own };
  for (const s of shards) {
    const entry = manifest.shards.find((e) => e.year === s.year)!;
    sink.leaks.push(...scanShard(s.file, `${SEARCH_DIR}/${entry.prefix}`, matchers));
  }
  sink.leaks.push(...scanCatalog(path.join(work, 'catalog.sqlite3'), `${SEARCH_DIR}/${manifest.catalog.prefix}`, matchers));
  return { manifest, bytes };
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
  /** Writes a file and checks it; `own` also checks it for every form of its letter's values. */
  add(rel: string, data: string | Uint8Array, own?: Matcher): Promise<void>;
  /** Writes a file whose texts were checked by `scanText` (now or by a build before, under the same key). */
  write(rel: string, data: string | Uint8Array): Promise<void>;
  /** Checks one text of a file for every case's values; returns the leaks found. */
  scanText(rel: string, where: string, text: string): number;
  done(): Promise<void>;
  readonly files: number;
  readonly bytes: number;
  readonly leaks: Leak[];
}

/** Writes the archive's files and checks each for confidential values as it goes. */
function createSink(root: string, matcher: Matcher, poppler: boolean): Sink {
  const leaks: Leak[] = [];
  const running = new Set<Promise<void>>();
  let files = 0;
  let bytes = 0;
  const limit = 2;
  const write = async (rel: string, data: string | Uint8Array) => {
    await writeAtomic(root, rel, data);
    files++;
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  return {
    get files() {
      return files;
    },
    get bytes() {
      return bytes;
    },
    get leaks() {
      return leaks;
    },
    write,
    scanText(rel, where, text) {
      const found = textLeaks(rel, where, text, [matcher]);
      leaks.push(...found);
      return found.length;
    },
    async add(rel, data, own) {
      await write(rel, data);
      const matchers = own ? [matcher, own] : [matcher];
      if (typeof data === 'string') {
        leaks.push(...textLeaks(rel, 'text', data, matchers));
        return;
      }
      // Binary files: PDFs go through poppler (child processes), a few at once.
      const job = scanFile(rel, data, matchers, { poppler }).then((found) => void leaks.push(...found));
      const tracked: Promise<void> = job.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= limit) await Promise.race(running);
    },
    async done() {
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

