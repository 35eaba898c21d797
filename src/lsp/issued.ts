/**
 * What is issued, for the editor: the final revisions listed in the build's manifest
 * (`out/manifest.json` of the project, as `build` or `restore` leaves it). A case file
 * that changes an issued revision's content gets `issued-revision-changed` at its
 * `revision:` line, as `build` reports it, while the author types.
 *
 * Integration note: this mirrors the build's rule (`plan` in `src/commands/build.ts`).
 * When the check itself can be told what is issued, the server passes this manifest
 * to it instead and this module only loads the manifest; a diagnostic the check
 * already reports is never added twice.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Case } from '../check/index.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { MANIFEST, readManifest, type ManifestLetter } from '../publish/manifest.js';

export interface IssuedLetters {
  /** Re-reads the manifest when it changed on disk; a missing or unreadable one lists nothing. */
  refresh(): Promise<void>;
  /** The final revision of a case in the manifest, if any. */
  find(caseNumber: string, revision: number): ManifestLetter | undefined;
  /** Why the manifest cannot be read, if it cannot. */
  readonly error: string | undefined;
}

export function issuedLetters(outDir: string | undefined): IssuedLetters {
  let letters = new Map<string, ManifestLetter>();
  let seen = '';
  let error: string | undefined;
  return {
    get error() {
      return error;
    },
    async refresh() {
      if (!outDir) return;
      const file = path.join(outDir, MANIFEST);
      const info = await stat(file).catch(() => undefined);
      const stamp = info ? `${info.mtimeMs}:${info.size}` : 'none';
      if (stamp === seen) return;
      seen = stamp;
      letters = new Map();
      error = undefined;
      if (!info) return;
      try {
        const manifest = await readManifest(outDir, 'imr-letters lsp');
        for (const l of manifest.letters) if (l.status === 'final') letters.set(`${l.case}@${l.revision}`, l);
      } catch (e) {
        error = (e as Error).message;
      }
    },
    find: (caseNumber, revision) => letters.get(`${caseNumber}@${revision}`),
  };
}

/** `issued-revision-changed` for a checked case whose revision is issued with other content. */
export function issuedDiagnostics(c: Case, issued: IssuedLetters): Diagnostic[] {
  const { case: caseNumber, revision } = c.data;
  const entry = issued.find(caseNumber, revision);
  if (!entry || entry.contentHash === c.contentHash) return [];
  // Parties added to an issued letter that had none: the build adds its mailed letter.
  const partiesAdded = entry.publicHash === c.publicHash && !entry.files.some((f) => f.edition === 'letter');
  if (partiesAdded) return [];
  return [
    diagnostic(
      c.file,
      c.revisionSpan,
      'error',
      'issued-revision-changed',
      `${caseNumber} revision ${revision} was issued (final) with other content, and an issued letter never changes: set \`revision: ${revision + 1}\`, \`status: draft\` and \`amends: <what it corrects>\` for the correction`,
    ),
  ];
}
