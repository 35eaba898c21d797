/**
 * Where letters go under the output folder, and how files are written: atomically
 * (a temporary file in the same folder, then a rename), so `out/` never holds a
 * half-written file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CASE_NUMBER } from '../schema/case.js';
import type { Edition } from '../render/model.js';
import { OutputError } from '../errors.js';

/** `letters/CM16-0213037/v1`: depends only on the case number and revision. */
export function letterDir(caseNumber: string, revision: number): string {
  if (!CASE_NUMBER.test(caseNumber) || !Number.isInteger(revision) || revision < 1) {
    throw new OutputError(`Refusing to build a path from case ${JSON.stringify(caseNumber)} revision ${revision}`);
  }
  return `letters/${caseNumber}/v${revision}`;
}

/** `letters/CM16-0213037/v1/CM16-0213037-v1-public.pdf`. */
export function letterFile(caseNumber: string, revision: number, edition: Edition, ext: 'html' | 'pdf' | 'json'): string {
  return `${letterDir(caseNumber, revision)}/${caseNumber}-v${revision}-${edition}.${ext}`;
}

/** From a letter's folder back to the output root, e.g. `../../../`. */
export const LETTER_TO_ROOT = '../../../';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes `bytes` to `root/rel` atomically. `rel` must stay inside `root`. `folderMade`:
 * the caller has just made sure the file's folder exists (default false: made here).
 */
export async function writeAtomic(root: string, rel: string, bytes: Uint8Array | string, folderMade = false): Promise<void> {
  const target = path.resolve(root, rel);
  const base = path.resolve(root);
  if (target !== base && !target.startsWith(base + path.sep)) throw new OutputError(`Refusing to write outside ${root}: ${rel}`);
  if (!folderMade) await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Removes temporary files left in `root/dir` by a build that was killed between writing
 * and renaming (`<name>.<random>.tmp`). Called before a letter's files are written again.
 */
export async function removeStaleTemps(root: string, dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.resolve(root, dir));
  } catch {
    return [];
  }
  const stale = names.filter((n) => /\.[0-9a-f]{12}\.tmp$/.test(n));
  await Promise.all(stale.map((n) => rm(path.resolve(root, dir, n), { force: true })));
  return stale;
}
