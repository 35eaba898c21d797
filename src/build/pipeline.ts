/**
 * The full build (`index.ts` tries the no-op rebuild first), as a pipeline of stages with typed hand-offs:
 *
 * 1. **read ahead** (`read-ahead.ts`): a case file's bytes, or the fast path's entry;
 * 2. **compile** (`compile.ts`): check and render, on worker threads;
 * 3. **plan** (`plan.ts`, pure): what to make, and what is issued and must not change;
 * 4. **emit** (`emit.ts`): each edition's outputs (HTML, PDF, facts: one table), written;
 * 5. **record** (`record.ts`, pure): the manifest ledger; the manifest is written last.
 *
 * Case files stream through: read and compiled ahead, decided in file order (so
 * duplicate case numbers resolve the same way every time), then handed to a bounded
 * set of printers (two per page, `emitters`); at most a few times `concurrency` letters
 * are held in memory at once. A build
 * with no error ends by writing the build state (`state.ts`) for the next no-op rebuild.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { hasErrors } from '../diagnostics.js';
import { BrowserError, ConfidentialLeakError, OutputError } from '../errors.js';
import { PageOverflowError } from '../print/overflow.js';
import type { Printer } from '../print/printer.js';
import type { SigningKey } from '../print/sign.js';
import { LETTER_TO_ROOT, removeStaleTemps } from '../publish/files.js';
import { readManifest, writeManifest, type Manifest } from '../publish/manifest.js';
import { findCaseFiles } from '../read/source.js';
import { createRenderer, type Renderer } from '../render/index.js';
import { EDITIONS, type Edition } from '../render/model.js';
import { lazyPreparer, type Prepared, type Preparer } from './compile.js';
import { emit, emitAssets, removeFiles } from './emit.js';
import { caseDiagnostic, filesToVerify, plan } from './plan.js';
import { Channel } from './queue.js';
import { readAhead, type Ahead, type Stamped } from './read-ahead.js';
import { Ledger, letterEntry, recordLetters, upsert } from './record.js';
import { shardOf } from './shard.js';
import { brokenFiles } from './verify.js';
import { recordState } from './state-record.js';
import { clearState, finishKey, isRacy, keyParts, type InputRecord } from './state.js';
import { BuildStopped } from './stopped.js';
import type { BuildOptions, BuildResult } from './types.js';

/** A letter decided in order and handed to the printers. */
interface Task {
  p: Prepared;
  editions: Edition[];
  sourceSha256: string;
}

/** What one build shares between its stages. */
interface Run {
  options: BuildOptions;
  out: string;
  editions: Edition[];
  concurrency: number;
  renderer: Renderer;
  inputsHash: string;
  /** Signs the PDFs of final revisions, when set. */
  signer: SigningKey | undefined;
  manifest: Manifest;
  ledger: Ledger;
  compiler: Preparer;
  result: BuildResult;
  log: (line: string) => void;
  /** `case vN` → the file that claimed it first. */
  claims: Map<string, string>;
  fonts: ReadonlyMap<string, Buffer>;
  printer?: Promise<Printer>;
  assetsWritten: boolean;
  files: string[];
  done: number;
  /** Each case file's stamp and sha256 as read. */
  stamps: Map<string, Stamped & { sourceSha256: string }>;
  /** The case files that made a letter (built or unchanged), for the build state. */
  inputs: Map<string, InputRecord>;
  /** The build state's key, hashed before the configuration and templates were loaded (undefined: no state is written). */
  stateKey: string | undefined;
  configSigning: string | null;
}

/** Builds every case under `options.paths`, without the no-op rebuild's proof (`build` in index.ts tries it first). */
export async function buildAll(options: BuildOptions): Promise<BuildResult> {
  const begun = performance.now();
  const run = await startRun(options);
  time(options, 'start: configuration, templates, case list, manifest', begun);
  const queue = new Channel<Task>(run.concurrency);
  const release = async () => {
    queue.close();
    await run.compiler.close();
    await (await run.printer?.catch(() => undefined))?.close();
  };
  let stop = () => undefined as void;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = () => void release().finally(() => reject(new BuildStopped()));
  });
  stopped.catch(() => undefined);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([stopped, Promise.all([produce(run, queue), ...Array.from({ length: emitters(run) }, () => print(run, queue))])]);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await release();
  }
  if (options.signal?.aborted) throw new BuildStopped();
  recordLetters(run.manifest, run.ledger);
  try {
    await writeManifest(run.out, run.manifest); // unchanged bytes are not rewritten
  } catch (cause) {
    throw new OutputError(`Cannot write ${path.join(run.out, 'manifest.json')}`, { cause, hint: 'Check that the output folder is writable and the disk is not full.' });
  }
  run.result.letters.sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision));
  if (!hasErrors(run.result.diagnostics) && run.inputs.size === run.files.length) {
    await recordState(run.out, { key: run.stateKey, configSigning: run.configSigning, files: run.files, inputs: run.inputs, manifest: run.manifest });
  }
  return run.result;
}

/**
 * How many letters are emitted at once: one per page of the browser in an HTML-only build;
 * two per page when printing, so that while a letter's PDFs are rewritten, checked and
 * written, another letter prints on its page (the page does not wait for the disk).
 */
function emitters(run: Run): number {
  return run.options.htmlOnly ? run.concurrency : run.concurrency * 2;
}

/** Loads the configuration, templates, case list and manifest of a build. */
async function startRun(options: BuildOptions): Promise<Run> {
  const out = options.out ?? 'out';
  const editions = options.editions ?? [...EDITIONS];
  // The build state's key is hashed before what it covers is loaded: a file changed during the build changes the next key.
  const parts = keyParts(options);
  const config = await loadConfig(options.config);
  const configSigning = config.signing?.pkcs12 ?? null;
  const key = parts === undefined ? undefined : finishKey(parts, options, configSigning);
  const rendererOptions = { org: config.organization, templates: options.templates, styles: options.styles };
  const renderer = await createRenderer(rendererOptions);
  const signer = options.htmlOnly ? undefined : (options.signer ?? (await import('../print/sign.js')).signingKeyFromEnvironment(config.signing?.pkcs12));
  const inputsHash = createHash('sha256').update(renderer.fingerprint).update(options.generator).update(options.htmlOnly ? 'html-only' : 'full').update(signer ? signer.certificates[0]! : '').digest('hex');
  const found = await findCaseFiles(options.paths?.length ? options.paths : ['cases']);
  const shard = options.shard;
  const files = shard ? found.files.filter((f) => shardOf(f, shard.count) === shard.index - 1) : found.files;
  const manifest = await readManifest(out, options.generator);
  // This build may change the folder: the old state no longer describes it (and a killed build leaves none).
  await clearState(out);
  // Temporary files a killed build left beside the manifest and the fonts.
  await removeStaleTemps(out, '.');
  await removeStaleTemps(out, 'assets/fonts');
  return {
    options,
    out,
    editions,
    concurrency: Math.max(1, options.concurrency ?? os.availableParallelism()),
    renderer,
    inputsHash,
    signer,
    manifest,
    ledger: new Ledger(manifest.letters),
    compiler: lazyPreparer({ renderer: rendererOptions, editions, assetBase: `${LETTER_TO_ROOT}assets/`, workers: options.workers }),
    result: { diagnostics: [...found.diagnostics], letters: [], manifest },
    log: options.log ?? (() => undefined),
    claims: new Map(),
    fonts: new Map(renderer.assets.map((a) => [`assets/${a.name}`, a.bytes] as const)),
    assetsWritten: false,
    files,
    done: 0,
    stamps: new Map(),
    inputs: new Map(),
    stateKey: key,
    configSigning,
  };
}

function progress(run: Run): void {
  run.options.onProgress?.(++run.done, run.files.length);
}

/** Reads and compiles ahead, up to a window of files, and decides in file order. */
async function produce(run: Run, queue: Channel<Task>): Promise<void> {
  const window = Math.max(4, run.concurrency * 4);
  const { files } = run;
  try {
    const started: Promise<Ahead>[] = [];
    for (let i = 0; i < files.length; i++) {
      while (started.length < Math.min(files.length, i + window)) {
        started.push(readAhead(files[started.length]!, { out: run.out, editions: run.editions, inputsHash: run.inputsHash, ledger: run.ledger, compiler: run.compiler, onCompile: () => startPrinter(run) }));
      }
      const waited = performance.now();
      const a = await started[i]!;
      time(run.options, 'waiting for the next letter read and compiled (in file order)', waited);
      delete started[i];
      const task = await decide(run, a);
      if (task) {
        if (!(await queue.put(task))) return;
      } else progress(run);
    }
  } finally {
    queue.close();
  }
}

/** In file order: claims the case number and plans; a Task for the printers, or the outcome logged. */
async function decide(run: Run, a: Ahead): Promise<Task | undefined> {
  const { diagnostics } = run.result;
  if (a.kind === 'error') {
    diagnostics.push(...a.diagnostics);
    return undefined;
  }
  run.stamps.set(a.file, { stamp: a.stamp, statAt: a.statAt, sourceSha256: a.sourceSha256 });
  if (a.kind === 'fast' && !run.claims.has(`${a.entry.case} v${a.entry.revision}`)) {
    run.claims.set(`${a.entry.case} v${a.entry.revision}`, a.file);
    run.result.letters.push({ case: a.entry.case, revision: a.entry.revision, state: 'unchanged', files: [] });
    run.log(`unchanged ${a.entry.case} v${a.entry.revision} (${a.entry.status === 'final' ? 'issued' : 'draft, up to date'})`);
    remember(run, a.file, a.entry);
    return undefined;
  }
  const compiled = a.kind === 'compiled' ? a.result : await run.compiler.prepare(a.file, a.bytes);
  diagnostics.push(...compiled.diagnostics);
  const p = compiled.prepared;
  if (!p || !claim(run, p, a.file)) return undefined;
  const c = p.info;
  const entries = run.ledger.ofCase(c.data.case);
  const broken = await brokenFiles(run.out, filesToVerify(c, entries, run.inputsHash));
  const decision = plan({ c, entries, inputsHash: run.inputsHash, editions: run.editions, broken });
  if (decision.diagnostic) diagnostics.push(decision.diagnostic);
  if (decision.state === 'render') return { p, editions: decision.editions ?? [...run.editions], sourceSha256: a.sourceSha256 };
  if (decision.state === 'unchanged') {
    // Same content, other bytes (a comment, key order): remember the new bytes for the fast path.
    const entry = run.ledger.get(c.data.case, c.data.revision);
    if (entry) entry.sourceSha256 = a.sourceSha256;
    remember(run, a.file, c.data);
  }
  run.result.letters.push({ case: c.data.case, revision: c.data.revision, state: decision.state, files: [] });
  run.log(`${decision.state === 'unchanged' ? 'unchanged' : 'refused  '} ${c.data.case} v${c.data.revision}${decision.note ? ` (${decision.note})` : ''}`);
  return undefined;
}

/** Notes that `file` made this letter revision, for the build state. */
function remember(run: Run, file: string, letter: { case: string; revision: number; status: 'draft' | 'final' }): void {
  const s = run.stamps.get(file);
  if (!s?.stamp) return;
  run.inputs.set(file, { file, stamp: s.stamp, racySha256: isRacy(s.stamp, s.statAt) ? s.sourceSha256 : null, case: letter.case, revision: letter.revision, status: letter.status });
}

/** Claims `case vN` for this file (false, with a diagnostic, when another file has it). */
function claim(run: Run, p: Prepared, file: string): boolean {
  const c = p.info;
  const key = `${c.data.case} v${c.data.revision}`;
  const other = run.claims.get(key);
  if (other) {
    const message = `Case ${c.data.case} revision ${c.data.revision} is also in ${other}: one file per letter revision`;
    run.result.diagnostics.push({ ...caseDiagnostic(c, 'duplicate-case', message), line: c.caseSpan.start.line, column: c.caseSpan.start.column, endLine: c.caseSpan.end.line, endColumn: c.caseSpan.end.column });
    return false;
  }
  run.claims.set(key, file);
  if (run.editions.includes('letter') && !c.data.parties && !c.data.publicOnly) {
    const also = run.editions.includes('public') ? ' (the public edition was)' : '';
    run.result.diagnostics.push(caseDiagnostic(c, 'no-parties', `No \`parties\` in ${c.data.case}: the mailed letter needs them and was not built${also}`, 'warning'));
  }
  return true;
}

/** A printer: emits the letters it takes, and records each in the ledger. */
async function print(run: Run, queue: Channel<Task>): Promise<void> {
  for (let task = await queue.take(); task; task = await queue.take()) {
    const c = task.p.info;
    try {
      await emitTask(run, task);
    } catch (error) {
      if (error instanceof OutputError || error instanceof BrowserError) {
        queue.close();
        throw error;
      }
      if (error instanceof PageOverflowError || error instanceof ConfidentialLeakError) run.result.diagnostics.push(...error.diagnostics);
      else run.result.diagnostics.push(caseDiagnostic(c, 'print-failed', `The letter could not be printed: ${error instanceof Error ? error.message : String(error)}`));
      run.result.letters.push({ case: c.data.case, revision: c.data.revision, state: 'failed', files: [] });
    } finally {
      progress(run);
    }
  }
}

async function emitTask(run: Run, task: Task): Promise<void> {
  const c = task.p.info;
  if (!run.assetsWritten) {
    run.assetsWritten = true;
    await emitAssets(run.out, run.renderer, run.manifest);
  }
  startPrinter(run);
  const waited = performance.now();
  const printer = await run.printer;
  if (printer) time(run.options, 'letters waiting for the browser to start', waited);
  const { files, outcome } = await emit(task.p, task.editions, {
    out: run.out,
    printer,
    time: (phase, since) => time(run.options, phase, since),
    files: run.fonts,
    generator: run.options.generator,
    signer: run.signer,
    warn: (d) => run.result.diagnostics.push(d),
  });
  const entry = letterEntry(c, { outcome, files, sourceSha256: task.sourceSha256, inputsHash: run.inputsHash });
  await removeFiles(run.out, upsert(run.ledger, entry));
  run.result.letters.push({ case: c.data.case, revision: c.data.revision, state: 'built', files: files.map((f) => f.path) });
  remember(run, c.file, c.data);
  const pages = files.filter((f) => f.format === 'pdf').map((f) => `${f.edition} ${f.pages} p.`);
  run.log(`built     ${c.data.case} v${c.data.revision} ${c.data.status}${pages.length ? ` (${pages.join(', ')})` : ''}`);
}

/**
 * One browser for the build, started as soon as a case file is found that is not on the fast
 * path: its start (loading puppeteer, launching Chromium, opening the pages) then overlaps the
 * worker threads' start and the first letters' check and render instead of following them. An
 * HTML-only build never loads puppeteer. A browser that fails to start fails the first letter
 * that prints (`emitTask` awaits it), as before; until then its rejection is held.
 */
function startPrinter(run: Run): void {
  if (run.options.htmlOnly || run.printer) return;
  const begun = performance.now();
  run.printer = import('../print/printer.js').then(async ({ Printer }) => {
    const printer = await Printer.start({ pages: run.concurrency, timeoutMs: run.options.timeoutMs });
    time(run.options, 'browser start (puppeteer loaded, Chromium and its pages)', begun);
    return printer;
  });
  run.printer.catch(() => undefined);
}

/** Adds the milliseconds since `since` to `phase` in `options.timings`, when the build is timed. */
function time(options: BuildOptions, phase: string, since: number): void {
  options.timings?.set(phase, (options.timings.get(phase) ?? 0) + performance.now() - since);
}
