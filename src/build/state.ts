/**
 * The build state, `out/.cache/build-state.json`: what the last complete build of an
 * output folder was made from and what it left there, by file-system stamp, so that a
 * rebuild can prove that nothing changed without reading a case (`noop.ts`).
 *
 * A stamp is a file's device, inode, size, and modification and change times. Writing to a file, replacing it, or setting its times back (`touch -r`,
 * `cp -p`, `rsync -t`) all move its change time (ctime), which no program can set: so a
 * file whose stamp is unchanged was not written since. The exception is a change in the
 * same tick of the file system's clock as the stamp was taken (coarse timestamps: a
 * jiffy on ext4, 1–2 s on FAT or some network file systems): a case file whose ctime or
 * mtime was within `RACY_MS` of its stat is **racy**, and the rebuild reads and hashes
 * it instead of trusting its stamp (git's "racy clean" rule). See README, "No-op rebuild".
 *
 * Light on purpose (Node built-ins only): the no-op rebuild loads nothing else.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../config-file.js';
import { EDITIONS } from '../render/editions.js';
import type { BuildOptions } from './types.js';

/** Where the state lives, under the output folder. */
export const STATE_FILE = '.cache/build-state.json';

/** A stamp changed within this long before it was taken may change again unseen. */
export const RACY_MS = 2000;

/** A case file as the last build read it, and the letter it made. */
export interface InputRecord {
  file: string;
  stamp: string;
  /** sha256 of the bytes, kept only while the stamp is racy. */
  racySha256: string | null;
  case: string;
  revision: number;
  status: 'draft' | 'final';
}

export interface BuildState {
  format: 1;
  /** sha256 over everything else the build depended on (`stateKey`). */
  key: string;
  /** The PKCS#12 file the configuration named, if any (read without parsing the configuration again). */
  configSigning: string | null;
  inputs: InputRecord[];
  /** Every file the manifest lists, the fonts, and the manifest itself, by path under the output folder. */
  outputs: { path: string; stamp: string }[];
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Times in milliseconds with their fraction (a double keeps them to a quarter of a
 * microsecond, finer than any file system's clock tick; the racy rule covers the tick).
 */
export function stampOf(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
}

/** The stamp of `file` now, or undefined when it is not a regular file. */
export function stampNow(file: string): string | undefined {
  const info = statSync(file, { throwIfNoEntry: false });
  return info?.isFile() ? stampOf(info) : undefined;
}

/** Whether a file stat'ed at `atMs` (Date.now()) changed so recently that it may change again with the same stamp. */
export function isRacy(stamp: string, atMs: number): boolean {
  const [, , , mtimeMs, ctimeMs] = stamp.split(':');
  return Math.max(Number(mtimeMs), Number(ctimeMs)) >= atMs - RACY_MS;
}

/** Whether `file` holds bytes with this sha256 (false when it cannot be read). */
export function sameBytes(file: string, expected: string): boolean {
  try {
    return sha256(readFileSync(file)) === expected;
  } catch {
    return false;
  }
}

/** Every regular file under `dir` (recursively), as sorted relative paths with their sha256. */
function treeHash(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out.push(`${r}:${sha256(readFileSync(path.join(dir, r)))}`);
    }
  };
  walk('');
  return out.sort();
}

/**
 * sha256 over what a build's letters depend on besides the case files: the options that
 * change output, the working folder (case paths are recorded relative to it), the
 * configuration's bytes, every file of the templates and styles folders, the compiler's
 * name and version (which fixes the fonts), and the signing key. Undefined when one of
 * them cannot be read: the full build then says why.
 */
export function stateKey(options: BuildOptions, configSigning: string | null, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const parts = keyParts(options);
  return parts === undefined ? undefined : finishKey(parts, options, configSigning, env);
}

/**
 * The key's parts but the signing key, read from disk. The full build takes them before it
 * loads the configuration and the templates: a file changed after that changes the next key.
 */
export function keyParts(options: BuildOptions): string | undefined {
  try {
    return JSON.stringify({
      format: 1,
      generator: options.generator,
      cwd: process.cwd(),
      paths: options.paths?.length ? options.paths : ['cases'],
      out: path.resolve(options.out ?? 'out'),
      editions: options.editions ?? [...EDITIONS],
      htmlOnly: options.htmlOnly === true,
      shard: options.shard ?? null,
      config: sha256(readFileSync(options.config ?? CONFIG_FILE)),
      templates: treeHash(options.templates ?? 'templates'),
      styles: treeHash(options.styles ?? 'styles'),
    });
  } catch {
    return undefined;
  }
}

/** The key: `keyParts` and the signing key (taken before the key itself is loaded). */
export function finishKey(parts: string, options: BuildOptions, configSigning: string | null, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    return sha256(`${parts}\n${signingPart(options, configSigning, env)}`);
  } catch {
    return undefined;
  }
}

/** The signing key's part of the key: the certificate given, or the PKCS#12 file's bytes and passphrase. */
function signingPart(options: BuildOptions, configSigning: string | null, env: NodeJS.ProcessEnv): string {
  if (options.htmlOnly) return 'none';
  if (options.signer) return `cert:${sha256(options.signer.certificates[0]!)}`;
  const file = env.IMR_SIGNING_P12 || configSigning;
  if (!file) return 'none';
  return `p12:${path.resolve(file)}:${sha256(readFileSync(file))}:${sha256(env.IMR_SIGNING_PASSPHRASE ?? '')}`;
}

/** The state of `out`, or undefined when there is none or it is not one this version wrote. */
export function readState(out: string): BuildState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(out, STATE_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  // A cache, not a record: anything unexpected only means the full build runs.
  const s = raw as { format?: unknown; key?: unknown; configSigning?: unknown; inputs?: unknown; outputs?: unknown };
  if (s?.format !== 1 || typeof s.key !== 'string' || !(s.configSigning === null || typeof s.configSigning === 'string')) return undefined;
  if (!Array.isArray(s.inputs) || !Array.isArray(s.outputs)) return undefined;
  const inputs: InputRecord[] = [];
  for (const i of s.inputs as unknown[]) {
    if (!Array.isArray(i) || i.length !== 6) return undefined;
    const [file, stamp, racySha256, caseNumber, revision, status] = i as unknown[];
    if (typeof file !== 'string' || typeof stamp !== 'string' || !(racySha256 === null || typeof racySha256 === 'string')) return undefined;
    if (typeof caseNumber !== 'string' || typeof revision !== 'number' || (status !== 'draft' && status !== 'final')) return undefined;
    inputs.push({ file, stamp, racySha256, case: caseNumber, revision, status });
  }
  const outputs: BuildState['outputs'] = [];
  for (const o of s.outputs as unknown[]) {
    if (!Array.isArray(o) || typeof o[0] !== 'string' || typeof o[1] !== 'string') return undefined;
    outputs.push({ path: o[0], stamp: o[1] });
  }
  return { format: 1, key: s.key, configSigning: s.configSigning, inputs, outputs };
}

/** Deletes the state: done before a build changes anything in `out`, so a killed build leaves none. */
export async function clearState(out: string): Promise<void> {
  await rm(path.join(out, STATE_FILE), { force: true });
}

/** Writes the state atomically (compact: one array per file). */
export async function writeState(out: string, state: BuildState): Promise<void> {
  const file = path.join(out, STATE_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  const text = JSON.stringify({
    format: state.format,
    key: state.key,
    configSigning: state.configSigning,
    inputs: state.inputs.map((i) => [i.file, i.stamp, i.racySha256, i.case, i.revision, i.status]),
    outputs: state.outputs.map((o) => [o.path, o.stamp]),
  });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
