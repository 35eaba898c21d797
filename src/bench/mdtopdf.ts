/**
 * md-to-pdf, the common way to turn Markdown into PDF with Chromium, as a yardstick: its CLI
 * over the letters' text as Markdown, its Chromium pointed at the same executable with the
 * same flags as ours (the fastest available: the headless shell when installed). Given 100
 * files at once, md-to-pdf opens them all in parallel and times out on a 2-core machine, so
 * it runs in batches of `batch` files, one after the other; every batch must succeed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_ARGS, findPrintBrowser } from '../print/browser.js';
import { BenchError } from './common.js';

export async function mdToPdfBatch(markdownFiles: readonly string[], batch = 10): Promise<{ seconds: number; batches: number; pdfs: number; retries: number }> {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('md-to-pdf/package.json')), 'dist/cli.js');
  const { executablePath, headless } = findPrintBrowser();
  const launch = JSON.stringify({ executablePath, args: CHROMIUM_ARGS, headless });
  const started = performance.now();
  let batches = 0;
  let retries = 0;
  for (let i = 0; i < markdownFiles.length; i += batch) {
    const files = markdownFiles.slice(i, i + batch);
    const once = () =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [cli, '--launch-options', launch, ...files], { stdio: ['ignore', 'ignore', 'ignore'] });
        child.on('error', reject);
        child.on('exit', resolve);
      });
    // A batch that times out (md-to-pdf's 30 s navigation timeout, on a loaded machine) is run once more, and counted.
    let exitCode = await once();
    if (exitCode !== 0) {
      retries++;
      exitCode = await once();
    }
    if (exitCode !== 0) throw new BenchError(`md-to-pdf exited with ${exitCode} on files ${i + 1}–${i + files.length}, twice`);
    batches++;
  }
  const pdfs = markdownFiles.filter((f) => existsSync(f.replace(/\.md$/, '.pdf'))).length;
  if (pdfs !== markdownFiles.length) throw new BenchError(`md-to-pdf wrote ${pdfs} of ${markdownFiles.length} PDFs`);
  return { seconds: (performance.now() - started) / 1000, batches, pdfs, retries };
}
