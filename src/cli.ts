/**
 * The `imr-letters` command line. Each subcommand parses its options here and calls
 * a function in `src/commands/`; nothing here exits the process: `main` returns the
 * exit code (0 ok, 1 a case failed, 2 usage or a fatal error).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { checkPaths, hasErrors } from './commands/check.js';
import { report, REPORT_FORMATS, type ReportFormat } from './report/format.js';
import { formatError } from './errors.js';
import { build, parseShard } from './commands/build.js';
import { mergeManifestFiles } from './publish/merge.js';
import { EDITIONS, type Edition } from './render/model.js';
import { caseJsonSchemaText } from './schema/json-schema.js';
import { writeFile } from 'node:fs/promises';

export const VERSION = '0.1.0';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return n;
}

function defaultFormat(): ReportFormat {
  return process.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text';
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('imr-letters')
    .description('Compile IMR final determination letters: case files in, versioned HTML and PDF letters out.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();

  program
    .command('check')
    .description('check case files and report every problem, at its line and column')
    .argument('[paths...]', 'case files or folders', ['cases'])
    .addOption(new Option('--format <format>', 'output format (default: github when GITHUB_ACTIONS=true, else text)').choices(REPORT_FORMATS as string[]))
    .action(async (paths: string[], opts: { format?: ReportFormat }) => {
      const result = await checkPaths(paths);
      const format = opts.format ?? defaultFormat();
      process.stdout.write(report(result.diagnostics, format, { files: result.files, color: format === 'text' && process.stdout.isTTY === true }));
      exitCode = hasErrors(result.diagnostics) ? 1 : 0;
    });

  program
    .command('build')
    .description('check and build letters: HTML and PDF of each edition, under out/letters/<case>/v<revision>/')
    .argument('[paths...]', 'case files or folders', ['cases'])
    .option('--out <dir>', 'output folder', 'out')
    .addOption(new Option('--edition <edition>', 'build only this edition (default: both)').choices(EDITIONS as string[]))
    .option('--config <file>', 'configuration file', 'imr-letters.config.yaml')
    .option('--concurrency <n>', 'letters printed at once (default: the number of cores)', positiveInt)
    .option('--timeout <ms>', 'longest one letter may take to print', positiveInt, 60_000)
    .option('--html-only', 'write the HTML (and public facts) only, no PDF')
    .option('--shard <k/n>', 'build only part k of n disjoint parts of the cases (for a CI matrix)')
    .addOption(new Option('--format <format>', 'format of the problems reported').choices(REPORT_FORMATS as string[]))
    .action(async (paths: string[], opts: { out: string; edition?: Edition; config: string; concurrency?: number; timeout: number; htmlOnly?: boolean; shard?: string; format?: ReportFormat }) => {
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      if (opts.shard !== undefined && !shard) throw new InvalidArgumentError(`--shard ${opts.shard}: expected k/n with 1 ≤ k ≤ n, like 2/4`);
      const started = performance.now();
      const result = await build({
        paths,
        out: opts.out,
        editions: opts.edition ? [opts.edition] : undefined,
        config: opts.config,
        concurrency: opts.concurrency,
        timeoutMs: opts.timeout,
        htmlOnly: opts.htmlOnly === true,
        shard,
        generator: `imr-letters ${VERSION}`,
        log: (line) => process.stdout.write(`${line}\n`),
      });
      const format = opts.format ?? defaultFormat();
      if (result.diagnostics.length) process.stderr.write(report(result.diagnostics, format, { color: format === 'text' && process.stderr.isTTY === true }));
      const count = (s: string) => result.letters.filter((l) => l.state === s).length;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${count('built')} built, ${count('unchanged')} unchanged, ${count('skipped') + count('failed')} refused or failed, in ${seconds} s; manifest: ${opts.out}/manifest.json\n`);
      exitCode = hasErrors(result.diagnostics) ? 1 : 0;
    });

  program
    .command('merge-manifests')
    .description('merge the manifests of sharded builds (build --shard k/n) into one')
    .argument('<manifests...>', 'manifest.json files of the shards')
    .requiredOption('--out <file>', 'where to write the merged manifest')
    .action(async (manifests: string[], opts: { out: string }) => {
      const merged = await mergeManifestFiles(manifests, opts.out, `imr-letters ${VERSION}`);
      process.stdout.write(`merged ${manifests.length} manifests: ${merged.letters.length} letter revisions, ${merged.assets.length} assets → ${opts.out}\n`);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the case frontmatter (for editors), or write it with --out')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: { out?: string }) => {
      const text = caseJsonSchemaText();
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`imr-letters: ${formatError(error)}\n`);
    return 2;
  }
  return exitCode;
}
