/**
 * Confidential values never reach a public file: the shared matcher, and the leak
 * corpus (`test/fixtures/leaks/forms/<form>/`) at its three places: `check` reports each
 * form at its line and column, `build` writes no public byte of it, and `archive`
 * publishes nothing. Also the build's own scan (a template that prints a value) and the
 * archive failing closed.
 */
import { cp, lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { build } from '../src/commands/build.js';
import { buildArchive } from '../src/archive/index.js';
import { confidentialValues, createMatcher, publicFileLeaks, type ConfidentialValue } from '../src/confidential/index.js';
import { builtCasesCopy, projectInputs, root, setup } from './helpers.js';

const corpus = path.join(root, 'test/fixtures/leaks/forms');
const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});
async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `imr-leak-${prefix}-`));
  temps.push(dir);
  return dir;
}
const archive = (out: string, cases: string[]) => buildArchive({ out, cases, templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles') });
const buildHtml = (paths: string[], out: string, extra: Record<string, unknown> = {}) => build({ paths, out, ...projectInputs, htmlOnly: true, workers: 0, ...extra });

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  return out.sort();
}

const PARTIES = {
  claimNumber: 'WC-2219-004417',
  injuredWorker: { name: 'Maria K. Lopez', address: ['1427 Sycamore Street, Apt. 3', 'Fresno, CA 93721-1234'] },
  employer: { name: 'Acme Freight Lines, Inc.' },
  claimsAdministrator: { name: 'Keystone Claims Management', address: ['PO Box 4410', 'Modesto, CA 95354'] },
  requestingProvider: { name: 'Walter P. Long, MD', address: ['300 Imaginary Boulevard', 'Visalia, CA 93291'] },
};
const values = (parties: unknown = PARTIES): ConfidentialValue[] => confidentialValues(parties, 'x.md', 'CM20-0000001');
const found = (text: string, mode: 'plain' | 'markdown' | 'html' = 'plain', allowed: string[] = []) =>
  createMatcher(values(), { allowed })
    .find(text, mode)
    .map((h) => text.slice(h.start, h.end));

describe('the matcher', () => {
  it('does not flag English words that are also surnames where no name stands', () => {
    const word = values({ ...PARTIES, injuredWorker: { name: 'Rosa Page', address: ['1 A St'] }, requestingProvider: { name: 'Will Young, MD', address: ['2 B St'] } });
    const m = createMatcher(word);
    for (const clean of ['MTUS Chronic Pain, Page(s): 76-80.', 'See page 5.', 'Page 12 of the report.', 'She will return. Young adults recover.', 'A long history of pain; a young worker.', 'Page numbers follow.']) {
      expect(m.find(clean, 'markdown'), clean).toEqual([]);
    }
    // …but does where a name stands.
    expect(m.find('The report of Dr. Young was reviewed.', 'markdown')).toHaveLength(1);
    expect(m.find('She met with Page and her counsel.', 'markdown')).toHaveLength(1);
    expect(m.find('Rosa Page reported pain.', 'markdown')).toHaveLength(1);
  });

  it('flags a surname that is no English word anywhere, in any case, but not a cited author', () => {
    expect(found('Lopez reported pain.')).toEqual(['Lopez']);
    expect(found('Studies (Lopez, 2005) (Lopez 2011a) and Lopez et al. found no benefit.')).toEqual([]);
    expect(found('Dr. Lopez, 2005 notes')).toEqual(['Lopez']);
    expect(found('lopez')).toEqual(['lopez']);
    expect(found('Lopezville and Lopez-like')).toEqual(['Lopez']);
  });

  it('matches short values as whole words only', () => {
    const m = createMatcher(values({ ...PARTIES, injuredWorker: { name: 'Al Li', address: ['9 Oak Ct'] } }));
    expect(m.find('Alpha and lithium are not names; Mr. Li is.').map((h) => h.needle.form)).toEqual(['surname']);
    expect(m.find('Al Li was seen.').map((h) => h.needle.form)).toEqual(['full']);
  });

  it('reads HTML as a reader sees it: tags are not words, attributes are read on their own', () => {
    expect(found('<p>Seen: <b>Maria</b> <a href="/x?c=WC2219004417">Lopez</a></p>', 'html')).toEqual(['Maria</b> <a href="/x?c=WC2219004417">Lopez', 'WC2219004417']);
    expect(found('<p class="maria">x</p><span title="Keystone Claims Management"></span>', 'html')).toEqual(['Keystone Claims Management']);
    // An inline tag inside a word does not split it (the renderer turns a zero-width space into `<wbr>`).
    expect(found('<p>Patient Lo<wbr>pez and Lo<span class="nobr">pez</span>.</p>', 'html')).toEqual(['Lo<wbr>pez', 'Lo<span class="nobr">pez']);
    // A claim number broken by a tag is still one claim number.
    expect(found('<p>Claim <span class="nobr">wc-2219-0044</span> 17.</p>', 'html')).toEqual(['wc-2219-0044</span> 17']);
  });

  it('lets an allowed phrase excuse a part of a value, never a whole one', () => {
    expect(found('Treated at the clinic in Long Beach.', 'markdown')).toEqual(['Long']);
    expect(found('Treated at the clinic in Long Beach.', 'markdown', ['Long Beach'])).toEqual([]);
    expect(found('Walter Long, in Long Beach.', 'markdown', ['Long Beach', 'Walter Long'])).toEqual(['Walter Long']);
    expect(found('Claim WC-2219-004417', 'plain', ['WC-2219-004417'])).toEqual(['WC-2219-004417']);
  });

  it('reports the case file rule `confidential-allow` for an allowed phrase holding a whole value', async () => {
    const text = (await readFile(path.join(corpus, 'full-name/input.md'), 'utf8')).replace('  cc:\n', '  notConfidential:\n    - { phrase: "Maria Lopez", reason: "no" }\n  cc:\n');
    const d = checkSource({ file: 'x.md', text }).diagnostics.filter((x) => x.rule === 'confidential-allow');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('never a whole name');
  });

  it('accepts a reviewed coincidence in `parties.notConfidential`', async () => {
    const base = await readFile(path.join(corpus, 'word-surname-mid-sentence/input.md'), 'utf8');
    const text = base.replace('reviewed with Long and', 'reviewed in Long Beach and');
    expect(checkSource({ file: 'x.md', text }).diagnostics.map((d) => d.rule)).toEqual(['confidential-value']);
    const allowed = text.replace('  cc:\n', '  notConfidential:\n    - phrase: Long Beach\n      reason: The city of the clinic, not the physician.\n  cc:\n');
    expect(checkSource({ file: 'x.md', text: allowed }).diagnostics).toEqual([]);
  });
});

const forms = (await readdir(corpus)).sort();

describe('the leak corpus', () => {
  it('has at least 40 forms', () => {
    expect(forms.length).toBeGreaterThanOrEqual(40);
  });

  it.each(forms)('check reports %s at its line and column, and nothing else', async (form) => {
    const text = await readFile(path.join(corpus, form, 'input.md'), 'utf8');
    const expected = JSON.parse(await readFile(path.join(corpus, form, 'expected.json'), 'utf8')) as object[];
    const { diagnostics: all, case: c } = checkSource({ file: 'input.md', text });
    expect(c).toBeUndefined();
    // A form written with invisible characters or letters of another script is also refused by the
    // character rules (`invisible-character`, `glyph-not-in-font`); nothing else may be reported.
    expect(all.filter((d) => !d.rule.startsWith('confidential-')).every((d) => CHARACTER_RULES.has(d.rule))).toBe(true);
    const diagnostics = all.filter((d) => d.rule.startsWith('confidential-'));
    expect(diagnostics.map((d) => ({ rule: d.rule, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn }))).toEqual(expected);
    for (const d of diagnostics) expect(d.message).toMatch(/^Confidential value in the public text: the .+ \(`parties\.[A-Za-z[\]0-9.]+`\)/);
  });

  it('build writes no byte of any of them; archive publishes none of them', async () => {
    const out = await temp('out');
    const built = await buildHtml([corpus], out);
    for (const form of forms) {
      const file = path.join(corpus, form, 'input.md');
      expect(built.diagnostics.some((d) => d.file === file && d.rule === 'confidential-value'), form).toBe(true);
    }
    expect(await listFiles(path.join(out, 'letters'))).toEqual([]);
    expect(built.letters).toEqual([]);

    // The same letters built before the parties were known (decoy parties that the text does not hold):
    // the archive, reading the real case files, finds every one and publishes nothing.
    const decoys = await temp('decoys');
    for (const form of forms) {
      const text = await readFile(path.join(corpus, form, 'input.md'), 'utf8');
      const decoy = text.replace(/^parties:\n(?: {2}.*\n)+/m, DECOY).replace(/^status: draft$/m, 'status: final');
      await writeFile(path.join(decoys, `${form}.md`), decoy);
    }
    const real = await temp('real');
    for (const form of forms) {
      await writeFile(path.join(real, `${form}.md`), (await readFile(path.join(corpus, form, 'input.md'), 'utf8')).replace(/^status: draft$/m, 'status: final'));
    }
    const outDecoy = await temp('out-decoy');
    const decoyBuild = await buildHtml([decoys], outDecoy);
    // Forms written with invisible characters or another script's letters cannot be built at all
    // (the character rules refuse them): they can never reach a public file, so the archive part
    // covers the forms that build.
    expect(decoyBuild.diagnostics.filter((d) => d.severity === 'error' && !CHARACTER_RULES.has(d.rule))).toEqual([]);
    const unbuildable = new Set(decoyBuild.diagnostics.filter((d) => CHARACTER_RULES.has(d.rule)).map((d) => path.basename(d.file, '.md')));
    expect(unbuildable.size).toBeLessThan(forms.length / 4);
    const result = await archive(outDecoy, [real]);
    expect(result.published).toBe(false);
    expect(result.refused).toEqual([]);
    const leaked = new Set(result.leaks.map((l) => /^letters\/(CM\d\d-\d{7})\//.exec(l.file)?.[1]).filter(Boolean));
    for (const form of forms.filter((f) => !unbuildable.has(f))) {
      const caseNumber = /^case: (\S+)$/m.exec(await readFile(path.join(real, `${form}.md`), 'utf8'))![1]!;
      expect(leaked.has(caseNumber), form).toBe(true);
    }
    expect(existsSync(path.join(outDecoy, 'archive'))).toBe(false);
  }, 240_000);
});

/** Rules that refuse a character before any matching: a leak written with them cannot be built. */
const CHARACTER_RULES = new Set(['invisible-character', 'glyph-not-in-font', 'control-character']);

const DECOY = `parties:
  claimNumber: ZZ-9999-999999
  injuredWorker: { name: Quorra Q. Xylander, address: [9 Decoy Row, "Nowhere, CA 90001"] }
  employer: { name: "Zephyrine Widgetworks, Inc." }
  claimsAdministrator: { name: Quillfeather Claims Services, address: [PO Box 9, "Nowhere, CA 90001"] }
  requestingProvider: { name: "Yvaine Z. Thrushcross, MD", address: [8 Decoy Row, "Nowhere, CA 90001"] }
`;

describe('the build scans its public files', () => {
  let cases: string;
  let templates: string;
  setup(async () => {
    cases = await temp('clean');
    // A clean case: its text holds none of its values.
    const text = (await readFile(path.join(corpus, 'full-name/input.md'), 'utf8')).replace('Maria K. Lopez reported pain.\n', '');
    expect(checkSource({ file: 'x.md', text }).diagnostics).toEqual([]);
    await writeFile(path.join(cases, 'clean.md'), text);
    // A template that prints a party's name in the public edition: only the build's scan can see it.
    templates = await temp('templates');
    await cp(path.join(root, 'templates'), templates, { recursive: true });
    const pub = path.join(templates, 'public.hbs');
    await writeFile(pub, (await readFile(pub, 'utf8')).replace('</body>', '<p>Handled by Keystone Claims Management.</p></body>'));
  });

  it('refuses the letter with a positioned error and writes none of it (HTML and PDF, real Chromium)', async () => {
    const out = await temp('out');
    const result = await build({ paths: [cases], out, ...projectInputs, templates, workers: 0 });
    const leaks = result.diagnostics.filter((d) => d.rule === 'public-file-leak');
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks[0]!.message).toMatch(/the claims administrator's name \(`parties\.claimsAdministrator\.name`\) would be written to letters\/CM20-\d{7}\/v1\/CM20-\d{7}-v1-public\.html, line \d+, column \d+; nothing of this letter was written/);
    expect(leaks[0]!.line).toBeGreaterThan(1);
    expect(result.letters.map((l) => l.state)).toEqual(['failed']);
    expect(await listFiles(path.join(out, 'letters'))).toEqual([]);
    expect(result.manifest.letters).toEqual([]);
  }, 120_000);

  it('publicFileLeaks reads the facts JSON and the PDF strings too', () => {
    const span = { start: { line: 3, column: 1 }, end: { line: 3, column: 12 } };
    const json = JSON.stringify({ items: [{ request: 'MRI for Lo\u00adpez' }] });
    const pdf = Buffer.from(`%PDF-1.7\n<< /Title <FEFF${Buffer.from('WC 2219 004417', 'utf16le').swap16().toString('hex')}> >>\n`, 'latin1');
    const d = publicFileLeaks('x.md', PARTIES, [{ rel: 'a/x-public.json', bytes: json }, { rel: 'a/x-public.pdf', bytes: pdf }, { rel: 'a/x-public.html', bytes: '<p>clean</p>' }], span);
    expect(d.map((x) => [x.rule, x.line, /written to (\S+)/.exec(x.message)![1]])).toEqual([
      ['public-file-leak', 3, 'a/x-public.json,'],
      ['public-file-leak', 3, 'a/x-public.pdf'],
    ]);
  });
});

describe('the archive fails closed', () => {
  let cases: string;
  let out: string;
  setup(async () => {
    ({ cases, out } = await builtCasesCopy(temp));
  });

  it('refuses every letter, named, when --cases does not exist or is the wrong folder', async () => {
    const missing = await archive(out, [path.join(cases, 'nope')]);
    expect(missing.published).toBe(false);
    expect(missing.refused).toHaveLength(6);
    expect(missing.refused[0]!.reason).toContain('does not exist');
    const wrong = await temp('wrong');
    const other = await archive(out, [wrong]);
    expect(other.published).toBe(false);
    expect(other.refused.map((r) => r.case).sort()).toEqual(['CM15-0900001', 'CM15-0900002', 'CM16-0229336', 'CM16-0233904', 'CM16-0247802', 'CM17-0014449']);
    expect(other.refused[0]!.reason).toMatch(/no case file for CM\d\d-\d{7} v1 under .+ \(it was built from .+\)/);
    expect(existsSync(path.join(out, 'archive'))).toBe(false);
  });

  it('refuses a letter whose case file is a symbolic link, or not a case file', async () => {
    const linked = await temp('linked');
    await cp(cases, linked, { recursive: true });
    await rm(path.join(linked, 'CM16-0233904.md'));
    await symlink(path.join(cases, 'CM16-0233904.md'), path.join(linked, 'CM16-0233904.md'));
    expect((await lstat(path.join(linked, 'CM16-0233904.md'))).isSymbolicLink()).toBe(true);
    await writeFile(path.join(linked, 'CM17-0014449.md'), 'Not a case file.\n');
    const result = await archive(out, [linked, path.join(linked, 'CM16-0233904.md')]);
    expect(result.published).toBe(false);
    expect(result.refused.map((r) => r.case).sort()).toEqual(['CM16-0233904', 'CM17-0014449']);
    expect(result.refused.find((r) => r.case === 'CM16-0233904')!.reason).toContain('symbolic link');
  });

  it('publishes a letter without parties only when its case file says `publicOnly: true`', async () => {
    const bare = await temp('bare');
    await cp(cases, bare, { recursive: true });
    const file = path.join(bare, 'CM16-0247802.md');
    const text = await readFile(file, 'utf8');
    const without = text.replace(/^# Invented: the posted[\s\S]*?(?=^---$)/m, '').replace(/^parties:\n(?:[ #].*\n)+/m, '');
    expect(without).not.toContain('parties:');
    await writeFile(file, without);
    const refused = await archive(out, [bare]);
    expect(refused.published).toBe(false);
    expect(refused.refused).toEqual([{ case: 'CM16-0247802', revision: 1, reason: expect.stringContaining('does not say `publicOnly: true`') as unknown as string }]);
    await writeFile(file, without.replace(/^status: final$/m, 'status: final\npublicOnly: true'));
    const ok = await archive(out, [bare]);
    expect(ok.refused).toEqual([]);
    expect(ok.leaks).toEqual([]);
    expect(ok.published).toBe(true);
  });
});
