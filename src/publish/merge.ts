/**
 * Merging the manifests of sharded builds (`build --shard k/n`) into one. Shards are
 * disjoint, so a letter revision appears in one manifest only; one that appears in two
 * with different files is a conflict and nothing is written.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputError } from '../errors.js';
import { canonicalJson } from '../check/index.js';
import { manifestSchema, sortManifest, writeManifest, type Manifest, type ManifestLetter } from './manifest.js';

/** Merges manifests in memory; throws OutputError on a conflict. Pure. */
export function mergeManifests(manifests: readonly Manifest[], generator: string): Manifest {
  const letters = new Map<string, ManifestLetter>();
  const assets = new Map<string, Manifest['assets'][number]>();
  for (const m of manifests) {
    for (const l of m.letters) {
      const key = `${l.case} v${l.revision}`;
      const seen = letters.get(key);
      if (seen && canonicalJson(seen) !== canonicalJson(l)) {
        throw new OutputError(`${l.case} revision ${l.revision} is in two manifests with different files`, { hint: 'Shards must be disjoint: build each with the same --shard n and a different k.' });
      }
      letters.set(key, l);
    }
    for (const a of m.assets) {
      const seen = assets.get(a.path);
      if (seen && seen.sha256 !== a.sha256) throw new OutputError(`Asset ${a.path} differs between manifests`);
      assets.set(a.path, a);
    }
  }
  const merged: Manifest = { format: 1, generator, letters: [...letters.values()], assets: [...assets.values()] };
  // Superseded revisions may now be known across shards.
  for (const l of merged.letters) {
    const next = merged.letters.filter((o) => o.case === l.case && o.revision > l.revision && o.status === 'final').map((o) => o.revision);
    l.supersededBy = next.length ? Math.min(...next) : null;
  }
  return sortManifest(merged);
}

export async function mergeManifestFiles(files: readonly string[], out: string, generator: string): Promise<Manifest> {
  const manifests: Manifest[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (cause) {
      throw new OutputError(`Cannot read the manifest ${file}`, { cause });
    }
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success) throw new OutputError(`${file} is not an imr-letters manifest`);
    manifests.push(parsed.data);
  }
  const merged = mergeManifests(manifests, generator);
  await writeManifest(path.dirname(out), merged, path.basename(out));
  return merged;
}
