/**
 * `imr-letters import <file.pdf|file.txt|folder …> --into DIR`
 *
 * Reads posted decisions (PDFs through `pdftotext -layout`, or that command's text)
 * and writes one case file per letter, `DIR/<case>.md`: an issued decision, `status:
 * final`, revision 1, public data only. A letter that cannot be read exactly gets
 * diagnostics (file, line of its layout text, rule, reason) and no file. A folder
 * imports every `*.pdf` and `*.txt` directly in it (a PDF wins over a text file of the
 * same name). An existing case file is not overwritten unless `force` is set.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, CONFIG_FILE, DEFAULT_ORGANIZATION } from '../config.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics.js';
import { importLetter } from '../import/index.js';
import { ExtractError, layoutText, wordGaps, type GapWord } from '../import/pdftext.js';
import { writeAtomic } from '../publish/files.js';
import { OutputError } from '../errors.js';

export interface ImportOptions {
  /** Files (`.pdf`, `.txt`) or folders holding them. */
  paths: readonly string[];
  /** Folder the case files are written to. */
  into: string;
  /** Overwrite existing case files (default false). */
  force?: boolean;
  /** Files read at once (default 4). */
  concurrency?: number;
  /** Configuration file naming the IMR organization (default `imr-letters.config.yaml` when present). */
  config?: string;
  /** Called with a line of progress for each letter. */
  log?: (line: string) => void;
}

export type ImportState = 'written' | 'unchanged' | 'failed' | 'skipped';

export interface ImportedFile {
  file: string;
  caseNumber: string | undefined;
  state: ImportState;
  /** The case file written (or left unchanged). */
  output: string | undefined;
  items: number;
  pages: number;
  diagnostics: Diagnostic[];
}

export interface ImportRunResult {
  files: ImportedFile[];
  diagnostics: Diagnostic[];
  /** Milliseconds, wall clock. */
  ms: number;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const INPUT = /\.(pdf|txt)$/i;
const at = (line = 1) => ({ start: { line, column: 1 }, end: { line, column: 1 } });

/** The input files: files as given, and the `*.pdf`/`*.txt` directly in each folder (a PDF wins over its `.txt`). */
export async function findInputs(paths: readonly string[]): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      diagnostics.push(diagnostic(p, at(), 'error', 'not-found', 'No such file or folder'));
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(p)).filter((n) => INPUT.test(n)).sort();
      const pdfs = new Set(names.filter((n) => /\.pdf$/i.test(n)).map((n) => n.replace(/\.pdf$/i, '').toLowerCase()));
      for (const n of names) if (/\.pdf$/i.test(n) || !pdfs.has(n.replace(/\.txt$/i, '').toLowerCase())) files.push(path.join(p, n));
    } else files.push(p);
  }
  return { files, diagnostics };
}

async function organization(config: string | undefined): Promise<{ orgName: string; orgShortName: string }> {
  if (config === undefined && !existsSync(CONFIG_FILE)) return { orgName: DEFAULT_ORGANIZATION.name, orgShortName: DEFAULT_ORGANIZATION.shortName };
  const c = await loadConfig(config ?? CONFIG_FILE);
  return { orgName: c.organization.name, orgShortName: c.organization.shortName };
}

export async function importFiles(options: ImportOptions): Promise<ImportRunResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const org = await organization(options.config);
  const { files, diagnostics } = await findInputs(options.paths);
  const into = options.into;
  const schema = path.join(projectRoot, 'schema', 'case.schema.json');
  const schemaPath = path.relative(path.resolve(into), schema).split(path.sep).join('/');
  const results: ImportedFile[] = new Array(files.length);

  // Extract and parse in parallel; write in input order, so duplicates resolve deterministically.
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const k = next++;
      const file = files[k]!;
      let text: string;
      let words: GapWord[] | undefined;
      try {
        [text, words] = await Promise.all([layoutText(file), wordGaps(file)]);
      } catch (error) {
        const e = error as Error;
        const message = error instanceof ExtractError ? `${e.message}${error.hint ? `. ${error.hint}` : ''}` : `Cannot read the file: ${e.message}`;
        results[k] = { file, caseNumber: undefined, state: 'failed', output: undefined, items: 0, pages: 0, diagnostics: [diagnostic(file, at(), 'error', 'import-read', message)] };
        continue;
      }
      const sourceLabel = path.relative(path.resolve(into), path.resolve(file)).split(path.sep).join('/');
      const r = importLetter({ file, text, words }, { ...org, schemaPath, sourceLabel });
      results[k] = {
        file,
        caseNumber: r.caseNumber,
        state: r.caseFile ? 'written' : 'failed',
        output: r.caseFile,
        items: r.letter?.items.length ?? 0,
        pages: r.letter?.pages ?? 0,
        diagnostics: r.diagnostics,
      };
    }
  };
  const concurrency = Number.isInteger(options.concurrency) && options.concurrency! > 0 ? options.concurrency! : 4;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));

  const seen = new Map<string, string>();
  for (const r of results) {
    const text = r.output;
    r.output = undefined;
    if (r.state === 'written' && text && r.caseNumber) {
      const other = seen.get(r.caseNumber);
      const rel = `${r.caseNumber}.md`;
      const target = path.join(into, rel);
      if (other) {
        r.state = 'skipped';
        r.diagnostics.push(diagnostic(r.file, at(), 'error', 'import-duplicate', `${r.caseNumber} is also imported from ${other} in this run; one file per letter`));
      } else {
        seen.set(r.caseNumber, r.file);
        const existing = await readFile(target, 'utf8').catch(() => undefined);
        if (existing === text) {
          r.state = 'unchanged';
          r.output = target;
        } else if (existing !== undefined && !options.force) {
          r.state = 'skipped';
          r.diagnostics.push(diagnostic(r.file, at(), 'error', 'import-exists', `${target} already exists and differs (edited since?); it is not overwritten: remove it or pass --force`));
        } else {
          try {
            await writeAtomic(into, rel, text);
          } catch (cause) {
            throw new OutputError(`Cannot write ${target}`, { cause, hint: 'Check that the folder is writable and the disk is not full.' });
          }
          r.output = target;
        }
      }
    }
    diagnostics.push(...r.diagnostics);
    const what = r.state === 'failed' || r.state === 'skipped' ? `${r.diagnostics.filter((d) => d.severity === 'error').length} problem(s)` : `${r.items} item(s) → ${r.output}`;
    log(`${r.state.padEnd(9)} ${(r.caseNumber ?? '?').padEnd(12)} ${r.file} (${what})`);
  }
  return { files: results, diagnostics, ms: performance.now() - started };
}

/** `152 letters: 150 written, 0 unchanged, 2 failed, in 2.3 s`. */
export function importSummary(run: ImportRunResult): string {
  const count = (s: ImportState) => run.files.filter((f) => f.state === s).length;
  const failed = count('failed') + count('skipped');
  return `${run.files.length} letter${run.files.length === 1 ? '' : 's'}: ${count('written')} written, ${count('unchanged')} unchanged, ${failed} not imported, in ${(run.ms / 1000).toFixed(1)} s`;
}

export { hasErrors };
