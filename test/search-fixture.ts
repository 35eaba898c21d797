/**
 * A search archive (`search/search.json`, a catalog and a shard per year, in chunk
 * files) written by the contract of SEARCH-DESIGN.md, for the client's tests while the
 * engine's writer (`src/archive/search/`) is not there; and the records of generated
 * letters. Plain better-sqlite3.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { facetsOf } from '../src/archive/facets.js';
import { generateCase } from '../src/generate/index.js';
import { publicFacts } from '../src/render/facts.js';
import type { Case } from '../src/check/index.js';
import { letterId } from '../templates/archive/query.js';

export interface FixtureRecord {
  case: string;
  revision: number;
  url: string;
  date: string;
  outcome: string;
  title: string;
  items: string;
  excerpt: string;
  facets: Record<string, string[]>;
  body: string;
}

export const facetToken = (key: string, value: string): string => `${key}_${value.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;

/** `count` generated letters as search records (the case file's text as the letter's text). */
export function generatedRecords(count: number, seed = 7): FixtureRecord[] {
  const out: FixtureRecord[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < count; i++) {
    const g = generateCase(seed, i);
    if (seen.has(g.data.case)) continue;
    seen.add(g.data.case);
    const facts = publicFacts({ data: g.data } as unknown as Case);
    const body = g.text.slice(g.text.indexOf('\n---', 3) + 4).replace(/^# .*$/gm, '').replace(/\s+/g, ' ').trim();
    const outcome = facts.outcome === 'upheld' ? 'Upheld' : facts.outcome === 'overturned' ? 'Overturned' : 'Overturned in part';
    out.push({
      case: g.data.case,
      revision: 1,
      url: `letters/${g.data.case}/v1/`,
      date: g.data.dates.decision,
      outcome,
      title: g.data.case,
      items: JSON.stringify(facts.items.map((it) => [it.decision, it.decided])),
      excerpt: body.slice(0, 1200),
      facets: facetsOf(facts),
      body,
    });
  }
  return out;
}

const SCHEMA = `
PRAGMA page_size=4096; PRAGMA journal_mode=DELETE;
CREATE TABLE letters(id INTEGER PRIMARY KEY, "case" TEXT NOT NULL, revision INTEGER NOT NULL, url TEXT NOT NULL, date TEXT NOT NULL, outcome TEXT NOT NULL, title TEXT NOT NULL, items TEXT NOT NULL, excerpt TEXT NOT NULL, facets TEXT NOT NULL);
CREATE VIRTUAL TABLE text USING fts5(body, f, content='', detail=full, tokenize='unicode61 remove_diacritics 2');`;

/** Writes `<dir>/search/`. Returns the per-year database files (kept beside, in `<dir>/.db/`). */
export function writeSearchFixture(dir: string, records: readonly FixtureRecord[], chunkSize = 1 << 20): Map<number, string> {
  const dbDir = path.join(dir, '.db');
  const searchDir = path.join(dir, 'search');
  rmSync(searchDir, { recursive: true, force: true });
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(searchDir, { recursive: true });
  const byYear = new Map<number, FixtureRecord[]>();
  for (const r of records) {
    const y = Number(r.date.slice(0, 4));
    byYear.set(y, [...(byYear.get(y) ?? []), r]);
  }
  const files = new Map<number, string>();
  for (const [year, rs] of [...byYear].sort((a, b) => b[0] - a[0])) {
    const file = path.join(dbDir, `${year}.sqlite3`);
    rmSync(file, { force: true });
    const db = new Database(file);
    db.exec(SCHEMA);
    const letter = db.prepare('INSERT INTO letters VALUES (?,?,?,?,?,?,?,?,?,?)');
    const text = db.prepare('INSERT INTO text(rowid, body, f) VALUES (?,?,?)');
    db.transaction(() => {
      for (const r of [...rs].sort((a, b) => letterId(a.date, a.case) - letterId(b.date, b.case))) {
        const id = letterId(r.date, r.case);
        letter.run(id, r.case, r.revision, r.url, r.date, r.outcome, r.title, r.items, r.excerpt, JSON.stringify(r.facets));
        text.run(id, r.body, Object.entries(r.facets).flatMap(([k, vs]) => vs.map((v) => facetToken(k, v))).join(' '));
      }
    })();
    db.exec(`INSERT INTO text(text) VALUES('optimize'); VACUUM;`);
    db.close();
    files.set(year, file);
  }
  const catalogFile = path.join(dbDir, 'catalog.sqlite3');
  rmSync(catalogFile, { force: true });
  const cat = new Database(catalogFile);
  cat.exec(`PRAGMA page_size=4096; PRAGMA journal_mode=DELETE;
CREATE TABLE cases("case" TEXT PRIMARY KEY, year INTEGER NOT NULL, id INTEGER NOT NULL, url TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE terms(term TEXT PRIMARY KEY, years TEXT NOT NULL, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE counts(month TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(month, key, value)) WITHOUT ROWID;
CREATE TABLE latest(id INTEGER PRIMARY KEY, year INTEGER, "case" TEXT, url TEXT, date TEXT, outcome TEXT, title TEXT, items TEXT);`);
  const terms = new Map<string, { years: number[]; docs: number }>();
  for (const [year, file] of files) {
    const db = new Database(file, { readonly: true });
    db.exec(`CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'text', 'row')`);
    for (const r of db.prepare('SELECT term, doc FROM temp.v').all() as { term: string; doc: number }[]) {
      const t = terms.get(r.term) ?? { years: [], docs: 0 };
      t.years.push(year);
      t.docs += r.doc;
      terms.set(r.term, t);
    }
    db.close();
  }
  // Only column body counts; the fixture's f tokens are in terms too (harmless for the client).
  cat.transaction(() => {
    const c = cat.prepare('INSERT INTO cases VALUES (?,?,?,?)');
    for (const r of records) c.run(r.case, Number(r.date.slice(0, 4)), letterId(r.date, r.case), r.url);
    const t = cat.prepare('INSERT INTO terms VALUES (?,?,?)');
    for (const [term, v] of terms) t.run(term, v.years.sort((a, b) => b - a).join(' '), v.docs);
    const counts = new Map<string, number>();
    for (const r of records) for (const [k, vs] of Object.entries(r.facets)) for (const v of vs) counts.set(JSON.stringify([r.date.slice(0, 7), k, v]), (counts.get(JSON.stringify([r.date.slice(0, 7), k, v])) ?? 0) + 1);
    const n = cat.prepare('INSERT INTO counts VALUES (?,?,?,?)');
    for (const [k, v] of counts) n.run(...(JSON.parse(k) as [string, string, string]), v);
    const l = cat.prepare('INSERT INTO latest VALUES (?,?,?,?,?,?,?,?)');
    for (const r of [...records].sort((a, b) => letterId(b.date, b.case) - letterId(a.date, a.case)).slice(0, 50)) l.run(letterId(r.date, r.case), Number(r.date.slice(0, 4)), r.case, r.url, r.date, r.outcome, r.title, r.items);
  })();
  cat.exec('VACUUM');
  cat.close();
  const split = (file: string, name: string) => {
    const bytes = readFileSync(file);
    const prefix = `${name}-${createHash('sha256').update(bytes).digest('hex').slice(0, 10)}/`;
    mkdirSync(path.join(searchDir, prefix), { recursive: true });
    let chunks = 0;
    for (let at = 0; at < bytes.length; at += chunkSize) writeFileSync(path.join(searchDir, prefix, String(chunks++).padStart(3, '0')), bytes.subarray(at, at + chunkSize));
    return { prefix, bytes: bytes.length, chunks, suffixLength: 3 };
  };
  const manifest = {
    format: 1,
    pageSize: 4096,
    chunkSize,
    catalog: split(catalogFile, 'catalog'),
    shards: [...files].map(([year, file]) => {
      const rs = byYear.get(year)!.map((r) => r.date).sort();
      return { year, letters: rs.length, first: rs[0]!, last: rs[rs.length - 1]!, ...split(file, String(year)) };
    }),
  };
  writeFileSync(path.join(searchDir, 'search.json'), JSON.stringify(manifest));
  files.set(0, catalogFile);
  return files;
}
