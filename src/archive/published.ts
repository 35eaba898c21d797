/**
 * What the archive published last (`out/.cache/archive-published.json`), so the next
 * archive step does only what changed, and how it puts the changed files in place.
 *
 * The record holds:
 * - `version`: a hash of everything the archive's bytes depend on besides the letters
 *   (the code of `src/archive/`, `src/confidential/`, `src/render/`, `src/publish/`, the
 *   dependencies' versions, the archive's templates and style sheet, the options, whether
 *   poppler read the PDFs) and `check`: the leak check's code key (`leakCodeKey`). Either
 *   different, or the record missing or unreadable: a full build.
 * - `index`: the identity of the token index (`token-index.ts`) that holds the words of
 *   every published file; `values`: the keys (`valuesKey` in `cases.ts`) of the case files
 *   whose confidential values every published file was checked for. The values of a case
 *   file not among them (a new one, or one whose parties changed) are looked for in the
 *   published files through the index.
 * - `files`: every published file (relative to `out/archive/`) → its sha256, its size,
 *   and the key of the letter's own values it was checked for (letter pages and PDFs).
 * - `pages`: each letter revision's page → the hash of its inputs (the letter as the
 *   archive collected it, with its facts, revisions and the sha256 of its edition and PDF
 *   in `out/manifest.json`; its own values' key), its letter style sheet and fonts.
 * - `listed`: each listed case → its listed revision (search's rows).
 *
 * An incremental step writes the changed files into a staging folder, checks them, then
 * (`applyJournal`) writes a journal, renames the staged files into `out/archive/` in an
 * order where no published page points at a file not yet there (content, then letter
 * pages, then the other pages and indexes, then `search/search.json`), removes the files
 * no longer published, then replaces the record and deletes the journal. A step that is
 * stopped half way leaves the journal: the next step finishes it first (every staged file
 * is whole and was checked), or, when the staging folder is gone, does a full build.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../publish/files.js';

export const RECORD = path.join('.cache', 'archive-published.json');
export const JOURNAL = path.join('.cache', 'archive-journal.json');

export interface PublishedFile {
  sha: string;
  bytes: number;
  /** The key of the letter's own values it was checked for, if any. */
  own: string | null;
}

export interface PublishedPage {
  key: string;
  css: string;
  fonts: string[];
}

export interface ArchiveRecord {
  format: 1;
  version: string;
  check: string;
  index: string;
  /** Sorted keys of the case files' values the published files were checked for. */
  values: string[];
  files: Map<string, PublishedFile>;
  pages: Map<string, PublishedPage>;
  listed: Map<string, number>;
}

export const emptyRecord = (version: string, check: string, index: string, values: string[]): ArchiveRecord => ({ format: 1, version, check, index, values, files: new Map(), pages: new Map(), listed: new Map() });

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function recordText(r: ArchiveRecord): string {
  const sorted = <V>(m: Map<string, V>) => Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const files = Object.fromEntries([...r.files].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, f]) => [k, [f.sha, f.bytes, f.own]]));
  return `${JSON.stringify({ format: 1, version: r.version, check: r.check, index: r.index, values: r.values, files, pages: sorted(r.pages), listed: sorted(r.listed) })}\n`;
}

/** The record of `out`, if it is whole and of this `version` and check; else undefined. */
export async function readRecord(out: string, version: string, check: string): Promise<ArchiveRecord | undefined> {
  let raw: { format: number; version: string; check: string; index: string; values: string[]; files: { [k: string]: [string, number, string | null] }; pages: { [k: string]: PublishedPage }; listed: { [k: string]: number } };
  try {
    raw = JSON.parse(await readFile(path.join(out, RECORD), 'utf8')) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw.format !== 1 || raw.version !== version || raw.check !== check || typeof raw.index !== 'string' || !Array.isArray(raw.values) || !raw.files || !raw.pages || !raw.listed) return undefined;
  return {
    format: 1,
    version,
    check,
    index: raw.index,
    values: raw.values,
    files: new Map(Object.entries(raw.files).map(([k, [sha, bytes, own]]) => [k, { sha, bytes, own }])),
    pages: new Map(Object.entries(raw.pages)),
    listed: new Map(Object.entries(raw.listed)),
  };
}

export async function writeRecord(out: string, r: ArchiveRecord): Promise<void> {
  await writeAtomic(out, RECORD, recordText(r));
}

export async function dropRecord(out: string): Promise<void> {
  await rm(path.join(out, RECORD), { force: true });
}

/** A hash of every file under `dir` (names and bytes, sorted), or of one file. */
export async function treeHash(dir: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    const s = await stat(d).catch(() => undefined);
    if (!s) return void h.update(`missing ${d}\n`);
    if (!s.isDirectory()) return void h.update(`${path.relative(dir, d)}\n`).update(await readFile(d)).update('\0');
    for (const n of (await readdir(d)).sort()) await walk(path.join(d, n));
  };
  await walk(dir);
  return h.digest('hex');
}

/** The order a reader can see files arrive in: what others point at first, `search.json` last. */
export function publishRank(rel: string): number {
  if (rel === 'search/search.json') return 4;
  if (/\.(html|xml)$/.test(rel) && !rel.startsWith('letters/')) return 3;
  if (rel.startsWith('letters/') && rel.endsWith('/index.html')) return 2;
  if (rel.startsWith('search/')) return 0;
  return rel.endsWith('.json') && !rel.startsWith('letters/') ? 3 : 0;
}

interface Journal {
  staging: string;
  moves: string[];
  removals: string[];
}

/**
 * Puts the staged files in place (see the module's comment): `moves` from `staging` into
 * `out/archive/` in publishing order, then `removals`, then `next` as the record.
 */
export async function applyChanges(out: string, archive: string, staging: string, moves: readonly string[], removals: readonly string[], next: ArchiveRecord): Promise<void> {
  await writeAtomic(out, `${RECORD}.next`, recordText(next));
  await dropRecord(out);
  const ordered = [...moves].sort((a, b) => publishRank(a) - publishRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const journal: Journal = { staging: path.relative(out, staging), moves: ordered, removals: [...removals].sort() };
  await writeAtomic(out, JOURNAL, JSON.stringify(journal));
  await finish(out, archive, journal);
}

async function finish(out: string, archive: string, j: Journal): Promise<void> {
  const staging = path.join(out, j.staging);
  for (const rel of j.moves) {
    const from = path.join(staging, rel);
    if (!existsSync(from)) continue; // moved by the step that was stopped
    await mkdir(path.dirname(path.join(archive, rel)), { recursive: true });
    await rename(from, path.join(archive, rel));
  }
  for (const rel of j.removals) await rm(path.join(archive, rel), { force: true });
  await removeEmptyFolders(archive, j.removals);
  await rename(path.join(out, `${RECORD}.next`), path.join(out, RECORD));
  await rm(path.join(out, JOURNAL), { force: true });
  await rm(staging, { recursive: true, force: true });
}

/** The folders the removed files leave empty (a search prefix, a letter's folder). */
async function removeEmptyFolders(archive: string, removed: readonly string[]): Promise<void> {
  const dirs = [...new Set(removed.map((r) => path.dirname(r)))].sort((a, b) => b.length - a.length);
  for (let d of dirs) {
    while (d && d !== '.') {
      const full = path.join(archive, d);
      const left = await readdir(full).catch(() => undefined);
      if (!left || left.length) break;
      await rm(full, { recursive: true, force: true });
      d = path.dirname(d);
    }
  }
}

/**
 * A step stopped while it put files in place left its journal: finish it (true), or, if
 * its staging folder or next record is gone, drop the record so this step builds in full
 * (false). No journal: true.
 */
export async function resumeJournal(out: string, archive: string): Promise<boolean> {
  let j: Journal;
  try {
    j = JSON.parse(await readFile(path.join(out, JOURNAL), 'utf8')) as Journal;
  } catch {
    return !existsSync(path.join(out, JOURNAL));
  }
  if (!existsSync(path.join(out, j.staging)) || !existsSync(path.join(out, `${RECORD}.next`))) {
    await dropRecord(out);
    await rm(path.join(out, JOURNAL), { force: true });
    return false;
  }
  await finish(out, archive, j);
  return true;
}
