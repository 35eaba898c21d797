/**
 * The archive's cache of case files (`out/.cache/archive-cases.json`): what each case
 * file gave the archive (its confidential values, the letter it is for), under the file's
 * stamp (device, inode, size, modification and change times; see `build/state.ts`), so
 * the archive step reads and parses only the case files that changed. An accelerator
 * only: a missing, damaged or other code's cache is ignored, and what it gives is what
 * reading the file gives.
 *
 * A stamp proves a file unchanged only when it was taken well after the file's last
 * change (git's "racy clean" rule, `isRacy`): an entry whose stamp was racy when taken is
 * not kept, so that file is read again next time.
 */
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../publish/files.js';
import { isRacy, stampOf } from '../build/state.js';
import { codeHash } from './code-hash.js';

export interface CaseCache<E> {
  /** What `file` gave when its stamp was `info`'s, if known. */
  get(file: string, info: Stats): E | undefined;
  /** Keeps what `file` gave, under `info`'s stamp (not kept when the stamp is racy). */
  set(file: string, info: Stats, entry: E): void;
  /** Writes the entries of the files seen by this run (the others go). */
  save(): Promise<void>;
}

/** The code an entry depends on: reading case files, their values, YAML (the lock file). */
const code = () => codeHash(['cases', 'case-cache', '../confidential/', '../read/']);

/** Where the archive keeps it, under the output folder. */
export const CASE_CACHE = path.join('.cache', 'archive-cases.json');

/** The cache in `file` (none: nothing is kept). */
export async function openCaseCache<E>(file: string | undefined): Promise<CaseCache<E>> {
  const before = new Map<string, [string, E]>();
  if (file) {
    try {
      const raw = JSON.parse(await readFile(file, 'utf8')) as { format: number; code: string; files: Record<string, [string, E]> };
      if (raw.format === 1 && raw.code === code()) for (const [k, v] of Object.entries(raw.files)) before.set(k, v);
    } catch {
      // No cache, or not one this code can use: every file is read.
    }
  }
  const seen = new Map<string, [string, E]>();
  return {
    get(f, info) {
      const known = before.get(f);
      if (!known || known[0] !== stampOf(info)) return undefined;
      seen.set(f, known);
      return known[1];
    },
    set(f, info, entry) {
      const stamp = stampOf(info);
      if (!isRacy(stamp, Date.now())) seen.set(f, [stamp, entry]);
    },
    async save() {
      if (!file) return;
      const files = Object.fromEntries([...seen].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      await writeAtomic(path.dirname(file), path.basename(file), `${JSON.stringify({ format: 1, code: code(), files })}\n`);
    },
  };
}
