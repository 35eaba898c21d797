/**
 * The `imr-letters` command line. Each subcommand parses its options here and calls
 * a function in `src/commands/`; nothing here exits the process: `main` returns the
 * exit code (0 ok, 1 a case failed, 2 usage or a fatal error). Each command's module is
 * imported when the command runs, so a command loads only what it uses (a no-op `build`
 * does not load the check, the renderer or puppeteer).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { hasErrors } from './diagnostics.js';
import { formatError, UsageError } from './errors.js';
import { EDITIONS, type Edition } from './render/editions.js';
import { report, REPORT_FORMATS, type ReportFormat } from './report/format.js';
import type { BuildCommandOptions } from './commands/build.js';
import type { DiffFormat } from './commands/diff.js';
import type { SearchCommandResult } from './commands/search.js';
import { DEFAULT_PREVIEW_PORT } from './commands/preview-port.js';
import { untilStopped } from './stop.js';
import { GENERATOR, VERSION } from './version.js';

export { VERSION } from './version.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number, 0 to 65535');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return n;
}

function defaultFormat(): ReportFormat {
  return process.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text';
}

/** `imr-letters check`. */
function commandCheck(program: Command, exit: { code: number }): void {
  program
    .command('check')
    .description('check case files and report every problem, at its line and column')
    .argument('[paths...]', 'case files or folders', ['cases'])
    .addOption(new Option('--format <format>', 'output format (default: github when GITHUB_ACTIONS=true, else text)').choices(REPORT_FORMATS as string[]))
    .option('--issued <source>', 'what is issued: an output folder or its manifest.json (as restore writes it), or a git revision (origin/main); an issued letter changed without a new revision is an error')
    .action(async (paths: string[], opts: { format?: ReportFormat; issued?: string }) => {
      const [{ checkPaths }, { writeStepSummary }] = await Promise.all([import('./commands/check.js'), import('./report/summary.js')]);
      const result = await checkPaths(paths, { issued: opts.issued });
      const format = opts.format ?? defaultFormat();
      process.stdout.write(report(result.diagnostics, format, { files: result.files, color: format === 'text' && process.stdout.isTTY === true }));
      if (format === 'github') await writeStepSummary(result.diagnostics, result.files);
      exit.code = hasErrors(result.diagnostics) ? 1 : 0;
    });
}

/** `imr-letters build`. */
function commandBuild(program: Command, exit: { code: number }): void {
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
    .action(async (paths: string[], opts: Omit<BuildCommandOptions, 'format'> & { format?: ReportFormat }) => {
      const { buildCommand } = await import('./commands/build.js');
      exit.code = await buildCommand(paths, { ...opts, format: opts.format ?? defaultFormat() });
    });
}

/** `imr-letters merge-manifests`. */
function commandMergeManifests(program: Command): void {
  program
    .command('merge-manifests')
    .description('merge the manifests of sharded builds (build --shard k/n) into one')
    .argument('<manifests...>', 'manifest.json files of the shards')
    .requiredOption('--out <file>', 'where to write the merged manifest')
    .action(async (manifests: string[], opts: { out: string }) => {
      const { mergeManifestFiles } = await import('./publish/merge.js');
      const merged = await mergeManifestFiles(manifests, opts.out, GENERATOR);
      process.stdout.write(`merged ${manifests.length} manifests: ${merged.letters.length} letter revisions, ${merged.assets.length} assets → ${opts.out}\n`);
    });
}

/** `imr-letters import`. */
function commandImport(program: Command, exit: { code: number }): void {
  program
    .command('import')
    .description('import posted decisions (PDF, or their `pdftotext -layout` text) as case files: one <case>.md per letter')
    .argument('<paths...>', 'PDF or text files of posted decisions, or folders holding them')
    .requiredOption('--into <dir>', 'folder the case files are written to')
    .option('--force', 'overwrite case files that already exist', false)
    .option('--config <file>', 'configuration file naming the IMR organization (default: imr-letters.config.yaml when present)')
    .option('--concurrency <n>', 'files read at once', (v) => Number.parseInt(v, 10), 4)
    .addOption(new Option('--format <format>', 'format of the problems reported').choices(REPORT_FORMATS as string[]))
    .action(async (paths: string[], opts: { into: string; force: boolean; config?: string; concurrency: number; format?: ReportFormat }) => {
      const { importFiles, importSummary } = await import('./commands/import.js');
      const run = await importFiles({
        paths,
        into: opts.into,
        force: opts.force,
        config: opts.config,
        concurrency: opts.concurrency,
        log: (line) => process.stdout.write(`${line}\n`),
      });
      const format = opts.format ?? defaultFormat();
      if (run.diagnostics.length) process.stderr.write(report(run.diagnostics, format, { color: format === 'text' && process.stderr.isTTY === true }));
      process.stdout.write(`${importSummary(run)}\n`);
      exit.code = hasErrors(run.diagnostics) ? 1 : 0;
    });
}

/** `imr-letters generate`. */
function commandGenerate(program: Command): void {
  program
    .command('generate')
    .description('write realistic synthetic cases (valid, varied, the same for the same seed) for benchmarks and scale tests')
    .requiredOption('--count <n>', 'how many cases', positiveInt)
    .requiredOption('--into <dir>', 'folder to write them to')
    .option('--seed <n>', 'seed of the random choices', (v) => Number.parseInt(v, 10), 1)
    .option('--parties', 'add invented confidential parties (names, addresses, claim numbers)', false)
    .action(async (opts: { count: number; into: string; seed: number; parties: boolean }) => {
      const { generateCases } = await import('./generate/index.js');
      const files = await generateCases({ count: opts.count, into: opts.into, seed: opts.seed, parties: opts.parties });
      process.stdout.write(`generated ${files.length} cases in ${opts.into}\n`);
    });
}

/** `imr-letters archive`. */
function commandArchive(program: Command, exit: { code: number }): void {
  program
    .command('archive')
    .description('write the public archive of the final letters in OUT: a static site with search (OUT/archive/), checked for every confidential value of the cases')
    .option('--out <dir>', 'the build\'s output folder', 'out')
    .option('--cases <paths...>', 'case files or folders whose confidential values must not appear', ['cases'])
    .option('--no-search', 'the pages only: the search files are built by `search shard` and `search catalog` (a CI matrix)')
    .option('--full', 'build the whole archive again, not only what changed since the archive published before')
    .action(async (opts: { out: string; cases: string[]; search: boolean; full?: boolean }) => {
      const { archiveReport, buildArchive } = await import('./commands/archive.js');
      const result = await buildArchive({ out: opts.out, cases: opts.cases, search: opts.search, full: opts.full === true });
      const { stdout, stderr } = archiveReport(result);
      if (stderr) process.stderr.write(stderr);
      process.stdout.write(stdout);
      exit.code = result.published ? 0 : 1;
    });
}

/** The report of `search shard` / `search catalog`: leaks and refusals on stderr, exit 1. */
async function searchReport(r: SearchCommandResult, done: string, exit: { code: number }): Promise<void> {
  const { formatLeak } = await import('./archive/leak.js');
  for (const x of r.refused) process.stderr.write(`error: ${x.case} v${x.revision} could not be checked for confidential values: ${x.reason}\n`);
  for (const l of r.leaks) process.stderr.write(`error: confidential value in ${formatLeak(l)}\n`);
  if (r.written) process.stdout.write(`${done}\n`);
  else process.stdout.write(`search: nothing written (${r.leaks.length} leak(s), ${r.refused.length} letter(s) refused)\n`);
  exit.code = r.written ? 0 : 1;
}

/** `imr-letters search years|shard|catalog`: the search files built apart (a CI matrix, issue 13). */
function commandSearch(program: Command, exit: { code: number }): void {
  const search = program.command('search').description('the archive\'s search files built apart: a shard per decision year (a CI matrix job each), then the catalog');
  search
    .command('years')
    .description('print the decision years of the listed letters as `years=[…]` (for $GITHUB_OUTPUT)')
    .option('--out <dir>', 'the build\'s output folder', 'out')
    .option('--cases <paths...>', 'case files or folders', ['cases'])
    .action(async (opts: { out: string; cases: string[] }) => {
      const { searchYears } = await import('./commands/search.js');
      process.stdout.write(`years=${JSON.stringify(await searchYears({ out: opts.out, cases: opts.cases }))}\n`);
    });
  search
    .command('shard')
    .description('write the search shard of one decision year (checked for confidential values) as PARTS/<year>-<hash>/')
    .requiredOption('--year <yyyy>', 'the decision year', positiveInt)
    .option('--out <dir>', 'the build\'s output folder', 'out')
    .option('--cases <paths...>', 'case files or folders whose confidential values must not appear', ['cases'])
    .option('--into <dir>', 'where the shard\'s chunks go', 'search-parts')
    .action(async (opts: { year: number; out: string; cases: string[]; into: string }) => {
      const { searchShard } = await import('./commands/search.js');
      const r = await searchShard({ out: opts.out, cases: opts.cases, year: opts.year, into: opts.into });
      await searchReport(r, `search: shard ${opts.year}, ${r.entry?.letters} letters, ${r.entry?.bytes} bytes → ${opts.into}/${r.entry?.prefix}`, exit);
    });
  search
    .command('catalog')
    .description('make the catalog from the shards in PARTS and publish every search file and search.json into the archive')
    .option('--from <dir>', 'the shards (folders <year>-<hash>/)', 'search-parts')
    .option('--into <dir>', 'the archive\'s search folder', 'out/archive/search')
    .option('--cases <paths...>', 'case files or folders whose confidential values must not appear', ['cases'])
    .action(async (opts: { from: string; into: string; cases: string[] }) => {
      const { searchCatalog } = await import('./commands/search.js');
      const r = await searchCatalog({ from: opts.from, into: opts.into, cases: opts.cases });
      await searchReport(r, `search: ${r.manifest?.shards.length} shards, ${r.manifest?.shards.reduce((n, s) => n + s.letters, 0)} letters, catalog ${r.manifest?.catalog.bytes} bytes → ${opts.into}/search.json`, exit);
    });
}

/** `imr-letters serve`. */
function commandServe(program: Command): void {
  program
    .command('serve')
    .description('serve OUT on http://127.0.0.1:PORT/ to look at the archive (/archive/) and the letters')
    .option('--out <dir>', 'the folder served', 'out')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', port, 8080)
    .action(async (opts: { out: string; port: number }) => {
      const { serve } = await import('./commands/serve.js');
      const served = await serve({ root: opts.out, port: opts.port });
      process.stdout.write(`serving ${opts.out} at ${served.url}archive/ (Ctrl-C stops)\n`);
      await untilStopped();
      await served.close();
    });
}

/** `imr-letters new`. */
function commandNew(program: Command): void {
  program
    .command('new')
    .description('write a draft case file with every required field to fill in; check reports each one until it is filled')
    .argument('<case-number>', 'the IMR case number, like CM17-0001234')
    .option('--into <dir>', 'folder of the case file', 'cases')
    .option('--force', 'overwrite an existing case file', false)
    .action(async (caseNumber: string, opts: { into: string; force: boolean }) => {
      const { newCase } = await import('./commands/new.js');
      const { file } = await newCase({ caseNumber, into: opts.into, force: opts.force });
      process.stdout.write(`wrote ${file}: fill in the empty values, then \`imr-letters preview ${file}\` and \`imr-letters check ${file}\`\n`);
    });
}

/** `imr-letters preview`. */
function commandPreview(program: Command): void {
  program
    .command('preview')
    .description('serve a letter on http://127.0.0.1:PORT/, reloaded as soon as the case, a template or a style is saved')
    .argument('[case]', 'the case file (default: a list of the files in cases/)')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', port, DEFAULT_PREVIEW_PORT)
    .addOption(new Option('--edition <edition>', 'edition shown first (default: the mailed letter when the case has parties)').choices(EDITIONS as string[]))
    .option('--config <file>', 'configuration file', 'imr-letters.config.yaml')
    .action(async (file: string | undefined, opts: { port: number; edition?: Edition; config: string }) => {
      const { preview } = await import('./commands/preview.js');
      const server = await preview({ file, port: opts.port, edition: opts.edition, config: opts.config, log: (line) => process.stdout.write(`${line}\n`) });
      process.stdout.write(`previewing ${file ?? 'cases/'} at ${server.url} (Ctrl-C stops)\n`);
      await untilStopped();
      await server.close();
    });
}

/** `imr-letters diff`. */
function commandDiff(program: Command, exit: { code: number }): void {
  program
    .command('lsp')
    .description('the language server for case files, over stdio: diagnostics of every check rule as you type, completion, hover, quick fixes, outline (see README "Editors")')
    .option('--stdio', 'talk over standard input and output (the default and only transport)')
    .action(async () => {
      const { startServer } = await import('./lsp/server.js');
      startServer();
      // The server runs until its client says `exit` or closes standard input.
      await new Promise<void>(() => undefined);
    });

  program
    .command('diff')
    .description('what changed between two revisions of a letter, as its reader sees it: a word diff here, and a redline (HTML and PDF)')
    .argument('[case]', 'the case file')
    .option('--from <rev>', 'vN (revision N as issued, or from git history), a git revision, or working (default: the last issued revision)')
    .option('--to <rev>', 'the same (default: working, the file as it is now)')
    .option('--changed-since <git-rev>', 'diff every case file changed since this git revision, from its version there (for pull requests)')
    .addOption(new Option('--edition <edition>', 'edition compared (default: the mailed letter when both sides have parties)').choices(EDITIONS as string[]))
    .addOption(new Option('--format <format>', 'text for a terminal, markdown for a pull request or job summary').choices(['text', 'markdown']).default('text'))
    .option('--out <dir>', 'the build\'s output folder, where issued letters are; the redline goes to OUT/redline/', 'out')
    .option('--no-pdf', 'write the redline HTML only')
    .option('--no-redline', 'print the word diff only')
    .option('--rerender', 'render issued revisions from their source (git) with the current templates, not as issued')
    .option('--config <file>', 'configuration file', 'imr-letters.config.yaml')
    .action(async (file: string | undefined, opts: { from?: string; to?: string; changedSince?: string; edition?: Edition; format: DiffFormat; out: string; pdf: boolean; redline: boolean; rerender?: boolean; config: string }) => {
      if (!file && !opts.changedSince) throw new UsageError('diff needs a case file, or --changed-since <git-rev>');
      const { changedCaseFiles, diffCase, DiffError } = await import('./commands/diff.js');
      const jobs: { file: string; from?: string }[] = [];
      if (opts.changedSince) {
        const { changed, added } = await changedCaseFiles(opts.changedSince, file ? [file] : ['cases']);
        for (const f of changed) jobs.push({ file: f, from: opts.changedSince });
        const note = `${changed.length} case file${changed.length === 1 ? '' : 's'} changed since ${opts.changedSince}${added.length ? `; new, nothing to compare: ${added.join(', ')}` : ''}`;
        process.stdout.write(opts.format === 'markdown' ? `_${note}_\n\n` : `${note}\n`);
      } else jobs.push({ file: file!, from: opts.from });
      const color = opts.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      for (const job of jobs) {
        try {
          const result = await diffCase({ file: job.file, from: job.from, to: opts.to, edition: opts.edition, out: opts.out, format: opts.format, color, html: opts.redline, pdf: opts.pdf, rerender: opts.rerender === true, config: opts.config });
          process.stdout.write(result.report);
          const written = [result.htmlFile, result.pdfFile].filter((f): f is string => f !== undefined);
          if (written.length) process.stdout.write(opts.format === 'markdown' ? `\nRedline: ${written.map((f) => `\`${f}\``).join(', ')}\n\n` : `redline: ${written.join(', ')}\n`);
        } catch (error) {
          if (!(error instanceof DiffError)) throw error;
          if (error.diagnostics.length) process.stderr.write(report(error.diagnostics, 'text', { color: process.stderr.isTTY === true }));
          process.stderr.write(`imr-letters: ${formatError(error)}\n`);
          exit.code = 1;
        }
      }
    });
}

/** `imr-letters restore`. */
function commandRestore(program: Command, exit: { code: number }): void {
  program
    .command('restore')
    .description('put the output of an earlier build (a folder or a URL holding its manifest.json) back into OUT before building, so issued letters stay as issued')
    .argument('<source>', 'folder or http(s) URL of the earlier output')
    .option('--out <dir>', 'output folder', 'out')
    .option('--require', 'fail when the source has no manifest (default: nothing to restore, a first build)', false)
    .option('--force', 'replace a different manifest already in OUT', false)
    .action(async (source: string, opts: { out: string; require: boolean; force: boolean }) => {
      const { restore } = await import('./publish/restore.js');
      const result = await restore({ source, out: opts.out, require: opts.require, force: opts.force, log: (line) => process.stdout.write(`${line}\n`) });
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      for (const e of result.errors) process.stderr.write(`error: ${e}\n`);
      if (result.errors.length) process.stderr.write(`imr-letters: ${result.errors.length} issued file(s) could not be restored; nothing was written to ${opts.out}/manifest.json. Building now would issue those letters again: restore them first.\n`);
      exit.code = result.errors.length ? 1 : 0;
    });
}

/** `imr-letters schema`. */
function commandSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the case frontmatter (for editors), or write it with --out')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: { out?: string }) => {
      const { caseJsonSchemaText } = await import('./schema/json-schema.js');
      const text = caseJsonSchemaText();
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}

export async function main(argv: readonly string[]): Promise<number> {
  const exit = { code: 0 };
  const program = new Command('imr-letters')
    .description('Compile IMR final determination letters: case files in, versioned HTML and PDF letters out.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  commandCheck(program, exit);
  commandBuild(program, exit);
  commandMergeManifests(program);
  commandImport(program, exit);
  commandGenerate(program);
  commandArchive(program, exit);
  commandSearch(program, exit);
  commandServe(program);
  commandNew(program);
  commandPreview(program);
  commandDiff(program, exit);
  commandRestore(program, exit);
  commandSchema(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // Usage errors and fatal errors alike: the message (never a class name), exit code 2.
    process.stderr.write(`imr-letters: ${formatError(error)}\n`);
    return 2;
  }
  return exit.code;
}
