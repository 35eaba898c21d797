/**
 * What the search page needs besides its HTML: its scripts and the engine's files,
 * named by their content (`assets/<name>-<hash10>.<ext>`), and the page's JSON.
 *
 * - `templates/archive/search.js` (the page), `search-engine.js` (the databases) and
 *   `query.js` (the syntax): ES modules; their `./x.js` imports are rewritten to the
 *   hashed names, so a changed module changes the name of every module that imports it.
 * - sql.js-httpvfs 0.8.12 (`node_modules/sql.js-httpvfs/dist/`): `index.js` (a UMD
 *   script: `createDbWorker`), `sqlite.worker.js` and `sql-wasm.wasm` (SQLite 3.35 with
 *   FTS5), copied as they are but for the source-map comment (the maps are not shipped).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { formGroups, type FormGroup, type LetterFacets } from './facets.js';
import { scriptJson, type Chrome, type SiteTemplates } from './pages.js';

export interface SearchAsset {
  /** Relative to the archive's root, e.g. `assets/search-0123456789.js`. */
  path: string;
  data: string | Uint8Array;
}

export interface SearchAssets {
  files: SearchAsset[];
  /** The page's module script. */
  script: string;
  /** The engine's files, relative to the archive's root. */
  engine: { client: string; worker: string; wasm: string };
}

const hash10 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 10);
const named = (base: string, ext: string, data: string | Uint8Array) => `assets/${base}-${hash10(data)}.${ext}`;

/** The ES modules of the page, in import order (a module after those it imports). */
const MODULES = ['query', 'search-engine', 'search'] as const;

/** Reads and names the page's scripts (from `templatesDir`) and the engine's files. */
export async function searchAssets(templatesDir: string): Promise<SearchAssets> {
  const files: SearchAsset[] = [];
  const names = new Map<string, string>();
  for (const m of MODULES) {
    let source = await readFile(path.join(templatesDir, `${m}.js`), 'utf8');
    // `./query.js` → `./query-<hash>.js` (all assets sit side by side).
    source = source.replace(/from '\.\/([a-z-]+)\.js'/g, (whole, dep: string) => {
      const target = names.get(dep);
      if (!target) throw new Error(`templates/archive/${m}.js imports ./${dep}.js, which is not one of the page's modules (${MODULES.join(', ')})`);
      return `from './${path.posix.basename(target)}'`;
    });
    const name = named(m, 'js', source);
    names.set(m, name);
    files.push({ path: name, data: source });
  }
  const dist = path.dirname(createRequire(import.meta.url).resolve('sql.js-httpvfs/dist/index.js'));
  const noMap = (s: string) => s.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const client = noMap(await readFile(path.join(dist, 'index.js'), 'utf8'));
  const worker = noMap(await readFile(path.join(dist, 'sqlite.worker.js'), 'utf8'));
  const wasm = new Uint8Array(await readFile(path.join(dist, 'sql-wasm.wasm')));
  const engine = { client: named('sqljs-httpvfs', 'js', client), worker: named('sqlite-worker', 'js', worker), wasm: named('sql-wasm', 'wasm', wasm) };
  files.push({ path: engine.client, data: client }, { path: engine.worker, data: worker }, { path: engine.wasm, data: wasm });
  return { files, script: names.get('search')!, engine };
}

export interface SearchPageData {
  /** The engine's files, and the manifest (`search/search.json`). */
  engine: { manifest: string; client: string; worker: string; wasm: string };
  /** Letters listed (searchable). */
  total: number;
  /** Results a page. */
  pageSize: number;
  /** Latest decisions listed before a search. */
  latest: number;
  groups: { id: string; key: string; kind: 'single' | 'multi'; values: { value: string; token: string; count: number }[] }[];
}

/**
 * The page's JSON: every group value with its FTS5 token in column `f` (`token(groupId,
 * value)`, the engine's one slug function: the page never derives a token) and its count
 * over every listed letter.
 */
export function searchPageData(groups: readonly FormGroup[], options: { engine: SearchAssets['engine']; manifest: string; total: number; pageSize?: number; latest?: number; token: (group: string, value: string) => string }): SearchPageData {
  return {
    engine: { manifest: options.manifest, ...options.engine },
    total: options.total,
    pageSize: options.pageSize ?? 10,
    latest: options.latest ?? 10,
    groups: groups.map((g) => ({ id: g.id, key: g.key, kind: g.kind, values: g.values.map((v) => ({ value: v.value, token: options.token(g.id, v.value), count: v.count })) })),
  };
}

/**
 * The search page's HTML (`index.html` at the archive's root): the form with every
 * group's values and their counts over `facets` (one entry per listed letter), the
 * page's JSON, the style sheet `css` and the page's script.
 */
export function searchPageHtml(
  templates: SiteTemplates,
  facets: readonly LetterFacets[],
  assets: SearchAssets,
  options: { css: string; token: (group: string, value: string) => string; pageSize?: number; manifest?: string },
): string {
  const groups = formGroups(facets).map((g) => ({
    ...g,
    moreCount: g.show && g.values.length > g.show ? g.values.length - g.show : 0,
    values: g.values.map((v, i) => ({ ...v, hidden: g.show > 0 && i >= g.show && g.values.length > g.show })),
  }));
  const data = searchPageData(groups, { engine: assets.engine, manifest: options.manifest ?? 'search/search.json', total: facets.length, pageSize: options.pageSize, token: options.token });
  const chrome: Chrome = {
    title: 'Search decisions',
    description: `Search ${facets.length} Independent Medical Review final determinations by words, decision, treatment, reviewer, guideline and date.`,
    root: '',
    styles: [options.css],
    scripts: [assets.script],
    bodyClass: 'search-page',
  };
  return templates.index(chrome, { count: facets.length, countLabel: '', groups, dataJson: scriptJson(data) });
}
