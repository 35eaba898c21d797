/**
 * `imr-letters check [paths…]`: checks every case file and reports every problem.
 */
import { checkSource } from '../check/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { findCaseFiles, readSource } from '../read/source.js';
import type { Case } from '../check/index.js';
import { issuedChanges, loadIssued, type IssuedSet } from '../publish/issued.js';
import { unknownPredecessors, type PredecessorOptions } from '../check/predecessor.js';

export interface CheckedFiles {
  files: string[];
  cases: Case[];
  diagnostics: Diagnostic[];
}

export interface CheckOptions {
  /**
   * What is issued (default: nothing is compared): an output folder or its `manifest.json`
   * (as `imr-letters restore` writes it), or a git revision whose case files are read (see
   * `src/publish/issued.ts`). An issued revision changed in place is then an error.
   */
  issued?: string | IssuedSet;
  /** Where a final revision's earlier revision is looked for (`revision-predecessor-unknown`). */
  predecessors?: PredecessorOptions;
}

/** Reads and checks every case file under `paths`. Cases with an error are left out of `cases`. */
export async function checkPaths(paths: readonly string[], options: CheckOptions = {}): Promise<CheckedFiles> {
  const issued = typeof options.issued === 'string' ? await loadIssued(options.issued, paths) : options.issued;
  const { files, diagnostics } = await findCaseFiles(paths);
  const cases: Case[] = [];
  for (const file of files) {
    const read = await readSource(file);
    diagnostics.push(...read.diagnostics);
    if (!read.source) continue;
    const result = checkSource(read.source);
    diagnostics.push(...result.diagnostics);
    if (result.case) cases.push(result.case);
  }
  // One case number, one revision: two files claiming the same letter is an error.
  const byKey = new Map<string, Case>();
  for (const c of cases) {
    const key = `${c.data.case} v${c.data.revision}`;
    const other = byKey.get(key);
    if (other) {
      const { start, end } = c.caseSpan;
      diagnostics.push({
        file: c.file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        severity: 'error',
        rule: 'duplicate-case',
        message: `Case ${c.data.case} revision ${c.data.revision} is also in ${other.file} (line ${other.caseSpan.start.line}): one file per letter revision; give this file its own case number or revision`,
      });
    } else byKey.set(key, c);
  }
  diagnostics.push(...(await unknownPredecessors(cases, options.predecessors)));
  const bad = new Set(diagnostics.filter((d) => d.rule === 'duplicate-case').map((d) => d.file));
  const checked = cases.filter((c) => !bad.has(c.file));
  // Issued letters never change: a final revision edited in place fails here, at review time.
  if (issued) {
    const changed = issuedChanges(checked, issued);
    diagnostics.push(...changed);
    const refused = new Set(changed.map((d) => d.file));
    return { files, cases: checked.filter((c) => !refused.has(c.file)), diagnostics };
  }
  return { files, cases: checked, diagnostics };
}

export { hasErrors };
