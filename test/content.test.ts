/**
 * Issue 11, the check side: the content rules' classifier, the characters and fonts, the
 * inputs that are not case files, the text report, and the rules on the real corpus.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { conclusion } from '../src/check/content/conclusion.js';
import { checkPaths } from '../src/commands/check.js';
import { build } from '../src/commands/build.js';
import { SLOW, projectInputs, root } from './helpers.js';
import { fontCoverage, parseUnicodeRange } from '../src/render/coverage.js';
import { loadFonts } from '../src/render/assets.js';
import { readSource } from '../src/read/source.js';
import { report } from '../src/report/format.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
const valid = readFileSync(path.join(root, 'test/fixtures/check/valid-basic/input.md'), 'utf8');
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imr-content-'));
  temps.push(dir);
  return dir;
}

describe('the conclusion classifier', () => {
  const verdict = (text: string, names: string[] = []) => conclusion(text, names)?.verdict;
  it.each([
    ['Therefore, the request is medically necessary.', 'necessary'],
    ['Therefore, the request is not medically necessary.', 'not necessary'],
    ['The request is determined to not be medically necessary.', 'not necessary'],
    ['Medical necessity has not been established.', 'not necessary'],
    ['As such, medical necessity of the referral is supported by the records.', 'necessary'],
    ['A MRI of the elbow is not a medical necessity at this time.', 'not necessary'],
    ['The quantity cannot be deemed medically necessary without further evidence.', 'not necessary'],
    ['This request does not satisfy MTUS guidelines, and does not appear medically necessary.', 'not necessary'],
    ['The request is medically unnecessary.', 'not necessary'],
    ['I am reversing the previous utilization review decision.', 'necessary'],
    ['Norco is not recommended for long term use.', 'not necessary'],
    ['The treatment is recommended.', 'necessary'],
    ['As there are no red flags for which surgery would be necessary, the MRI is determined to be not medically necessary.', 'not necessary'],
    // The last sentence with a strong cue decides, not a later one without.
    ['The request is not medically necessary. The physician is advised to consult the guidelines, and if necessary, taper.', 'not necessary'],
  ])('%s → %s', (text, expected) => {
    expect(verdict(text)).toBe(expected);
  });

  it('states nothing when there is no verdict, or two that disagree mid-sentence', () => {
    expect(verdict('The records describe the pain.')).toBeUndefined();
    expect(verdict('The number recommended for a trial is six.')).toBeUndefined();
    expect(verdict('Physical therapy is medically necessary but the acupuncture is not medically necessary for this worker at all in any way.')).toBeUndefined();
  });

  it('reads the negation in the treatment\'s own name as no negation', () => {
    expect(verdict('MRI of the knee without contrast is medically necessary.')).toBe('necessary');
    expect(verdict('The Home health aide 4 hours a day for 4 weeks for wound care is not established as a medical necessity.', ['Home health aide 4 hours a day for 4 weeks for wound care'])).toBe('not necessary');
  });
});

describe('characters and fonts', () => {
  it('reads the coverage from the shipped font files: Latin and Latin Extended, not Hangul, emoji, Greek or arrows', () => {
    const covered = fontCoverage();
    for (const ch of 'AZaz09éñőŁ—’“”€½µ•§') expect(covered(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of ['한', '😀', 'Ω', '→', '指']) expect(covered(ch.codePointAt(0)!), ch).toBe(false);
    // The check skips the fonts for printable ASCII: every face must have all of it.
    for (let c = 0x20; c < 0x7f; c++) expect(covered(c), String.fromCharCode(c)).toBe(true);
  });

  it('takes the unicode ranges from fontsource (the @font-face rules are unchanged)', () => {
    const unicode = JSON.parse(readFileSync(path.join(root, 'node_modules/@fontsource/tinos/unicode.json'), 'utf8')) as Record<string, string>;
    const css = loadFonts().css('../');
    expect(css).toContain(`unicode-range:${unicode.latin!.split(',').join(', ')}}`);
    expect(parseUnicodeRange('U+0000-00FF, U+0131')).toEqual([[0, 255], [0x131, 0x131]]);
  });

  it('every character of the shipped cases is covered', () => {
    for (const f of ['CM15-0900001', 'CM15-0900002', 'CM16-0229336', 'CM16-0233904', 'CM16-0247802', 'CM17-0014449']) {
      const text = readFileSync(path.join(root, 'cases', `${f}.md`), 'utf8');
      const result = checkSource({ file: f, text });
      expect(result.diagnostics.filter((d) => d.rule === 'glyph-not-in-font'), f).toEqual([]);
      expect(result.case, f).toBeDefined();
    }
  });
});

describe('printing uses the shipped fonts only', () => {
  it('a letter holding every covered character beyond ASCII prints with Tinos and Arimo alone', async () => {
    const covered = fontCoverage();
    const chars: string[] = [];
    for (let c = 0xa1; c <= 0xffff; c++) if (covered(c) && !/[\p{Cf}\p{Z}\p{Cc}\p{M}]/u.test(String.fromCodePoint(c))) chars.push(String.fromCodePoint(c));
    expect(chars.length).toBeGreaterThan(300);
    const dir = temp();
    const lines = [];
    for (let i = 0; i < chars.length; i += 40) lines.push(chars.slice(i, i + 40).join(' '));
    writeFileSync(path.join(dir, 'glyphs.md'), valid.replace('This is a 78 year old male with a date of injury on 10-20-2016.', `This is a 78 year old male with a date of injury on 10-20-2016. Characters:\n${lines.join('\n')}`));
    const checked = checkSource({ file: 'glyphs.md', text: readFileSync(path.join(dir, 'glyphs.md'), 'utf8') });
    expect(checked.diagnostics).toEqual([]);
    const result = await build({ paths: [dir], out: path.join(dir, 'out'), editions: ['public'], ...projectInputs });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pdf = path.join(dir, 'out/letters/CM16-0229336/v1/CM16-0229336-v1-public.pdf');
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/)[0]!);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => !/Tinos|Arimo/.test(f))).toEqual([]);
  }, SLOW);
});

describe('inputs that are not case files', () => {
  it('a FIFO is refused at once, never opened (no hang), in a folder and named', async () => {
    const dir = temp();
    copyFileSync(path.join(root, 'cases/CM16-0233904.md'), path.join(dir, 'a.md'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.md')]);
    const read = await readSource(path.join(dir, 'pipe.md'));
    expect(read.diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['not-a-file', 1, 1]]);
    expect(read.diagnostics[0]!.message).toContain('named pipe (FIFO)');
    const checked = await checkPaths([dir]);
    expect(checked.files.map((f) => path.basename(f))).toEqual(['a.md', 'pipe.md']);
    expect(checked.diagnostics.map((d) => `${path.basename(d.file)} ${d.rule}`)).toEqual(['pipe.md not-a-file']);
  });

  it('/dev/zero and a socket are refused without reading', async () => {
    const zero = await readSource('/dev/zero');
    expect(zero.diagnostics.map((d) => d.rule)).toEqual(['not-a-file']);
    expect(zero.diagnostics[0]!.message).toContain('character device');
    const dir = temp();
    const sock = path.join(dir, 'sock.md');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      const read = await readSource(sock);
      expect(read.diagnostics.map((d) => d.rule)).toEqual(['not-a-file']);
      expect(read.diagnostics[0]!.message).toContain('socket');
    } finally {
      server.close();
    }
  });

  it('a symlinked case file in a folder is followed; a broken one is reported, not skipped', async () => {
    const dir = temp();
    const other = temp();
    copyFileSync(path.join(root, 'cases/CM16-0233904.md'), path.join(other, 'real.md'));
    symlinkSync(path.join(other, 'real.md'), path.join(dir, 'link.md'));
    symlinkSync(path.join(other, 'missing.md'), path.join(dir, 'broken.md'));
    symlinkSync(other, path.join(dir, 'sub'));
    symlinkSync(dir, path.join(dir, 'loop'));
    const checked = await checkPaths([dir]);
    expect(checked.files.map((f) => path.relative(dir, f)).sort()).toEqual(['broken.md', 'link.md', 'sub/real.md']);
    expect(checked.cases.length).toBe(1);
    expect(checked.diagnostics.map((d) => `${path.relative(dir, d.file)} ${d.rule}`)).toEqual(['broken.md unreadable', 'sub/real.md duplicate-case']);
    expect(checked.diagnostics[0]!.message).toContain('symbolic link to nothing');
  });

  it('the CLI on a FIFO ends with exit 1 and a positioned error', () => {
    const dir = temp();
    execFileSync('mkfifo', [path.join(dir, 'x.md')]);
    const run = spawnSync(process.execPath, [bin, 'check', path.join(dir, 'x.md')], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${path.join(dir, 'x.md')}:1:1  error  The path is a named pipe`);
  });
});

describe('the text report', () => {
  it('prints file:line:column on every diagnostic line and escapes control characters', () => {
    // A value with an escape sequence: its message quotes the value.
    const text = valid.replace('decision: Upheld', 'decision: "Up\x1b[2Jheld\x07"');
    const result = checkSource({ file: 'dir/a.md', text });
    const out = report(result.diagnostics, 'text', { files: ['dir/a.md'] });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    const rows = out.split('\n').filter((l) => l.startsWith('  '));
    expect(rows.length).toBe(result.diagnostics.length);
    for (const [i, row] of rows.entries()) expect(row.trimStart().startsWith(`dir/a.md:${result.diagnostics[i]!.line}:${result.diagnostics[i]!.column} `)).toBe(true);
    expect(out).toContain('\\u{1b}');
  });

  it('reports duplicate case numbers at the `case:` line, naming the other file and its line', async () => {
    const dir = temp();
    const text = readFileSync(path.join(root, 'cases/CM16-0233904.md'), 'utf8');
    writeFileSync(path.join(dir, 'a.md'), text);
    writeFileSync(path.join(dir, 'b.md'), `---\n# a comment\n${text.slice(4)}`);
    const { diagnostics } = await checkPaths([dir]);
    const line = (t: string) => t.split('\n').findIndex((l) => l.startsWith('case:')) + 1;
    expect(diagnostics.map((d) => [path.basename(d.file), d.rule, d.line, d.column])).toEqual([['b.md', 'duplicate-case', line(`---\n# a comment\n${text.slice(4)}`), 7]]);
    expect(diagnostics[0]!.message).toContain(`a.md (line ${line(text)})`);
  });
});

describe('revision-predecessor-unknown', () => {
  // From revision 2 on a letter needs `amends` and `dates.issued` (rule issued-date-missing).
  const rev = (n: number) =>
    readFileSync(path.join(root, 'cases/CM16-0233904.md'), 'utf8')
      .replace(/^revision: 1$/m, `revision: ${n}${n > 1 ? '\namends: Corrects the date of injury.' : ''}`)
      .replace(/^( {2}decision: 2017-01-06)$/m, n > 1 ? '$1\n  issued: 2017-02-01' : '$1');
  it('warns at `revision:` when revision N-1 is in no case file, no manifest and no commit', async () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'x.md'), rev(3));
    const { diagnostics } = await checkPaths([dir], { predecessors: { manifest: path.join(dir, 'none.json') } });
    expect(diagnostics.map((d) => [d.rule, d.severity, d.line])).toEqual([['revision-predecessor-unknown', 'warning', 6]]);
    expect(diagnostics[0]!.message).toContain('revision 2 is known nowhere');
  });
  it('is quiet when a case file, the manifest or the git history has it', async () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'x.md'), rev(2));
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ letters: [{ case: 'CM16-0233904', revision: 1 }] }));
    expect((await checkPaths([path.join(dir, 'x.md')], { predecessors: { manifest: path.join(dir, 'manifest.json') } })).diagnostics).toEqual([]);
    writeFileSync(path.join(dir, 'y.md'), rev(1));
    expect((await checkPaths([dir], { predecessors: { manifest: path.join(dir, 'none.json') } })).diagnostics).toEqual([]);
    const repo = temp();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
    git('init', '-q');
    writeFileSync(path.join(repo, 'c.md'), rev(1));
    git('add', 'c.md');
    git('commit', '-qm', 'rev 1');
    writeFileSync(path.join(repo, 'c.md'), rev(2));
    expect((await checkPaths([path.join(repo, 'c.md')], { predecessors: { manifest: path.join(repo, 'none.json') } })).diagnostics).toEqual([]);
  });
});

describe('build: refused cases are counted', () => {
  it('prints "1 refused or failed" for a case with a check error', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'bad.md'), valid.replace('decision: Upheld', 'decision: Overturned'));
    const run = spawnSync(process.execPath, [bin, 'build', dir, '--out', path.join(dir, 'out'), '--html-only'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('0 built, 0 unchanged, 1 refused or failed');
    expect(run.stderr).toContain('decision-contradicts-rationale');
  });
});

const corpus = path.join(root, '../shared/corpus/dwc-imr-2016-2017/pdf');
describe.runIf(existsSync(corpus))('the content rules on the real corpus (npm run measure:consistency)', () => {
  it('catches ≥ 95% of flipped decisions with ≤ 1 false alarm per 100 items', async () => {
    const out = path.join(temp(), 'figures.json');
    const child = spawn(process.execPath, [path.join(root, 'dist/bench/consistency.js'), corpus, '--json', out, '--rounds', '1'], { cwd: root, stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const f = JSON.parse(readFileSync(out, 'utf8')) as { letters: number; refused: number; items: number; flips: number; caught: number; falseAlarms: number };
    expect(f.letters).toBe(152);
    expect(f.refused).toBe(0);
    expect(f.flips).toBe(f.items);
    expect(f.caught / f.flips).toBeGreaterThanOrEqual(0.95);
    expect(f.falseAlarms / f.items).toBeLessThanOrEqual(0.01);
  }, SLOW);
});
