/**
 * What the archive reads of the case files: every confidential value (for the leak
 * check) and, for letters built before the build wrote public facts, the facts
 * themselves. Only the frontmatter is parsed for the values, and leniently: a case
 * file with errors still has parties that must not leak.
 */
import { parse } from 'yaml';
import { checkSource } from '../check/index.js';
import { findCaseFiles, decodeSource, readBytes } from '../read/source.js';
import { publicFacts, type PublicFacts } from '../render/facts.js';
import { confidentialValues, type ConfidentialValue } from './confidential.js';
import { splitFrontmatter } from '../read/frontmatter.js';
import { MAX_YAML_ALIASES } from '../limits.js';

export interface CaseFiles {
  values: ConfidentialValue[];
  /** Case files whose frontmatter could not be read (their values are unknown). */
  unreadable: { file: string; reason: string }[];
  /** The public facts of `case` revision `revision`, from its case file if its public content matches `publicHash`. */
  factsFor(caseNumber: string, revision: number, publicHash: string): PublicFacts | undefined;
}


export async function readCaseFiles(paths: readonly string[]): Promise<CaseFiles> {
  const { files } = await findCaseFiles(paths);
  const values: ConfidentialValue[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const byLetter = new Map<string, { file: string; bytes: Uint8Array }>();
  for (const file of files) {
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
    values.push(...confidentialValues(data.parties, file, caseNumber));
    if (caseNumber && typeof data.revision === 'number') byLetter.set(`${caseNumber} v${data.revision}`, { file, bytes });
  }
  return {
    values,
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
