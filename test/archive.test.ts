/**
 * The public archive, without a browser: which letters go in (finals only, the latest
 * revision listed, earlier ones superseded), each letter's filters, the letter HTML
 * taken apart and scoped, the confidential values and the leak check (planted values in
 * HTML, in a gzipped Pagefind chunk, in a PDF's strings), the static server's paths, and
 * the archive built end to end from HTML-only builds: stable URLs, superseded pages,
 * the same bytes twice, and a planted value that stops publication.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectLetters, letterUrl, listedLetters } from '../src/archive/collect.js';
import { confidentialValues, createMatcher, maskValue, type ConfidentialValue } from '../src/archive/confidential.js';
import { foldText } from '../src/confidential/index.js';
import { atomsOf, facetsOf, formGroups, pagefindFilters } from '../src/archive/facets.js';
import { buildArchive } from '../src/archive/index.js';
import { searchCatalog, searchShard } from '../src/commands/search.js';
import { fileTexts, hexStrings, scanFile } from '../src/archive/leak.js';
import { scopeCss, searchText, splitLetterHtml } from '../src/archive/letter-html.js';
import { build, type BuildOptions } from '../src/build/index.js';
import { contentType, resolveUrlPath } from '../src/commands/serve.js';
import { VERSION } from '../src/cli.js';
import type { Manifest, ManifestLetter } from '../src/publish/manifest.js';
import type { PublicFacts } from '../src/render/facts.js';
import { builtCasesCopy, projectInputs, root, setup, tempFolders } from './helpers.js';

const generator = `imr-letters ${VERSION}`;
const temp = tempFolders('imr-archive');

const buildHtml = (paths: string[], out: string, extra: Partial<BuildOptions> = {}) =>
  build({
    paths,
    out,
    ...projectInputs,
    htmlOnly: true,
    workers: 0,
    ...extra,
  });

const archive = (out: string, cases: string[]) =>
  buildArchive({ out, cases, templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });

// ---------------------------------------------------------------------------------
// Fixtures

function entry(caseNumber: string, revision: number, status: 'draft' | 'final', decisionDate: string, opts: { pdf?: boolean; json?: boolean } = {}): ManifestLetter {
  const dir = `letters/${caseNumber}/v${revision}`;
  const file = (ext: 'html' | 'pdf' | 'json') => ({
    path: `${dir}/${caseNumber}-v${revision}-public.${ext}`,
    edition: 'public' as const,
    format: ext,
    sha256: '0'.repeat(64),
    bytes: 1000,
    pages: opts.pdf === false ? null : 2,
  });
  return {
    case: caseNumber,
    revision,
    status,
    outcome: 'upheld',
    decisionDate,
    supersedes: revision > 1 ? revision - 1 : null,
    supersededBy: null,
    amends: revision > 1 ? 'Corrects the date of injury.' : null,
    source: `cases/${caseNumber}.md`,
    contentHash: 'c',
    publicHash: 'p',
    sourceSha256: 's',
    hasParties: false,
    inputsHash: 'i',
    files: [file('html'), ...(opts.pdf === false ? [] : [file('pdf')]), ...(opts.json === false ? [] : [file('json')])],
  };
}

function facts(over: Partial<PublicFacts> = {}): PublicFacts {
  return {
    case: 'CM16-0000001',
    revision: 1,
    status: 'final',
    priority: 'Standard',
    dates: { injury: '2016-01-02', urDenial: '2016-02-03', applicationReceived: '2016-02-10', assigned: '2016-02-12', decision: '2016-03-04' },
    reviewer: { licensure: ['California', 'Texas'], specialties: ['Family Practice'] },
    patient: { age: 40, sex: 'female' },
    outcome: 'overturned in part',
    supersedes: null,
    amends: null,
    items: [
      { id: 'a', request: 'Norco 10/325mg #120', category: 'Pharmaceuticals', decision: 'Upheld', claimsAdministratorGuideline: '', imroGuideline: '', sources: ['MTUS', 'ODG'], mtusChapters: ['Chronic Pain Medical Treatment'] },
      { id: 'b', request: 'MRI of the lumbar spine', category: 'Diagnostic Testing', decision: 'Overturned', claimsAdministratorGuideline: '', imroGuideline: '', sources: [], mtusChapters: [] },
    ],
    ...over,
  };
}

const value = (v: string, kind: ConfidentialValue['kind'] = 'injured worker name'): ConfidentialValue => ({ value: v, kind, file: 'cases/x.md', case: 'CM16-0000001' });

// ---------------------------------------------------------------------------------

describe('collectLetters', () => {
  const manifest: Manifest = {
    format: 1,
    generator,
    assets: [],
    letters: [
      entry('CM16-0000002', 1, 'final', '2016-05-01'),
      entry('CM16-0000002', 2, 'final', '2016-06-01'),
      entry('CM16-0000002', 3, 'draft', '2016-07-01'),
      entry('CM16-0000001', 1, 'final', '2016-04-01', { pdf: false }),
      entry('CM16-0000003', 1, 'draft', '2016-08-01'),
    ],
  };
  const letters = collectLetters(manifest);

  it('takes final revisions only, sorted by case and revision', () => {
    expect(letters.map((l) => `${l.case} v${l.revision}`)).toEqual(['CM16-0000001 v1', 'CM16-0000002 v1', 'CM16-0000002 v2']);
  });

  it('lists the latest final revision of a case; earlier ones are superseded by the next final one', () => {
    const [one, v1, v2] = letters;
    expect(one!.current).toBe(true);
    expect(v1!.current).toBe(false);
    expect(v1!.supersededBy).toBe(2);
    expect(v2!.current).toBe(true);
    expect(v2!.supersededBy).toBeNull();
    expect(v2!.revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(listedLetters(letters).map((l) => `${l.case} v${l.revision}`)).toEqual(['CM16-0000002 v2', 'CM16-0000001 v1']);
  });

  it('knows the PDF when one was printed, and the facts JSON', () => {
    expect(letters[0]!.pdf).toBeNull();
    expect(letters[1]!.pdf).toEqual({ path: 'letters/CM16-0000002/v1/CM16-0000002-v1-public.pdf', bytes: 1000, pages: 2, signed: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(letters[1]!.factsPath).toBe('letters/CM16-0000002/v1/CM16-0000002-v1-public.json');
  });

  it('gives each letter a URL that depends only on its case number and revision', () => {
    expect(letterUrl('CM16-0000002', 2)).toBe('letters/CM16-0000002/v2/');
    expect(() => letterUrl('../etc', 1)).toThrow();
    expect(() => letterUrl('CM16-0000002', 0)).toThrow();
  });
});

describe('filters of a letter', () => {
  it('has each group\'s values', () => {
    const f = facetsOf(facts());
    expect(f).toEqual({
      decision: ['Overturned', 'Upheld'],
      outcome: ['Overturned in part'],
      category: ['Diagnostic Testing', 'Pharmaceuticals'],
      guideline: ['MTUS: Chronic Pain Medical Treatment', 'None cited', 'ODG'],
      specialty: ['Family Practice'],
      licensure: ['California', 'Texas'],
      priority: ['Standard'],
      year: ['2016'],
      month: ['2016-03'],
    });
  });

  it('stores the fewest values in the index: implicit and derived ones are left out', () => {
    expect(pagefindFilters(facetsOf(facts()))).toEqual({
      outcome: ['Overturned in part'],
      category: ['Diagnostic Testing', 'Pharmaceuticals'],
      guideline: ['MTUS: Chronic Pain Medical Treatment', 'None cited', 'ODG'],
      specialty: ['Family Practice'],
      licensure: ['California', 'Texas'],
      month: ['2016-03'],
    });
    const upheld = pagefindFilters(facetsOf(facts({ outcome: 'upheld', priority: 'Expedited' })));
    expect(upheld.outcome).toBeUndefined();
    expect(upheld.priority).toEqual(['Expedited']);
  });

  it('maps derived values to the stored ones they stand for', () => {
    expect(atomsOf('decision', 'Upheld', [])).toEqual(['Upheld', 'Overturned in part']);
    expect(atomsOf('decision', 'Overturned', [])).toEqual(['Overturned', 'Overturned in part']);
    expect(atomsOf('year', '2016', ['2015-12', '2016-01', '2016-03'])).toEqual(['2016-01', '2016-03']);
    expect(atomsOf('category', 'Surgery', [])).toEqual(['Surgery']);
  });

  it('counts every value over the listed letters', () => {
    const groups = formGroups([facetsOf(facts()), facetsOf(facts({ outcome: 'upheld', dates: { ...facts().dates, decision: '2017-01-05' } }))]);
    const counts = Object.fromEntries(groups.map((g) => [g.id, Object.fromEntries(g.values.map((v) => [v.value, v.count]))]));
    expect(counts.outcome).toEqual({ Upheld: 1, Overturned: 0, 'Overturned in part': 1 });
    expect(counts.priority).toEqual({ Standard: 2, Expedited: 0 });
    expect(counts.year).toEqual({ '2017': 1, '2016': 1 });
    expect(groups.find((g) => g.id === 'month')!.values.map((v) => v.label)).toEqual(['January 2017', 'March 2016']);
  });
});

describe('the letter HTML in the archive', () => {
  const html = `<!DOCTYPE html><html><head><title>IMR Final Determination CM16-0000001</title><style>
@font-face{font-family:Tinos;src:url(../../../assets/fonts/tinos-1.woff2) format("woff2")}
@page { size: Letter; @bottom-center { content: "x" } }
html { font-size: 12pt; }
body { margin: 0; }
body.edition-public { color: #000; }
h1, h2 { text-align: center; }
a { color: inherit; }
@media screen { body { max-width: 468pt; } }
</style></head><body><main>
<section class="how-made"><h2>HOW THE IMR FINAL DETERMINATION WAS MADE</h2><p>Boilerplate about the reviewer.</p><p class="credentials">State(s) of Licensure: Texas</p></section>
<section class="summary"><h2>CLINICAL CASE SUMMARY</h2><p>The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:</p><p>Lumbar pain &amp; spasm.</p></section>
</main></body></html>`;

  it('takes <main> and the style apart', () => {
    const parts = splitLetterHtml(html);
    expect(parts.main.startsWith('<section class="how-made">')).toBe(true);
    expect(parts.title).toBe('IMR Final Determination CM16-0000001');
  });

  it('scopes the letter\'s CSS to the letter, drops @page, and points fonts at the archive', () => {
    const css = scopeCss(splitLetterHtml(html).css, '.letter-body', (u) => u.replace('../../../assets/', ''));
    expect(css).toContain('@font-face{font-family:Tinos;src:url(fonts/tinos-1.woff2) format("woff2")}');
    expect(css).not.toContain('@page');
    expect(css).toContain('.letter-body { font-size: 12pt; }');
    expect(css).toContain('.letter-body { margin: 0; }');
    expect(css).toContain('.letter-body.edition-public { color: #000; }');
    expect(css).toContain('.letter-body h1, .letter-body h2 { text-align: center; }');
    expect(css).toContain('@media screen{\n.letter-body { max-width: 468pt; }\n}');
  });

  it('indexes the letter less its boilerplate', () => {
    const text = searchText(splitLetterHtml(html).main);
    expect(text).toContain('State(s) of Licensure: Texas');
    expect(text).toContain('Lumbar pain & spasm.');
    expect(text).not.toContain('Boilerplate');
    expect(text).not.toContain('The expert reviewer developed');
  });
});

describe('confidential values', () => {
  it('are every value of the parties block, read leniently', () => {
    const got = confidentialValues(
      {
        claimNumber: 'EX-0000-000001',
        injuredWorker: { name: 'Sample A. Worker', address: ['100 Example Street', 'Sampleton, CA 90000'] },
        employer: { name: 'Example Freight Lines, Inc.' },
        claimsAdministrator: { name: 'Specimen Claims', address: ['PO Box 1'] },
        requestingProvider: { name: 'Test P. Physician, MD', address: 'not a list' },
        cc: [{ name: 'Records Department', address: ['PO Box 2'] }],
        unexpected: 'ignored',
      },
      'cases/x.md',
      'CM15-0900001',
    );
    expect(got.map((v) => `${v.kind}: ${v.value}`)).toEqual([
      'claim number: EX-0000-000001',
      'injured worker name: Sample A. Worker',
      'injured worker address: 100 Example Street',
      'injured worker address: Sampleton, CA 90000',
      'employer name: Example Freight Lines, Inc.',
      'claims administrator name: Specimen Claims',
      'claims administrator address: PO Box 1',
      'requesting provider name: Test P. Physician, MD',
      'requesting provider address: not a list',
      'cc name: Records Department',
      'cc address: PO Box 2',
    ]);
    expect(confidentialValues(undefined, 'x', undefined)).toEqual([]);
  });

  it('are found case-insensitively, across punctuation, entities, escapes and accents, but not inside other words', () => {
    const m = createMatcher([value('Example Freight Lines, Inc.', 'employer name'), value('Ann Lee'), value('José Ñúñez'), value("O'Brien & Sons", 'cc name'), value('EX-0000-000001', 'claim number')]);
    const found = (text: string) => m.find(text).map((h) => h.value.value);
    expect(found('<td>EXAMPLE&nbsp;FREIGHT\nlines inc</td>')).toEqual(['Example Freight Lines, Inc.']);
    expect(found('Annual leeway; Anne Leeds')).toEqual([]);
    expect(found('ann  LEE.')).toEqual(['Ann Lee']);
    expect(found('Jos&#233; Nunez')).toEqual(['José Ñúñez']);
    expect(found('{"content":"jose \\u00d1\\u00fa\\u00f1ez"}')).toEqual(['José Ñúñez']);
    expect(found('o&#x27;brien &amp; sons')).toEqual(["O'Brien & Sons"]);
    expect(found('Claim EX 0000 000001.')).toEqual(['EX-0000-000001']);
    expect(found('EX-0000-0000012')).toEqual([]);
  });

  // Issue 10 changed this: short values are no longer skipped; they match as whole words.
  it('checks short values too, as whole words', () => {
    const m = createMatcher([value('Apt 1', 'injured worker address'), value('Al Li'), value('Bo Chen')]);
    expect(m.values).toHaveLength(3);
    const found = (text: string) => m.find(text).map((h) => h.value.value);
    expect(found('Mail to apt. 1; Al Li; bo chen.')).toEqual(['Apt 1', 'Al Li', 'Bo Chen']);
    expect(found('Apt 12, Alli, Bochen, capital')).toEqual([]);
    expect(foldText('  Bo   CHEN ')).toEqual(['bo', 'chen']);
    expect(foldText('Ünïcode-Wörds, 10/325mg')).toEqual(['unicode', 'words', '10', '325mg']);
  });

  it('are reported without the value itself', () => {
    expect(maskValue('Sample A. Worker')).toBe('Samp… (16 characters)');
    expect(maskValue('Ann Lee')).toBe('An… (7 characters)');
  });
});

describe('the leak check', () => {
  const planted = createMatcher([value('Planted Q. Person'), value('PL-1234-5678', 'claim number')]);

  it('finds a planted value in an HTML file', async () => {
    const leaks = await scanFile('letters/CM16-0000001/v1/index.html', Buffer.from('<p>Seen by planted q. PERSON.</p>'), planted, { poppler: false });
    expect(leaks).toEqual([{ file: 'letters/CM16-0000001/v1/index.html', kind: 'injured worker name', source: 'cases/x.md', masked: 'Plan… (17 characters)', where: 'text' }]);
  });

  it('finds a planted value inside a gzipped Pagefind chunk', async () => {
    const fragment = gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), Buffer.from(JSON.stringify({ url: '/x/', content: 'Claim PL-1234-5678 was denied.', meta: {} }))]));
    expect(fragment.includes(Buffer.from('PL-1234'))).toBe(false);
    const leaks = await scanFile('pagefind/fragment/en_0000000.pf_fragment', fragment, planted, { poppler: false });
    expect(leaks.map((l) => [l.file, l.kind, l.where])).toEqual([['pagefind/fragment/en_0000000.pf_fragment', 'claim number', 'gunzipped']]);
  });

  it('reads a PDF\'s hex strings (its document information)', async () => {
    const utf16 = Buffer.from('\ufeffPlanted Q. Person', 'utf16le').swap16().toString('hex').toUpperCase();
    const pdf = Buffer.from(`%PDF-1.7\n1 0 obj << /Title <${utf16}> >> endobj\n%%EOF\n`, 'latin1');
    expect(hexStrings(pdf.toString('latin1'))).toContain('Planted Q. Person');
    const texts = await fileTexts('x.pdf', pdf, { poppler: false });
    expect(texts.map((t) => t.where)).toEqual(['PDF bytes', 'PDF strings']);
    const leaks = await scanFile('letters/CM16-0000001/v1/CM16-0000001-v1-public.pdf', pdf, planted, { poppler: false });
    expect(leaks.map((l) => l.where)).toEqual(['PDF strings']);
  });

  it('finds nothing in clean files', async () => {
    expect(await scanFile('index.html', Buffer.from('<p>The injured worker has lumbar pain.</p>'), planted, { poppler: false })).toEqual([]);
  });
});

describe('serve: paths and types', () => {
  const base = path.resolve('/srv/out');
  it('maps URL paths inside the folder only', () => {
    expect(resolveUrlPath(base, '/archive/')).toBe(path.join(base, 'archive'));
    expect(resolveUrlPath(base, '/archive/letters/CM16-0000001/v1/index.html')).toBe(path.join(base, 'archive/letters/CM16-0000001/v1/index.html'));
    for (const bad of ['/../etc/passwd', '/archive/../../etc/passwd', '/%2e%2e/etc/passwd', '/archive/%2E%2E/%2E%2E/x', '/a\\..\\b', '/.archive-1.tmp/index.html', '/x%00.html', '/%E0%A4%A', 'relative']) {
      expect(resolveUrlPath(base, bad), bad).toBeNull();
    }
  });
  it('names the content types of the archive\'s files', () => {
    expect(contentType('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('pagefind/wasm.en.pagefind')).toBe('application/octet-stream');
    expect(contentType('pagefind/fragment/en_1.pf_fragment')).toBe('application/octet-stream');
    expect(contentType('pagefind/pagefind.js')).toBe('text/javascript; charset=utf-8');
    expect(contentType('x.wasm')).toBe('application/wasm');
    expect(contentType('x.pdf')).toBe('application/pdf');
    expect(contentType('x.woff2')).toBe('font/woff2');
  });
});

// ---------------------------------------------------------------------------------
// End to end, on HTML-only builds (no Chromium).

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function digest(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await listFiles(dir)) out.set(f, createHash('sha256').update(await readFile(path.join(dir, f))).digest('hex'));
  return out;
}

describe('buildArchive', () => {
  let cases: string;
  let out: string;
  setup(async () => {
    ({ cases, out } = await builtCasesCopy(temp));
  });

  it('publishes every final letter of cases/ at its stable URL, with the search bundle', async () => {
    const result = await archive(out, [cases]);
    expect(result.leaks).toEqual([]);
    expect(result.published).toBe(true);
    expect(result.listed).toBe(6);
    const files = await listFiles(path.join(out, 'archive'));
    for (const c of ['CM15-0900001', 'CM15-0900002', 'CM16-0229336', 'CM16-0233904', 'CM16-0247802', 'CM17-0014449']) {
      expect(files).toContain(`letters/${c}/v1/index.html`);
    }
    expect(files).toContain('index.html');
    // The search files (issue 13): a shard per decision year and the catalog, in chunks, and the manifest.
    expect(files).toContain('search/search.json');
    const manifest = JSON.parse(await readFile(path.join(out, 'archive/search/search.json'), 'utf8')) as { catalog: { prefix: string; chunks: number }; shards: { year: number; letters: number; prefix: string; chunks: number }[] };
    expect(manifest.shards.reduce((n, x) => n + x.letters, 0)).toBe(6);
    for (const db of [manifest.catalog, ...manifest.shards]) for (let i = 0; i < db.chunks; i++) expect(files).toContain(`search/${db.prefix}${String(i).padStart(3, '0')}`);
    expect(result.search).toEqual(manifest);
    expect(files.some((f) => /pagefind|\.tmp$|\.sqlite3$/.test(f))).toBe(false);
    expect(result.values.checked).toBeGreaterThan(10);
    const page = await readFile(path.join(out, 'archive/letters/CM16-0247802/v1/index.html'), 'utf8');
    expect(page).toContain('<h1>CM16-0247802');
    expect(page).toContain('Orphenadrine Citrate ER 100mg tabs #30');
    expect(page).toContain('No PDF was printed');
    // The letter's CSS is scoped to the letter and its fonts are the archive's own.
    const css = page.match(/href="\.\.\/\.\.\/\.\.\/(assets\/letter-[0-9a-f]+\.css)"/)![1]!;
    const cssText = await readFile(path.join(out, 'archive', css), 'utf8');
    for (const url of cssText.match(/url\(([^)]+)\)/g)!) expect(existsSync(path.join(out, 'archive/assets', url.slice(4, -1)))).toBe(true);
    expect(cssText).not.toMatch(/^\s*(html|body|h2|a)\b/m);
    // No staging folder is left behind (`.cache/` keeps the open data's compressed months).
    expect((await readdir(out)).filter((f) => f.startsWith('.') && f !== '.cache')).toEqual([]);
  });

  it('writes the same bytes from the same out/', async () => {
    await archive(out, [cases]);
    const first = await digest(path.join(out, 'archive'));
    await archive(out, [cases]);
    expect(await digest(path.join(out, 'archive'))).toEqual(first);
  });

  it('fails, names the file and the kind of value, and publishes nothing when a confidential value appears', async () => {
    const before = await digest(path.join(out, 'archive'));
    // A case whose parties hold words its public text prints: planted in the employer's name.
    const leaky = await temp('leaky');
    await cp(cases, leaky, { recursive: true });
    const file = path.join(leaky, 'CM15-0900001.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('name: Example Freight Lines, Inc.', 'name: "Morphine is not 1st line"'));
    await writeFile(path.join(leaky, 'CM15-0900002.md'), (await readFile(path.join(leaky, 'CM15-0900002.md'), 'utf8')).replace('claimNumber: EX-0000-000002', 'claimNumber: "Norco 10/325mg #240"'));
    const result = await archive(out, [leaky]);
    expect(result.published).toBe(false);
    const has = (file: string, kind: string) => result.leaks.some((l) => l.file === file && l.kind === kind && l.source.endsWith(kind === 'employer name' ? 'CM15-0900001.md' : 'CM15-0900002.md'));
    expect(has('letters/CM15-0900002/v1/index.html', 'employer name')).toBe(true);
    expect(has('letters/CM15-0900002/v1/index.html', 'claim number')).toBe(true);
    // In the search databases too (issue 13), read through SQLite: a letter's row, and its
    // indexed tokens (its token stream rebuilt from fts5vocab), as well as the raw bytes.
    const shards = new Set(result.search!.shards.map((x) => `search/${x.prefix}`));
    const inShard = (where: string, kind: string) => result.leaks.some((l) => shards.has(l.file) && l.where === where && l.kind === kind);
    expect(inShard('SQLite letters row', 'claim number')).toBe(true);
    expect(inShard('SQLite index tokens', 'claim number')).toBe(true);
    expect(inShard('SQLite index tokens', 'employer name')).toBe(true);
    expect(result.leaks.every((l) => !l.masked.includes('Morphine is not'))).toBe(true);
    // The archive in place is the last clean one, and no staging folder is left.
    expect(await digest(path.join(out, 'archive'))).toEqual(before);
    expect((await readdir(out)).filter((f) => f.startsWith('.') && f !== '.cache')).toEqual([]);
  });

  it('search shard and search catalog (a CI matrix, issue 13) write nothing when a confidential value reaches the index', async () => {
    const leaky = await temp('leaky-shard');
    await cp(cases, leaky, { recursive: true });
    const file = path.join(leaky, 'CM15-0900002.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('claimNumber: EX-0000-000002', 'claimNumber: "Norco 10/325mg #240"'));
    const parts = await temp('parts');
    const bad = await searchShard({ out, cases: [leaky], year: 2015, into: parts });
    expect(bad.written).toBe(false);
    expect(bad.leaks.some((l) => l.kind === 'claim number' && l.where === 'SQLite index tokens')).toBe(true);
    expect(await readdir(parts)).toEqual([]);
    // Clean: the shard is written under its hash, and the catalog job publishes it.
    const good = await searchShard({ out, cases: [cases], year: 2015, into: parts });
    expect([good.written, good.leaks]).toEqual([true, []]);
    expect(await readdir(parts)).toEqual([good.entry!.prefix.slice(0, -1)]);
    const into = path.join(await temp('published'), 'search');
    const catalog = await searchCatalog({ from: parts, into, cases: [cases] });
    expect(catalog.written).toBe(true);
    expect(catalog.manifest!.shards.map((x) => [x.year, x.prefix])).toEqual([[2015, good.entry!.prefix]]);
    expect(JSON.parse(await readFile(path.join(into, 'search.json'), 'utf8'))).toEqual(catalog.manifest);
  });

  it('says what was decided on a modified request, on the letter page, in browse and in the search data (issue 11)', async () => {
    const result = await archive(out, [cases]);
    expect(result.published).toBe(true);
    const decided = 'Baclofen 100mg #3 (the part of Baclofen 100mg #30 left after Baclofen 100mg #27 was authorized)';
    const page = await readFile(path.join(out, 'archive/letters/CM16-0233904/v1/index.html'), 'utf8');
    expect(page).toContain(`<li><span class="request">${decided}</span> <span class="decision decision-upheld">Upheld</span>`);
    const month = (await readdir(path.join(out, 'archive/browse'))).find((d) => d === '2017-01')!;
    expect(await readFile(path.join(out, 'archive/browse', month, 'index.html'), 'utf8')).toContain(`<span class="request">${decided}</span>`);
    const facts = JSON.parse(await readFile(path.join(out, 'letters/CM16-0229336/v1/CM16-0229336-v1-public.json'), 'utf8')) as PublicFacts;
    expect(facts.items[0]).toMatchObject({ modified: { form: 'alternative' } });
    expect(facts.items[0]!.decided).toBe(facts.items[0]!.request);
  });

  it('marks an earlier revision superseded, links it to the next, and lists only the latest', async () => {
    const revCases = await temp('rev-cases');
    const revOut = await temp('rev-out');
    const original = await readFile(path.join(root, 'cases', 'CM16-0233904.md'), 'utf8');
    await writeFile(path.join(revCases, 'CM16-0233904.md'), original);
    expect((await buildHtml([revCases], revOut)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const corrected = original.replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the date of the UR denial.').replace(/^  decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: $1');
    expect(corrected).not.toBe(original);
    await writeFile(path.join(revCases, 'CM16-0233904.md'), corrected);
    expect((await buildHtml([revCases], revOut)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = await archive(revOut, [revCases]);
    expect(result.published).toBe(true);
    expect([result.listed, result.superseded]).toEqual([1, 1]);
    const v1 = await readFile(path.join(revOut, 'archive/letters/CM16-0233904/v1/index.html'), 'utf8');
    const v2 = await readFile(path.join(revOut, 'archive/letters/CM16-0233904/v2/index.html'), 'utf8');
    expect(v1).toContain('Superseded: this is not the current decision');
    expect(v1).toContain('href="../../../letters/CM16-0233904/v2/">revision 2</a>');
    expect(v2).not.toContain('Superseded: this is');
    expect(v2).toContain('What this revision corrects:');
    expect(v2).toContain('href="../../../letters/CM16-0233904/v1/">Revision 1</a>');
    const browse = await readFile(path.join(revOut, 'archive/browse', (await readdir(path.join(revOut, 'archive/browse'))).find((d) => /^\d{4}-\d{2}$/.test(d))!, 'index.html'), 'utf8');
    expect(browse).toContain('letters/CM16-0233904/v2/');
    expect(browse).not.toContain('letters/CM16-0233904/v1/');
  });
});
