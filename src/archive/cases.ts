/**
 * What the archive reads of the case files: every confidential value (for the leak
 * check), which letters' case files it read (it publishes no other), and, for letters
 * built before the build wrote public facts, the facts themselves. Only the
 * frontmatter is parsed for the values, and leniently: a case file with errors still
 * has parties that must not leak. A symbolic link is not read (refused, and named).
 * With a cache, a file whose stamp is unchanged since it was read is not read again.
 */
import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { parse } from 'yaml';
import { checkSource } from '../check/index.js';
import { findCaseFiles, decodeSource, readBytes } from '../read/source.js';
import { publicFacts, type PublicFacts } from '../render/facts.js';
import { splitFrontmatter } from '../read/frontmatter.js';
import { MAX_YAML_ALIASES } from '../limits.js';
import { allowedPhrases, confidentialValues, type ConfidentialValue } from '../confidential/index.js';
import { openCaseCache } from './case-cache.js';

/** What the archive knows of one letter revision's case file. */
export interface CaseEntry {
  file: string;
  values: ConfidentialValue[];
  /** `parties.notConfidential` phrases. */
  allowed: string[];
  hasParties: boolean;
  /** The case file says `publicOnly: true` (no parties on record). */
  publicOnly: boolean;
  /** Why its letter is refused although the file was found (a symbolic link). */
  refused?: string;
}

export interface CaseFiles {
  values: ConfidentialValue[];
  /** The values by case file read, with a key of what they are (`valuesKey`): the same values, the same key. */
  sets: { key: string; values: ConfidentialValue[] }[];
  /** Case files read, by `<case> v<revision>`. */
  letters: ReadonlyMap<string, CaseEntry>;
  /**
   * The case file that stands for letter `case` revision `revision`: its own, else the
   * case's file of a later revision (a file is edited in place into the next revision;
   * its parties are the case's).
   */
  entryFor(caseNumber: string, revision: number): CaseEntry | undefined;
  /** Paths given that do not exist. */
  missing: string[];
  /** Case files whose frontmatter could not be read (their values are unknown). */
  unreadable: { file: string; reason: string }[];
  /** The public facts of `case` revision `revision`, from its case file if its public content matches `publicHash`. */
  factsFor(caseNumber: string, revision: number, publicHash: string): Promise<PublicFacts | undefined>;
}


/** What one case file gives the archive, as its cache keeps it (see `CaseCache`). */
interface FileEntry {
  values: ConfidentialValue[];
  /** `valuesKey(values)`. */
  key: string;
  /** Why its frontmatter could not be read (its values are then found line by line). */
  unreadable?: string;
  /** The letter it is for, when it is a case file. */
  letter?: { case: string; revision: number; allowed: string[]; hasParties: boolean; publicOnly: boolean };
}

/** A key of what a matcher of whole values looks for in `values` (their kinds and texts, in order). */
export function valuesKey(values: readonly ConfidentialValue[]): string {
  return createHash('sha256').update(JSON.stringify(values.map((v) => [v.kind, v.value]))).digest('hex').slice(0, 32);
}

/** What a case file gives, from its bytes (only the frontmatter, parsed leniently). */
function entryOf(file: string, text: string): FileEntry {
  const found = readEntry(file, text);
  return { ...found, key: valuesKey(found.values) };
}

function readEntry(file: string, text: string): Omit<FileEntry, 'key'> {
  const fm = splitFrontmatter(text).frontmatter;
  let data: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = fm !== undefined ? parse(fm, { uniqueKeys: false, maxAliasCount: MAX_YAML_ALIASES }) : undefined;
    data = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch (error) {
    // Still look for a parties block's values line by line: better a false alarm than a leak.
    return { values: looseValues(text, file), unreadable: `its frontmatter is not valid YAML (${(error as Error).message.split('\n')[0]})` };
  }
  if (!data) return /\bparties\s*:/.test(text) ? { values: looseValues(text, file), unreadable: 'no frontmatter could be read' } : { values: [] };
  const caseNumber = typeof data.case === 'string' ? data.case : undefined;
  const values = confidentialValues(data.parties, file, caseNumber);
  if (!caseNumber || typeof data.revision !== 'number') return { values, unreadable: 'not a case file (no `case` and `revision`)' };
  return { values, letter: { case: caseNumber, revision: data.revision, allowed: allowedPhrases(data.parties), hasParties: data.parties !== undefined && data.parties !== null, publicOnly: data.publicOnly === true } };
}

export interface ReadCaseOptions {
  /**
   * A file where what each case file gave is kept under its stamp (see `case-cache.ts`),
   * so a file unchanged since is not read or parsed again (default none: every file is read).
   */
  cache?: string;
}

export async function readCaseFiles(paths: readonly string[], options: ReadCaseOptions = {}): Promise<CaseFiles> {
  const { files, diagnostics } = await findCaseFiles(paths);
  const cache = await openCaseCache<FileEntry>(options.cache);
  const values: ConfidentialValue[] = [];
  const sets: CaseFiles['sets'] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const byLetter = new Map<string, string>();
  const letters = new Map<string, CaseEntry>();
  for (const file of files) {
    const info = await lstat(file).catch(() => undefined);
    // A link is read for its values (they must not leak either), but its letter is refused.
    const refused = info?.isSymbolicLink() ? `its case file ${file} is a symbolic link: a case file must be a regular file (replace the link with the file)` : undefined;
    let found = info && !info.isSymbolicLink() ? cache.get(file, info) : undefined;
    if (!found) {
      const read = await readBytes(file);
      if (!read.bytes) {
        unreadable.push({ file, reason: read.diagnostics[0]?.message ?? 'unreadable' });
        continue;
      }
      found = entryOf(file, read.bytes.toString('utf8'));
      if (info && !info.isSymbolicLink()) cache.set(file, info, found);
    }
    values.push(...found.values);
    sets.push({ key: found.key, values: found.values });
    if (found.unreadable) unreadable.push({ file, reason: found.unreadable });
    const l = found.letter;
    if (!l) continue;
    const key = `${l.case} v${l.revision}`;
    byLetter.set(key, file);
    const entry: CaseEntry = { file, values: found.values, allowed: l.allowed, hasParties: l.hasParties, publicOnly: l.publicOnly, refused };
    const known = letters.get(key);
    // Two files for one letter: both sets of values count.
    letters.set(key, known ? { ...known, values: [...known.values, ...found.values], allowed: [], hasParties: known.hasParties || entry.hasParties, publicOnly: known.publicOnly && entry.publicOnly, refused: known.refused ?? entry.refused } : entry);
  }
  await cache.save();
  const latest = new Map<string, { revision: number; entry: CaseEntry }>();
  for (const [key, entry] of letters) {
    const [caseNumber, v] = key.split(' v');
    const revision = Number(v);
    const known = latest.get(caseNumber!);
    if (!known || known.revision < revision) latest.set(caseNumber!, { revision, entry });
  }
  return {
    values,
    sets,
    letters,
    entryFor(caseNumber, revision) {
      const own = letters.get(`${caseNumber} v${revision}`);
      if (own) return own;
      const later = latest.get(caseNumber);
      return later && later.revision > revision ? later.entry : undefined;
    },
    missing: diagnostics.map((d) => d.file),
    unreadable,
    async factsFor(caseNumber, revision, publicHash) {
      const file = byLetter.get(`${caseNumber} v${revision}`);
      if (!file) return undefined;
      const bytes = await readBytes(file);
      if (!bytes.bytes) return undefined;
      const read = decodeSource(file, bytes.bytes);
      if (!read.source) return undefined;
      const c = checkSource(read.source).case;
      if (!c || c.publicHash !== publicHash) return undefined;
      return publicFacts(c);
    },
  };
}

/** The values under a `parties:` key of a file YAML cannot parse: every `name:`, address line and claim number. */
function looseValues(text: string, file: string): ConfidentialValue[] {
  const start = text.search(/^parties\s*:/m);
  if (start === -1) return [];
  const block = text.slice(start).split(/\n(?=\S)/)[0] ?? '';
  const out: ConfidentialValue[] = [];
  for (const m of block.matchAll(/^\s*(?:-\s*)?(?:(name|claimNumber)\s*:\s*)?["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/gm)) {
    const key = m[1];
    const value = m[2]!.trim();
    if (!value || /^[a-zA-Z]+\s*:\s*$/.test(value) || /^[a-zA-Z]+:$/.test(value)) continue;
    if (!key && !/^\s*-\s/.test(m[0])) continue;
    out.push({ value, kind: key === 'claimNumber' ? 'claim number' : key === 'name' ? 'party name' : 'party address', file, case: undefined });
  }
  return out;
}
