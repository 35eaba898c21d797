/**
 * The catalog (`catalog.sqlite3`): what the search page reads before it opens a shard,
 * made from the shards alone (so a last CI job builds it from the shards the matrix
 * built): every case's year and id (a case number is a direct hit), every indexed word
 * of `body` with the years that have it and its letters (a rare word opens only its
 * years), letters per month per facet value (exact filter counts without words), and
 * the newest letters (the home page).
 */
import { existsSync, rmSync } from 'node:fs';
import { ArchiveError } from '../../errors.js';
import { CATALOG_SCHEMA, LATEST, compact, openForWriting, type Db } from './sqlite.js';

export interface ShardFile {
  year: number;
  file: string;
}

/** Writes the catalog of `shards` (any order) to `file`. */
export function writeCatalog(file: string, shards: readonly ShardFile[]): void {
  const years = [...shards].sort((a, b) => a.year - b.year);
  if (new Set(years.map((s) => s.year)).size !== years.length) throw new ArchiveError(`Two shards of one year: ${years.map((s) => s.year).join(', ')}`);
  if (existsSync(file)) rmSync(file);
  const db = openForWriting(file);
  try {
    db.exec(CATALOG_SCHEMA);
    db.exec('CREATE TEMP TABLE year_terms(term TEXT NOT NULL, year INTEGER NOT NULL, docs INTEGER NOT NULL)');
    for (const s of years) addShard(db, s);
    fillTerms(db);
    fillLatest(db, years);
    compact(db, false);
  } finally {
    db.close();
  }
}

/** A shard's cases, counts and words into the catalog (its terms into `temp.year_terms`). */
function addShard(db: Db, s: ShardFile): void {
  db.prepare('ATTACH DATABASE ? AS s').run(s.file);
  try {
    db.transaction(() => {
      db.prepare(`INSERT INTO cases("case", year, id, url) SELECT "case", ?, id, url FROM s.letters ORDER BY "case"`).run(s.year);
      addCounts(db, 's');
      db.exec(`CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(s, text, 'col')`);
      db.prepare(`INSERT INTO temp.year_terms SELECT term, ?, doc FROM temp.vocab WHERE col = 'body'`).run(s.year);
      db.exec('DROP TABLE temp.vocab');
    })();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new ArchiveError(`A case is in two shards (the shard of ${s.year} and an earlier one): search lists one revision of a case`, { cause: error });
    throw error;
  } finally {
    db.exec('DETACH DATABASE s');
  }
}

/** Letters per month per facet value of the shard attached as `schema`, added to `counts` (`sign` -1 takes them away). */
export function addCounts(db: Db, schema: string, where = '', sign = 1): void {
  db.exec(`
    INSERT INTO counts(month, key, value, n)
    SELECT substr(l.date, 1, 7), k.key, v.value, ${sign} * count(*)
    FROM ${schema}.letters AS l JOIN ${schema}.facets AS x USING (id), json_each(x.facets) AS k, json_each(k.value) AS v
    ${where}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT(month, key, value) DO UPDATE SET n = n + excluded.n`);
  db.exec('DELETE FROM counts WHERE n = 0');
}

/** `terms` from `temp.year_terms`: years newest first, letters summed. */
function fillTerms(db: Db): void {
  db.exec(`
    INSERT INTO terms(term, years, docs)
    SELECT term, group_concat(year, ' '), sum(docs)
    FROM (SELECT term, year, docs FROM temp.year_terms ORDER BY term, year DESC)
    GROUP BY term ORDER BY term`);
  db.exec('DROP TABLE temp.year_terms');
}

/** The newest `LATEST` letters of every shard. */
export function fillLatest(db: Db, shards: readonly ShardFile[]): void {
  db.exec('DELETE FROM latest');
  const newestFirst = [...shards].sort((a, b) => b.year - a.year);
  for (const s of newestFirst) {
    const have = (db.prepare('SELECT count(*) AS n FROM latest').get() as { n: number }).n;
    if (have >= LATEST) break;
    db.prepare('ATTACH DATABASE ? AS s').run(s.file);
    try {
      db.prepare(`INSERT INTO latest(id, year, "case", url, date, outcome, title, items) SELECT id, ?, "case", url, date, outcome, title, items FROM s.letters ORDER BY id DESC LIMIT ?`).run(s.year, LATEST - have);
    } finally {
      db.exec('DETACH DATABASE s');
    }
  }
}
