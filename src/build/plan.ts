/**
 * Stage 3 of a build, **plan**: what to do with a checked case, given what the manifest
 * already records. Pure: the caller reads the output folder first (`broken`: which of
 * the recorded files are missing or altered) and passes what it found.
 *
 * An issued (final) revision never changes: its files are never rewritten, and it only
 * ever gains an edition it did not have (the mailed letter, once parties are added).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { ManifestLetter } from '../publish/manifest.js';
import type { Edition } from '../render/model.js';
import { issuedChangedMessage } from '../publish/issued.js';
import type { CaseInfo } from './compile.js';

export interface Plan {
  state: 'render' | 'unchanged' | 'skipped';
  /** The editions to render (for `render`). */
  editions?: Edition[];
  diagnostic?: Diagnostic;
  /** A few words for the build's log line. */
  note?: string;
}

export interface PlanInput {
  /** The checked case. */
  c: CaseInfo;
  /** The manifest's entries of the case (every revision). */
  entries: readonly ManifestLetter[];
  /** The hash of templates, styles, fonts and compiler of this build. */
  inputsHash: string;
  /** The editions this build makes. */
  editions: readonly Edition[];
  /** The recorded files of this revision that are missing or altered in the output folder. */
  broken: readonly string[];
}

/** A diagnostic at the case's `revision` line. */
export function caseDiagnostic(c: CaseInfo, rule: string, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const { start, end } = c.revisionSpan;
  return { file: c.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity, rule, message };
}

/** Decides whether to render a case, which editions, or why not. */
export function plan({ c, entries, inputsHash, editions, broken }: PlanInput): Plan {
  const { case: caseNumber, revision } = c.data;
  const existing = entries.find((l) => l.revision === revision);
  const issuedLater = entries.filter((l) => l.status === 'final' && l.revision > revision).map((l) => l.revision);
  if (issuedLater.length) {
    const message = `Revision ${Math.max(...issuedLater)} of ${caseNumber} is already issued; this file is revision ${revision}. Update the file to the latest revision before changing it`;
    return { state: 'skipped', diagnostic: caseDiagnostic(c, 'revision-behind', message), note: 'a later revision is issued' };
  }
  const possible = editions.filter((e) => e !== 'letter' || c.data.parties);
  if (possible.length === 0) return { state: 'skipped', note: 'no parties for the mailed letter' };
  if (existing?.status === 'final') return planIssued(c, existing, possible, broken);
  if (existing && existing.contentHash === c.contentHash && existing.inputsHash === inputsHash) {
    const have = new Set(existing.files.map((f) => f.edition));
    if (possible.every((e) => have.has(e)) && broken.length === 0) return { state: 'unchanged', note: 'draft, up to date' };
  }
  return { state: 'render', editions: possible };
}

/** The plan for a revision the manifest records as issued. */
function planIssued(c: CaseInfo, existing: ManifestLetter, possible: Edition[], broken: readonly string[]): Plan {
  const { case: caseNumber, revision } = c.data;
  const have = new Set(existing.files.map((f) => f.edition));
  // Parties added to an issued letter that had none: its mailed letter can now be
  // made; the public edition, which does not depend on them, stays as issued.
  const partiesAdded = existing.contentHash !== c.contentHash && existing.publicHash === c.publicHash && !have.has('letter');
  if (existing.contentHash !== c.contentHash && !partiesAdded) {
    return { state: 'skipped', diagnostic: caseDiagnostic(c, 'issued-revision-changed', issuedChangedMessage(caseNumber, revision)), note: 'issued, content changed' };
  }
  if (broken.length) {
    const message = `Issued files of ${caseNumber} revision ${revision} are missing or altered (${broken.join(', ')}): restore them from the published output; they are never rebuilt`;
    return { state: 'skipped', diagnostic: caseDiagnostic(c, 'issued-file-altered', message), note: 'issued files missing' };
  }
  const missing = possible.filter((e) => !have.has(e));
  if (missing.length) return { state: 'render', editions: missing };
  return { state: 'unchanged', note: 'issued' };
}

/**
 * The files of this revision the plan needs checked on disk: an issued revision's, and
 * an up-to-date draft's; none otherwise (they are replaced anyway).
 */
export function filesToVerify(c: CaseInfo, entries: readonly ManifestLetter[], inputsHash: string): ManifestLetter['files'] {
  const existing = entries.find((l) => l.revision === c.data.revision);
  if (!existing) return [];
  if (existing.status === 'final' || (existing.contentHash === c.contentHash && existing.inputsHash === inputsHash)) return existing.files;
  return [];
}
