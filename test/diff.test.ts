/**
 * `imr-letters diff`: what changed between two revisions of a letter, as its reader sees
 * it. A temporary git repository (under the system's temp folder) holds a case issued as
 * revision 1 (committed, and built into its own `out/`); the working copy is revision 2
 * with a changed word, a deleted paragraph, an added one and a decision overturned.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build/index.js';
import { diffCase } from '../src/commands/diff.js';
import { parseLetter } from '../src/diff/blocks.js';
import { compareBlocks } from '../src/diff/compare.js';
import { diffSequences } from '../src/diff/sequence.js';
import { CHILD_TIMEOUT, root, setup } from './helpers.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
const CASE = 'CM15-0900002';
const DELETED = 'This paragraph is in the issued letter only and the correction deletes it.';
const ADDED = 'The correction adds this paragraph about the tapering protocol.';

let project: string;
let file: string;
const config = path.join(root, 'imr-letters.config.yaml');
const templates = path.join(root, 'templates');
const styles = path.join(root, 'styles');

function git(...args: string[]) {
  return execFileSync('git', args, { cwd: project, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: '2017-03-01T12:00:00Z', GIT_COMMITTER_DATE: '2017-03-01T12:00:00Z' } });
}

function cli(args: string[], cwd = project) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.GITHUB_ACTIONS;
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: CHILD_TIMEOUT });
}

/** Revision 1 (issued) and the working copy, revision 2. */
function revision1(): string {
  const text = readFileSync(path.join(root, 'cases', `${CASE}.md`), 'utf8');
  expect(text).toContain('several months along with MS Contin');
  return text.replace(/(# Rationale: norco\n\n[\s\S]*?not medically necessary\.\n)/, `$1\n${DELETED}\n`);
}

function revision2(v1: string): string {
  let text = v1.replace(/^revision: 1$/m, 'revision: 2\namends: Corrects the length of the Norco treatment and the decision on MS Contin.').replace(/^status: final$/m, 'status: draft').replace(/^  decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: $1');
  text = text.replace('the claimant had been on Norco for\nseveral months', 'the claimant had been on Norco for\nsix months');
  text = text.replace(`\n${DELETED}\n`, `\n${ADDED}\n`);
  // The second item's decision: Upheld → Overturned (the outcome and the cover letter change too).
  const ms = text.indexOf('  - id: ms-contin');
  text = text.slice(0, ms) + text.slice(ms).replace('decision: Upheld', 'decision: Overturned');
  // …and its rationale concludes so (the check holds the decision to the rationale's conclusion).
  text = text.replace('prescribed is not substantiated and not medically necessary.', 'prescribed is substantiated and medically necessary.');
  return text;
}

setup(async () => {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run compile` first (npm test does)');
  project = mkdtempSync(path.join(os.tmpdir(), 'imr-letters-diff-'));
  for (const f of ['templates', 'styles', 'imr-letters.config.yaml', 'schema']) symlinkSync(path.join(root, f), path.join(project, f));
  mkdirSync(path.join(project, 'cases'));
  file = path.join(project, 'cases', `${CASE}.md`);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'author@example.invalid');
  git('config', 'user.name', 'Author');
  const v1 = revision1();
  writeFileSync(file, v1);
  git('add', 'cases');
  git('commit', '-q', '-m', 'CM15-0900002 v1, issued');
  // Issued: built (HTML only; the redline compares what the reader reads) into the project's out/.
  const result = await build({ paths: [file], out: path.join(project, 'out'), config, templates, styles, htmlOnly: true, workers: 0, generator: 'imr-letters test' });
  expect(result.letters.map((l) => l.state)).toEqual(['built']);
  writeFileSync(file, revision2(v1));
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('imr-letters diff', () => {
  it('compares the working copy with the issued revision 1 (as issued, from out/): word diff, redline HTML and PDF', async () => {
    const result = await diffCase({ file, out: path.join(project, 'out'), config, templates, styles });
    expect(result.header.from.name).toBe('v1');
    expect(result.header.from.detail).toContain('issued 2015-');
    expect(result.header.to.name).toBe('working copy');
    expect(result.header.edition).toBe('mailed letter'); // both sides have parties

    const text = result.report;
    expect(text).toContain('[-several-]{+six+}');
    expect(text).toContain(`- [-${DELETED}-]`);
    expect(text).toContain(`+ {+${ADDED}+}`);
    expect(text).toMatch(/\[-Upheld-\]\{\+Overturned\+\}/);
    // Issue 11: a correction says so, with its own date, on its first page.
    expect(text).toMatch(/\{\+Corrected letter: revision 2, issued [A-Z][a-z]+ \d+, \d{4}\. It corrects and supersedes revision 1 /);
    expect(result.header.warning).toBeUndefined();
    expect(text).toMatch(/@@ IMR ISSUES, DECISIONS AND RATIONALES › Norco 10\/325mg #240/);
    expect(text).not.toContain('\x1b['); // no colour unless asked
    expect(result.comparison.stats.deleted).toBeGreaterThanOrEqual(1);
    expect(result.comparison.stats.inserted).toBeGreaterThanOrEqual(2);

    // The redline: the new letter with <ins>/<del>, the deleted paragraph where it stood.
    const html = readFileSync(result.htmlFile!, 'utf8');
    expect(html).toContain('<del>several</del>');
    expect(html).toContain('<ins>six</ins>');
    expect(html).toContain('Redline, not a letter.');
    expect(html).toMatch(/<p class="redline-deleted"><del>This paragraph is in the issued letter only/);
    expect(html).toMatch(/<p class="redline-inserted"><ins>The correction adds this paragraph/);
    const norco = html.indexOf('<del>several</del>');
    const deleted = html.indexOf(DELETED.slice(0, 30));
    const msContin = html.indexOf('id="item-ms-contin"');
    expect(norco).toBeGreaterThan(0);
    expect(deleted).toBeGreaterThan(norco);
    expect(msContin).toBeGreaterThan(deleted);
    expect(html).not.toMatch(/url\(\.\.\/|url\(assets\//); // fonts embedded: the file stands alone
    expect(html).toContain('url(data:font/woff2;base64,');

    // …printed to PDF through the Printer.
    const pdf = readFileSync(result.pdfFile!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = execFileSync('pdftotext', ['-layout', result.pdfFile!, '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('Redline, not a letter.');
    expect(pdfText).toContain(ADDED.slice(0, 40));
    expect(pdfText).toContain(DELETED.slice(0, 40));
  });

  it('takes revision 1 from git history when it is not in out/ (or with --rerender)', async () => {
    const result = await diffCase({ file, out: path.join(project, 'no-out'), config, templates, styles, html: false });
    expect(result.header.from.detail).toMatch(/^final, git [0-9a-f]{7} of 2017-03-01, rendered with the current templates$/);
    expect(result.report).toContain('[-several-]{+six+}');
    const rerendered = await diffCase({ file, out: path.join(project, 'out'), config, templates, styles, html: false, rerender: true, edition: 'public' });
    expect(rerendered.header.from.detail).toContain('git');
    expect(rerendered.header.edition).toBe('public edition');
    expect(rerendered.report).toContain('[-several-]{+six+}');
    // The public edition has no cover letter: the outcome sentence to the parties is not in it.
    expect(rerendered.report).not.toContain('Final determination');
  });

  it('finds no difference between a revision and itself', async () => {
    const same = await diffCase({ file, from: 'v1', to: 'v1', out: path.join(project, 'out'), config, templates, styles, html: false });
    expect(same.report).toContain('No difference in what the reader sees.');
    expect(same.comparison.stats).toEqual({ changed: 0, inserted: 0, deleted: 0, wordsInserted: 0, wordsDeleted: 0 });
  });

  it('runs from the command line: text in the terminal, Markdown for a pull request, --changed-since', () => {
    const run = cli(['diff', `cases/${CASE}.md`, '--no-redline']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${CASE} · mailed letter`);
    expect(run.stdout).toContain('--- v1: issued');
    expect(run.stdout).toContain('+++ working copy: cases/CM15-0900002.md, revision 2, draft');
    expect(run.stdout).toContain('[-several-]{+six+}');

    const md = cli(['diff', '--changed-since', 'HEAD', '--format', 'markdown', '--no-pdf']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain('_1 case file changed since HEAD_');
    expect(md.stdout).toContain('<del>several</del><ins>six</ins>');
    expect(md.stdout).toContain(`From **HEAD**`);
    expect(md.stdout).toMatch(/Redline: `out\/redline\/CM15-0900002-HEAD-working-copy-letter\.html`/);
    expect(existsSync(path.join(project, 'out', 'redline', `${CASE}-HEAD-working-copy-letter.html`))).toBe(true);

    const none = cli(['diff', '--changed-since', 'HEAD', '--no-redline', 'cases/no-such-folder']);
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('0 case files changed since HEAD');
  });

  it('reports a working copy that does not check, and exits 1', () => {
    const broken = path.join(project, 'cases', 'broken.md');
    cpSync(file, broken);
    writeFileSync(broken, readFileSync(file, 'utf8').replace('decision: Overturned', 'decision: overturned'));
    const run = cli(['diff', 'cases/broken.md', '--from', 'HEAD', '--no-redline']);
    rmSync(broken);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bad-enum');
    expect(run.stderr).toContain('does not pass check');
  });

  it('refuses an unknown revision with a hint', () => {
    const run = cli(['diff', `cases/${CASE}.md`, '--from', 'v7', '--no-redline']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No revision 7 of CM15-0900002');
  });
});

describe('word and block comparison', () => {
  const page = (body: string) => `<!DOCTYPE html><html><head><style>p{}</style></head><body><main>${body}</main><div class="watermark" aria-hidden="true">DRAFT</div></body></html>`;

  it('reads blocks as the reader does: no head, no hidden watermark, cells and line breaks', () => {
    const doc = parseLetter(page('<h2>SUMMARY</h2><p>The <strong>worker</strong> is 52.<br>Next line.</p><table><tr><th>Case Number:</th><td>CM16-0229336</td></tr></table>'));
    expect(doc.blocks.map((b) => b.text)).toEqual(['SUMMARY', 'The worker is 52.\nNext line.', 'Case Number:', 'CM16-0229336']);
    expect(doc.blocks[1]!.section).toBe('SUMMARY');
    expect(doc.blocks[2]!.row).toBe(doc.blocks[3]!.row);
  });

  it('pairs a changed paragraph and keeps whole inserted and deleted ones apart', () => {
    const a = parseLetter(page('<p>One two three four five.</p><p>Gone entirely from here.</p><p>Last one.</p>'));
    const b = parseLetter(page('<p>One two 3 four five.</p><p>Last one.</p><p>Brand new.</p>'));
    const c = compareBlocks(a.blocks, b.blocks);
    expect(c.entries.map((e) => e.kind)).toEqual(['changed', 'deleted', 'equal', 'inserted']);
    expect(c.stats).toEqual({ changed: 1, inserted: 1, deleted: 1, wordsInserted: 3, wordsDeleted: 5 });
  });

  it('treats a word put in bold as changed', () => {
    const a = parseLetter(page('<p>Norco is Upheld</p>'));
    const b = parseLetter(page('<p>Norco is <strong>Upheld</strong></p>'));
    expect(compareBlocks(a.blocks, b.blocks).stats.changed).toBe(1);
  });

  it('finds the longest common subsequence', () => {
    const ops = diffSequences([...'abcabba'], [...'cbabac']);
    const kept = ops.filter((o) => o.kind === 'equal').reduce((n, o) => n + o.aEnd - o.aStart, 0);
    expect(kept).toBe(4);
    expect(diffSequences([], [])).toEqual([]);
    expect(diffSequences(['x'], [])).toEqual([{ kind: 'delete', aStart: 0, aEnd: 1, bStart: 0, bEnd: 0 }]);
  });
});
