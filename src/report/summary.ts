/**
 * The check's result as Markdown for a GitHub Actions job summary
 * (`$GITHUB_STEP_SUMMARY`). Annotations show on the pull request's lines, but GitHub
 * shows only the first ten errors and ten warnings of a step there; the summary lists
 * every problem.
 */
import { appendFile } from 'node:fs/promises';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { escapeText } from '../html.js';

function cell(s: string): string {
  return escapeText(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function checkSummaryMarkdown(diagnostics: readonly Diagnostic[], files: readonly string[]): string {
  const sorted = sortDiagnostics(diagnostics);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  const head = `### imr-letters check: ${files.length} case file${files.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (sorted.length === 0) return `${head}\n\nNo problems.\n`;
  const rows = sorted.map((d) => `| ${cell(d.file)}:${d.line}:${d.column} | ${d.severity} | ${cell(d.message)} | \`${d.rule}\` |`);
  return `${head}\n\n| where | severity | problem | rule |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}

/** Appends the summary when running in GitHub Actions (`GITHUB_STEP_SUMMARY` is set). */
export async function writeStepSummary(diagnostics: readonly Diagnostic[], files: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  await appendFile(file, `${checkSummaryMarkdown(diagnostics, files)}\n`).catch(() => undefined);
}
