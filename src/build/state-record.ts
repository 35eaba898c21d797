/**
 * Writing the build state (`state.ts`) at the end of a build with no error: each case
 * file's stamp as read, and the stamp of every output file the manifest lists.
 */
import path from 'node:path';
import { MANIFEST, type Manifest } from '../publish/manifest.js';
import { isRacy, sameBytes, stampNow, writeState, type InputRecord } from './state.js';

export interface StateRecord {
  key: string | undefined;
  configSigning: string | null;
  /** The case files of the build, in order; each must be in `inputs`. */
  files: readonly string[];
  inputs: ReadonlyMap<string, InputRecord>;
  /** The manifest just written. */
  manifest: Manifest;
}

/** Writes the state of `out`; writes none when an output of these letters is missing or not the size the manifest records. */
export async function recordState(out: string, r: StateRecord): Promise<void> {
  if (!r.key) return;
  const inputs = r.files.map((f) => settle(r.inputs.get(f)!));
  const made = new Set(inputs.map((i) => `${i.case} v${i.revision}`));
  const letters = r.manifest.letters.filter((l) => made.has(`${l.case} v${l.revision}`));
  const listed = [...letters.flatMap((l) => l.files), ...r.manifest.assets].map((f) => ({ path: f.path, bytes: f.bytes as number | undefined }));
  const outputs: { path: string; stamp: string }[] = [];
  for (const f of [...listed, { path: MANIFEST, bytes: undefined }]) {
    const stamp = stampNow(path.join(out, f.path));
    if (!stamp || (f.bytes !== undefined && stamp.split(':')[2] !== String(f.bytes))) return;
    outputs.push({ path: f.path, stamp });
  }
  await writeState(out, { format: 1, key: r.key, configSigning: r.configSigning, inputs, outputs });
}

/**
 * A racy input (changed within `RACY_MS` of its stat) stops being racy once that long has
 * passed, if its stamp is still the one taken and its bytes still the ones built: any
 * later change then moves its stamp.
 */
function settle(i: InputRecord): InputRecord {
  if (i.racySha256 === null || isRacy(i.stamp, Date.now())) return i;
  return stampNow(i.file) === i.stamp && sameBytes(i.file, i.racySha256) ? { ...i, racySha256: null } : i;
}
