/**
 * One measured build in its own process, so its peak memory is its own:
 * `node dist/bench/child.js '<BuildOptions as JSON>'` prints `{seconds, cpuSeconds, maxRssMiB, built, unchanged, errors}`.
 */
import { build, type BuildOptions } from '../build/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as BuildOptions;
const started = performance.now();
const cpu = process.cpuUsage();
const timings = new Map<string, number>();
const result = await build({ ...options, generator: options.generator ?? 'imr-letters bench', timings });
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({
    seconds,
    // The process's CPU time (every thread: the build's, its workers', the file system's), in seconds.
    cpuSeconds: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpu)),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    built: result.letters.filter((l) => l.state === 'built').length,
    unchanged: result.letters.filter((l) => l.state === 'unchanged').length,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
    // Seconds per phase of the build (summed over letters; letters printing at once overlap).
    phases: Object.fromEntries([...timings].map(([k, ms]) => [k, ms / 1000])),
  })}\n`,
);
