/**
 * What is issued, for review time: `check --issued <source>` compares each checked case
 * with the letters already issued, so an issued letter edited in place fails the pull
 * request, not the build on main after the merge.
 *
 * A source is either
 * - the output of the last published build: a folder holding `manifest.json` (as
 *   `imr-letters restore` brings it back), or that file itself; its final revisions are
 *   the issued ones; or
 * - a git revision (`origin/main`, a tag, a commit): the case files at that revision, under
 *   the folders being checked; those with `status: final` are the issued ones. Only the
 *   files that differ from the working tree are read (a file unchanged since cannot change
 *   an issued letter), so a pull request touching a few of 10,000 cases reads a few.
 *
 * ```ts
 * const issued = await loadIssued('origin/main', ['cases']);
 * diagnostics.push(...issuedChanges(cases, issued));
 * ```
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkSource, type Case } from '../check/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { ImrError } from '../errors.js';
import { decodeSource } from '../read/source.js';
import { MANIFEST, readManifest } from './manifest.js';

const run = promisify(execFile);

/** One issued (final) letter revision, as much as the comparison needs. */
export interface IssuedRevision {
  case: string;
  revision: number;
  /** See `Case.contentHash`. */
  contentHash: string;
  /** See `Case.publicHash`. */
  publicHash: string;
  /** Whether its mailed letter was issued (a case issued without parties had only its public edition). */
  hasLetter: boolean;
}

export interface IssuedSet {
  /** Where it came from, for messages: `out/manifest.json`, `git origin/main`. */
  source: string;
  /** By `<case> v<revision>`. */
  revisions: Map<string, IssuedRevision>;
}

export class IssuedSourceError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('IssuedSourceError', message, options);
  }
}

const key = (caseNumber: string, revision: number) => `${caseNumber} v${revision}`;

/**
 * Reads what is issued from `spec`: an existing folder or `manifest.json`, else a git
 * revision of the repository holding `paths` (whose case files at that revision are read).
 */
export async function loadIssued(spec: string, paths: readonly string[]): Promise<IssuedSet> {
  const info = await stat(spec).catch(() => undefined);
  if (info) return fromManifest(info.isDirectory() ? spec : path.dirname(spec), info.isDirectory() ? MANIFEST : path.basename(spec));
  return fromGit(spec, paths);
}

async function fromManifest(dir: string, name: string): Promise<IssuedSet> {
  const source = path.join(dir, name);
  if (name !== MANIFEST || !(await stat(source).catch(() => undefined))?.isFile()) {
    throw new IssuedSourceError(`${source} is not an output folder's ${MANIFEST}`, { hint: 'Pass the folder `imr-letters restore` wrote (e.g. out), its manifest.json, or a git revision such as origin/main.' });
  }
  const manifest = await readManifest(dir, '');
  const revisions = new Map<string, IssuedRevision>();
  for (const l of manifest.letters) {
    if (l.status !== 'final') continue;
    revisions.set(key(l.case, l.revision), { case: l.case, revision: l.revision, contentHash: l.contentHash, publicHash: l.publicHash, hasLetter: l.files.some((f) => f.edition === 'letter') });
  }
  return { source, revisions };
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

async function fromGit(rev: string, paths: readonly string[]): Promise<IssuedSet> {
  const first = path.resolve(paths[0] ?? 'cases');
  const cwd = (await stat(first).catch(() => undefined))?.isDirectory() ? first : path.dirname(first);
  let top: string;
  try {
    top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
    await git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch (cause) {
    throw new IssuedSourceError(`--issued ${JSON.stringify(rev)} is neither a folder, a manifest.json nor a git revision of the repository of ${paths[0] ?? 'cases'}`, {
      cause,
      hint: 'Pass the output folder `imr-letters restore` wrote (e.g. out), or a fetched branch, tag or commit (e.g. origin/main).',
    });
  }
  // The folders being checked (a file stands for its folder: a case may have been renamed).
  const dirs = await Promise.all(
    (paths.length ? paths : ['cases']).map(async (p) => {
      const abs = path.resolve(p);
      const dir = (await stat(abs).catch(() => undefined))?.isDirectory() ? abs : path.dirname(abs);
      return path.relative(top, dir).split(path.sep).join('/') || '.';
    }),
  );
  // Only files that differ from the working tree (changed, moved or deleted since): a file
  // as it was at `rev` is issued as it is, so it cannot change an issued letter.
  const listed = await git(top, ['diff', '--name-only', '--no-renames', '-z', rev, '--', ...new Set(dirs)]);
  const revisions = new Map<string, IssuedRevision>();
  for (const file of listed.split('\0').filter((f) => f.endsWith('.md'))) {
    const bytes = await run('git', ['show', `${rev}:${file}`], { cwd: top, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' }).then((r) => r.stdout as Buffer).catch(() => undefined);
    const read = bytes && decodeSource(file, bytes);
    const c = read?.source ? checkSource(read.source).case : undefined;
    if (!c || c.data.status !== 'final') continue;
    revisions.set(key(c.data.case, c.data.revision), { case: c.data.case, revision: c.data.revision, contentHash: c.contentHash, publicHash: c.publicHash, hasLetter: c.data.parties !== undefined });
  }
  return { source: `git ${rev}`, revisions };
}

/**
 * Whether `c` changes the issued revision `issued` of the same number. Parties added to a
 * letter issued without them are not a change: its public edition stays as issued and
 * its mailed letter can now be made (as `build` does).
 */
export function changesIssued(issued: Pick<IssuedRevision, 'contentHash' | 'publicHash' | 'hasLetter'>, c: Pick<Case, 'contentHash' | 'publicHash'>): boolean {
  if (issued.contentHash === c.contentHash) return false;
  return !(issued.publicHash === c.publicHash && !issued.hasLetter);
}

/** The message of `issued-revision-changed` (the build's words, with where it was issued). */
export function issuedChangedMessage(caseNumber: string, revision: number, source?: string): string {
  return `${caseNumber} revision ${revision} was issued (final${source ? `, in ${source}` : ''}) with other content, and an issued letter never changes: set \`revision: ${revision + 1}\`, \`status: draft\`, \`amends: <what it corrects>\` and \`dates.issued\` for the correction`;
}

/** `issued-revision-changed` for each case that edits an issued revision in place; `revision-behind` for one behind an issued revision. */
export function issuedChanges(cases: readonly Pick<Case, 'file' | 'data' | 'contentHash' | 'publicHash' | 'revisionSpan'>[], issued: IssuedSet): Diagnostic[] {
  const latest = new Map<string, number>();
  for (const r of issued.revisions.values()) latest.set(r.case, Math.max(latest.get(r.case) ?? 0, r.revision));
  const out: Diagnostic[] = [];
  for (const c of cases) {
    const { case: caseNumber, revision } = c.data;
    const at = { file: c.file, line: c.revisionSpan.start.line, column: c.revisionSpan.start.column, endLine: c.revisionSpan.end.line, endColumn: c.revisionSpan.end.column, severity: 'error' as const };
    const newest = latest.get(caseNumber) ?? 0;
    if (newest > revision) {
      out.push({ ...at, rule: 'revision-behind', message: `Revision ${newest} of ${caseNumber} is already issued (in ${issued.source}); this file is revision ${revision}. Update the file to the latest revision before changing it` });
      continue;
    }
    const entry = issued.revisions.get(key(caseNumber, revision));
    if (entry && changesIssued(entry, c)) out.push({ ...at, rule: 'issued-revision-changed', message: issuedChangedMessage(caseNumber, revision, issued.source) });
  }
  return out;
}
