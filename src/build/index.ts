/**
 * The build: case files → letters in the output folder, and the manifest.
 *
 * First the no-op rebuild (`noop.ts`): when the build state proves that nothing changed
 * since the last complete build, every letter is `unchanged` and nothing else is loaded.
 * Otherwise the full pipeline (`pipeline.ts`), imported only then: read ahead, compile,
 * plan, emit, record. This module loads Node built-ins and a few small modules only, so
 * a no-op rebuild costs the process start and the stat of the files.
 */
import { hasErrors } from '../diagnostics.js';
import { provenUnchanged } from './noop.js';
import type { BuildOptions, BuildResult } from './types.js';

export { parseShard, shardOf, type Shard } from './shard.js';
export { BuildStopped } from './stopped.js';
export { hasErrors };
export type { BuildOptions, BuildResult, LetterState } from './types.js';

/** Builds every case under `options.paths`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  if (!options.signal?.aborted) {
    const unchanged = await provenUnchanged(options);
    if (unchanged) return unchanged;
  }
  const { buildAll } = await import('./pipeline.js');
  return buildAll(options);
}
