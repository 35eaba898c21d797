/**
 * A hash of the code a cache's entries were made by, for the caches of the archive step
 * (the open data's chunks, the leak check's verdicts): the source files named (folders:
 * every file in them, relative to `src/archive/`, or `dist/archive/` once compiled), and
 * the project's `package-lock.json` (every dependency's version), and Node's zlib
 * version. Any change of that code, a dependency or zlib gives another hash, so a cache
 * keyed on it starts empty rather than serve what older code made.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const lock = path.resolve(here, '..', '..', 'package-lock.json');
const memo = new Map<string, string>();

/** The files a part names: a folder's files (sorted), or a module with its `.ts` or `.js` extension. */
function filesOf(part: string): string[] {
  const p = path.resolve(here, part);
  if (existsSync(p) && statSync(p).isDirectory()) {
    return readdirSync(p, { withFileTypes: true }).filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')).map((e) => path.join(p, e.name)).sort();
  }
  return ['.ts', '.js'].map((ext) => `${p}${ext}`).filter((f) => existsSync(f));
}

/** The hash of `parts` (paths relative to `src/archive/`: folders or modules without extension). */
export function codeHash(parts: readonly string[]): string {
  const key = parts.join('\0');
  const known = memo.get(key);
  if (known) return known;
  const h = createHash('sha256').update(`zlib ${process.versions.zlib}\n`);
  for (const f of parts.flatMap(filesOf)) h.update(`${path.relative(here, f)}\n`).update(readFileSync(f)).update('\0');
  if (existsSync(lock)) h.update(readFileSync(lock));
  const hash = h.digest('hex');
  memo.set(key, hash);
  return hash;
}
