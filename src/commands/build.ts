/**
 * `imr-letters build [paths…] [--out DIR] [--edition letter|public]`
 *
 * Checks every case, then for each valid one renders its editions to HTML, prints
 * them to PDF, and publishes both under `out/letters/<case>/v<revision>/`. Issued
 * (final) revisions already in the manifest are never rewritten; a final case whose
 * content changed without a new revision is refused. The manifest is written last.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Case } from '../check/index.js';
import { checkPaths } from './check.js';
import { loadConfig } from '../config.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { createRenderer, type Renderer } from '../render/index.js';
import { EDITIONS, type Edition, type LetterView } from '../render/model.js';
import { publicFacts } from '../render/facts.js';
import { Printer } from '../print/printer.js';
import { letterDate, pinMetadata } from '../print/metadata.js';
import { letterFile, LETTER_TO_ROOT, sha256, writeAtomic } from '../publish/files.js';
import { readManifest, writeManifest, type Manifest, type ManifestFile, type ManifestLetter } from '../publish/manifest.js';
import { OutputError } from '../errors.js';

export interface BuildOptions {
  /** Case files or folders (default `['cases']`). */
  paths?: string[];
  /** Output folder (default `out`). */
  out?: string;
  /** Editions to build (default both). */
  editions?: Edition[];
  /** Configuration file (default `imr-letters.config.yaml`). */
  config?: string;
  /** Templates folder (default `templates`). */
  templates?: string;
  /** Styles folder (default `styles`). */
  styles?: string;
  /** Pages printing at once (default 2). */
  concurrency?: number;
  /** Called with a line of progress for each letter. */
  log?: (line: string) => void;
  /** The compiler's name and version, recorded in the manifest and PDFs. */
  generator: string;
}

export type LetterState = 'built' | 'unchanged' | 'skipped' | 'failed';

export interface BuildResult {
  diagnostics: Diagnostic[];
  letters: { case: string; revision: number; state: LetterState; files: string[] }[];
  manifest: Manifest;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const out = options.out ?? 'out';
  const editions = options.editions ?? [...EDITIONS];
  const log = options.log ?? (() => undefined);
  const config = await loadConfig(options.config);
  const renderer = await createRenderer({ org: config.organization, templates: options.templates, styles: options.styles });
  const inputsHash = createHash('sha256').update(renderer.fingerprint).update(options.generator).digest('hex');
  const checked = await checkPaths(options.paths?.length ? options.paths : ['cases']);
  const diagnostics = [...checked.diagnostics];
  const manifest = await readManifest(out, options.generator);
  const result: BuildResult = { diagnostics, letters: [], manifest };

  // Decide, for each case, whether it must be rendered.
  const todo: { c: Case; editions: Edition[] }[] = [];
  for (const c of checked.cases) {
    if (editions.includes('letter') && !c.data.parties) {
      diagnostics.push(at(c, 'no-parties', `No \`parties\` in ${c.data.case}: the mailed letter needs them and was not built${editions.includes('public') ? ' (the public edition was)' : ''}`, 'warning'));
    }
    const decision = await plan(c, manifest, out, inputsHash, editions);
    if (decision.diagnostic) diagnostics.push(decision.diagnostic);
    if (decision.state === 'render') todo.push({ c, editions: decision.editions ?? [...editions] });
    else {
      result.letters.push({ case: c.data.case, revision: c.data.revision, state: decision.state, files: [] });
      log(`${decision.state === 'unchanged' ? 'unchanged' : 'refused  '} ${c.data.case} v${c.data.revision}${decision.note ? ` (${decision.note})` : ''}`);
    }
  }

  if (todo.length > 0) {
    // Fonts first: letters refer to them.
    for (const asset of renderer.assets) {
      const rel = `assets/${asset.name}`;
      if (!manifest.assets.some((a) => a.path === rel && a.sha256 === asset.sha256)) {
        await write(out, rel, asset.bytes);
        manifest.assets = manifest.assets.filter((a) => a.path !== rel);
        manifest.assets.push({ path: rel, sha256: asset.sha256, bytes: asset.bytes.length });
      }
    }
    const files = new Map(renderer.assets.map((a) => [`assets/${a.name}`, a.bytes] as const));
    const printer = await Printer.start({ pages: options.concurrency ?? 2 });
    try {
      // As many letters in flight as the printer has pages: each holds its HTML and PDF
      // only while it is being made.
      await eachLimit(todo, Math.max(1, options.concurrency ?? 2), async ({ c, editions: these }) => {
          try {
            const entry = await buildLetter(c, { renderer, printer, files, out, editions: these, inputsHash, generator: options.generator, diagnostics });
            for (const stale of upsert(manifest, entry)) await rm(path.join(out, stale), { force: true });
            result.letters.push({ case: c.data.case, revision: c.data.revision, state: 'built', files: entry.files.map((f) => f.path) });
            const pages = entry.files.filter((f) => f.format === 'pdf').map((f) => `${f.edition} ${f.pages} p.`);
            log(`built     ${c.data.case} v${c.data.revision} ${c.data.status} (${pages.join(', ')})`);
          } catch (error) {
            if (error instanceof OutputError) throw error;
            diagnostics.push(at(c, 'print-failed', `The letter could not be printed: ${(error as Error).message}`));
            result.letters.push({ case: c.data.case, revision: c.data.revision, state: 'failed', files: [] });
          }
      });
    } finally {
      await printer.close();
    }
  }
  // Mark superseded revisions, then write the manifest: last, after every file.
  for (const l of manifest.letters) {
    const next = manifest.letters.filter((o) => o.case === l.case && o.revision > l.revision && o.status === 'final').map((o) => o.revision);
    l.supersededBy = next.length ? Math.min(...next) : null;
  }
  try {
    await writeManifest(out, manifest); // unchanged bytes are not rewritten
  } catch (cause) {
    throw new OutputError(`Cannot write ${path.join(out, 'manifest.json')}`, { cause, hint: 'Check that the output folder is writable and the disk is not full.' });
  }
  result.letters.sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision));
  return result;
}

function at(c: Case, rule: string, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const { start, end } = c.revisionSpan;
  return { file: c.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity, rule, message };
}

interface Plan {
  state: 'render' | 'unchanged' | 'skipped';
  /** The editions to render (for `render`). */
  editions?: Edition[];
  diagnostic?: Diagnostic;
  note?: string;
}

async function plan(c: Case, manifest: Manifest, out: string, inputsHash: string, editions: readonly Edition[]): Promise<Plan> {
  const { case: caseNumber, revision } = c.data;
  const entries = manifest.letters.filter((l) => l.case === caseNumber);
  const existing = entries.find((l) => l.revision === revision);
  const issuedLater = entries.filter((l) => l.status === 'final' && l.revision > revision).map((l) => l.revision);
  if (issuedLater.length) {
    return {
      state: 'skipped',
      diagnostic: at(c, 'revision-behind', `Revision ${Math.max(...issuedLater)} of ${caseNumber} is already issued; this file is revision ${revision}. Update the file to the latest revision before changing it`),
      note: 'a later revision is issued',
    };
  }
  const possible = editions.filter((e) => e !== 'letter' || c.data.parties);
  if (possible.length === 0) return { state: 'skipped', note: 'no parties for the mailed letter' };
  if (existing?.status === 'final') {
    const have = new Set(existing.files.map((f) => f.edition));
    // Parties added to an issued letter that had none: its mailed letter can now be
    // made; the public edition, which does not depend on them, stays as issued.
    const partiesAdded = existing.contentHash !== c.contentHash && existing.publicHash === c.publicHash && !have.has('letter');
    if (existing.contentHash !== c.contentHash && !partiesAdded) {
      return {
        state: 'skipped',
        diagnostic: at(
          c,
          'issued-revision-changed',
          `${caseNumber} revision ${revision} was issued (final) with other content, and an issued letter never changes: set \`revision: ${revision + 1}\`, \`status: draft\` and \`amends: <what it corrects>\` for the correction`,
        ),
        note: 'issued, content changed',
      };
    }
    const broken = await brokenFiles(out, existing.files);
    if (broken.length) {
      return {
        state: 'skipped',
        diagnostic: at(c, 'issued-file-altered', `Issued files of ${caseNumber} revision ${revision} are missing or altered (${broken.join(', ')}): restore them from the published output; they are never rebuilt`),
        note: 'issued files missing',
      };
    }
    // An issued revision only ever gains an edition it did not have; its files are never rewritten.
    const missing = possible.filter((e) => !have.has(e));
    if (missing.length) return { state: 'render', editions: missing };
    return { state: 'unchanged', note: 'issued' };
  }
  if (existing && existing.contentHash === c.contentHash && existing.inputsHash === inputsHash) {
    const have = new Set(existing.files.map((f) => f.edition));
    if (possible.every((e) => have.has(e)) && (await brokenFiles(out, existing.files)).length === 0) {
      return { state: 'unchanged', note: 'draft, up to date' };
    }
  }
  return { state: 'render', editions: possible };
}

async function brokenFiles(out: string, files: readonly ManifestFile[]): Promise<string[]> {
  const broken: string[] = [];
  for (const f of files) {
    try {
      const bytes = await readFile(path.join(out, f.path));
      if (sha256(bytes) !== f.sha256) broken.push(f.path);
    } catch {
      broken.push(f.path);
    }
  }
  return broken;
}

interface LetterContext {
  renderer: Renderer;
  printer: Printer;
  files: ReadonlyMap<string, Buffer>;
  out: string;
  editions: readonly Edition[];
  inputsHash: string;
  generator: string;
  diagnostics: Diagnostic[];
}

async function buildLetter(c: Case, ctx: LetterContext): Promise<ManifestLetter> {
  const d = c.data;
  const made: ManifestFile[] = [];
  let view: LetterView | undefined;
  const outputs: { rel: string; bytes: Uint8Array | string; file: Omit<ManifestFile, 'sha256' | 'bytes' | 'pages'> }[] = [];
  const pagesOf = new Map<Edition, number>();
  for (const edition of ctx.editions) {
    const htmlPath = letterFile(d.case, d.revision, edition, 'html');
    const rendered = ctx.renderer.render(c, edition, `${LETTER_TO_ROOT}assets/`);
    view = rendered.view;
    const printed = await ctx.printer.print({ path: htmlPath, html: rendered.html, files: ctx.files });
    if (printed.blocked.length) {
      ctx.diagnostics.push(at(c, 'blocked-request', `While printing the ${edition} edition, blocked requests to ${printed.blocked.slice(0, 3).join(', ')}`, 'warning'));
    }
    const pinned = await pinMetadata(printed.pdf, {
      title: rendered.view.title,
      subject: rendered.view.subject,
      keywords: rendered.view.keywords,
      date: letterDate(d.dates.decision),
      creator: ctx.generator,
    });
    pagesOf.set(edition, pinned.pages);
    outputs.push({ rel: htmlPath, bytes: rendered.html, file: { path: htmlPath, edition, format: 'html' } });
    const pdfPath = letterFile(d.case, d.revision, edition, 'pdf');
    outputs.push({ rel: pdfPath, bytes: pinned.bytes, file: { path: pdfPath, edition, format: 'pdf' } });
    if (edition === 'public') {
      // The public facts the archive filters on, beside the public edition.
      const factsPath = letterFile(d.case, d.revision, edition, 'json');
      outputs.push({ rel: factsPath, bytes: `${JSON.stringify(publicFacts(c), null, 2)}\n`, file: { path: factsPath, edition, format: 'json' } });
    }
  }
  // Everything rendered and printed: now write, then the manifest records it.
  for (const o of outputs) {
    await write(ctx.out, o.rel, o.bytes);
    const bytes = typeof o.bytes === 'string' ? Buffer.from(o.bytes) : o.bytes;
    made.push({ ...o.file, sha256: sha256(bytes), bytes: bytes.length, pages: pagesOf.get(o.file.edition) ?? 1 });
  }
  return {
    case: d.case,
    revision: d.revision,
    status: d.status,
    outcome: view?.outcome ?? '',
    decisionDate: d.dates.decision,
    supersedes: d.revision > 1 ? d.revision - 1 : null,
    supersededBy: null,
    amends: d.amends ?? null,
    // Relative to the working folder, so the manifest does not depend on how the path was typed.
    source: path.relative(process.cwd(), path.resolve(c.file)).split(path.sep).join('/'),
    contentHash: c.contentHash,
    publicHash: c.publicHash,
    inputsHash: ctx.inputsHash,
    files: made,
  };
}

async function write(out: string, rel: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeAtomic(out, rel, bytes);
  } catch (cause) {
    throw new OutputError(`Cannot write ${path.join(out, rel)}`, { cause, hint: 'Check that the output folder is writable and the disk is not full.' });
  }
}

/**
 * Puts a built letter into the manifest and returns the files no longer listed, to delete.
 * An issued (final) entry keeps every file it had and only gains editions; a draft's
 * files are replaced, except editions not built this time from the same content.
 */
function upsert(m: Manifest, entry: ManifestLetter): string[] {
  const i = m.letters.findIndex((l) => l.case === entry.case && l.revision === entry.revision);
  if (i === -1) {
    m.letters.push(entry);
    return [];
  }
  const old = m.letters[i]!;
  const keep = old.status === 'final' || (old.contentHash === entry.contentHash && old.inputsHash === entry.inputsHash);
  const kept = keep ? old.files.filter((f) => !entry.files.some((n) => n.path === f.path)) : [];
  const files = [...kept, ...entry.files];
  m.letters[i] = old.status === 'final' ? { ...old, contentHash: entry.contentHash, files } : { ...entry, files };
  return old.files.map((f) => f.path).filter((p) => !files.some((f) => f.path === p));
}

/** Runs `fn` over `list` with at most `limit` calls at once; rejects on the first rejection. */
async function eachLimit<T>(list: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

export { hasErrors };
