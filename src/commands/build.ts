/**
 * `imr-letters build [paths…] [--out DIR] [--edition letter|public]`: parses its
 * options, calls the build (`src/build/`), and reports. Ctrl-C or SIGTERM stop the
 * build cleanly (no new letter starts, the browser and threads are closed), then the
 * signal takes its course.
 */
import { build } from '../build/index.js';
import { parseShard } from '../build/shard.js';
import { hasErrors } from '../diagnostics.js';
import { UsageError } from '../errors.js';
import type { Edition } from '../render/model.js';
import { createProgress } from '../report/progress.js';
import { report, type ReportFormat } from '../report/format.js';
import { stoppable } from '../stop.js';
import { GENERATOR } from '../version.js';

export { build, hasErrors, parseShard, shardOf, type BuildOptions, type BuildResult, type LetterState, type Shard } from '../build/index.js';

export interface BuildCommandOptions {
  out: string;
  edition?: Edition;
  config: string;
  concurrency?: number;
  timeout: number;
  htmlOnly?: boolean;
  shard?: string;
  format: ReportFormat;
}

/** Runs `build` for the command line; returns the exit code (1 when a case has errors). */
export async function buildCommand(paths: string[], opts: BuildCommandOptions): Promise<number> {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  if (opts.shard !== undefined && !shard) throw new UsageError(`--shard ${opts.shard}: expected k/n with 1 ≤ k ≤ n, like 2/4`);
  const started = performance.now();
  const progress = createProgress({ stream: process.stderr });
  const result = await stoppable((signal) =>
    build({
      paths,
      out: opts.out,
      editions: opts.edition ? [opts.edition] : undefined,
      config: opts.config,
      concurrency: opts.concurrency,
      timeoutMs: opts.timeout,
      htmlOnly: opts.htmlOnly === true,
      shard,
      generator: GENERATOR,
      signal,
      log: progress.wrap((line) => process.stdout.write(`${line}\n`)),
      onProgress: progress.update,
    }),
  ).finally(() => progress.done());
  const format = opts.format;
  if (result.diagnostics.length) process.stderr.write(report(result.diagnostics, format, { color: format === 'text' && process.stderr.isTTY === true }));
  const count = (s: string) => result.letters.filter((l) => l.state === s).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // Every refused or failed case file has an error at its file (a check error, issued-revision-changed, print-failed…).
  const refused = new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file)).size;
  process.stdout.write(`${count('built')} built, ${count('unchanged')} unchanged, ${Math.max(refused, count('skipped') + count('failed'))} refused or failed, in ${seconds} s; manifest: ${opts.out}/manifest.json\n`);
  return hasErrors(result.diagnostics) ? 1 : 0;
}
