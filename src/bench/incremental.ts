/**
 * The archive step at scale, incremental (issue 14, "At scale"): `npm run bench:archive --
 * --incremental [--letters 100000] [--steps 60,600,6000] [--tmp DIR] [--keep]`.
 *
 * 1. N synthetic cases with invented parties (seed 1), built HTML-only (public edition):
 *    not timed. The cases of every step are generated too, decided the day after the
 *    newest letter before (a day's decisions). A step's case files join the archive's
 *    `--cases` with its letters, as in daily use: their confidential values are new, and
 *    are looked for in the files published before (through the token index).
 * 2. The whole archive of the N letters, with no published archive before (timed: a full build).
 * 3. For each step: its cases built (not timed), then the archive step (timed), which
 *    finds the archive it published before and does only what changed.
 *
 * Each archive runs in its own process (`archive-child.js`): its wall time, its own
 * `seconds`, its peak RSS. `--keep` keeps the folder (and reuses the cases and builds
 * found there: `DIR/ready-<N>`), else it is removed at the end.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateCase } from '../generate/index.js';
import { writeAtomic } from '../publish/files.js';
import { BenchError, projectRoot as root, runChild, type Row } from './common.js';

export interface IncrementalRun {
  added: number;
  total: number;
  seconds: number;
  wallSeconds: number;
  nodeRssMiB: number;
  files: number;
  written: number;
  mode: string;
  leaks: number;
  /** Values new to the published files, and the published files, databases and texts read again for them. */
  newValues: number;
  reread: number;
  tokenIndexBytes: number;
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** `text` with each of its case's dates moved by `days` (the frontmatter's and the summary's alike). */
function shiftDates(text: string, dates: Record<string, string>, days: number): string {
  const moved = new Map(Object.values(dates).map((d) => [d, new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)]));
  return text.replace(/\d{4}-\d{2}-\d{2}/g, (d) => moved.get(d) ?? d);
}

/**
 * Writes the cases: `base/` (N; not written again with `writeBase: false`) and
 * `step-<k>/`, each step's cases decided on its own day after the newest before (every
 * date of a case moved by the same number of days, so its review takes as long).
 */
export async function generate(dir: string, n: number, steps: readonly number[], writeBase = true): Promise<string[]> {
  const seen = new Set<string>();
  let newest = '';
  const write = async (into: string, from: number, count: number, day?: string) => {
    let made = 0;
    for (let i = from; made < count; i++) {
      const c = generateCase(1, i, { parties: true });
      if (seen.has(c.data.case)) continue;
      seen.add(c.data.case);
      made++;
      if (!day) {
        if (c.data.dates.decision > newest) newest = c.data.dates.decision;
        if (writeBase) await writeAtomic(into, c.file, c.text);
        continue;
      }
      const days = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${c.data.dates.decision}T00:00:00Z`)) / 86_400_000);
      const text = shiftDates(c.text, c.data.dates, days);
      if (!text.includes(`decision: ${day}`)) throw new BenchError(`cannot date the synthetic case ${c.data.case}`);
      await writeAtomic(into, c.file, text);
    }
  };
  await write(path.join(dir, 'base'), 0, n);
  const folders = [path.join(dir, 'base')];
  let day = newest;
  let next = 10_000_000;
  for (const [k, count] of steps.entries()) {
    day = dayAfter(day);
    const into = path.join(dir, `step-${k}`);
    await write(into, next, count, day);
    next += count * 2;
    folders.push(into);
  }
  return folders;
}

export async function buildLetters(paths: string[], out: string): Promise<void> {
  const r = await runChild('child.js', { paths, out, htmlOnly: true, editions: ['public'], config: path.join(root, 'imr-letters.config.yaml'), templates: path.join(root, 'templates'), styles: path.join(root, 'styles') });
  if (r.errors) throw new BenchError(`the build of ${paths.join(', ')} reported ${r.errors} errors`);
}

async function archive(out: string, cases: string[], added: number, total: number): Promise<IncrementalRun> {
  const a = await runChild<Omit<IncrementalRun, 'added' | 'total' | 'wallSeconds'>>('archive-child.js', { out, cases, templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
  if (a.leaks) throw new BenchError(`the archive of ${total} synthetic letters reported ${a.leaks} leaks`);
  return { ...a, added, total };
}

export async function measureIncremental(n: number, steps: number[], tmp: string, keep: boolean, log: (s: string) => void): Promise<{ rows: Row[]; runs: IncrementalRun[] }> {
  const dir = path.join(tmp, `incremental-${n}`);
  const out = path.join(dir, 'out');
  const ready = path.join(dir, `ready-${n}-${steps.join('_')}`);
  let folders: string[];
  if (keep && existsSync(ready)) {
    folders = JSON.parse(await readFile(ready, 'utf8')) as string[];
    log(`reusing the cases and the build of ${dir}`);
    await rm(path.join(out, 'archive'), { recursive: true, force: true });
    await rm(path.join(out, '.cache', 'archive-published.json'), { force: true });
    await rm(path.join(out, '.cache', 'archive-data'), { recursive: true, force: true });
    await rm(path.join(out, '.cache', 'archive-tokens.sqlite3'), { force: true });
    await rm(path.join(out, '.cache', 'archive-cases.json'), { force: true });
  } else {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    log(`generating ${n} synthetic cases and ${steps.join(', ')} more…`);
    folders = await generate(dir, n, steps);
    log(`HTML-only build of ${n} (public edition)…`);
    await buildLetters([folders[0]!], out);
    await writeFile(ready, JSON.stringify(folders));
  }
  const runs: IncrementalRun[] = [];
  try {
    log(`whole archive of ${n} (no archive before)…`);
    runs.push(await archive(out, folders.slice(0, 1), n, n));
    log(JSON.stringify(runs[runs.length - 1]));
    let total = n;
    for (const [k, count] of steps.entries()) {
      log(`building the ${count} letters of step ${k + 1}…`);
      await buildLetters(folders.slice(0, k + 2), out);
      total += count;
      log(`archive, +${count}…`);
      runs.push(await archive(out, folders.slice(0, k + 2), count, total));
      log(JSON.stringify(runs[runs.length - 1]));
    }
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
  const f = (x: number) => x.toLocaleString('en-US');
  const rows: Row[] = [];
  for (const r of runs) {
    const what = r === runs[0] ? `archive of ${f(r.total)} letters, none before (${r.mode})` : `+${f(r.added)} letters (${f(r.total)}) (${r.mode})`;
    rows.push({ measure: what, value: r.seconds, unit: 's', target: '', met: null });
    rows.push({ measure: `  files written / in the archive`, value: r.written, unit: 'files', target: `${f(r.files)} in all`, met: null });
    if (r !== runs[0]) rows.push({ measure: `  new confidential values / published units read again for them`, value: r.newValues, unit: 'values', target: `${f(r.reread)} read again`, met: null });
    rows.push({ measure: `  token index`, value: r.tokenIndexBytes / 1e6, unit: 'MB', target: '', met: null });
    rows.push({ measure: `  peak RSS`, value: r.nodeRssMiB, unit: 'MiB', target: '≤ 4096', met: r.nodeRssMiB <= 4096 });
  }
  return { rows, runs };
}
