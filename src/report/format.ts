/**
 * Reporters: diagnostics as text for a terminal (after vfile-reporter, but each line
 * starts `file:line:column`, which terminals and editors jump to; control characters are
 * escaped), as one JSON array, or as GitHub workflow annotations.
 *
 * Options (all reporters): none yet; output is sorted by file, line and column.
 */
import path from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.js';

export type ReportFormat = 'text' | 'json' | 'github';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'github'];

export function report(diagnostics: readonly Diagnostic[], format: ReportFormat, options: { files?: readonly string[]; color?: boolean } = {}): string {
  const sorted = sortDiagnostics(diagnostics);
  if (format === 'json') return `${JSON.stringify(sorted.map(pick), null, 2)}\n`;
  if (format === 'github') return sorted.map(github).join('');
  return text(sorted, options.files ?? [], options.color ?? false);
}

function pick(d: Diagnostic): Diagnostic {
  return {
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    severity: d.severity,
    rule: d.rule,
    message: d.message,
  };
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub matches annotations to files by their path in the repository: relative to the working folder (the checkout). */
function repoPath(file: string): string {
  if (!path.isAbsolute(file)) return file.split(path.sep).join('/');
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

function github(d: Diagnostic): string {
  const props = [`file=${escapeProperty(repoPath(d.file))}`, `line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`, `endColumn=${d.endColumn}`, `title=${escapeProperty(d.rule)}`].join(',');
  return `::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(clean(d.message))}\n`;
}

/**
 * Text safe for a terminal: control characters, bidi controls and other invisible
 * characters (which a value can carry into a message) are shown as `\u{1b}`, never sent.
 */
export function clean(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F\p{Cf}\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function text(sorted: readonly Diagnostic[], files: readonly string[], color: boolean): string {
  const paint = (c: number, s: string) => (color ? `\x1b[${c}m${s}\x1b[39m` : s);
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of files) byFile.set(f, []);
  for (const d of sorted) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of [...byFile.keys()].sort()) {
    const list = byFile.get(file) ?? [];
    const e = list.filter((d) => d.severity === 'error').length;
    lines.push(`${paint(4, clean(file))}${list.length === 0 ? `: ${paint(32, 'no issues found')}` : ''}`);
    const rows = list.map((d) => [`${clean(d.file)}:${d.line}:${d.column}`, d.severity, clean(d.message), d.rule]);
    const w0 = Math.max(0, ...rows.map((r) => r[0]!.length));
    const w1 = Math.max(0, ...rows.map((r) => r[1]!.length));
    for (const r of rows) {
      const sev = r[1] === 'error' ? paint(31, r[1]!.padEnd(w1)) : paint(33, r[1]!.padEnd(w1));
      lines.push(`  ${r[0]!.padEnd(w0)}  ${sev}  ${r[2]}  ${paint(2, r[3]!)}`);
    }
    errors += e;
    warnings += list.length - e;
    lines.push('');
  }
  const total = errors + warnings;
  const summary =
    total === 0
      ? paint(32, `✓ ${byFile.size} file${byFile.size === 1 ? '' : 's'} checked, no issues`)
      : `${errors ? paint(31, `✖ ${errors} error${errors === 1 ? '' : 's'}`) : ''}${errors && warnings ? ', ' : ''}${warnings ? paint(33, `⚠ ${warnings} warning${warnings === 1 ? '' : 's'}`) : ''} in ${byFile.size} file${byFile.size === 1 ? '' : 's'}`;
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}
