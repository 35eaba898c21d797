/**
 * md-to-pdf, the common way to turn Markdown into PDF with Chromium, as a yardstick:
 * one batch run of its CLI over the letters' text as Markdown, its Chromium pointed at
 * the same executable with the same flags.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../print/browser.js';

export async function mdToPdfBatch(markdownFiles: readonly string[]): Promise<{ seconds: number; exitCode: number | null }> {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('md-to-pdf/package.json')), 'dist/cli.js');
  const launch = JSON.stringify({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  const started = performance.now();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--launch-options', launch, ...markdownFiles], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  return { seconds: (performance.now() - started) / 1000, exitCode };
}
