/**
 * What is issued, for the editor: the final revisions listed in the build's manifest
 * (`out/manifest.json` of the project, as `build` or `restore` leaves it), read as
 * `check --issued out` reads it (`loadIssued`). A case file that changes an issued
 * revision's content gets the check's `issued-revision-changed` at its `revision:` line
 * (and one behind an issued revision `revision-behind`), while the author types: the
 * rule is the check's (`issuedChanges` in `src/publish/issued.ts`), not a copy.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Case } from '../check/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { MANIFEST } from '../publish/manifest.js';
import { issuedChanges, loadIssued, type IssuedSet } from '../publish/issued.js';

export interface IssuedLetters {
  /** Re-reads the manifest when it changed on disk; a missing or unreadable one lists nothing. */
  refresh(): Promise<void>;
  /** What is issued, if the manifest lists anything. */
  readonly set: IssuedSet | undefined;
  /** Why the manifest cannot be read, if it cannot. */
  readonly error: string | undefined;
}

export function issuedLetters(outDir: string | undefined): IssuedLetters {
  let set: IssuedSet | undefined;
  let seen = '';
  let error: string | undefined;
  return {
    get set() {
      return set;
    },
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
      set = undefined;
      error = undefined;
      if (!info) return;
      try {
        set = await loadIssued(file, []);
      } catch (e) {
        error = (e as Error).message;
      }
    },
  };
}

/** The check's diagnostics for a case against what is issued (none when nothing is). */
export function issuedDiagnostics(c: Case, issued: IssuedLetters): Diagnostic[] {
  return issued.set ? issuedChanges([c], issued.set) : [];
}
