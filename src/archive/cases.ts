/**
 * What the archive reads of the case files: every confidential value (for the leak
 * check), which letters' case files it read (it publishes no other), and, for letters
 * built before the build wrote public facts, the facts themselves. Only the
 * frontmatter is parsed for the values, and leniently: a case file with errors still
 * has parties that must not leak. A symbolic link is not read (refused, and named).
 */
import { lstat } from 'node:fs/promises';
import { parse } from 'yaml';
import { checkSource } from '../check/index.js';
import { findCaseFiles, decodeSource, readBytes } from '../read/source.js';
import { publicFacts, type PublicFacts } from '../render/facts.js';
import { splitFrontmatter } from '../read/frontmatter.js';
import { MAX_YAML_ALIASES } from '../limits.js';
import { allowedPhrases, confidentialValues, type ConfidentialValue } from '../confidential/index.js';

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
  factsFor(caseNumber: string, revision: number, publicHash: string): PublicFacts | undefined;
}


export async function readCaseFiles(paths: readonly string[]): Promise<CaseFiles> {
  const { files, diagnostics } = await findCaseFiles(paths);
  const values: ConfidentialValue[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const byLetter = new Map<string, { file: string; bytes: Uint8Array }>();
  const letters = new Map<string, CaseEntry>();
  for (const file of files) {
    // A link is read for its values (they must not leak either), but its letter is refused.
    const refused = (await lstat(file).then((l) => l.isSymbolicLink()).catch(() => false))
      ? `its case file ${file} is a symbolic link: a case file must be a regular file (replace the link with the file)`
      : undefined;
    const read = await readBytes(file);
    if (!read.bytes) {
      unreadable.push({ file, reason: read.diagnostics[0]?.message ?? 'unreadable' });
      continue;
    }
    const bytes = read.bytes;
    const text = bytes.toString('utf8');
    const fm = splitFrontmatter(text).frontmatter;
    let data: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = fm !== undefined ? parse(fm, { uniqueKeys: false, maxAliasCount: MAX_YAML_ALIASES }) : undefined;
      data = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    } catch (error) {
      unreadable.push({ file, reason: `its frontmatter is not valid YAML (${(error as Error).message.split('\n')[0]})` });
      // Still look for a parties block's values line by line: better a false alarm than a leak.
      values.push(...looseValues(text, file));
      continue;
    }
    if (!data) {
      if (/\bparties\s*:/.test(text)) {
        unreadable.push({ file, reason: 'no frontmatter could be read' });
        values.push(...looseValues(text, file));
      }
      continue;
    }
    const caseNumber = typeof data.case === 'string' ? data.case : undefined;
    const own = confidentialValues(data.parties, file, caseNumber);
    values.push(...own);
    if (!caseNumber || typeof data.revision !== 'number') {
      unreadable.push({ file, reason: 'not a case file (no `case` and `revision`)' });
      continue;
    }
    const key = `${caseNumber} v${data.revision}`;
    byLetter.set(key, { file, bytes });
    const entry: CaseEntry = { file, values: own, allowed: allowedPhrases(data.parties), hasParties: data.parties !== undefined && data.parties !== null, publicOnly: data.publicOnly === true, refused };
    const known = letters.get(key);
    // Two files for one letter: both sets of values count.
    letters.set(key, known ? { ...known, values: [...known.values, ...own], allowed: [], hasParties: known.hasParties || entry.hasParties, publicOnly: known.publicOnly && entry.publicOnly, refused: known.refused ?? entry.refused } : entry);
  }
  const latest = new Map<string, { revision: number; entry: CaseEntry }>();
  for (const [key, entry] of letters) {
    const [caseNumber, v] = key.split(' v');
    const revision = Number(v);
    const known = latest.get(caseNumber!);
    if (!known || known.revision < revision) latest.set(caseNumber!, { revision, entry });
  }
  return {
    values,
    letters,
    entryFor(caseNumber, revision) {
      const own = letters.get(`${caseNumber} v${revision}`);
      if (own) return own;
      const later = latest.get(caseNumber);
      return later && later.revision > revision ? later.entry : undefined;
    },
    missing: diagnostics.map((d) => d.file),
    unreadable,
    factsFor(caseNumber, revision, publicHash) {
      const found = byLetter.get(`${caseNumber} v${revision}`);
      if (!found) return undefined;
      const read = decodeSource(found.file, found.bytes);
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
