/**
 * Peak memory of a process and all its descendants (Pagefind's binary, worker threads'
 * process included): every `interval` ms the sum of VmRSS over the process tree, read from
 * /proc (Linux). The peak of the sums is the memory the machine had to hold at once.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { BenchError } from './common.js';

/** The sum of VmRSS (KiB) of `root` and its descendants. */
export function treeRssKiB(root: number): number {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses; the last ')' ends it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // Ended meanwhile.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      total += Number(/^VmRSS:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * Runs `node <script> '<options>'`, samples its process tree's memory, and returns the JSON
 * of its last line of output with `peakTreeMiB` and `wallSeconds`.
 */
export function runSampled<T>(script: string, options: Record<string, unknown>, cwd: string, o: { interval?: number; limitMiB?: number } = {}): Promise<T & { peakTreeMiB: number; wallSeconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so a run over the limit is stopped with all its children.
    const p = spawn(process.execPath, [script, JSON.stringify(options)], { cwd, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let text = '';
    let peak = 0;
    let over = false;
    const timer = setInterval(() => {
      if (!p.pid) return;
      peak = Math.max(peak, treeRssKiB(p.pid));
      if (o.limitMiB && peak / 1024 > o.limitMiB && !over) {
        over = true;
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          // Ended meanwhile.
        }
      }
    }, o.interval ?? 200);
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    p.on('exit', (code) => {
      clearInterval(timer);
      if (over) return reject(new BenchError(`stopped at ${(peak / 1024).toFixed(0)} MiB (over the bench's limit of ${o.limitMiB} MiB) after ${((performance.now() - started) / 1000).toFixed(0)} s`));
      if (code !== 0) return reject(new BenchError(`${script} exited with ${code}`));
      resolve({ ...(JSON.parse(text.trim().split('\n').pop()!) as T), peakTreeMiB: peak / 1024, wallSeconds: (performance.now() - started) / 1000 });
    });
  });
}
