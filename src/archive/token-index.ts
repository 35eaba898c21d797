/**
 * The token index of the published archive (`out/.cache/archive-tokens.sqlite3`): every
 * folded word (`Token.w`, as the matcher compares them) of every text the leak check read
 * → the *units* that hold it. A unit is what the check reads as one: a published file
 * (`letters/…/index.html`), a search database (`search/<prefix>`), or one text of the open
 * data (`text:<id>`, see `data/index.ts`).
 *
 * What it is for: a new confidential value (a new case file) must be looked for in the
 * files already published too. A hit of a form of words needs every one of its words
 * in the text; a hit of a claim number is a run of words whose letters and digits, joined,
 * spell it, so the first letters and digits of those words, joined (a *claim key*, see
 * `claimKeys` in the matcher), are the claim number's. So the units that hold a form's
 * rarest word, or a claim number's key, are the only ones it can be in: only they are
 * read again (`exposed`). A superset, never fewer: the index may name units that hold
 * nothing.
 *
 * Size: a word found in more than `retireAfter` units (default 200) is *retired*: its
 * postings are dropped and it only counts as "too common to narrow". A form all of whose
 * words are retired, or a claim number whose key is, cannot be narrowed, and the caller
 * builds the archive in full. Counts only grow (a unit written again counts
 * again), so a word retires early rather than late: never unsafe.
 *
 * It only ever grows between two full builds: postings of a file that changed or went
 * stay (the index names too much, never too little). A full build makes a new one, with
 * a new `id`, which the archive's record names: a record and an index that do not belong
 * together mean a full build. Changes are kept in memory and written by `commit`, in one
 * transaction, before the record that counts on them is written.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLAIM_KEY, CLAIM_MARK, type Needle } from '../confidential/index.js';

export const TOKEN_INDEX = path.join('.cache', 'archive-tokens.sqlite3');

/** Units, or distinct words, a new index keeps in memory before it writes them. */
const FLUSH_UNITS = 2_000;
const FLUSH_WORDS = 500_000;

const SCHEMA = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE units(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE words(word TEXT PRIMARY KEY, units INTEGER NOT NULL, retired INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE postings(word TEXT NOT NULL, unit INTEGER NOT NULL, PRIMARY KEY (word, unit)) WITHOUT ROWID;
`;

export interface TokenIndexOptions {
  /** A word in more units than this is retired (default 200). */
  retireAfter?: number;
}

/** What a new value's forms may be in: these units, or (`fallback`) anywhere, with why. */
export type Exposure = { units: Set<string> } | { fallback: string };

/** A word's state: absent (in no unit), retired, or in `units` units. */
type WordState = { units: number; retired: boolean } | undefined;

function statements(db: Database.Database) {
  return {
    unitId: db.prepare('SELECT id FROM units WHERE name = ?').pluck(),
    insertUnit: db.prepare('INSERT OR IGNORE INTO units(id, name) VALUES (?, ?)'),
    state: db.prepare('SELECT units, retired FROM words WHERE word = ?'),
    setWord: db.prepare('INSERT OR REPLACE INTO words(word, units, retired) VALUES (?, ?, ?)'),
    post: db.prepare('INSERT OR IGNORE INTO postings(word, unit) VALUES (?, ?)'),
    drop: db.prepare('DELETE FROM postings WHERE word = ?'),
    unitsOf: db.prepare('SELECT units.name FROM postings JOIN units ON units.id = postings.unit WHERE postings.word = ?').pluck(),
    word: db.prepare('SELECT word, retired FROM words WHERE word = ?'),
    wordsFrom: db.prepare('SELECT word, retired FROM words WHERE word >= ? AND word < ?'),
  };
}

export class TokenIndex {
  /** Words → unit numbers added by this run (null: retired by this run). */
  private readonly added = new Map<string, number[] | null>();
  private readonly unitIds = new Map<string, number>();
  private nextUnit: number;
  /** The statements, prepared once: `add` runs for every file of a full build. */
  private readonly q: ReturnType<typeof statements>;

  private constructor(
    private readonly db: Database.Database,
    /** The index's identity: made by the full build that made it. */
    readonly id: string,
    private readonly file: string,
    private readonly temp: string | undefined,
    private readonly retireAfter: number,
  ) {
    this.nextUnit = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM units').pluck().get() as number) ?? 1;
    this.q = statements(db);
  }

  /** A new, empty index for `out` (a full build): written to a temporary file, put in place by `commit`. */
  static async create(out: string, options: TokenIndexOptions = {}): Promise<TokenIndex> {
    const file = path.join(out, TOKEN_INDEX);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const db = new Database(temp);
    db.pragma('journal_mode = DELETE');
    db.exec(SCHEMA);
    const id = randomBytes(12).toString('hex');
    db.prepare('INSERT INTO meta VALUES (?, ?), (?, ?)').run('id', id, 'retireAfter', String(options.retireAfter ?? 200));
    return new TokenIndex(db, id, file, temp, options.retireAfter ?? 200);
  }

  /** The index of `out` if it is the one `id` names and can be read; else undefined. */
  static open(out: string, id: string): TokenIndex | undefined {
    const file = path.join(out, TOKEN_INDEX);
    if (!existsSync(file)) return undefined;
    try {
      const db = new Database(file, { fileMustExist: true });
      const meta = new Map((db.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]));
      if (meta.get('id') !== id) {
        db.close();
        return undefined;
      }
      return new TokenIndex(db, id, file, undefined, Number(meta.get('retireAfter')));
    } catch {
      return undefined;
    }
  }

  /**
   * Records that `unit`'s texts hold `words` (a unit's words may come in several calls):
   * kept in memory until `commit`, or, for a new index (a full build), written every
   * `FLUSH_UNITS` units or `FLUSH_WORDS` words, so memory does not grow with the archive.
   */
  add(unit: string, words: Iterable<string>): void {
    let id = this.unitIds.get(unit);
    if (id === undefined) {
      id = (this.q.unitId.get(unit) as number | undefined) ?? this.nextUnit++;
      this.unitIds.set(unit, id);
    }
    if (this.temp && (this.unitIds.size >= FLUSH_UNITS || this.added.size >= FLUSH_WORDS)) this.flush();
    for (const w of words) {
      const list = this.added.get(w);
      if (list === null) continue;
      if (list === undefined) this.added.set(w, [id]);
      else if (list.length >= this.retireAfter) this.added.set(w, null);
      else if (list[list.length - 1] !== id) list.push(id);
    }
  }

  /** Writes what was added, in one transaction; a new index is then put in place of the old one. */
  async commit(): Promise<void> {
    this.flush();
    this.db.close();
    if (this.temp) await rename(this.temp, this.file);
  }

  /** Writes what was added since the last time, in one transaction. */
  private flush(): void {
    const { insertUnit, state, setWord, post, drop } = this.q;
    this.db.transaction(() => {
      for (const [name, id] of this.unitIds) insertUnit.run(id, name);
      for (const [w, list] of [...this.added].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const before = state.get(w) as { units: number; retired: number } | undefined;
        if (before?.retired) continue;
        const units = (before?.units ?? 0) + (list === null ? this.retireAfter + 1 : list.length);
        if (list === null || units > this.retireAfter) {
          setWord.run(w, units, 1);
          if (before) drop.run(w);
          continue;
        }
        setWord.run(w, units, 0);
        for (const u of list) post.run(w, u);
      }
    })();
    this.added.clear();
    this.unitIds.clear();
  }

  /** Closes the index without writing what was added (a new one is removed). */
  async discard(): Promise<void> {
    if (this.db.open) this.db.close();
    if (this.temp) await rm(this.temp, { force: true });
  }

  private stateOf(w: string): WordState {
    const row = this.q.state.get(w) as { units: number; retired: number } | undefined;
    return row ? { units: row.units, retired: row.retired === 1 } : undefined;
  }

  private unitsOf(w: string): string[] {
    return this.q.unitsOf.all(w) as string[];
  }

  /** The units a form can be in (see the module's comment), or why it cannot be narrowed. */
  unitsFor(n: Needle): string[] | { fallback: string } {
    if (n.form === 'claim number') return this.claimUnits(n.words.join(''));
    let best: { w: string; units: number } | undefined;
    for (const w of n.words) {
      const s = this.stateOf(w);
      if (!s) return []; // a word no text has: the form is nowhere
      if (!s.retired && (!best || s.units < best.units)) best = { w, units: s.units };
    }
    return best ? this.unitsOf(best.w) : { fallback: `every word of a ${n.value.kind} is among the archive's commonest` };
  }

  /**
   * A claim number's letters and digits `j`, found in a text, are spelled by a run of
   * words whose first word with a digit starts in `j` at or before its first digit, and
   * that word's claim key (`claimKeys` in the matcher) is `j` from there: the units of
   * those keys (or, from where fewer than a key's letters and digits are left, of every key
   * that begins with them). A claim number without a digit cannot be narrowed.
   */
  private claimUnits(j: string): string[] | { fallback: string } {
    const first = j.search(/\d/);
    if (first === -1) return { fallback: 'a claim number has no digit' };
    const units = new Set<string>();
    for (let a = 0; a <= first; a++) {
      const key = CLAIM_MARK + j.slice(a, a + CLAIM_KEY);
      const rows = (j.length - a >= CLAIM_KEY
        ? this.q.word.all(key)
        : this.q.wordsFrom.all(key, `${key}\uffff`)) as { word: string; retired: number }[];
      if (rows.some((r) => r.retired)) return { fallback: 'a claim number begins like the archive\'s commonest runs of words' };
      for (const r of rows) for (const u of this.unitsOf(r.word)) units.add(u);
    }
    return [...units];
  }

  /** The units any of `needles` can be in, or why they cannot be narrowed (then: a full build). */
  exposed(needles: Iterable<Needle>): Exposure {
    const units = new Set<string>();
    for (const n of needles) {
      const found = this.unitsFor(n);
      if (!Array.isArray(found)) return found;
      for (const u of found) units.add(u);
    }
    return { units };
  }
}
