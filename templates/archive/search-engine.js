// @ts-check
/**
 * The search page's engine: the archive's SQLite databases (`search/search.json`: a
 * catalog and a shard per decision year, see `src/archive/search/`) read in a web worker
 * by sql.js-httpvfs over HTTP Range requests. One worker, one connection: the catalog is
 * the main database, a shard is ATTACHed when a search first needs it (SQLite allows 10
 * attached at once: the least recently used is detached beyond `MAX_ATTACHED`).
 *
 * Nothing here touches the page: `search.js` draws. Ids are integers below 2^53 and
 * written into the SQL as literals (checked with `Number.isSafeInteger`); every text
 * goes in as a bound parameter.
 */

/** @typedef {{ prefix: string, bytes: number, chunks: number, suffixLength: number, roots?: number }} Db */
/** @typedef {Db & { year: number, letters: number, first: string, last: string }} Shard */
/** @typedef {{ format: number, pageSize: number, chunkSize: number, catalog: Db, shards: Shard[] }} Manifest */
/** @typedef {{ id: number, case: string, url: string, date: string, outcome: string, title: string, items: string, excerpt?: string }} Row */

const MAX_ATTACHED = 8;
/** The worker's limit on bytes read; a budgeted read sets the count below it (see `withBudget`). */
const LIMIT = 2 ** 50;

/** @param {string} src */
function loadClassicScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`Cannot load ${src}`));
    document.head.append(s);
  });
}

/** @param {number} n */
export function int(n) {
  if (!Number.isSafeInteger(n)) throw new Error(`Not an id: ${n}`);
  return String(n);
}

/**
 * sql.js-httpvfs reads ahead: a read just past the last one doubles the next request (up
 * to 5 MiB). Search reads B-tree pages here and there, and ten result rows in ascending
 * id order, which that doubling turns into requests of pages never used (measured:
 * `src/bench/search-trace.ts`). So one page a request, except while a relevance query
 * reads whole posting lists (`READ_AHEAD_SCAN` pages at most).
 */
const READ_AHEAD = 1;
const READ_AHEAD_SCAN = 64;

/**
 * Run in the worker: the first PAGES pages of the database NAME in one request, into
 * sql.js-httpvfs's page cache. This and `readAhead` and the HEAD skipped in `openEngine`
 * set fields of sql.js-httpvfs 0.8.12's `LazyUint8Array` (`chunks`, `doXHR`, `maxSpeed`,
 * `serverChecked`; 0.8.12 is the version package-lock.json installs): each does nothing when a field
 * is not there, so another version reads as before, only more.
 */
const FETCH_FIRST_PAGES = `
  const c = db.lazyFiles.get('NAME')?.contents;
  if (c && Array.isArray(c.chunks) && typeof c.doXHR === 'function' && c.chunks[0] === undefined) {
    const size = c.chunkSize;
    const n = Math.min(PAGES, Math.ceil(c.length / size));
    const buf = c.doXHR(0, n * size - 1);
    for (let i = 0; i < n; i++) if (c.chunks[i] === undefined) c.chunks[i] = new Uint8Array(buf, i * size, Math.min(size, buf.byteLength - i * size));
  }`;

/**
 * Opens the engine. The manifest, sql.js-httpvfs's script, its worker's script and the
 * WebAssembly are fetched at once (the worker and the wasm are handed over as blob: URLs
 * of this page, so neither waits for the one before).
 * @param {{ manifest: string, client: string, worker: string, wasm: string }} urls relative to the page
 */
export async function openEngine(urls) {
  const abs = (/** @type {string} */ u) => new URL(u, document.baseURI).href;
  const manifestUrl = abs(urls.manifest);
  /** @param {string} url @param {string} type */
  const blobOf = (url, type) =>
    fetch(abs(url)).then(async (r) => {
      if (!r.ok) throw new Error(`Cannot load ${url}: ${r.status}`);
      return URL.createObjectURL(new Blob([await r.arrayBuffer()], { type }));
    });
  // The small files first: a server that compresses as it sends answers them before the wasm.
  const first = Promise.all([fetch(manifestUrl, { cache: 'no-cache' }), loadClassicScript(abs(urls.client))]);
  const worker = blobOf(urls.worker, 'text/javascript');
  const wasm = blobOf(urls.wasm, 'application/wasm');
  const [response] = await first;
  if (!response.ok) throw new Error(`Cannot load ${urls.manifest}: ${response.status}`);
  /** @type {Manifest} */
  const manifest = await response.json();
  /** @param {Db} db @param {string} name */
  const config = (db, name) => ({
    from: 'inline',
    virtualFilename: name,
    config: { serverMode: 'chunked', requestChunkSize: manifest.pageSize, urlPrefix: new URL(db.prefix, manifestUrl).href, serverChunkSize: manifest.chunkSize, databaseLengthBytes: db.bytes, suffixLength: db.suffixLength },
  });
  const configs = [config(manifest.catalog, 'catalog'), ...manifest.shards.map((s) => config(s, `y${s.year}`))];
  const created = await /** @type {any} */ (window).createDbWorker(configs, await worker, await wasm, LIMIT);
  const engine = new Engine(manifest, created.db, created.worker);
  // Each database's length is in the manifest: no HEAD request before its first read.
  await created.worker.evalCode(`for (const f of db.lazyFiles.values()) if ('serverChecked' in f.contents) f.contents.serverChecked = true;`);
  await engine.readAhead(READ_AHEAD);
  return engine;
}

export class Engine {
  /** @param {Manifest} manifest @param {any} db @param {any} worker */
  constructor(manifest, db, worker) {
    this.manifest = manifest;
    this.db = db;
    this.worker = worker;
    /** @type {string[]} attached schemas, least recently used first */
    this.attached = [];
    /** @type {Map<string, number>} letters with a word, from the catalog's `terms` (those looked up) */
    this.docs = new Map();
    /** @type {Promise<unknown>} queries run one after another */
    this.queue = Promise.resolve();
  }

  /** Runs `fn` after every query before it. @template T @param {() => Promise<T>} fn @returns {Promise<T>} */
  serial(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** @param {string} sql @param {unknown[]} [params] @returns {Promise<any[]>} */
  query(sql, params = []) {
    return this.serial(() => this.db.query(sql, params));
  }

  /** Pages a request may read ahead, for every database. @param {number} pages */
  readAhead(pages) {
    return this.serial(() => this.worker.evalCode(`for (const f of db.lazyFiles.values()) if ('maxSpeed' in f.contents) f.contents.maxSpeed = ${int(pages)};`));
  }

  /** The schema of a year's shard, attached if it is not. @param {number} year */
  async shard(year) {
    const name = `y${year}`;
    return this.serial(async () => {
      const i = this.attached.indexOf(name);
      if (i >= 0) {
        this.attached.splice(i, 1);
        this.attached.push(name);
        return name;
      }
      if (this.attached.length >= MAX_ATTACHED) await this.db.exec(`DETACH DATABASE ${this.attached.shift()}`);
      // Its first pages (header, schema, every table's root) in one request, before SQLite reads them one by one.
      const roots = Math.min(32, this.manifest.shards.find((s) => s.year === year)?.roots ?? 0);
      if (roots > 1) await this.worker.evalCode(FETCH_FIRST_PAGES.replace('NAME', name).replace('PAGES', int(roots)));
      await this.db.exec(`ATTACH DATABASE '${name}' AS ${name}`);
      this.attached.push(name);
      return name;
    });
  }

  /**
   * Runs `fn` allowed to read at most `bytes` more from the network; null when it would read more.
   * @template T @param {number} bytes @param {() => Promise<T>} fn @returns {Promise<T | null>}
   */
  async withBudget(bytes, fn) {
    await this.serial(async () => {
      this.worker.bytesRead = LIMIT - bytes;
    });
    try {
      return await fn();
    } catch (error) {
      // Over the budget, the worker's limiter refuses the read (SQLite sees an I/O error,
      // or a table that cannot be opened) and sets the count back to 0.
      const read = await this.serial(async () => this.worker.bytesRead);
      if (read < LIMIT - bytes) return null;
      throw error;
    } finally {
      await this.serial(async () => {
        this.worker.bytesRead = 0;
      });
    }
  }

  /** The shards that hold decisions between two ids, newest first. @param {number} lo @param {number} hi */
  shardsIn(lo, hi) {
    const DAY = 2 ** 30;
    const day = (/** @type {string} */ d) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
    return this.manifest.shards.filter((s) => (day(s.last) + 1) * DAY - 1 >= lo && day(s.first) * DAY <= hi);
  }

  /**
   * For each group of words, the years whose shard has one of them (null: every year).
   * @param {string[][]} groups
   * @returns {Promise<Set<number> | null>}
   */
  async yearsWith(groups) {
    if (groups.length === 0) return null;
    const all = [...new Set(groups.flat())];
    const rows = await this.query(`SELECT term, years, docs FROM terms WHERE term IN (${all.map(() => '?').join(',')})`, all);
    const yearsOf = new Map(rows.map((r) => [r.term, String(r.years).split(' ').map(Number)]));
    for (const r of rows) this.docs.set(r.term, r.docs);
    for (const w of all) if (!yearsOf.has(w)) this.docs.set(w, 0);
    const sets = groups.map((g) => new Set(g.flatMap((w) => yearsOf.get(w) ?? [])));
    return new Set(this.manifest.shards.map((s) => s.year).filter((y) => sets.every((set) => set.has(y))));
  }

  /**
   * Ids of a shard's matches below `before`, newest first.
   * @param {number} year @param {string | null} match null: every letter @param {number} lo @param {number} hi @param {number} limit
   * @returns {Promise<number[]>}
   */
  async newest(year, match, lo, hi, limit) {
    const s = await this.shard(year);
    const rows = match
      ? await this.query(`SELECT rowid AS id FROM ${s}."text" WHERE "text" MATCH ? AND rowid BETWEEN ${int(lo)} AND ${int(hi)} ORDER BY rowid DESC LIMIT ${int(limit)}`, [match])
      : await this.query(`SELECT id FROM ${s}.letters WHERE id BETWEEN ${int(lo)} AND ${int(hi)} ORDER BY id DESC LIMIT ${int(limit)}`);
    return rows.map((r) => r.id);
  }

  /**
   * A shard's best matches by bm25 (lower is better), at most `limit`.
   * @param {number} year @param {string} match @param {number} lo @param {number} hi @param {number} limit
   * @returns {Promise<{ id: number, score: number }[]>}
   */
  async relevant(year, match, lo, hi, limit) {
    const s = await this.shard(year);
    await this.readAhead(READ_AHEAD_SCAN);
    try {
      return await this.query(`SELECT rowid AS id, rank AS score FROM ${s}."text" WHERE "text" MATCH ? AND rowid BETWEEN ${int(lo)} AND ${int(hi)} ORDER BY rank LIMIT ${int(limit)}`, [match]);
    } finally {
      await this.readAhead(READ_AHEAD);
    }
  }

  /** Matches in a shard (null match: letters in the range). @param {number} year @param {string | null} match @param {number} lo @param {number} hi @returns {Promise<number>} */
  async count(year, match, lo, hi) {
    const s = await this.shard(year);
    const rows = match
      ? await this.query(`SELECT count(*) AS n FROM ${s}."text" WHERE "text" MATCH ? AND rowid BETWEEN ${int(lo)} AND ${int(hi)}`, [match])
      : await this.query(`SELECT count(*) AS n FROM ${s}.letters WHERE id BETWEEN ${int(lo)} AND ${int(hi)}`);
    return rows[0]?.n ?? 0;
  }

  /** The facets of every match in a shard. @param {number} year @param {string | null} match @param {number} lo @param {number} hi @returns {Promise<string[]>} */
  async facets(year, match, lo, hi) {
    const s = await this.shard(year);
    const where = match ? `id IN (SELECT rowid FROM ${s}."text" WHERE "text" MATCH ? AND rowid BETWEEN ${int(lo)} AND ${int(hi)})` : `id BETWEEN ${int(lo)} AND ${int(hi)}`;
    const rows = await this.query(`SELECT facets FROM ${s}.facets WHERE ${where}`, match ? [match] : []);
    return rows.map((r) => r.facets);
  }

  /** Letters by id, from the shard of `year`. @param {number} year @param {number[]} ids @returns {Promise<Row[]>} */
  async rows(year, ids) {
    if (ids.length === 0) return [];
    const s = await this.shard(year);
    return this.query(`SELECT id, "case", url, date, outcome, title, items, excerpt FROM ${s}.letters WHERE id IN (${ids.map(int).join(',')})`);
  }

  /** The catalog's entry for a case number. @param {string} caseNumber @returns {Promise<{ case: string, year: number, id: number, url: string } | undefined>} */
  async caseEntry(caseNumber) {
    return (await this.query(`SELECT "case", year, id, url FROM cases WHERE "case" = ?`, [caseNumber]))[0];
  }

  /** The newest letters, from the catalog. @param {number} limit @returns {Promise<Row[]>} */
  async latest(limit) {
    return this.query(`SELECT id, year, "case", url, date, outcome, title, items FROM latest ORDER BY id DESC LIMIT ${int(limit)}`);
  }

  /**
   * Letters per facet value over whole months.
   * @param {string} fromMonth `YYYY-MM` @param {string} toMonth
   * @returns {Promise<{ key: string, value: string, n: number }[]>}
   */
  async monthCounts(fromMonth, toMonth) {
    return this.query(`SELECT key, value, sum(n) AS n FROM counts WHERE month BETWEEN ? AND ? GROUP BY key, value`, [fromMonth, toMonth]);
  }
}
