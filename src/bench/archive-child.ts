/**
 * One measured archive in its own process: `node dist/bench/archive-child.js '<ArchiveOptions as JSON>'`
 * prints `{seconds, searchSeconds, files, bytes, written, removed, mode, searchBytes, leaks, listed, nodeRssMiB, pagefindRssMiB}`.
 * Pagefind's own process is sampled from /proc (Linux), as it holds the index in memory.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildArchive, type ArchiveOptions } from '../archive/index.js';
import { TOKEN_INDEX } from '../archive/token-index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as ArchiveOptions;

/** Resident memory of this process's `pagefind` children, in KiB. */
function pagefindRss(): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        if (!/^Name:\s*pagefind/m.test(status) || !new RegExp(`^PPid:\\s*${process.pid}$`, 'm').test(status)) continue;
        total += Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    // No /proc: not Linux.
  }
  return total;
}

let pagefindPeak = 0;
const timer = setInterval(() => {
  pagefindPeak = Math.max(pagefindPeak, pagefindRss());
}, 250);
const result = await buildArchive({ ...options, progress: (line) => process.stderr.write(`bench:   archive ${line}\n`) });
clearInterval(timer);
process.stdout.write(
  `${JSON.stringify({
    seconds: result.seconds.total,
    searchSeconds: result.seconds.search,
    files: result.files,
    bytes: result.bytes,
    written: result.written,
    removed: result.removed,
    mode: result.why,
    searchBytes: result.searchBytes,
    leaks: result.leaks.length,
    listed: result.listed,
    nodeRssMiB: process.resourceUsage().maxRSS / 1024,
    pagefindRssMiB: pagefindPeak / 1024,
    newValues: result.newValues.values,
    reread: result.newValues.reread,
    tokenIndexBytes: statSync(path.join(options.out ?? 'out', TOKEN_INDEX), { throwIfNoEntry: false })?.size ?? 0,
  })}\n`,
);
