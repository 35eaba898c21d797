/**
 * `imr-letters check [paths…]`: checks every case file and reports every problem.
 */
import { checkSource } from '../check/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { findCaseFiles, readSource } from '../read/source.js';
import type { Case } from '../check/index.js';
import { unknownPredecessors, type PredecessorOptions } from '../check/predecessor.js';

export interface CheckedFiles {
  files: string[];
  cases: Case[];
  diagnostics: Diagnostic[];
}

/**
 * Reads and checks every case file under `paths`. Cases with an error are left out of `cases`.
 * `options.predecessors`: where a final revision's earlier revision is looked for (`revision-predecessor-unknown`).
 */
export async function checkPaths(paths: readonly string[], options: { predecessors?: PredecessorOptions } = {}): Promise<CheckedFiles> {
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
  return { files, cases: cases.filter((c) => !bad.has(c.file)), diagnostics };
}

export { hasErrors };
