/**
 * `imr-letters archive [--out DIR] [--cases PATHS…]`: the public archive of the final
 * letters built in DIR (default `out/`), written to `DIR/archive/` (see
 * `src/archive/index.ts`). Exits 1 without publishing when a confidential value of a
 * case file in PATHS (default `cases/`) appears in any file of the archive, or when a
 * letter's case file was not read there (the archive fails closed).
 */
import { buildArchive, type ArchiveOptions, type ArchiveResult } from '../archive/index.js';
import { formatLeak } from '../archive/leak.js';

export { buildArchive, type ArchiveOptions, type ArchiveResult };

/** The command's report: a summary line, warnings, and every leak by file and kind of value. */
export function archiveReport(r: ArchiveResult): { stdout: string; stderr: string } {
  const stderr: string[] = [];
  for (const w of r.warnings) stderr.push(`warning: ${w}`);
  if (r.refused.length) {
    stderr.push(`error: ${r.refused.length} letter(s) could not be checked for confidential values; nothing was published:`);
    for (const x of r.refused) stderr.push(`  ${x.case} v${x.revision}: ${x.reason}`);
  }
  if (r.leaks.length) {
    stderr.push(`error: confidential values found in ${new Set(r.leaks.map((l) => l.file)).size} file(s) of the archive; nothing was published:`);
    for (const l of r.leaks) stderr.push(`  ${r.dir}/${formatLeak(l)}`);
  }
  const stdout = r.published
    ? `archive: ${r.listed} letters listed, ${r.superseded} superseded revisions, ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB (search ${(r.searchBytes / 1e6).toFixed(1)} MB), ${r.values.checked} confidential values checked, in ${r.seconds.total.toFixed(1)} s (${r.why}: ${r.written} files written, ${r.removed} removed${r.newValues.values ? `; ${r.newValues.values} new confidential values looked for in ${r.newValues.reread} published files and texts` : ''}) → ${r.dir}/index.html\n`
    : `archive: not published (${r.leaks.length} leak${r.leaks.length === 1 ? '' : 's'}, ${r.refused.length} letter${r.refused.length === 1 ? '' : 's'} refused)\n`;
  return { stdout, stderr: stderr.length ? `${stderr.join('\n')}\n` : '' };
}
