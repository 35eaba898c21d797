/**
 * The no-op rebuild: proves from the build state (`state.ts`) that nothing a build
 * depends on changed since the last complete build of the output folder, without
 * reading a case, loading a template or starting a thread; then every letter is
 * `unchanged`. Any doubt (a key, a file list, a stamp that differs; a racy case file
 * whose bytes differ) returns undefined, and the full build runs and decides.
 *
 * What it checks, in order:
 * 1. the state's key: options, working folder, configuration, templates, styles,
 *    compiler version and signing key (`stateKey`; these are hashed, not stamped);
 * 2. the case files found are exactly those recorded, in the same order;
 * 3. each case file's stamp; a racy one (changed within 2 s of its last stat) by sha256;
 * 4. the stamp of every output file, the fonts and the manifest (stricter than the
 *    full build's fast path, which checks their sizes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findCaseFiles } from '../read/source.js';
import type { Manifest } from '../publish/manifest.js';
import { shardOf } from './shard.js';
import { readState, sameBytes, stampNow, stateKey, type BuildState } from './state.js';
import type { BuildOptions, BuildResult } from './types.js';

/** The result of a build that had nothing to do, or undefined when that cannot be proven. */
export async function provenUnchanged(options: BuildOptions): Promise<BuildResult | undefined> {
  const out = options.out ?? 'out';
  const state = readState(out);
  if (!state || stateKey(options, state.configSigning) !== state.key) return undefined;
  const found = await findCaseFiles(options.paths?.length ? options.paths : ['cases']);
  if (found.diagnostics.length) return undefined;
  const shard = options.shard;
  const files = shard ? found.files.filter((f) => shardOf(f, shard.count) === shard.index - 1) : found.files;
  if (!inputsUnchanged(state, files) || !outputsUnchanged(state, out)) return undefined;
  const log = options.log ?? (() => undefined);
  state.inputs.forEach((i, n) => {
    log(`unchanged ${i.case} v${i.revision} (${i.status === 'final' ? 'issued' : 'draft, up to date'})`);
    options.onProgress?.(n + 1, state.inputs.length);
  });
  const letters = state.inputs.map((i) => ({ case: i.case, revision: i.revision, state: 'unchanged' as const, files: [] }));
  letters.sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision));
  return withLazyManifest({ diagnostics: [], letters, noop: true }, out);
}

function inputsUnchanged(state: BuildState, files: readonly string[]): boolean {
  if (files.length !== state.inputs.length) return false;
  for (let n = 0; n < files.length; n++) {
    const i = state.inputs[n]!;
    if (i.file !== files[n] || stampNow(i.file) !== i.stamp) return false;
    if (i.racySha256 !== null && !sameBytes(i.file, i.racySha256)) return false;
  }
  return true;
}

function outputsUnchanged(state: BuildState, out: string): boolean {
  // The recorded paths are the manifest's: relative, with `/` (no `path.join` per file: 30,000 of them).
  const root = `${path.resolve(out)}${path.sep}`;
  for (const o of state.outputs) if (stampNow(root + o.path) !== o.stamp) return false;
  return true;
}

/**
 * The manifest, read when first asked for: a no-op rebuild does not need it, and its
 * stamp was just proven to be the one the last build wrote (so it is parsed, not re-validated).
 */
function withLazyManifest(result: Omit<BuildResult, 'manifest'>, out: string): BuildResult {
  let manifest: Manifest | undefined;
  return Object.defineProperty(result, 'manifest', {
    enumerable: true,
    get: () => (manifest ??= JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest),
  }) as BuildResult;
}
