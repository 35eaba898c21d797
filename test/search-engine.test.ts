/**
 * The search engine's files (issue 13): ids, facet tokens, year shards, the catalog made
 * from the shards alone, the chunk files and `search.json`, deterministic bytes (two
 * builds; shards built one by one, then the catalog, as a CI matrix would).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { facetToken, facetTokens } from '../src/archive/search/facet-token.js';
import { dateOfId, idRange, letterId } from '../src/archive/search/ids.js';
import { addLetters } from '../src/archive/search/add.js';
import { assembleDatabase, assembleShards, buildShards, folderEmit, publishSearch, readSearchManifest, type SearchManifest } from '../src/archive/search/index.js';
import { EXCERPT_CHARS, excerptOf, type SearchLetter } from '../src/archive/search/record.js';
import { writeShard } from '../src/archive/search/shard.js';
import { scanCatalog, scanShard } from '../src/archive/search/leak-scan.js';
import { PAGE_SIZE } from '../src/archive/search/sqlite.js';
import { confidentialValues, createMatcher } from '../src/confidential/index.js';
import { generatedLetters } from '../src/bench/search-records.js';
import { tempFolders } from './helpers.js';

const temp = tempFolders('imr-search');
const letters: SearchLetter[] = [...generatedLetters(300, 7)];

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}

async function buildAll(list: readonly SearchLetter[], chunkSize?: number): Promise<{ dir: string; manifest: SearchManifest; work: string }> {
  const work = temp('work');
  const dir = temp('search');
  const manifest = await publishSearch(work, buildShards(work, list), folderEmit(dir), { chunkSize });
  return { dir, manifest, work };
}

describe('search ids', () => {
  it('orders letters by decision date, then case number, below 2^53', () => {
    const a = letterId('2016-05-03', 'CM16-0213037');
    const b = letterId('2016-05-03', 'CM99-9999999');
    const c = letterId('2016-05-04', 'CM00-0000000');
    expect(a).toBe(16_924 * 2 ** 30 + 16 * 1e7 + 213_037);
    expect(a < b && b < c).toBe(true);
    expect(dateOfId(b)).toBe('2016-05-03');
    expect(letterId('9999-12-31', 'CM99-9999999')).toBeLessThan(Number.MAX_SAFE_INTEGER);
    const may = idRange('2016-05', '2016-05');
    expect([may.lo <= a, a <= may.hi, c <= may.hi, letterId('2016-06-01', 'CM00-0000000') > may.hi]).toEqual([true, true, true, true]);
    expect(idRange(undefined, '2016-05-03').hi).toBe(c - 1);
    expect(() => letterId('2016-02-30', 'CM16-0213037')).toThrow(/Not a date/);
    expect(() => letterId('2016-02-03', 'CM16-213037')).toThrow(/Not a case number/);
  });
});

describe('facet tokens', () => {
  it('are key_value slugs, one term each', () => {
    expect(facetToken('category', 'Diagnostic Testing')).toBe('category_diagnostic_testing');
    expect(facetToken('month', '2016-05')).toBe('month_2016_05');
    expect(facetToken('guideline', 'MTUS: Chronic Pain Medical Treatment')).toBe('guideline_mtus_chronic_pain_medical_treatment');
    expect(facetToken('specialty', 'Physical Medicine & Rehabilitation')).toBe('specialty_physical_medicine_rehabilitation');
    expect(facetTokens({ outcome: ['Upheld'], year: ['2016'] })).toEqual(['outcome_upheld', 'year_2016']);
  });
});

describe('shards and catalog', () => {
  it('writes a shard per year that FTS5 searches newest first, with facet filters and phrases', async () => {
    const { work, manifest } = await buildAll(letters);
    const years = [...new Set(letters.map((l) => Number(l.date.slice(0, 4))))].sort().reverse();
    expect(manifest.shards.map((s) => s.year)).toEqual(years);
    expect(manifest.shards.reduce((n, s) => n + s.letters, 0)).toBe(letters.length);
    const year = manifest.shards[1]!;
    const db = new Database(path.join(work, `${year.year}.sqlite3`), { readonly: true });
    try {
      expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      // SQLite 3.35 (sql.js-httpvfs) reads it: rollback-journal file format (bytes 18, 19 = 1),
      // FTS5 structure version 4 (no contentless_delete / secure-delete), no STRICT tables.
      const header = readFileSync(path.join(work, `${year.year}.sqlite3`)).subarray(0, 100);
      expect([header[18], header[19]]).toEqual([1, 1]);
      expect(db.prepare(`SELECT v FROM text_config WHERE k = 'version'`).pluck().get()).toBe(4);
      expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%STRICT%' OR sql LIKE '%contentless_delete%'`).pluck().get()).toBe(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const mine = letters.filter((l) => l.date.startsWith(String(year.year)));
      const ids = (q: string) => (db.prepare('SELECT rowid FROM text WHERE text MATCH ? ORDER BY rowid DESC').all(q) as { rowid: number }[]).map((r) => r.rowid);
      const idOf = (l: SearchLetter) => letterId(l.date, l.case);
      const newestFirst = (list: SearchLetter[]) => list.map(idOf).sort((a, b) => b - a);
      expect(ids('pain')).toEqual(newestFirst(mine.filter((l) => /\bpain\b/i.test(l.body))));
      expect(ids('"straight leg raise"')).toEqual(newestFirst(mine.filter((l) => /straight leg raise/i.test(l.body))));
      const overturned = mine.filter((l) => l.facets.outcome!.includes('Overturned'));
      expect(overturned.length).toBeGreaterThan(0);
      expect(ids('f:outcome_overturned')).toEqual(newestFirst(overturned));
      expect(ids('f:outcome_overturned AND acupuncture')).toEqual(newestFirst(overturned.filter((l) => /acupuncture/i.test(l.body))));
      // A facet token is one term: no phrase of its parts matches another value.
      expect(ids('f:outcome_overturned_in_part')).toEqual(newestFirst(mine.filter((l) => l.facets.outcome!.includes('Overturned in part'))));
      const row = db.prepare('SELECT * FROM letters ORDER BY id DESC LIMIT 1').get() as Record<string, unknown>;
      const newest = mine.find((l) => idOf(l) === row.id)!;
      expect(row).toMatchObject({ case: newest.case, url: newest.url, date: newest.date, outcome: newest.outcome, excerpt: excerptOf(newest.body) });
      expect(JSON.parse(row.items as string)).toEqual(newest.items);
      expect((row.excerpt as string).length).toBeLessThanOrEqual(EXCERPT_CHARS);
      // The facets apart from the shown row (read only for the counts), keys and values sorted.
      expect(JSON.parse(db.prepare('SELECT facets FROM facets WHERE id = ?').pluck().get(row.id) as string)).toEqual(Object.fromEntries(Object.keys(newest.facets).sort().map((k) => [k, [...newest.facets[k]!].sort()])));
      expect(db.prepare('SELECT count(*) FROM facets').pluck().get()).toBe(mine.length);
      // FTS5 leaves fit a page (no overflow page to read after a leaf); the roots are the first pages, as the manifest says.
      expect(db.prepare(`SELECT count(*) FROM dbstat WHERE name = 'text_data' AND pagetype = 'overflow'`).pluck().get()).toBe(0);
      expect(year.roots).toBe(db.prepare('SELECT max(rootpage) FROM sqlite_schema').pluck().get());
      expect(year.roots).toBeLessThanOrEqual(8);
    } finally {
      db.close();
    }
  });

  it('makes the catalog from the shards: cases, words by year, counts by month, the latest letters', async () => {
    const { work } = await buildAll(letters);
    const db = new Database(path.join(work, 'catalog.sqlite3'), { readonly: true });
    try {
      const l = letters[5]!;
      expect(db.prepare('SELECT year, id, url FROM cases WHERE "case" = ?').get(l.case)).toEqual({ year: Number(l.date.slice(0, 4)), id: letterId(l.date, l.case), url: l.url });
      expect((db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(letters.length);
      const pain = db.prepare('SELECT years, docs FROM terms WHERE term = ?').get('pain') as { years: string; docs: number };
      const withPain = letters.filter((x) => /\bpain\b/i.test(x.body));
      expect(pain.docs).toBe(withPain.length);
      expect(pain.years).toBe([...new Set(withPain.map((x) => x.date.slice(0, 4)))].sort().reverse().join(' '));
      const month = l.date.slice(0, 7);
      const n = db.prepare('SELECT n FROM counts WHERE month = ? AND key = ? AND value = ?').get(month, 'outcome', 'Upheld') as { n: number } | undefined;
      expect(n?.n ?? 0).toBe(letters.filter((x) => x.date.startsWith(month) && x.outcome === 'Upheld').length);
      const latest = (db.prepare('SELECT "case" FROM latest ORDER BY id DESC').all() as { case: string }[]).map((r) => r.case);
      expect(latest).toEqual([...letters].sort((a, b) => letterId(b.date, b.case) - letterId(a.date, a.case)).slice(0, 50).map((x) => x.case));
    } finally {
      db.close();
    }
  });

  it('splits every database into chunks of at most chunkSize and names them by content', async () => {
    const { dir, manifest, work } = await buildAll(letters, 64 * 1024);
    expect(readSearchManifest(dir)).toEqual(manifest);
    for (const db of [manifest.catalog, ...manifest.shards]) {
      const names = Array.from({ length: db.chunks }, (_, i) => `${db.prefix}${String(i).padStart(3, '0')}`);
      const joined = Buffer.concat(names.map((n) => readFileSync(path.join(dir, n))));
      expect(joined.length).toBe(db.bytes);
      for (const n of names) expect(readFileSync(path.join(dir, n)).length).toBeLessThanOrEqual(64 * 1024);
      expect(db.prefix).toBe(`${createHash('sha256').update(joined).digest('hex').slice(0, 10)}/`.replace(/^/, `${'year' in db ? db.year : 'catalog'}-`));
    }
    expect(manifest.shards.some((s) => s.chunks > 1)).toBe(true);
    const year = manifest.shards[0]!;
    expect(Buffer.concat(Array.from({ length: year.chunks }, (_, i) => readFileSync(path.join(dir, `${year.prefix}${String(i).padStart(3, '0')}`))))).toEqual(readFileSync(path.join(work, `${year.year}.sqlite3`)));
  });

  it('writes the same bytes twice, and the same bytes from shards built one by one (a CI matrix)', async () => {
    const first = await buildAll(letters);
    const second = await buildAll([...letters].reverse());
    expect(digest(second.dir)).toEqual(digest(first.dir));
    // A job per year writes its shard's chunks; the last job assembles them and makes the catalog.
    const uploads = temp('uploads');
    for (const year of [...new Set(letters.map((l) => l.date.slice(0, 4)))]) {
      const work = temp(`job-${year}`);
      const file = path.join(work, `${year}.sqlite3`);
      writeShard(file, letters.filter((l) => l.date.startsWith(year)));
      await publishSearch(work, [{ year: Number(year), file }], folderEmit(uploads));
    }
    const last = temp('last');
    const dir = temp('matrix');
    await publishSearch(last, assembleShards(uploads, last), folderEmit(dir));
    expect(digest(dir)).toEqual(digest(first.dir));
  });

  it('refuses a case twice in a year and letters of another year', () => {
    const work = temp('bad');
    const l = letters[0]!;
    expect(() => writeShard(path.join(work, 'a.sqlite3'), [l, { ...l, revision: 2 }])).toThrow(/twice/);
    const other = letters.find((x) => x.date.slice(0, 4) !== l.date.slice(0, 4))!;
    expect(() => writeShard(path.join(work, 'b.sqlite3'), [l, other])).toThrow(/one year/);
  });
});

/** Every row of the catalog's tables and each shard's matches for some queries: what a reader can see. */
function visible(dir: string, work: string): Record<string, unknown> {
  const m = readSearchManifest(dir);
  const shards = assembleShards(dir, work);
  const out: Record<string, unknown> = {};
  const catalogFile = path.join(work, 'catalog.sqlite3');
  assembleDatabase(dir, m.catalog, catalogFile);
  const c = new Database(catalogFile, { readonly: true });
  for (const t of ['cases', 'terms', 'counts', 'latest']) out[t] = c.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all();
  c.close();
  for (const s of shards) {
    const db = new Database(s.file, { readonly: true });
    out[`${s.year} letters`] = db.prepare('SELECT * FROM letters ORDER BY id').all();
    out[`${s.year} facets`] = db.prepare('SELECT * FROM facets ORDER BY id').all();
    for (const q of ['pain', '"straight leg raise"', 'f:outcome_overturned', 'f:category_surgery AND lumbar', 'acupuncture OR norco', 'zzzrevised']) {
      out[`${s.year} ${q}`] = db.prepare('SELECT rowid, bm25(text) AS score FROM text WHERE text MATCH ? ORDER BY rowid').all(q);
    }
    db.close();
  }
  return out;
}

describe('addLetters', () => {
  it('adds a day of letters: the same search as a full build, only the touched years rewritten', async () => {
    // A day's letters fall in one or two years: here 30 letters of one year and one of another.
    const year = letters[0]!.date.slice(0, 4);
    const day = [...letters.filter((l) => l.date.startsWith(year)).slice(-30), letters.find((l) => !l.date.startsWith(year))!];
    const before = letters.filter((l) => !day.includes(l));
    const { dir } = await buildAll(before);
    const old = readSearchManifest(dir);
    const digests = digest(dir);
    // A folder of the first format (4 KiB pages, no facets table) is refused, nothing written.
    const manifestFile = path.join(dir, 'search.json');
    const current = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, current.replace(`"pageSize": ${PAGE_SIZE}`, '"pageSize": 4096'));
    await expect(addLetters(dir, day, { work: temp('add-old') })).rejects.toThrow(/4096-byte pages.*rebuild the archive's search/);
    expect(digest(dir)).toEqual({ ...digests, 'search.json': digest(dir)['search.json'] });
    writeFileSync(manifestFile, current);
    const result = await addLetters(dir, day, { work: temp('add') });
    const touched = new Set(day.map((l) => Number(l.date.slice(0, 4))));
    expect(result.years).toEqual([...touched].sort());
    expect(old.shards.length - touched.size).toBeGreaterThan(2);
    expect(result.added).toBe(day.length);
    const after = digest(dir);
    for (const s of old.shards) {
      const files = Object.keys(digests).filter((f) => f.startsWith(s.prefix));
      if (touched.has(s.year)) expect(files.every((f) => !(f in after))).toBe(true);
      else for (const f of files) expect(after[f]).toBe(digests[f]);
    }
    expect(result.manifest).toEqual(readSearchManifest(dir));
    const full = await buildAll(letters);
    expect(visible(dir, temp('v1'))).toEqual(visible(full.dir, temp('v2')));
  });

  it('replaces a case whose new revision is added, deleting the old revision from the index (its text given)', async () => {
    const { dir } = await buildAll(letters);
    const old = letters[10]!;
    const moved = letters.find((l) => l.date.slice(0, 4) !== old.date.slice(0, 4))!;
    const revised: SearchLetter = { ...old, revision: 2, url: old.url.replace('/v1/', '/v2/'), date: moved.date, body: `${old.body}\nzzzrevised` };
    await expect(addLetters(dir, [revised], { work: temp('r0') })).rejects.toThrow(/previousBody/);
    const result = await addLetters(dir, [revised], { work: temp('r1'), previousBody: (c, r) => (c === old.case && r === 1 ? old.body : undefined) });
    expect([result.added, result.replaced]).toEqual([0, 1]);
    const full = await buildAll(letters.map((l) => (l === old ? revised : l)));
    const seen = visible(dir, temp('v3'));
    expect(seen).toEqual(visible(full.dir, temp('v4')));
    expect(seen[`${moved.date.slice(0, 4)} zzzrevised`]).toEqual([{ rowid: letterId(moved.date, old.case), score: expect.any(Number) }]);
    expect(seen[`${old.date.slice(0, 4)} letters`]).not.toContainEqual(expect.objectContaining({ case: old.case }));
  });
});

describe('the leak check of the search databases, through SQLite', () => {
  it('finds a value only the index holds (past the excerpt) in the rebuilt token stream, and one in a row', async () => {
    const victim = letters[3]!;
    const planted: SearchLetter[] = letters.map((l) => (l === victim ? { ...l, body: `${l.body}\nThe applicant Rosalind Q. Fairweather-Okafor called about claim PL-7734-99120.` } : l));
    expect(excerptOf(planted[3]!.body)).not.toContain('Fairweather');
    const { work, manifest } = await buildAll(planted);
    const values = confidentialValues({ claimNumber: 'PL-7734-99120', injuredWorker: { name: 'Rosalind Q. Fairweather-Okafor' } }, 'cases/x.md', victim.case);
    const all = [createMatcher(values, { parts: false })];
    const own = createMatcher(values);
    const year = Number(victim.date.slice(0, 4));
    const leaks = scanShard(path.join(work, `${year}.sqlite3`), 'search/x/', { all, own: (c) => (c === victim.case ? own : undefined) });
    const found = leaks.map((l) => `${l.where}: ${l.kind}`).sort();
    expect(found).toContain('SQLite index tokens: claim number');
    expect(found).toContain('SQLite index tokens: injured worker name');
    expect(leaks.every((l) => l.where === 'SQLite index tokens')).toBe(true);
    // The rows: a value in a letter's title is found there; the catalog's words too.
    const inRow = planted.map((l, i) => (i === 3 ? { ...l, title: `${l.case} PL-7734-99120` } : l));
    const again = await buildAll(inRow);
    expect(scanShard(path.join(again.work, `${year}.sqlite3`), 'search/y/', { all, own: () => undefined }).map((l) => l.where)).toContain('SQLite letters row');
    // The facets table is read with its letter's row (a value there is the row's), and a facets row without a letter alone.
    const inFacets = planted.map((l, i) => (i === 3 ? { ...l, body: letters[3]!.body, facets: { ...l.facets, specialty: ['PL-7734-99120'] } } : l));
    const third = await buildAll(inFacets);
    const shardFile = path.join(third.work, `${year}.sqlite3`);
    expect(scanShard(shardFile, 'search/f/', { all, own: () => undefined }).map((l) => `${l.where}: ${l.kind}`)).toContain('SQLite letters row: claim number');
    const db = new Database(shardFile);
    db.prepare('DELETE FROM letters WHERE id = ?').run(letterId(victim.date, victim.case));
    db.close();
    expect(scanShard(shardFile, 'search/f/', { all, own: () => undefined }).map((l) => l.where)).toContain('SQLite facets row');
    expect(scanCatalog(path.join(work, 'catalog.sqlite3'), 'search/c/', { all: [createMatcher(confidentialValues({ injuredWorker: { name: 'Fairweather-Okafor' } }, 'cases/x.md', victim.case))], own: () => undefined }).map((l) => l.where)).toContain('SQLite terms');
    // Other letters are clean, token by token (a small window: several passes of the index).
    expect(scanShard(path.join(work, `${manifest.shards.find((s) => s.year !== year)!.year}.sqlite3`), 'search/z/', { all, own: () => own }, 7)).toEqual([]);
  });
});
