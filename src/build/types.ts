/** What `build()` is given and what it returns. */
import type { Diagnostic } from '../diagnostics.js';
import type { Manifest } from '../publish/manifest.js';
import type { Edition } from '../render/model.js';
import type { SigningKey } from '../print/sign.js';
import type { Shard } from './shard.js';

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
  /**
   * Stops the build (default: none): no new letter starts, the browser and worker
   * threads are closed, and `build` rejects with `BuildStopped` without writing the
   * manifest (what it did not record is built again next time).
   */
  signal?: AbortSignal;
  /** The compiler's name and version, recorded in the manifest and PDFs. */
  generator: string;
  /**
   * Signs the PDFs of final revisions (default: the PKCS#12 file named by `IMR_SIGNING_P12` or
   * the configuration's `signing.pkcs12`, if any; else unsigned). See src/print/sign.ts.
   */
  signer?: SigningKey;
  /**
   * Where the build's phases spent their time (default: not timed): milliseconds added per
   * phase, by the phase's name in words (pipeline.ts and emit.ts). Phases of letters printing at once overlap, so
   * their sums can exceed the build's wall time. For the bench.
   */
  timings?: Map<string, number>;
}

export type LetterState = 'built' | 'unchanged' | 'skipped' | 'failed';

export interface BuildResult {
  diagnostics: Diagnostic[];
  letters: { case: string; revision: number; state: LetterState; files: string[] }[];
  manifest: Manifest;
  /** True when the no-op rebuild proved that nothing changed, without reading a case (src/build/noop.ts). */
  noop?: boolean;
}

