/**
 * The incremental archive step (issue 14, "At scale"; issue 13, "nothing rebuilt that did
 * not change"), on built synthetic letters: after new letters, a new revision of a listed
 * case, and a changed confidential value, the archive equals a full build of the same
 * inputs file for file, byte for byte, except the search databases' chunks (addLetters
 * does not optimize or vacuum): there the databases hold the same rows.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildArchive, type ArchiveResult } from '../src/archive/index.js';
import { assembleDatabase, readSearchManifest, type SearchManifest } from '../src/archive/search/index.js';
import { build } from '../src/build/index.js';
import { generate } from '../src/bench/incremental.js';
import { projectInputs, root, setup, tempFolders } from './helpers.js';

const temp = tempFolders('i14p-incremental');
let dir = '';
let folders: string[] = [];
let out = '';
const archiveOptions = () => ({ out, cases: folders, templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });

async function buildLetters(paths: string[]): Promise<void> {
  const built = await build({ paths, out, ...projectInputs, htmlOnly: true, workers: 0 });
  const errors = built.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join('; '));
}

async function files(base: string, sub = ''): Promise<string[]> {
  const list: string[] = [];
  for (const e of await readdir(path.join(base, sub), { withFileTypes: true })) {
    const rel = path.posix.join(sub, e.name);
    if (e.isDirectory()) list.push(...(await files(base, rel)));
    else list.push(rel);
  }
  return list.sort();
}

/** Every row of every table of a search folder's databases, by database name (year or catalog). */
function searchRows(searchDir: string, m: SearchManifest): Record<string, unknown> {
  const rows: Record<string, unknown> = {};
  for (const [name, entry] of [['catalog', m.catalog] as const, ...m.shards.map((s) => [String(s.year), s] as const)]) {
    const file = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.sqlite3`);
    assembleDatabase(searchDir, entry, file);
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'text%' ORDER BY name`).pluck().all() as string[]);
    for (const t of tables) rows[`${name}.${t}`] = db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).raw().all();
    if (name !== 'catalog') {
      db.exec(`CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, text, 'instance')`);
      rows[`${name}.tokens`] = db.prepare('SELECT term, doc, col, offset FROM temp.v ORDER BY 1, 2, 3, 4').raw().all();
    }
    db.close();
  }
  return rows;
}

/** The archive of `out` equals a full build of a copy of `out`: every file but search's chunks byte for byte, search's rows. */
async function expectSameAsFull(): Promise<void> {
  const copy = temp('full');
  await cp(out, copy, { recursive: true });
  const full = await buildArchive({ ...archiveOptions(), out: copy, full: true });
  expect(full.published).toBe(true);
  const a = path.join(out, 'archive');
  const b = path.join(copy, 'archive');
  const outside = (list: string[]) => list.filter((f) => !f.startsWith('search/'));
  const mine = await files(a);
  const theirs = await files(b);
  expect(outside(mine)).toEqual(outside(theirs));
  for (const f of outside(theirs)) expect((await readFile(path.join(a, f))).equals(await readFile(path.join(b, f))), f).toBe(true);
  expect(searchRows(path.join(a, 'search'), readSearchManifest(path.join(a, 'search')))).toEqual(searchRows(path.join(b, 'search'), readSearchManifest(path.join(b, 'search'))));
  // Nothing left behind: the search files are those search.json names, and no more.
  const m = readSearchManifest(path.join(a, 'search'));
  const named = [m.catalog, ...m.shards].flatMap((e) => Array.from({ length: e.chunks }, (_, i) => `search/${e.prefix}${String(i).padStart(e.suffixLength, '0')}`));
  expect(mine.filter((f) => f.startsWith('search/'))).toEqual(['search/search.json', ...named].sort());
}

setup(async () => {
  dir = temp('work');
  out = path.join(dir, 'out');
  folders = await generate(dir, 40, [6]);
  await buildLetters([folders[0]!]);
});

describe('the archive step on the archive it published before', () => {
  let first: ArchiveResult;
  it('builds in full when nothing was published before', async () => {
    first = await buildArchive(archiveOptions());
    expect(first.published).toBe(true);
    expect(first.leaks).toEqual([]);
    expect(first.why).toMatch(/^full: no record/);
    expect(first.written).toBe(first.files);
  }, 300_000);

  it('writes nothing when nothing changed', async () => {
    const again = await buildArchive(archiveOptions());
    expect(again.why).toBe('incremental');
    expect(again.written).toBe(0);
    expect(again.removed).toBe(0);
    expect(again.files).toBe(first.files);
    expect(again.openData.checked.scanned).toBe(0);
  }, 300_000);

  it('adds new letters and a new revision of a listed case: only what changed is written, and the archive equals a full build', async () => {
    await buildLetters(folders);
    // A correction of a listed case: its case file edited in place into revision 2.
    const caseFile = path.join(folders[0]!, (await readdir(folders[0]!)).sort()[3]!);
    const text = await readFile(caseFile, 'utf8');
    const v2 = text
      .replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the date the letter was issued.')
      .replace(/^(\s+)decision: (\d{4}-\d{2}-\d{2})$/m, (line, indent: string, d: string) => `${line}\n${indent}issued: ${new Date(Date.parse(`${d}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10)}`);
    expect(v2).toContain('issued: ');
    await writeFile(caseFile, v2);
    await buildLetters(folders);
    const r = await buildArchive(archiveOptions());
    expect(r.leaks).toEqual([]);
    expect(r.why).toBe('incremental');
    expect(r.listed).toBe(46);
    expect(r.letters).toBe(47);
    // 7 new pages (6 letters, a revision), the superseded one, their letter.json, the
    // indexes, browse months, feeds, statistics, open data, a year's shard, the catalog:
    // far fewer than the archive's files.
    expect(r.written).toBeGreaterThan(7 * 2);
    expect(r.written).toBeLessThan(r.files / 2);
    expect(r.removed).toBeGreaterThan(0); // the old shard's and catalog's chunks
    await expectSameAsFull();
  }, 600_000);

  it('builds in full when a confidential value changes, and the archive equals a full build', async () => {
    const caseFile = path.join(folders[0]!, (await readdir(folders[0]!)).sort()[5]!);
    const text = await readFile(caseFile, 'utf8');
    const changed = text.replace(/(injuredWorker:\n\s+name: )(.+)$/m, '$1Quentin Z. Farthingale');
    expect(changed).not.toBe(text);
    await writeFile(caseFile, changed);
    const r = await buildArchive(archiveOptions());
    expect(r.leaks).toEqual([]);
    expect(r.why).toMatch(/^full: /);
    expect(r.written).toBe(r.files);
    await expectSameAsFull();
  }, 600_000);
});
