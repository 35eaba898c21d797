/**
 * `revision-predecessor-unknown` (warning): a final revision N > 1 corrects revision
 * N − 1, which must have been issued. It is looked for, in this order: among the case
 * files checked in the same run, in the manifest of the last build (`out/manifest.json`
 * by default, as `restore` brings it back), and in the git history of the case file (a
 * commit where the file had `revision: N-1`, the usual way: the file is edited in place).
 * Found nowhere, the revision number is likely wrong. This is the check's one rule with
 * I/O (it reads the manifest and runs git), so it lives apart from the pure rules.
 */
import { readFile } from 'node:fs/promises';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { gitFile, history, revisionOf, showFile } from '../diff/revisions.js';
import type { Case } from './index.js';

export interface PredecessorOptions {
  /** The last build's manifest (default `out/manifest.json`; a missing file lists nothing). */
  manifest?: string;
  /** Commits of a file's history looked at (default 50). */
  maxCommits?: number;
}

async function manifestRevisions(file: string): Promise<Set<string>> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { letters?: { case?: unknown; revision?: unknown }[] };
    return new Set((json.letters ?? []).map((l) => `${String(l.case)} v${String(l.revision)}`));
  } catch {
    return new Set();
  }
}

async function inHistory(c: Case, wanted: number, maxCommits: number): Promise<boolean> {
  const g = await gitFile(c.file);
  if (!g) return false;
  for (const entry of (await history(g)).slice(0, maxCommits)) {
    const text = await showFile(g, entry.commit, entry.path);
    const seen = text ? revisionOf(text) : undefined;
    if (seen?.revision === wanted && (seen.caseNumber === undefined || seen.caseNumber === c.data.case)) return true;
  }
  return false;
}

export async function unknownPredecessors(cases: readonly Case[], options: PredecessorOptions = {}): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const later = cases.filter((c) => c.data.status === 'final' && c.data.revision > 1);
  if (!later.length) return out;
  const manifest = options.manifest ?? 'out/manifest.json';
  const listed = await manifestRevisions(manifest);
  for (const c of later) {
    const wanted = c.data.revision - 1;
    const key = `${c.data.case} v${wanted}`;
    if (cases.some((o) => o.data.case === c.data.case && o.data.revision === wanted) || listed.has(key)) continue;
    if (await inHistory(c, wanted, options.maxCommits ?? 50)) continue;
    out.push(
      diagnostic(
        c.file,
        c.revisionSpan,
        'warning',
        'revision-predecessor-unknown',
        `Revision ${c.data.revision} of ${c.data.case} is final, but revision ${wanted} is known nowhere: no case file checked has it, ${manifest} does not list it, and no commit of this file has \`revision: ${wanted}\`; a correction supersedes an issued letter: check the revision number`,
      ),
    );
  }
  return out;
}
