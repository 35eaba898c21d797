/** What the benchmarks share: a measured run in its own process, and the rows they print. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImrError } from '../errors.js';

/** A benchmark that could not run or whose output breaks its rules. */
export class BenchError extends ImrError {
  constructor(message: string) {
    super('BenchError', message);
  }
}

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
/** The project root (dist/bench → ../..). */
export const projectRoot = path.resolve(benchDir, '../..');

export interface Row {
  measure: string;
  value: number;
  unit: string;
  target: string;
  met: boolean | null;
  /** For a goal missed: by how much, and why (printed under the table). */
  note?: string;
}

/**
 * Runs `node <benchDir>/<script> '<options as JSON>'` in the project root, so its peak
 * memory is its own, and returns the JSON object on its last line of output.
 */
export function runChild<T = Record<string, number>>(script: string, options: Record<string, unknown>, stderr: 'inherit' | 'ignore' = 'inherit', env: NodeJS.ProcessEnv = process.env): Promise<T & { wallSeconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(process.execPath, [path.join(benchDir, script), JSON.stringify(options)], { cwd: projectRoot, stdio: ['ignore', 'pipe', stderr], env });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', reject);
    // wallSeconds: from spawning the process to its exit (Node's start included).
    p.on('exit', (code) => (code === 0 ? resolve({ ...(JSON.parse(text.trim().split('\n').pop()!) as T), wallSeconds: (performance.now() - started) / 1000 }) : reject(new BenchError(`${script} exited with ${code}`))));
  });
}
