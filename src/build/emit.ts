/**
 * Stage 4 of a build, **emit**: a prepared letter's outputs, made and written. Each
 * output format is one entry of `OUTPUTS` (what it is made from, and for which
 * editions); `emit` makes every output of every edition first, and only then writes
 * them, atomically, so a letter that fails to print leaves nothing behind.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { BuildError, ConfidentialLeakError, OutputError } from '../errors.js';
import { publicFileLeaks } from '../confidential/public-files.js';
import type { SigningKey } from '../print/sign.js';
import { issueDate } from '../schema/case.js';
import type { Printer } from '../print/printer.js';
import { letterDir, letterFile, removeStaleTemps, sha256, writeAtomic } from '../publish/files.js';
import type { Manifest, ManifestFile } from '../publish/manifest.js';
import type { Renderer } from '../render/index.js';
import type { Edition } from '../render/model.js';
import type { Prepared, RenderedEdition } from './compile.js';
import { caseDiagnostic } from './plan.js';
import { filesPresent } from './verify.js';

export type OutputFormat = ManifestFile['format'];

/** What an output is made from: one edition of one prepared letter. */
export interface OutputInput {
  p: Prepared;
  edition: Edition;
  rendered: RenderedEdition;
  /** Undefined in an HTML-only build. */
  printer: Printer | undefined;
  /** Files the HTML may load while printing (the fonts), by path under the output folder. */
  files: ReadonlyMap<string, Buffer>;
  /** The compiler's name and version. */
  generator: string;
  /** Signs the PDFs of final revisions, when set. */
  signer: SigningKey | undefined;
  /** Reports a problem that does not stop the letter. */
  warn: (d: Diagnostic) => void;
  /** Adds the time since `since` (`performance.now()`) to a phase of the build (default: not timed). */
  time?: (phase: string, since: number) => void;
}

export interface Output {
  /** Whether this build makes the output for this edition. */
  applies(input: OutputInput): boolean;
  /** The output's bytes, and the letter's page count when this output knows it. */
  make(input: OutputInput): Promise<{ bytes: Uint8Array | string; pages?: number; signed?: boolean }>;
}

/** Every output format of a letter edition, in the order they are made. */
export const OUTPUTS: Record<OutputFormat, Output> = {
  html: {
    applies: () => true,
    make: async ({ rendered }) => ({ bytes: rendered.html }),
  },
  pdf: {
    applies: ({ printer }) => printer !== undefined,
    make: printPdf,
  },
  json: {
    // The public facts the archive filters on, beside the public edition.
    applies: ({ edition }) => edition === 'public',
    make: async ({ p }) => ({ bytes: p.facts }),
  },
};

async function printPdf(input: OutputInput): Promise<{ bytes: Uint8Array; pages: number; signed: boolean }> {
  const { p, edition, rendered } = input;
  const d = p.info.data;
  // Loaded by the first PDF: an HTML-only build never loads them.
  const [{ letterDate, pinMetadata }, { failOnOverflow }, { signPdf }] = await Promise.all([import('../print/metadata.js'), import('../print/overflow.js'), import('../print/sign.js')]);
  let since = performance.now();
  const printed = await input.printer!.print({ path: letterFile(d.case, d.revision, edition, 'html'), html: rendered.html, files: input.files, measureFit: true });
  input.time?.('print: a page of the browser (waiting for one included), fit measured, PDF made', since);
  since = performance.now();
  await failOnOverflow(printed.overflow, p.info, edition); // nothing lost on the page: see src/print/overflow.ts
  if (printed.blocked.length) {
    input.warn(caseDiagnostic(p.info, 'blocked-request', `While printing the ${edition} edition, blocked requests to ${printed.blocked.slice(0, 3).join(', ')}`, 'warning'));
  }
  const pinned = pinMetadata(printed.pdf, {
    title: rendered.title,
    subject: rendered.subject,
    keywords: rendered.keywords,
    date: letterDate(issueDate(d)),
    creator: input.generator,
  });
  input.time?.('PDF rewritten (metadata, tags, artifacts)', since);
  since = performance.now();
  const signer = d.status === 'final' ? input.signer : undefined;
  const bytes = signer ? await signPdf(pinned.bytes, signer, letterDate(d.dates.decision), `IMR final determination ${d.case} revision ${d.revision}`) : pinned.bytes;
  if (signer) input.time?.('PDF signed', since);
  return { bytes, pages: pinned.pages, signed: signer !== undefined };
}

export interface EmitContext extends Omit<OutputInput, 'p' | 'edition' | 'rendered'> {
  out: string;
}

interface Made {
  rel: string;
  bytes: Uint8Array | string;
  edition: Edition;
  format: OutputFormat;
  signed?: boolean;
}

/** Makes and writes the outputs of `editions`; returns their manifest records and the outcome printed. */
export async function emit(p: Prepared, editions: readonly Edition[], ctx: EmitContext): Promise<{ files: ManifestFile[]; outcome: string }> {
  const d = p.info.data;
  const made: Made[] = [];
  const pagesOf = new Map<Edition, number>();
  let outcome = '';
  for (const edition of editions) {
    const rendered = p.editions[edition];
    if (!rendered) throw new BuildError(`The ${edition} edition of ${d.case} was not rendered`);
    outcome = rendered.outcome;
    const input: OutputInput = { ...ctx, p, edition, rendered };
    for (const [format, output] of Object.entries(OUTPUTS) as [OutputFormat, Output][]) {
      if (!output.applies(input)) continue;
      const { bytes, pages, signed } = await output.make(input);
      if (pages !== undefined) pagesOf.set(edition, pages);
      made.push({ rel: letterFile(d.case, d.revision, edition, format), bytes, edition, format, signed });
    }
  }
  // The confidential check's second line: no byte of a letter whose public files hold a value.
  let since = performance.now();
  const leaks = publicFileLeaks(p.info.file, d.parties, made.filter((m) => m.edition === 'public'), p.info.revisionSpan);
  ctx.time?.('public files checked for confidential values', since);
  if (leaks.length) throw new ConfidentialLeakError(`A public file of ${d.case} v${d.revision} holds a confidential value`, leaks);
  // Everything made: now write; the manifest records it afterwards.
  // A folder made just now holds no temporary file a killed build left.
  since = performance.now();
  const fresh = await makeFolder(ctx.out, letterDir(d.case, d.revision));
  if (!fresh) await removeStaleTemps(ctx.out, letterDir(d.case, d.revision));
  const files: ManifestFile[] = [];
  for (const m of made) {
    await write(ctx.out, m.rel, m.bytes, path.dirname(m.rel) === letterDir(d.case, d.revision));
    const bytes = typeof m.bytes === 'string' ? Buffer.from(m.bytes) : m.bytes;
    // In the schema's key order (`signed` last), so a rebuilt manifest has the same bytes as one read back.
    files.push({ path: m.rel, edition: m.edition, format: m.format, sha256: sha256(bytes), bytes: bytes.length, pages: pagesOf.get(m.edition) ?? null, ...(m.signed === undefined ? {} : { signed: m.signed }) });
  }
  ctx.time?.('files written', since);
  return { files, outcome };
}

/** Publishes the fonts letters refer to (once, before the first letter) and records them in the manifest. */
export async function emitAssets(out: string, renderer: Renderer, manifest: Manifest): Promise<void> {
  for (const asset of renderer.assets) {
    const rel = `assets/${asset.name}`;
    if (!manifest.assets.some((a) => a.path === rel && a.sha256 === asset.sha256) || !(await filesPresent(out, [{ path: rel, bytes: asset.bytes.length }]))) {
      await write(out, rel, asset.bytes);
      manifest.assets = manifest.assets.filter((a) => a.path !== rel);
      manifest.assets.push({ path: rel, sha256: asset.sha256, bytes: asset.bytes.length });
    }
  }
}

/** Deletes files a letter no longer lists (a draft rebuilt with fewer editions). */
export async function removeFiles(out: string, rels: readonly string[]): Promise<void> {
  for (const rel of rels) await rm(path.join(out, rel), { force: true });
}

/** Writes one file atomically; a failure is an `OutputError`, which stops the build. `folderMade`: see `writeAtomic`. */
export async function write(out: string, rel: string, bytes: Uint8Array | string, folderMade = false): Promise<void> {
  try {
    await writeAtomic(out, rel, bytes, folderMade);
  } catch (cause) {
    throw new OutputError(`Cannot write ${path.join(out, rel)}`, { cause, hint: 'Check that the output folder is writable and the disk is not full.' });
  }
}

/** Makes `out/rel` and its parents; true when it did not exist before. */
async function makeFolder(out: string, rel: string): Promise<boolean> {
  try {
    return (await mkdir(path.join(out, rel), { recursive: true })) !== undefined;
  } catch (cause) {
    throw new OutputError(`Cannot write ${path.join(out, rel)}`, { cause, hint: 'Check that the output folder is writable and the disk is not full.' });
  }
}
