/**
 * Where the two sides of a redline come from.
 *
 * An issued revision's source is not kept in `cases/`: the file holds the latest
 * revision. A side is one of:
 *
 * - `working`: the case file as it is on disk, rendered with the current templates;
 * - `vN`: revision N. When the build's manifest (`out/manifest.json`) lists it as issued
 *   (final) with the HTML of the edition, and the file's bytes match, that HTML is used
 *   as it was issued: exactly what its reader received. Otherwise (a draft, another
 *   machine, `--rerender`) it is the case file from git history (the last commit in
 *   which the file's `revision:` was N), rendered with the current templates;
 * - anything else is a git revision (`main`, `HEAD~2`, a commit id): the case file as it
 *   was there, rendered with the current templates.
 *
 * By default, `from` is the last issued revision (the highest final revision in the
 * manifest or in git history, up to the working copy's), or the last commit of the file
 * when nothing was issued yet; `to` is the working copy.
 */
import { execFile } from 'node:child_process';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkSource, type Case } from '../check/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { decodeSource } from '../read/source.js';
import type { Renderer } from '../render/index.js';
import type { Edition } from '../render/model.js';
import { readManifest, type ManifestLetter } from '../publish/manifest.js';
import { letterFile, sha256 } from '../publish/files.js';
import type { IssuedRevision } from '../publish/issued.js';
import { ImrError } from '../errors.js';
import { splitFrontmatter } from '../read/frontmatter.js';

const run = promisify(execFile);

export interface Side {
  /** `v1`, `working copy`, `main`… */
  name: string;
  /** Where it came from, for the header. */
  detail: string;
  kind: 'working' | 'issued' | 'git';
  /** The case file's text (not for an issued HTML). */
  text?: string;
  /** The checked case (not for an issued HTML). */
  case?: Case;
  /** The issued HTML, when it comes from the output folder. */
  issuedHtml?: Partial<Record<Edition, string>>;
  revision: number | undefined;
  /** For an issued (final) revision: what tells whether another version changes it. */
  issued?: Pick<IssuedRevision, 'contentHash' | 'publicHash' | 'hasLetter'>;
}

export class DiffError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string; diagnostics?: Diagnostic[] } = {}) {
    super('DiffError', message, options);
    this.diagnostics = options.diagnostics ?? [];
  }

  readonly diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------------
// git

export interface GitFile {
  /** Repository root. */
  top: string;
  /** The file's path in the repository (as git writes it). */
  rel: string;
  /** Folder git runs in (the root). */
  cwd: string;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** The file's place in a git repository, or undefined outside one (or without git). */
export async function gitFile(file: string): Promise<GitFile | undefined> {
  const abs = await realpath(file).catch(() => path.resolve(file));
  const cwd = (await stat(abs).catch(() => undefined))?.isDirectory() ? abs : path.dirname(abs);
  try {
    const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
    const rel = path.relative(await realpath(top), abs).split(path.sep).join('/');
    // Paths given to git below are relative to the repository root: run it there.
    return { top, rel, cwd: top };
  } catch {
    return undefined;
  }
}

export interface HistoryEntry {
  commit: string;
  date: string;
  /** The file's path in that commit (it may have been renamed since). */
  path: string;
}

/** The file's commits, newest first, following renames. */
export async function history(g: GitFile): Promise<HistoryEntry[]> {
  let out: string;
  try {
    out = await git(g.cwd, ['log', '--follow', '--format=%x00%H %cs', '--name-only', '--', g.rel]);
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const chunk of out.split('\0').slice(1)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    const [commit, date] = (lines[0] ?? '').split(' ');
    if (commit && lines[1]) entries.push({ commit, date: date ?? '', path: lines[1] });
  }
  return entries;
}

export async function showFile(g: GitFile, rev: string, file: string): Promise<string | undefined> {
  try {
    return await git(g.cwd, ['show', `${rev}:${file}`]);
  } catch {
    return undefined;
  }
}

async function commitOf(g: GitFile, rev: string): Promise<{ commit: string; date: string } | undefined> {
  try {
    const [commit, date] = (await git(g.cwd, ['log', '-1', '--format=%H %cs', `${rev}^{commit}`, '--'])).trim().split(' ');
    return commit ? { commit, date: date ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------
// Reading a revision's frontmatter cheaply

/** `revision:` and `status:` of a case file's text, without checking it. */
export function revisionOf(text: string): { revision: number | undefined; status: string | undefined; caseNumber: string | undefined } {
  const fm = splitFrontmatter(text).frontmatter ?? '';
  const revision = /^revision:[ \t]*(\d+)[ \t]*(?:#.*)?$/m.exec(fm)?.[1];
  const status = /^status:[ \t]*["']?(draft|final)["']?[ \t]*(?:#.*)?$/m.exec(fm)?.[1];
  const caseNumber = /^case:[ \t]*["']?(CM\d{2}-\d{7})["']?[ \t]*(?:#.*)?$/m.exec(fm)?.[1];
  return { revision: revision ? Number(revision) : undefined, status, caseNumber };
}

// ---------------------------------------------------------------------------------
// Sides

export interface ResolveContext {
  /** The case file (working copy). */
  file: string;
  /** The build's output folder, where issued letters are (default `out`). */
  out: string;
  /** Render every side from its source, even issued ones (default false). */
  rerender: boolean;
}

export function checkText(label: string, file: string, text: string): Case {
  const read = decodeSource(file, Buffer.from(text, 'utf8'));
  const result = read.source ? checkSource(read.source) : { case: undefined, diagnostics: read.diagnostics };
  if (!result.case || hasErrors(result.diagnostics)) {
    throw new DiffError(`${label} of ${file} does not pass check, so it cannot be rendered`, {
      diagnostics: result.diagnostics,
      hint: 'Fix the problems reported above (imr-letters check), or compare other revisions with --from/--to.',
    });
  }
  return result.case;
}

export async function workingSide(ctx: ResolveContext): Promise<Side> {
  let bytes: Buffer;
  try {
    bytes = await readFile(ctx.file);
  } catch (cause) {
    throw new DiffError(`Cannot read ${ctx.file}`, { cause });
  }
  const read = decodeSource(ctx.file, bytes);
  const text = read.source?.text ?? '';
  const c = checkText('The working copy', ctx.file, text);
  return { name: 'working copy', detail: `${ctx.file}, revision ${c.data.revision}, ${c.data.status}`, kind: 'working', text, case: c, revision: c.data.revision };
}

/** Issued (final) revisions of a case in the manifest, by revision. */
async function issuedInManifest(out: string, caseNumber: string): Promise<Map<number, ManifestLetter>> {
  const manifest = await readManifest(out, '').catch(() => undefined);
  const map = new Map<number, ManifestLetter>();
  for (const l of manifest?.letters ?? []) if (l.case === caseNumber && l.status === 'final') map.set(l.revision, l);
  return map;
}

/** Revision N: as issued (output folder), or from git history. */
export async function revisionSide(ctx: ResolveContext, caseNumber: string, revision: number): Promise<Side> {
  const name = `v${revision}`;
  if (!ctx.rerender) {
    const entry = (await issuedInManifest(ctx.out, caseNumber)).get(revision);
    if (entry) {
      const issuedHtml: Partial<Record<Edition, string>> = {};
      for (const edition of ['letter', 'public'] as const) {
        const rel = letterFile(caseNumber, revision, edition, 'html');
        const f = entry.files.find((x) => x.path === rel);
        if (!f) continue;
        const bytes = await readFile(path.join(ctx.out, rel)).catch(() => undefined);
        if (bytes && sha256(bytes) === f.sha256) issuedHtml[edition] = bytes.toString('utf8');
      }
      if (Object.keys(issuedHtml).length) {
        const issued = { contentHash: entry.contentHash, publicHash: entry.publicHash, hasLetter: entry.files.some((f) => f.edition === 'letter') };
        return { name, detail: `issued ${entry.decisionDate}, as published in ${path.join(ctx.out, 'letters', caseNumber, `v${revision}`)}/`, kind: 'issued', issuedHtml, revision, issued };
      }
    }
  }
  const g = await gitFile(ctx.file);
  if (!g) {
    throw new DiffError(`Revision ${revision} of ${caseNumber} is neither issued in ${ctx.out}/ nor findable in git: ${ctx.file} is not in a git repository`, {
      hint: 'Restore the output folder of the last build (see README, "Writing a letter"), or compare with --from <git revision>.',
    });
  }
  for (const h of await history(g)) {
    const text = await showFile(g, h.commit, h.path);
    if (text === undefined || revisionOf(text).revision !== revision) continue;
    const c = checkText(`Revision ${revision} (commit ${h.commit.slice(0, 7)})`, ctx.file, text);
    return { name, detail: `${c.data.status}, git ${h.commit.slice(0, 7)} of ${h.date}, rendered with the current templates`, kind: 'git', text, case: c, revision, issued: issuedOf(c) };
  }
  throw new DiffError(`No revision ${revision} of ${caseNumber}: it is not issued in ${ctx.out}/ and no commit of ${g.rel} has \`revision: ${revision}\``, {
    hint: 'List the revisions with `git log -p -- <case file>`, or compare with --from <git revision>.',
  });
}

/** A final case from git: issued, as far as git tells. */
function issuedOf(c: Case): Side['issued'] {
  return c.data.status === 'final' ? { contentHash: c.contentHash, publicHash: c.publicHash, hasLetter: c.data.parties !== undefined } : undefined;
}

/** The file as it is in a git revision. */
export async function gitSide(ctx: ResolveContext, rev: string): Promise<Side> {
  const g = await gitFile(ctx.file);
  if (!g) throw new DiffError(`${ctx.file} is not in a git repository, so it has no revision ${JSON.stringify(rev)}`);
  const commit = await commitOf(g, rev);
  if (!commit) throw new DiffError(`Unknown git revision ${JSON.stringify(rev)}`, { hint: 'Pass a branch, a tag, a commit id, or vN for revision N of the letter.' });
  const text = await showFile(g, commit.commit, g.rel);
  if (text === undefined) throw new DiffError(`${g.rel} does not exist in ${rev} (${commit.commit.slice(0, 7)})`, { hint: 'A new case has nothing to compare with there.' });
  const c = checkText(`The version in ${rev}`, ctx.file, text);
  return { name: rev, detail: `revision ${c.data.revision}, ${c.data.status}, git ${commit.commit.slice(0, 7)} of ${commit.date}, rendered with the current templates`, kind: 'git', text, case: c, revision: c.data.revision, issued: issuedOf(c) };
}

/** The last issued revision at or below `upTo` (manifest or git), or undefined. */
export async function lastIssued(ctx: ResolveContext, caseNumber: string, upTo: number): Promise<number | undefined> {
  const revisions = new Set((await issuedInManifest(ctx.out, caseNumber)).keys());
  const g = await gitFile(ctx.file);
  if (g) {
    for (const h of await history(g)) {
      const text = await showFile(g, h.commit, h.path);
      const r = text === undefined ? undefined : revisionOf(text);
      if (r?.status === 'final' && r.revision !== undefined && r.caseNumber === caseNumber) revisions.add(r.revision);
    }
  }
  const eligible = [...revisions].filter((r) => r <= upTo);
  return eligible.length ? Math.max(...eligible) : undefined;
}

/** Resolves `spec` (`working`, `vN` or a git revision) to a side. */
export async function resolveSide(ctx: ResolveContext, spec: string, caseNumber: string): Promise<Side> {
  if (spec === 'working') return workingSide(ctx);
  const m = /^v(\d+)$/.exec(spec);
  if (m) return revisionSide(ctx, caseNumber, Number(m[1]));
  return gitSide(ctx, spec);
}

/** The default `from`: the last issued revision, else the last commit. */
export async function defaultFrom(ctx: ResolveContext, caseNumber: string, workingRevision: number): Promise<Side> {
  const issued = await lastIssued(ctx, caseNumber, workingRevision);
  if (issued !== undefined) return revisionSide(ctx, caseNumber, issued);
  const g = await gitFile(ctx.file);
  if (g && (await showFile(g, 'HEAD', g.rel)) !== undefined) {
    const side = await gitSide(ctx, 'HEAD');
    return { ...side, name: 'HEAD', detail: `nothing issued yet; the last commit: ${side.detail}` };
  }
  throw new DiffError(`Nothing to compare ${ctx.file} with: no revision of ${caseNumber} is issued, and the file is not committed`, {
    hint: 'Pass --from <git revision> or --from vN, or commit the file first.',
  });
}

/** The HTML of a side's edition. */
export function sideHtml(side: Side, edition: Edition, renderer: Renderer, assetBase: string): string | undefined {
  if (side.issuedHtml) return side.issuedHtml[edition];
  const c = side.case!;
  if (edition === 'letter' && !c.data.parties) return undefined;
  return renderer.render(c, edition, assetBase).html;
}
