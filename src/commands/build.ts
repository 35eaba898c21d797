/**
 * `imr-letters build [paths…] [--out DIR] [--edition letter|public]`
 *
 * Checks every case, then for each valid one renders its editions to HTML, prints
 * them to PDF, and publishes both under `out/letters/<case>/v<revision>/`. Issued
 * (final) revisions already in the manifest are never rewritten; a final case whose
 * content changed without a new revision is refused. The manifest is written last.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { findCaseFiles, readBytes } from '../read/source.js';
import { loadConfig } from '../config.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { createRenderer, type Renderer } from '../render/index.js';
import { EDITIONS, type Edition } from '../render/model.js';
import { createPreparer, type CaseInfo, type Prepared, type Preparer, type PrepareResult } from './prepare.js';
import { Printer } from '../print/printer.js';
import { letterDate, pinMetadata } from '../print/metadata.js';
import { signingKeyFromEnvironment, signPdf, type SigningKey } from '../print/sign.js';
import { letterDir, letterFile, LETTER_TO_ROOT, removeStaleTemps, sha256, writeAtomic } from '../publish/files.js';
import { readManifest, writeManifest, type Manifest, type ManifestFile, type ManifestLetter } from '../publish/manifest.js';
import { BrowserError, ConfidentialLeakError, OutputError } from '../errors.js';
import { publicFileLeaks } from '../confidential/public-files.js';
import { issueDate } from '../schema/case.js';
import { failOnOverflow, PageOverflowError } from '../print/overflow.js';
import { issuedChangedMessage } from '../publish/issued.js';

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
  /** Pages printing at once, and letters in flight (default: the machine's cores). */
  concurrency?: number;
  /** Longest one letter may take to print, in ms (default 60000). */
  timeoutMs?: number;
  /** Write HTML (and the public facts) only, without printing PDFs (default false). */
  htmlOnly?: boolean;
  /** Build only part `index` (1-based) of `count` disjoint parts of the cases (default: all). */
  shard?: Shard;
  /** Called with a line for each letter built, unchanged or refused. */
  log?: (line: string) => void;
  /** Threads that check and render (default: the machine's cores; 0: this thread only). */
  workers?: number;
  /** Called after each case file is done, with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** The compiler's name and version, recorded in the manifest and PDFs. */
  generator: string;
  /**
   * Signs the PDFs of final revisions (default: the PKCS#12 file named by `IMR_SIGNING_P12` or
   * the configuration's `signing.pkcs12`, if any; else unsigned). See src/print/sign.ts.
   */
  signer?: SigningKey;
}

export interface Shard {
  index: number;
  count: number;
}

export type LetterState = 'built' | 'unchanged' | 'skipped' | 'failed';

export interface BuildResult {
  diagnostics: Diagnostic[];
  letters: { case: string; revision: number; state: LetterState; files: string[] }[];
  manifest: Manifest;
}

/** Which shard (0-based) a case file belongs to: a hash of its path, so shards are disjoint and stable. */
export function shardOf(file: string, count: number): number {
  const rel = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
  return Number.parseInt(createHash('sha256').update(rel).digest('hex').slice(0, 8), 16) % count;
}

/** `2/4` → `{ index: 2, count: 4 }`; undefined when malformed. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/** The manifest's letters by case, so lookups do not scan 10,000 entries per letter. */
class LetterIndex {
  private readonly byCase = new Map<string, ManifestLetter[]>();

  constructor(private readonly manifest: Manifest) {
    for (const l of manifest.letters) this.byCase.set(l.case, [...(this.byCase.get(l.case) ?? []), l]);
  }

  ofCase(caseNumber: string): readonly ManifestLetter[] {
    return this.byCase.get(caseNumber) ?? [];
  }

  get(caseNumber: string, revision: number): ManifestLetter | undefined {
    return this.ofCase(caseNumber).find((l) => l.revision === revision);
  }

  /** Replaces (or adds) the entry of `entry.case` and `entry.revision`. */
  set(entry: ManifestLetter): void {
    const list = [...this.ofCase(entry.case).filter((l) => l.revision !== entry.revision), entry].sort((a, b) => a.revision - b.revision);
    this.byCase.set(entry.case, list);
  }

  /** Rewrites `manifest.letters` from the index (once, at the end of a build). */
  flush(): void {
    this.manifest.letters = [...this.byCase.values()].flat();
  }

  cases(): IterableIterator<ManifestLetter[]> {
    return this.byCase.values();
  }
}

interface Task {
  p: Prepared;
  editions: Edition[];
  sourceSha256: string;
}

/** A case file read ahead: an error, the fast path's entry, or its prepared letter. */
interface Ahead {
  file: string;
  bytes?: Buffer;
  sourceSha256?: string;
  error?: Diagnostic[];
  fast?: ManifestLetter;
  result?: PrepareResult;
}

/**
 * Builds every case under `options.paths`. Case files stream through: each is read and
 * checked in file order (so duplicate case numbers resolve the same way every time),
 * then handed to a bounded set of workers that render, print and write it; at most
 * `concurrency` letters are held in memory at once.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const out = options.out ?? 'out';
  const editions = options.editions ?? [...EDITIONS];
  const log = options.log ?? (() => undefined);
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism());
  const config = await loadConfig(options.config);
  const renderer = await createRenderer({ org: config.organization, templates: options.templates, styles: options.styles });
  const signer = options.htmlOnly ? undefined : (options.signer ?? signingKeyFromEnvironment(config.signing?.pkcs12));
  const inputsHash = createHash('sha256').update(renderer.fingerprint).update(options.generator).update(options.htmlOnly ? 'html-only' : 'full').update(signer ? signer.certificates[0]! : '').digest('hex');
  const found = await findCaseFiles(options.paths?.length ? options.paths : ['cases']);
  const files = options.shard ? found.files.filter((f) => shardOf(f, options.shard!.count) === options.shard!.index - 1) : found.files;
  const diagnostics = [...found.diagnostics];
  const manifest = await readManifest(out, options.generator);
  // Temporary files a killed build left beside the manifest and the fonts.
  await removeStaleTemps(out, '.');
  await removeStaleTemps(out, 'assets/fonts');
  const result: BuildResult = { diagnostics, letters: [], manifest };
  const index = new LetterIndex(manifest);
  const bySource = new Map<string, ManifestLetter[]>();
  for (const l of manifest.letters) bySource.set(l.source, [...(bySource.get(l.source) ?? []), l]);

  const fontFiles = new Map(renderer.assets.map((a) => [`assets/${a.name}`, a.bytes] as const));
  let printer: Promise<Printer> | undefined;
  let assetsWritten = false;
  const claims = new Map<string, string>();
  const queue = new Channel<Task>(concurrency);
  let done = 0;
  const progress = () => options.onProgress?.(++done, files.length);

  const worker = async () => {
    for (let task = await queue.take(); task; task = await queue.take()) {
      const c = task.p.info;
      try {
        if (!assetsWritten) {
          assetsWritten = true;
          await writeAssets(out, renderer, manifest);
        }
        // One browser for the build, started by the first letter that needs it.
        if (!options.htmlOnly && !printer) printer = Printer.start({ pages: concurrency, timeoutMs: options.timeoutMs });
        const entry = await buildLetter(task.p, {
          printer: options.htmlOnly ? undefined : await printer,
          files: fontFiles,
          out,
          editions: task.editions,
          inputsHash,
          generator: options.generator,
          diagnostics,
          sourceSha256: task.sourceSha256,
          signer,
        });
        for (const stale of upsert(index, entry)) await rm(path.join(out, stale), { force: true });
        result.letters.push({ case: c.data.case, revision: c.data.revision, state: 'built', files: entry.files.map((f) => f.path) });
        const pages = entry.files.filter((f) => f.format === 'pdf').map((f) => `${f.edition} ${f.pages} p.`);
        log(`built     ${c.data.case} v${c.data.revision} ${c.data.status}${pages.length ? ` (${pages.join(', ')})` : ''}`);
      } catch (error) {
        if (error instanceof OutputError || error instanceof BrowserError) {
          queue.close();
          throw error;
        }
        if (error instanceof PageOverflowError) diagnostics.push(...error.diagnostics);
        else if (error instanceof ConfidentialLeakError) diagnostics.push(...error.diagnostics);
        else diagnostics.push(at(c, 'print-failed', `The letter could not be printed: ${(error as Error).message}`));
        result.letters.push({ case: c.data.case, revision: c.data.revision, state: 'failed', files: [] });
      } finally {
        progress();
      }
    }
  };

  // Case files are checked and rendered ahead, on worker threads, up to `window` files
  // beyond the one being decided; decisions (claims, plans) are taken in file order.
  // Started by the first file that is not skipped on its bytes, so a no-op rebuild
  // starts no worker thread.
  let preparerStart: Promise<Preparer> | undefined;
  const preparer = {
    prepare: (file: string, bytes: Uint8Array) => {
      preparerStart ??= createPreparer({
        renderer: { org: config.organization, templates: options.templates, styles: options.styles },
        editions,
        assetBase: `${LETTER_TO_ROOT}assets/`,
        workers: options.workers,
      });
      return preparerStart.then((p) => p.prepare(file, bytes));
    },
    close: async () => (await preparerStart?.catch(() => undefined))?.close(),
  };
  const window = Math.max(4, concurrency * 4);

  /** Stage 1 (ahead, in parallel): read, and unless the fast path applies, check and render. */
  const ahead = async (file: string): Promise<Ahead> => {
    const read = await readBytes(file);
    if (!read.bytes) return { file, error: read.diagnostics };
    const bytes = read.bytes;
    const sourceSha256 = sha256(bytes);
    const source = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
    // Fast path: the same bytes, the same inputs and every file in place: nothing to do,
    // without even parsing the case.
    for (const l of (bySource.get(source) ?? []).filter((e) => e.sourceSha256 === sourceSha256)) {
      const wanted = editions.filter((e) => e === 'public' || l.hasParties);
      const complete = wanted.every((e) => l.files.some((f) => f.edition === e)) && (l.status === 'final' || l.inputsHash === inputsHash);
      if (complete && (await filesPresent(out, l.files))) return { file, bytes, sourceSha256, fast: l };
    }
    return { file, bytes, sourceSha256, result: await preparer.prepare(file, bytes) };
  };

  /** Stage 2 (in file order): claim the case number, plan, and hand a Task to the printers. */
  const decide = async (a: Ahead): Promise<Task | undefined> => {
    if (a.error) {
      diagnostics.push(...a.error);
      return undefined;
    }
    if (a.fast && !claims.has(`${a.fast.case} v${a.fast.revision}`)) {
      claims.set(`${a.fast.case} v${a.fast.revision}`, a.file);
      result.letters.push({ case: a.fast.case, revision: a.fast.revision, state: 'unchanged', files: [] });
      log(`unchanged ${a.fast.case} v${a.fast.revision} (${a.fast.status === 'final' ? 'issued' : 'draft, up to date'})`);
      return undefined;
    }
    const prepared = a.result ?? (await preparer.prepare(a.file, a.bytes!));
    diagnostics.push(...prepared.diagnostics);
    const p = prepared.prepared;
    if (!p) return undefined;
    const c = p.info;
    const key = `${c.data.case} v${c.data.revision}`;
    const other = claims.get(key);
    if (other) {
      diagnostics.push({ ...at(c, 'duplicate-case', `Case ${c.data.case} revision ${c.data.revision} is also in ${other}: one file per letter revision`), line: c.caseSpan.start.line, column: c.caseSpan.start.column, endLine: c.caseSpan.end.line, endColumn: c.caseSpan.end.column });
      return undefined;
    }
    claims.set(key, a.file);
    if (editions.includes('letter') && !c.data.parties && !c.data.publicOnly) {
      diagnostics.push(at(c, 'no-parties', `No \`parties\` in ${c.data.case}: the mailed letter needs them and was not built${editions.includes('public') ? ' (the public edition was)' : ''}`, 'warning'));
    }
    const decision = await plan(c, index, out, inputsHash, editions);
    if (decision.diagnostic) diagnostics.push(decision.diagnostic);
    if (decision.state === 'render') return { p, editions: decision.editions ?? [...editions], sourceSha256: a.sourceSha256! };
    if (decision.state === 'unchanged') {
      // Same content, other bytes (a comment, key order): remember the new bytes for the fast path.
      const entry = index.get(c.data.case, c.data.revision);
      if (entry) entry.sourceSha256 = a.sourceSha256!;
    }
    result.letters.push({ case: c.data.case, revision: c.data.revision, state: decision.state, files: [] });
    log(`${decision.state === 'unchanged' ? 'unchanged' : 'refused  '} ${c.data.case} v${c.data.revision}${decision.note ? ` (${decision.note})` : ''}`);
    return undefined;
  };

  const producer = async () => {
    try {
      const started: Promise<Ahead>[] = [];
      for (let i = 0; i < files.length; i++) {
        while (started.length < Math.min(files.length, i + window)) started.push(ahead(files[started.length]!));
        const a = await started[i]!;
        delete started[i];
        const task = await decide(a);
        if (task) {
          if (!(await queue.put(task))) return;
        } else progress();
      }
    } finally {
      queue.close();
    }
  };

  // Ctrl-C or a SIGTERM stops cleanly: no new letter starts, the browser and the worker
  // threads are closed, then the signal takes its course. Files are written atomically
  // and the manifest last, so what was not recorded is simply built again next time.
  const release = async () => {
    queue.close();
    await preparer.close();
    await (await printer?.catch(() => undefined))?.close();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    void release().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await Promise.all([producer(), ...Array.from({ length: concurrency }, worker)]);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await release();
  }

  // Mark superseded revisions, then write the manifest: last, after every file.
  for (const list of index.cases()) {
    for (const l of list) {
      const next = list.filter((o) => o.revision > l.revision && o.status === 'final').map((o) => o.revision);
      l.supersededBy = next.length ? Math.min(...next) : null;
    }
  }
  index.flush();
  try {
    await writeManifest(out, manifest); // unchanged bytes are not rewritten
  } catch (cause) {
    throw new OutputError(`Cannot write ${path.join(out, 'manifest.json')}`, { cause, hint: 'Check that the output folder is writable and the disk is not full.' });
  }
  result.letters.sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision));
  return result;
}

/** Publishes the fonts letters refer to, once, before the first letter. */
async function writeAssets(out: string, renderer: Renderer, manifest: Manifest): Promise<void> {
  for (const asset of renderer.assets) {
    const rel = `assets/${asset.name}`;
    if (!manifest.assets.some((a) => a.path === rel && a.sha256 === asset.sha256) || !(await filesPresent(out, [{ path: rel, bytes: asset.bytes.length }]))) {
      await write(out, rel, asset.bytes);
      manifest.assets = manifest.assets.filter((a) => a.path !== rel);
      manifest.assets.push({ path: rel, sha256: asset.sha256, bytes: asset.bytes.length });
    }
  }
}

/** Whether every file exists with its recorded size (a cheap check for the fast path). */
async function filesPresent(out: string, files: readonly { path: string; bytes: number }[]): Promise<boolean> {
  for (const f of files) {
    try {
      if ((await stat(path.join(out, f.path))).size !== f.bytes) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** A bounded queue between the reader and the workers. `put` waits while it is full. */
class Channel<T> {
  private readonly items: T[] = [];
  private readonly takers: ((item: T | undefined) => void)[] = [];
  private readonly putters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly capacity: number) {}

  async put(item: T): Promise<boolean> {
    while (!this.closed && this.items.length >= this.capacity && this.takers.length === 0) {
      await new Promise<void>((resolve) => this.putters.push(resolve));
    }
    if (this.closed) return false;
    const taker = this.takers.shift();
    if (taker) taker(item);
    else this.items.push(item);
    return true;
  }

  take(): Promise<T | undefined> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.putters.shift()?.();
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t(undefined);
    for (const p of this.putters.splice(0)) p();
  }
}

function at(c: CaseInfo, rule: string, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
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

async function plan(c: CaseInfo, index: LetterIndex, out: string, inputsHash: string, editions: readonly Edition[]): Promise<Plan> {
  const { case: caseNumber, revision } = c.data;
  const entries = index.ofCase(caseNumber);
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
          issuedChangedMessage(caseNumber, revision),
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
  /** Undefined for an HTML-only build. */
  printer: Printer | undefined;
  sourceSha256: string;
  files: ReadonlyMap<string, Buffer>;
  out: string;
  editions: readonly Edition[];
  inputsHash: string;
  generator: string;
  diagnostics: Diagnostic[];
  /** Signs the PDFs of final revisions, when set. */
  signer: SigningKey | undefined;
}

async function buildLetter(p: Prepared, ctx: LetterContext): Promise<ManifestLetter> {
  const c = p.info;
  const d = c.data;
  const made: ManifestFile[] = [];
  let outcome = '';
  const outputs: { rel: string; bytes: Uint8Array | string; file: Omit<ManifestFile, 'sha256' | 'bytes' | 'pages'> }[] = [];
  const pagesOf = new Map<Edition, number>();
  for (const edition of ctx.editions) {
    const rendered = p.editions[edition];
    if (!rendered) throw new Error(`the ${edition} edition of ${d.case} was not rendered`);
    outcome = rendered.outcome;
    const htmlPath = letterFile(d.case, d.revision, edition, 'html');
    outputs.push({ rel: htmlPath, bytes: rendered.html, file: { path: htmlPath, edition, format: 'html' } });
    if (ctx.printer) {
      const printed = await ctx.printer.print({ path: htmlPath, html: rendered.html, files: ctx.files, measureFit: true });
      await failOnOverflow(printed.overflow, c, edition); // nothing lost on the page: see src/print/overflow.ts
      if (printed.blocked.length) {
        ctx.diagnostics.push(at(c, 'blocked-request', `While printing the ${edition} edition, blocked requests to ${printed.blocked.slice(0, 3).join(', ')}`, 'warning'));
      }
      const pinned = pinMetadata(printed.pdf, {
        title: rendered.title,
        subject: rendered.subject,
        keywords: rendered.keywords,
        date: letterDate(issueDate(d)),
        creator: ctx.generator,
      });
      pagesOf.set(edition, pinned.pages);
      const pdfPath = letterFile(d.case, d.revision, edition, 'pdf');
      const signer = d.status === 'final' ? ctx.signer : undefined;
      const bytes = signer ? await signPdf(pinned.bytes, signer, letterDate(d.dates.decision), `IMR final determination ${d.case} revision ${d.revision}`) : pinned.bytes;
      outputs.push({ rel: pdfPath, bytes, file: { path: pdfPath, edition, format: 'pdf', signed: signer !== undefined } });
    }
    if (edition === 'public') {
      // The public facts the archive filters on, beside the public edition.
      const factsPath = letterFile(d.case, d.revision, edition, 'json');
      outputs.push({ rel: factsPath, bytes: p.facts, file: { path: factsPath, edition, format: 'json' } });
    }
  }
  // The confidential check's second line: no byte of a letter whose public files hold a value.
  const leaks = publicFileLeaks(c.file, d.parties, outputs.filter((o) => o.file.edition === 'public'), c.revisionSpan);
  if (leaks.length) throw new ConfidentialLeakError(`A public file of ${d.case} v${d.revision} holds a confidential value`, leaks);
  // Everything rendered and printed: now write, then the manifest records it.
  await removeStaleTemps(ctx.out, letterDir(d.case, d.revision));
  for (const o of outputs) {
    await write(ctx.out, o.rel, o.bytes);
    const bytes = typeof o.bytes === 'string' ? Buffer.from(o.bytes) : o.bytes;
    // In the schema's key order (`signed` last), so a rebuilt manifest has the same bytes as one read back.
    const { signed, ...file } = o.file;
    made.push({ ...file, sha256: sha256(bytes), bytes: bytes.length, pages: pagesOf.get(o.file.edition) ?? null, ...(signed === undefined ? {} : { signed }) });
  }
  return {
    case: d.case,
    revision: d.revision,
    status: d.status,
    outcome,
    decisionDate: d.dates.decision,
    supersedes: d.revision > 1 ? d.revision - 1 : null,
    supersededBy: null,
    amends: d.amends ?? null,
    // Relative to the working folder, so the manifest does not depend on how the path was typed.
    source: path.relative(process.cwd(), path.resolve(c.file)).split(path.sep).join('/'),
    contentHash: c.contentHash,
    publicHash: c.publicHash,
    sourceSha256: ctx.sourceSha256,
    hasParties: c.data.parties !== undefined,
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
function upsert(index: LetterIndex, entry: ManifestLetter): string[] {
  const old = index.get(entry.case, entry.revision);
  if (!old) {
    index.set(entry);
    return [];
  }
  const keep = old.status === 'final' || (old.contentHash === entry.contentHash && old.inputsHash === entry.inputsHash);
  const kept = keep ? old.files.filter((f) => !entry.files.some((n) => n.path === f.path)) : [];
  const files = [...kept, ...entry.files];
  index.set(old.status === 'final' ? { ...old, contentHash: entry.contentHash, sourceSha256: entry.sourceSha256, hasParties: entry.hasParties, files } : { ...entry, files });
  return old.files.map((f) => f.path).filter((p) => !files.some((f) => f.path === p));
}

export { hasErrors };
