/**
 * `imr-letters restore <source> [--out out]`: puts the output of an earlier build back
 * before building, so that letters issued by an earlier CI run stay exactly as issued
 * (the build never rewrites a final revision it finds in the manifest, and refuses one
 * whose files are missing or altered).
 *
 * `<source>` is a folder (the previous run's `out/`, e.g. a downloaded CI artifact) or
 * an http(s) URL where that folder is published. Every file of the source's manifest
 * is copied with its sha256 and size verified, the fonts too, and the manifest is
 * written last. An issued file that is missing or altered in the source is an error
 * (nothing is written for it, and the command exits 1); a draft's file is left out, with
 * its entry, and the build makes the draft again.
 *
 * A source without a manifest (the first run) restores nothing and succeeds, unless
 * `require` is set.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST, manifestSchema, readManifest, writeManifest, type Manifest } from './manifest.js';
import { sha256, writeAtomic } from './files.js';
import { OutputError } from '../errors.js';

export interface RestoreOptions {
  /** A folder or an http(s) URL holding `manifest.json` and the files it lists. */
  source: string;
  /** Where to restore to (default `out`). */
  out?: string;
  /** Fail when the source has no manifest (default false: a first run). */
  require?: boolean;
  /** Replace a different manifest already in `out` (default false). */
  force?: boolean;
  /** Files fetched at once (default 8). */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface RestoreResult {
  /** Whether a manifest was found and written. */
  restored: boolean;
  letters: number;
  files: number;
  bytes: number;
  /** Problems with issued files: each makes the restore fail. */
  errors: string[];
  /** Draft files left out (their letters are rebuilt). */
  warnings: string[];
}

type Fetch = (rel: string) => Promise<Uint8Array | undefined>;

function fetcher(source: string): Fetch {
  if (/^https?:\/\//.test(source)) {
    const base = source.endsWith('/') ? source : `${source}/`;
    return async (rel) => {
      const res = await fetch(new URL(rel.split('/').map(encodeURIComponent).join('/'), base));
      if (res.status === 404) return undefined;
      if (!res.ok) throw new OutputError(`${base}${rel}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    };
  }
  return async (rel) => {
    try {
      return await readFile(path.join(source, rel));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw error;
    }
  };
}

export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const out = options.out ?? 'out';
  const log = options.log ?? (() => undefined);
  const get = fetcher(options.source);
  const result: RestoreResult = { restored: false, letters: 0, files: 0, bytes: 0, errors: [], warnings: [] };

  const text = await get(MANIFEST);
  if (!text) {
    if (options.require) throw new OutputError(`No ${MANIFEST} in ${options.source}`, { hint: 'Restore from the output of the last build that published letters.' });
    log(`restore: no ${MANIFEST} in ${options.source}: nothing was built before; nothing to restore`);
    return result;
  }
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(Buffer.from(text).toString('utf8')));
  } catch (cause) {
    throw new OutputError(`${options.source}/${MANIFEST} is not an imr-letters manifest`, { cause });
  }

  const current = await readFile(path.join(out, MANIFEST)).catch(() => undefined);
  if (current && !Buffer.from(current).equals(Buffer.from(text)) && !options.force) {
    const local = await readManifest(out, '');
    if (local.letters.length > 0) {
      throw new OutputError(`${path.join(out, MANIFEST)} exists and differs from the one in ${options.source}`, {
        hint: 'Restore into an empty output folder, or pass --force to replace it.',
      });
    }
  }

  // Every file to copy: the fonts, then each letter's files.
  const jobs: { rel: string; sha256: string; bytes: number; issued: boolean; letter?: string }[] = [];
  for (const a of manifest.assets) jobs.push({ rel: a.path, sha256: a.sha256, bytes: a.bytes, issued: true });
  for (const l of manifest.letters) {
    for (const f of l.files) jobs.push({ rel: f.path, sha256: f.sha256, bytes: f.bytes, issued: l.status === 'final', letter: `${l.case} v${l.revision}` });
  }
  const droppedDrafts = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      if (path.isAbsolute(job.rel) || job.rel.split('/').includes('..')) {
        result.errors.push(`${job.rel}: not a path inside the output folder`);
        continue;
      }
      const bytes = await get(job.rel);
      const problem = !bytes ? 'missing' : bytes.length !== job.bytes || sha256(bytes) !== job.sha256 ? 'altered (its sha256 differs from the manifest)' : undefined;
      if (problem) {
        if (job.issued) result.errors.push(`${job.rel}: ${problem}${job.letter ? ` (issued letter ${job.letter})` : ''}`);
        else {
          result.warnings.push(`${job.rel}: ${problem}; draft ${job.letter} will be rebuilt`);
          droppedDrafts.add(job.letter!);
        }
        continue;
      }
      await writeAtomic(out, job.rel, bytes!);
      result.files++;
      result.bytes += bytes!.length;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  if (result.errors.length) return result;

  // The manifest last, after every file it names; a draft whose files are missing is left out.
  if (droppedDrafts.size) {
    manifest.letters = manifest.letters.filter((l) => !droppedDrafts.has(`${l.case} v${l.revision}`));
    await writeManifest(out, manifest);
  } else {
    await writeAtomic(out, MANIFEST, text);
  }
  result.restored = true;
  result.letters = manifest.letters.length;
  log(`restore: ${result.letters} letter revisions (${manifest.letters.filter((l) => l.status === 'final').length} issued), ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB from ${options.source} → ${out}/`);
  return result;
}
