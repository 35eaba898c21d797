/**
 * Stage 1 of a build, **read ahead**: a case file's bytes, and unless the fast path
 * applies (the same bytes, the same inputs, every recorded file in place), its
 * compiled letter. Runs ahead of the in-order decisions, several files at once.
 */
import type { Diagnostic } from '../diagnostics.js';
import { sha256 } from '../publish/files.js';
import type { ManifestLetter } from '../publish/manifest.js';
import { readBytes } from '../read/source.js';
import type { Edition } from '../render/model.js';
import type { Preparer, PrepareResult } from './compile.js';
import { sourcePath, type Ledger } from './record.js';
import { filesPresent } from './verify.js';
import { stampOf } from './state.js';

/** A case file read ahead: an error, the fast path's entry, or its compiled letter. */
export type Ahead =
  | { file: string; kind: 'error'; diagnostics: Diagnostic[] }
  | ({ file: string; kind: 'fast'; bytes: Buffer; sourceSha256: string; entry: ManifestLetter } & Stamped)
  | ({ file: string; kind: 'compiled'; bytes: Buffer; sourceSha256: string; result: PrepareResult } & Stamped);

/** The file's stamp (see state.ts), taken before its bytes were read, and when. */
export interface Stamped {
  stamp: string;
  statAt: number;
}

export interface ReadAheadContext {
  out: string;
  editions: readonly Edition[];
  inputsHash: string;
  ledger: Ledger;
  compiler: Preparer;
  /** Called when a file is not on the fast path, before it is compiled (the build starts its browser then). */
  onCompile?: () => void;
}

export async function readAhead(file: string, ctx: ReadAheadContext): Promise<Ahead> {
  const statAt = Date.now();
  const read = await readBytes(file);
  if (!read.bytes) return { file, kind: 'error', diagnostics: read.diagnostics };
  const bytes = read.bytes;
  const stamp = stampOf(read.info);
  const sourceSha256 = sha256(bytes);
  const entry = await fastPath(sourcePath(file), sourceSha256, ctx);
  if (entry) return { file, kind: 'fast', bytes, sourceSha256, entry, stamp, statAt };
  ctx.onCompile?.();
  return { file, kind: 'compiled', bytes, sourceSha256, result: await ctx.compiler.prepare(file, bytes), stamp, statAt };
}

/** The manifest entry that makes a file with these bytes nothing to do, without even parsing it. */
async function fastPath(source: string, sourceSha256: string, ctx: ReadAheadContext): Promise<ManifestLetter | undefined> {
  for (const l of ctx.ledger.ofSource(source).filter((e) => e.sourceSha256 === sourceSha256)) {
    const wanted = ctx.editions.filter((e) => e === 'public' || l.hasParties);
    const complete = wanted.every((e) => l.files.some((f) => f.edition === e)) && (l.status === 'final' || l.inputsHash === ctx.inputsHash);
    if (complete && (await filesPresent(ctx.out, l.files))) return l;
  }
  return undefined;
}
