/**
 * The search box's syntax (`templates/archive/query.js`, the file the search page
 * loads): what each query means, run as FTS5 MATCH expressions by SQLite itself
 * (better-sqlite3) on a small contentless table with the archive's schema, so the
 * expected rows come from the texts, not from the parser's own output. Also: FTS5
 * syntax typed into the box is searched as words, never obeyed; unbalanced quotes and
 * parentheses get a message that says where; the client's copy of the id formula.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import * as engineIds from '../src/archive/search/ids.js';
import { SHARD_SCHEMA } from '../src/archive/search/sqlite.js';
import { idRange, letterId, normalDate, parseQuery, requiredWords, toMatch, words } from '../templates/archive/query.js';

const TEXTS: Record<number, string> = {
  1: 'The lumbar MRI was not medically necessary. Chronic pain.',
  2: 'Acupuncture for knee pain is medically necessary.',
  3: 'An MRI of the lumbar spine; pain management with opioids (Norco).',
  4: 'Hip arthroplasty. No pain mentioned here? The knee was fine.',
  5: 'Physical therapy for the shoulder: AND OR NOT NEAR are words here, and body f column.',
  6: 'Café résumé naïve — acupunctures plural; "quoted" text.',
  7: 'A covid_19 token, kept whole.',
};

const db = new Database(':memory:');
// The shards' own table (src/archive/search/sqlite.ts).
db.exec(SHARD_SCHEMA);
for (const [id, body] of Object.entries(TEXTS)) db.prepare('INSERT INTO text(rowid, body, f) VALUES (?, ?, ?)').run(Number(id), body, 'year_2016 outcome_upheld');
afterAll(() => db.close());

const UNIVERSE = 'f : "year_2016"';

function rows(query: string): number[] {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.message);
  if (!parsed.tree) return [];
  const match = toMatch(parsed.tree, UNIVERSE);
  return (db.prepare('SELECT rowid FROM text WHERE text MATCH ? ORDER BY rowid').all(match) as { rowid: number }[]).map((r) => r.rowid);
}

/** The rows whose text has every word given (lower case, diacritics kept out), computed from TEXTS. */
function having(...words: string[]): number[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return Object.entries(TEXTS)
    .filter(([, t]) => words.every((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${w}([^\\p{L}\\p{N}]|$)`, 'u').test(fold(t))))
    .map(([id]) => Number(id));
}

describe('the search syntax, run by SQLite FTS5', () => {
  it('ANDs words', () => {
    expect(rows('lumbar pain')).toEqual(having('lumbar', 'pain'));
    expect(rows('lumbar pain')).toEqual([1, 3]);
    expect(rows('lumbar AND pain')).toEqual([1, 3]);
  });

  it('finds a phrase only with its words together and in order', () => {
    expect(rows('"lumbar MRI"')).toEqual([1]);
    expect(rows('"MRI lumbar"')).toEqual([]);
    expect(rows('lumbar MRI')).toEqual([1, 3]);
    expect(rows('“lumbar MRI”')).toEqual([1]);
  });

  it('reads OR, NOT and the minus sign', () => {
    expect(rows('knee OR hip')).toEqual([2, 4]);
    expect(rows('pain NOT knee')).toEqual([1, 3]);
    expect(rows('pain -knee')).toEqual([1, 3]);
    expect(rows('pain -knee -lumbar')).toEqual([]);
    expect(rows('pain -"lumbar MRI"')).toEqual([2, 3, 4]);
    expect(rows('(knee OR hip) pain')).toEqual([2, 4]);
    expect(rows('knee OR hip pain')).toEqual([2, 4]);
    expect(rows('-(knee OR hip) pain')).toEqual([1, 3]);
  });

  it('excludes from every letter when nothing else is asked', () => {
    expect(rows('-pain')).toEqual([5, 6, 7]);
    expect(rows('NOT pain')).toEqual([5, 6, 7]);
    expect(rows('knee OR -pain')).toEqual([2, 4, 5, 6, 7]);
  });

  it('reads lower-case and, or, not as words', () => {
    expect(rows('knee or hip')).toEqual([]);
    expect(rows('pain not')).toEqual(having('pain', 'not'));
    expect(rows('pain not')).toEqual([1]);
  });

  it('finds words by their start with a star', () => {
    expect(rows('acupunct*')).toEqual([2, 6]);
    expect(rows('acupuncture')).toEqual([2]);
  });

  it('reads words as the index does (an underscore inside a word)', () => {
    expect(words('Covid_19 CAFÉ, naïve-ish')).toEqual(['covid_19', 'cafe', 'naive', 'ish']);
    expect(rows('covid_19')).toEqual([7]);
    expect(rows('covid')).toEqual([]);
    const p = parseQuery('covid_19');
    expect(p.ok && requiredWords(p.tree)).toEqual([['covid_19']]);
  });

  it('ignores case and diacritics', () => {
    expect(rows('CAFE resume')).toEqual([6]);
    expect(rows('naïve')).toEqual([6]);
  });

  it('searches FTS5 syntax as words, never obeys it', () => {
    // Operators in a phrase, column names, NEAR, ^, +, :, * in the middle, quotes inside.
    expect(rows('"AND OR NOT"')).toEqual([5]);
    expect(rows('NEAR(knee pain)')).toEqual(having('near', 'knee', 'pain'));
    expect(rows('f:year_2016')).toEqual([]);
    expect(rows('f : year_2016')).toEqual([]);
    expect(rows('body:knee')).toEqual(having('body', 'knee'));
    expect(rows('body f column')).toEqual([5]);
    expect(rows('^knee')).toEqual(having('knee'));
    expect(rows('knee + pain')).toEqual(having('knee', 'pain'));
    expect(rows('{body}: knee')).toEqual([]);
    expect(rows('"quoted"')).toEqual([6]);
    expect(rows('year')).toEqual([]);
    for (const hostile of ['"', '""', '*', 'a*b', '-', '--', '(', ')', ':', 'NOT', 'OR', '"a" "', "'; DROP TABLE text; --", '\u0000', '(((', 'knee)']) {
      const parsed = parseQuery(hostile);
      if (!parsed.ok || !parsed.tree) continue;
      // Whatever parses runs: FTS5 never sees a syntax error.
      expect(() => db.prepare('SELECT rowid FROM text WHERE text MATCH ?').all(toMatch(parsed.tree!, UNIVERSE)), hostile).not.toThrow();
    }
  });

  it('reads a case number alone as a direct hit', () => {
    expect(parseQuery('CM16-0213037')).toMatchObject({ ok: true, caseNumber: 'CM16-0213037' });
    expect(parseQuery('  cm16-0213037 ')).toMatchObject({ ok: true, caseNumber: 'CM16-0213037' });
    expect(parseQuery('CM16-0213037 knee')).toMatchObject({ ok: true, caseNumber: null });
  });

  it('lists the words to highlight, not the excluded ones', () => {
    const parsed = parseQuery('"Lumbar MRI" knee -hip OR Acupunct*');
    expect(parsed.ok && parsed.terms).toEqual(['lumbar', 'mri', 'knee', 'acupunct*']);
  });

  it('says which words a shard must have', () => {
    const req = (q: string) => {
      const p = parseQuery(q);
      return p.ok ? requiredWords(p.tree) : null;
    };
    expect(req('lumbar "MRI scan" -knee')).toEqual([['lumbar'], ['mri']]);
    expect(req('knee OR hip')).toEqual([['knee', 'hip']]);
    expect(req('acupunct*')).toEqual([]);
    expect(req('(knee lumbar) OR hip')).toEqual([]);
  });
});

describe('a query that cannot be read', () => {
  const fails = (q: string) => {
    const p = parseQuery(q);
    if (p.ok) throw new Error(`${q} was read`);
    return p;
  };

  it('says where a quote is not closed', () => {
    const p = fails('knee "lumbar MRI');
    expect(p.at).toBe(5);
    expect(p.message).toBe('Unbalanced quote: the phrase that starts at character 6 has no closing ". Add one, or remove the opening one.');
  });

  it('says where a parenthesis is not closed or not opened', () => {
    expect(fails('(knee OR hip pain')).toMatchObject({ at: 0, message: expect.stringContaining('the “(” at character 1 is never closed') });
    expect(fails('knee OR hip) pain')).toMatchObject({ at: 11, message: expect.stringContaining('the “)” at character 12 has no “(” before it') });
    expect(fails('knee ()')).toMatchObject({ message: expect.stringContaining('Empty parentheses at character 6') });
  });

  it('says an operator needs words', () => {
    expect(fails('knee OR')).toMatchObject({ message: expect.stringContaining('“OR” at character 6 needs words after it') });
    expect(fails('OR knee')).toMatchObject({ message: expect.stringContaining('“OR” at character 1 needs words before it') });
    expect(fails('AND knee')).toMatchObject({ message: expect.stringContaining('needs words before it') });
    expect(fails('knee NOT')).toMatchObject({ message: expect.stringContaining('“NOT” at character 6 needs a word after it') });
  });
});

describe('the client\'s copy of the letter ids', () => {
  it('puts later decisions above earlier ones, whatever their case numbers', () => {
    expect(letterId('2016-05-02', 'CM16-0000001')).toBeGreaterThan(letterId('2016-05-01', 'CM17-9999999'));
    expect(letterId('2016-05-01', 'CM16-0000002')).toBeGreaterThan(letterId('2016-05-01', 'CM16-0000001'));
    expect(letterId('2023-06-30', 'CM99-9999999')).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('gives a date range that holds exactly its days', () => {
    const { lo, hi } = idRange('2016-05', '2016-06-15');
    expect(letterId('2016-05-01', 'CM00-0000000')).toBe(lo);
    expect(letterId('2016-04-30', 'CM99-9999999')).toBeLessThan(lo);
    expect(letterId('2016-06-15', 'CM99-9999999')).toBeLessThanOrEqual(hi);
    expect(letterId('2016-06-16', 'CM00-0000000')).toBeGreaterThan(hi);
    expect(idRange('2017', '2017').hi).toBe(letterId('2018-01-01', 'CM00-0000000') - 1);
  });

  it('is the engine\'s formula (src/archive/search/ids.ts)', () => {
    for (const [date, c] of [['2016-05-02', 'CM16-0213037'], ['1999-12-31', 'CM99-9999999'], ['2023-06-30', 'CM23-0000001'], ['2020-02-29', 'CM19-1234567']] as const) {
      expect(letterId(date, c)).toBe(engineIds.letterId(date, c));
    }
    for (const [from, to] of [['2016-05', '2016-06-15'], ['2016-02-29', '2016-02'], ['', '2017-12'], ['2015-01-01', '']] as const) {
      expect(idRange(from, to), `${from}..${to}`).toEqual(engineIds.idRange(from || undefined, to || undefined));
    }
  });

  it('reads typed dates', () => {
    expect(normalDate('2016-02-29')).toBe('2016-02-29');
    expect(normalDate('2017-02-29')).toBeNull();
    expect(normalDate('2016-13')).toBeNull();
    expect(normalDate(' 2016 ')).toBe('2016');
    expect(normalDate('May 2016')).toBeNull();
  });
});
