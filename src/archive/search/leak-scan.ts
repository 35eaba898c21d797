/**
 * The leak check of the search databases, read through SQLite (their raw bytes are
 * checked too, as every file is, but FTS5 stores terms prefix-compressed and positions
 * as numbers, so a value can be in an index without being in its bytes):
 *
 * - every text column of every row (`letters` and `facets`; the catalog's `cases`, `latest`, `counts`
 *   and `terms`), with every case's whole values, and a shard's row also with every form
 *   of its own case's values;
 * - every indexed token: each letter's token stream rebuilt from `fts5vocab` 'instance'
 *   (term, letter, column, position), in position order, and read by the shared matcher
 *   as the text of that letter (so a name of two words is found as two tokens in a row).
 *
 * A shard's letters are rebuilt `window` at a time (one pass of the index each), so the
 * memory stays bounded whatever the shard's size.
 */
import type { Matcher } from '../confidential.js';
import { textLeaks, type Leak } from '../leak.js';
import { openReadOnly, type Db } from './sqlite.js';

export interface ScanMatchers {
  /** Whole values of every case. */
  all: readonly Matcher[];
  /** Every form of one case's values, for its own letter. */
  own: (caseNumber: string) => Matcher | undefined;
  /** Receives every folded word the check reads (for the token index), when given. */
  words?: Set<string>;
  /** Called after each row and each window of letters: `words` may be emptied there (default none). */
  drain?: () => void;
}

/** Letters rebuilt at once (about 16 bytes a token). */
const WINDOW = 10_000;

function collect(leaks: Leak[], seen: Set<string>, found: Leak[]): void {
  for (const l of found) {
    const key = `${l.where}\0${l.source}\0${l.kind}\0${l.masked}`;
    if (seen.has(key)) continue;
    seen.add(key);
    leaks.push(l);
  }
}

/** The leaks of a shard (`rel`: how the report names it, e.g. `search/2016-0123456789/`). */
export function scanShard(file: string, rel: string, matchers: ScanMatchers, window = WINDOW): Leak[] {
  const db = openReadOnly(file);
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  try {
    const caseOf = new Map<number, string>();
    // A letter's row with its facets; a facets row without a letter (none is written) still read.
    for (const row of db.prepare('SELECT id, "case", revision, url, date, outcome, title, items, excerpt, facets FROM letters LEFT JOIN facets USING (id)').raw().iterate() as Iterable<unknown[]>) {
      const c = String(row[1]);
      caseOf.set(Number(row[0]), c);
      const own = matchers.own(c);
      collect(leaks, seen, textLeaks(rel, 'SQLite letters row', row.map(String).join('\n'), own ? [...matchers.all, own] : matchers.all, matchers.words));
      matchers.drain?.();
    }
    const orphans = (db.prepare('SELECT facets FROM facets WHERE id NOT IN (SELECT id FROM letters)').pluck().all() as string[]).join('\n');
    if (orphans) collect(leaks, seen, textLeaks(rel, 'SQLite facets row', orphans, matchers.all, matchers.words));
    scanTokens(db, rel, [...caseOf.keys()].sort((a, b) => a - b), caseOf, matchers, window, (found) => collect(leaks, seen, found));
  } finally {
    db.close();
  }
  return leaks;
}

function scanTokens(db: Db, rel: string, ids: number[], caseOf: Map<number, string>, matchers: ScanMatchers, window: number, report: (l: Leak[]) => void): void {
  db.exec(`CREATE VIRTUAL TABLE temp.instances USING fts5vocab(main, text, 'instance')`);
  const scan = db.prepare('SELECT term, doc, col, offset FROM temp.instances').raw();
  for (let from = 0; from < ids.length; from += window) {
    const lo = ids[from]!;
    const hi = ids[Math.min(from + window, ids.length) - 1]!;
    const terms: string[] = [];
    let last: string | undefined;
    // Per letter and column: [offset, term index, offset, term index, …].
    const streams = new Map<number, { body: number[]; f: number[] }>();
    for (const [term, doc, col, offset] of scan.iterate() as Iterable<[string, number, string, number]>) {
      if (doc < lo || doc > hi) continue;
      if (term !== last) {
        terms.push(term);
        last = term;
      }
      let s = streams.get(doc);
      if (!s) streams.set(doc, (s = { body: [], f: [] }));
      (col === 'f' ? s.f : s.body).push(offset, terms.length - 1);
    }
    for (const [doc, s] of streams) {
      const text = `${tokenText(s.body, terms)}\n${tokenText(s.f, terms)}`;
      const own = matchers.own(caseOf.get(doc) ?? '');
      report(textLeaks(rel, 'SQLite index tokens', text, own ? [...matchers.all, own] : matchers.all, matchers.words));
      matchers.drain?.();
    }
  }
  db.exec('DROP TABLE temp.instances');
}

/** Tokens in position order, one space between. */
function tokenText(pairs: number[], terms: string[]): string {
  const order: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) order.push([pairs[i]!, pairs[i + 1]!]);
  order.sort((a, b) => a[0] - b[0]);
  return order.map(([, t]) => terms[t]).join(' ');
}

/** The leaks of the catalog: every text of every table, with every case's whole values. */
export function scanCatalog(file: string, rel: string, matchers: ScanMatchers): Leak[] {
  const db = openReadOnly(file);
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  try {
    for (const table of ['cases', 'latest', 'counts', 'terms']) {
      let lines: string[] = [];
      const flush = () => {
        collect(leaks, seen, textLeaks(rel, `SQLite ${table}`, lines.join('\n'), matchers.all, matchers.words));
        matchers.drain?.();
        lines = [];
      };
      for (const row of db.prepare(`SELECT * FROM ${table}`).raw().iterate() as Iterable<unknown[]>) {
        lines.push(row.map(String).join(' | '));
        if (lines.length >= 20_000) flush();
      }
      flush();
    }
  } finally {
    db.close();
  }
  return leaks;
}
