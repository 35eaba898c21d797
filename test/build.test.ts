/**
 * `build()` end to end, with the real Chromium: the files of every case, the manifest,
 * the PDFs (size, tags, metadata, fonts, text), reproducibility across output folders
 * and concurrency, incremental rebuilds, immutability of issued revisions, drafts,
 * check errors and `--edition public`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, hasErrors, type BuildOptions, type BuildResult } from '../src/build/index.js';
import { checkPaths } from '../src/commands/check.js';
import type { Case } from '../src/check/index.js';
import { itemLead } from '../src/render/model.js';
import { VERSION } from '../src/cli.js';
import { manifestSchema, sortManifest, type Manifest, type ManifestLetter } from '../src/publish/manifest.js';
import { SLOW, projectInputs, root, setup, tempFolders } from './helpers.js';

const casesDir = path.join(root, 'cases');
const generator = `imr-letters ${VERSION}`;
const T = SLOW;

// ---------------------------------------------------------------------------------
// Helpers

const tempDir = tempFolders('imr-build');

function run(paths: string[], out: string, extra: Partial<BuildOptions> = {}): Promise<BuildResult> {
  return build({
    paths,
    out,
    ...projectInputs,
    ...extra,
  });
}

/** Every file under `dir`, as sorted `/`-separated relative paths. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `path → {sha256, mtimeMs, size, ino}` of every file under `dir`. */
async function snapshot(dir: string): Promise<Map<string, { sha256: string; mtimeMs: number; size: number; ino: number }>> {
  const out = new Map<string, { sha256: string; mtimeMs: number; size: number; ino: number }>();
  for (const rel of await listFiles(dir)) {
    const full = path.join(dir, rel);
    const info = await stat(full);
    out.set(rel, { sha256: sha(await readFile(full)), mtimeMs: info.mtimeMs, size: info.size, ino: info.ino });
  }
  return out;
}

function pdfinfo(file: string): Record<string, string> {
  const text = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
  const info: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[m[1]!.trim()] = m[2]!.trim();
  }
  return info;
}

function pdffonts(file: string): { name: string; emb: string }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type… encoding emb sub uni object ID: emb is 5th from the end.
    return { name: cols[0]!, emb: cols[cols.length - 5]! };
  });
}

/** `pdftotext -layout` of a PDF, as is. */
const pdfRaw = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

/** `pdftotext -layout` of a PDF, with page footers dropped and whitespace folded (line-end hyphens joined). */
function pdfText(file: string): string {
  return pdfRaw(file)
    .split('\n')
    .filter((l) => !/^\s*CM\d{2}-\d{7}.*\u2014\s+Page \d+ of \d+\s*$/.test(l))
    .join('\n')
    .replace(/\s+/g, ' ')
    .replace(/- /g, '-');
}

const fold = (s: string) => s.replace(/\s+/g, ' ').replace(/- /g, '-');

function letterOf(m: Manifest, c: string, revision = 1): ManifestLetter {
  const l = m.letters.find((x) => x.case === c && x.revision === revision);
  expect(l, `${c} v${revision} in the manifest`).toBeDefined();
  return l!;
}

/** The files a case gets: html+pdf of each edition (the mailed letter only with parties), and the public facts JSON. */
const expectedFiles = (c: Case, editions: readonly ('letter' | 'public')[] = ['letter', 'public']) => {
  const { case: n, revision: r } = c.data;
  return editions
    .filter((e) => e === 'public' || c.data.parties)
    .flatMap((e) => [`letters/${n}/v${r}/${n}-v${r}-${e}.html`, `letters/${n}/v${r}/${n}-v${r}-${e}.pdf`, ...(e === 'public' ? [`letters/${n}/v${r}/${n}-v${r}-public.json`] : [])])
    .sort();
};

/** A manifest entry's files, by path (the in-memory manifest keeps build order; the file is sorted). */
const filesOf = (l: ManifestLetter) => [...l.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/** Replaces `from` once in a file, failing when it is not there. */
async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `${String(from)} not in ${file}`).not.toBe(text);
  await writeFile(file, next);
}

let savedEpoch: string | undefined;
setup(() => {
  savedEpoch = process.env.SOURCE_DATE_EPOCH;
  delete process.env.SOURCE_DATE_EPOCH;
});
afterAll(async () => {
  if (savedEpoch !== undefined) process.env.SOURCE_DATE_EPOCH = savedEpoch;
});

// ---------------------------------------------------------------------------------

describe('building cases/', () => {
  let outA: string;
  let resultA: BuildResult;
  let cases: Case[];
  let manifest: Manifest;

  setup(async () => {
    cases = (await checkPaths([casesDir])).cases;
    outA = await tempDir('a');
    resultA = await run([casesDir], outA, { concurrency: 2 });
    manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(outA, 'manifest.json'), 'utf8')));
  }, SLOW);

  it('checks every case without error and builds each one', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
    expect(hasErrors(resultA.diagnostics)).toBe(false);
    expect(resultA.letters.map((l) => [l.case, l.revision, l.state])).toEqual(
      cases.map((c) => [c.data.case, c.data.revision, 'built']).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('warns no-parties exactly for the cases without parties, and nothing else', () => {
    // Every case in cases/ has parties now; test/build-issued.test.ts and cli-build cover cases without.
    const noParties = cases.filter((c) => !c.data.parties).map((c) => c.file).sort();
    expect(resultA.diagnostics.filter((d) => d.rule === 'no-parties').map((d) => d.file).sort()).toEqual(noParties);
    expect(resultA.diagnostics.filter((d) => d.rule !== 'no-parties')).toEqual([]);
    expect(resultA.diagnostics.some((d) => d.rule === 'blocked-request')).toBe(false);
  });

  it('writes the public html+pdf of every case, and the mailed letter only with parties', async () => {
    const files = await listFiles(outA);
    for (const c of cases) {
      const mine = files.filter((f) => f.startsWith(`letters/${c.data.case}/`));
      expect(mine, c.data.case).toEqual(expectedFiles(c));
      const built = resultA.letters.find((l) => l.case === c.data.case)!;
      expect([...built.files].sort()).toEqual(expectedFiles(c));
    }
  });

  it('the manifest lists every file with its sha256, bytes and pages, and nothing else', async () => {
    // `.cache/` holds the build state for the no-op rebuild (src/build/state.ts), not output.
    const onDisk = (await listFiles(outA)).filter((f) => !f.startsWith('.cache/'));
    const listed = [...manifest.letters.flatMap((l) => l.files.map((f) => f.path)), ...manifest.assets.map((a) => a.path), 'manifest.json'].sort();
    expect(listed).toEqual(onDisk);
    expect(manifest.generator).toBe(generator);
    expect(manifest.assets.length).toBeGreaterThan(0);
    for (const a of manifest.assets) {
      const bytes = await readFile(path.join(outA, a.path));
      expect(a.sha256).toBe(sha(bytes));
      expect(a.bytes).toBe(bytes.length);
    }
    const pagesOf = new Map<string, number>();
    for (const l of manifest.letters) {
      for (const f of l.files.filter((x) => x.format === 'pdf')) {
        pagesOf.set(`${l.case}/${f.edition}`, Number(pdfinfo(path.join(outA, f.path)).Pages));
      }
    }
    for (const l of manifest.letters) {
      for (const f of l.files) {
        const bytes = await readFile(path.join(outA, f.path));
        expect(f.sha256, f.path).toBe(sha(bytes));
        expect(f.bytes, f.path).toBe(bytes.length);
        expect(f.pages, f.path).toBe(pagesOf.get(`${l.case}/${f.edition}`));
        expect(f.pages).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('the manifest records revision, status, hashes and decision date of every case', () => {
    expect(manifest).toEqual(sortManifest(resultA.manifest));
    const inputs = new Set(manifest.letters.map((l) => l.inputsHash));
    expect(inputs.size).toBe(1);
    expect([...inputs][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.letters).toHaveLength(cases.length);
    for (const c of cases) {
      const l = letterOf(manifest, c.data.case, c.data.revision);
      expect(l.revision).toBe(c.data.revision);
      expect(l.status).toBe(c.data.status);
      expect(l.contentHash).toBe(c.contentHash);
      expect(l.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(l.decisionDate).toBe(c.data.dates.decision);
      expect(l.supersedes).toBeNull();
      expect(l.supersededBy).toBeNull();
      expect(['upheld', 'overturned', 'overturned in part']).toContain(l.outcome);
    }
  });

  it('every PDF is Letter size, tagged, with pinned metadata dated the decision date', () => {
    for (const c of cases) {
      for (const f of expectedFiles(c).filter((x) => x.endsWith('.pdf'))) {
        const info = pdfinfo(path.join(outA, f));
        expect(info['Page size'], f).toMatch(/^612 x 792 pts/);
        expect(info.Tagged, f).toBe('yes');
        expect(info.Title, f).toBe(`IMR Final Determination ${c.data.case}`);
        expect(info.Subject, f).toMatch(/^Independent Medical Review final determination, (mailed letter|public edition): /);
        expect(info.Subject, f).toContain(f.includes('-letter.') ? 'mailed letter' : 'public edition');
        expect(info.Keywords, f).toContain(c.data.case);
        expect(info.Creator, f).toBe(generator);
        expect(info.CreationDate, f).toBe(`${c.data.dates.decision}T12:00:00Z`);
        expect(info.ModDate, f).toBe(`${c.data.dates.decision}T12:00:00Z`);
        expect(info.CreationDate!.slice(0, 10)).not.toBe(new Date().toISOString().slice(0, 10));
      }
    }
  });

  it('every PDF embeds its fonts, Tinos and Arimo', () => {
    for (const c of cases) {
      for (const f of expectedFiles(c).filter((x) => x.endsWith('.pdf'))) {
        const fonts = pdffonts(path.join(outA, f));
        expect(fonts.length, f).toBeGreaterThan(0);
        expect(fonts.filter((x) => x.emb !== 'yes'), f).toEqual([]);
        expect(fonts.some((x) => /Tinos/.test(x.name)), f).toBe(true);
        expect(fonts.some((x) => /Arimo/.test(x.name)), f).toBe(true);
      }
    }
  });

  it('the public facts JSON matches the case and carries no party', async () => {
    for (const c of cases) {
      const { case: n, revision: r } = c.data;
      const text = await readFile(path.join(outA, `letters/${n}/v${r}/${n}-v${r}-public.json`), 'utf8');
      const facts = JSON.parse(text) as { case: string; revision: number; status: string; outcome: string; items: { id: string; decision: string }[] };
      expect(facts).toMatchObject({ case: n, revision: r, status: c.data.status, outcome: letterOf(manifest, n, r).outcome });
      expect(facts.items.map((i) => [i.id, i.decision])).toEqual(c.data.items.map((i) => [i.id, i.decision]));
      expect(text).not.toMatch(/parties|claimNumber/);
      const p = c.data.parties;
      if (p) {
        const people = [p.injuredWorker, p.representative, p.claimsAdministrator, p.requestingProvider, ...(p.cc ?? [])].filter((x): x is NonNullable<typeof x> => Boolean(x));
        for (const s of [p.claimNumber, p.employer.name, ...people.flatMap((x) => [x.name, ...x.address])]) expect(text, `${n} facts show ${s}`).not.toContain(s);
      }
    }
  });

  it('the public PDF text has the boilerplate and each item\'s lead and decision, in order', () => {
    for (const c of cases) {
      const { case: n, revision: r } = c.data;
      const text = pdfText(path.join(outA, `letters/${n}/v${r}/${n}-v${r}-public.pdf`));
      expect(text).toContain('HOW THE IMR FINAL DETERMINATION WAS MADE');
      expect(text).toContain('IMR ISSUES, DECISIONS AND RATIONALES');
      expect(text).not.toContain('DRAFT');
      let from = text.indexOf('IMR ISSUES, DECISIONS AND RATIONALES');
      for (const item of c.data.items) {
        const at = text.indexOf(fold(`${itemLead(item)} ${item.decision}`), from);
        expect(at, `${n}: ${item.request}`).toBeGreaterThan(from);
        from = at;
      }
      if (c.data.parties) {
        const letter = pdfText(path.join(outA, `letters/${n}/v${r}/${n}-v${r}-letter.pdf`));
        expect(letter).toContain(c.data.parties.claimNumber);
        expect(letter).toContain('HOW THE IMR FINAL DETERMINATION WAS MADE');
        expect(text).not.toContain(c.data.parties.claimNumber);
        expect(text).not.toContain(c.data.parties.injuredWorker.name);
      }
    }
  });

  describe('reproducibility', () => {
    let outB: string;
    let resultB: BuildResult;
    setup(async () => {
      expect(process.env.SOURCE_DATE_EPOCH).toBeUndefined();
      outB = await tempDir('b');
      resultB = await run([casesDir], outB, { concurrency: 1 });
    }, SLOW);

    it('a second build into another folder, one page at a time, gives byte-identical files', async () => {
      expect(resultB.letters.every((l) => l.state === 'built')).toBe(true);
      // Not `.cache/`: the build state records the folder's own file stamps (src/build/state.ts).
      const a = (await listFiles(outA)).filter((f) => !f.startsWith('.cache/'));
      const b = (await listFiles(outB)).filter((f) => !f.startsWith('.cache/'));
      expect(b).toEqual(a);
      const differ: string[] = [];
      for (const rel of a) {
        const [x, y] = [await readFile(path.join(outA, rel)), await readFile(path.join(outB, rel))];
        if (!x.equals(y)) differ.push(rel);
      }
      expect(differ).toEqual([]);
    });
  });

  describe('rebuilding into the same folder', () => {
    let before: Awaited<ReturnType<typeof snapshot>>;
    let again: BuildResult;
    let after: Awaited<ReturnType<typeof snapshot>>;
    setup(async () => {
      before = await snapshot(outA);
      await new Promise((r) => setTimeout(r, 20)); // let a rewrite show in mtimes
      again = await run([casesDir], outA);
      after = await snapshot(outA);
    }, SLOW);

    it('reports every final letter unchanged', () => {
      expect(again.letters).toHaveLength(cases.length);
      expect(again.letters.filter((l) => l.state !== 'unchanged')).toEqual([]);
      expect(hasErrors(again.diagnostics)).toBe(false);
    });

    it('touches no letter or asset: same bytes, same mtime, same inode', () => {
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [rel, b] of before) {
        if (rel === 'manifest.json') continue;
        expect(after.get(rel), rel).toEqual(b);
      }
      expect(after.get('manifest.json')!.sha256).toBe(before.get('manifest.json')!.sha256);
    });

    // BUG (reported): a build with nothing to do still rewrites manifest.json (same bytes,
    // new file): its mtime changes. Remove `.fails` once fixed.
    it('leaves manifest.json untouched too', () => {
      expect(after.get('manifest.json')).toEqual(before.get('manifest.json'));
    });
  });
});

describe('immutability of issued letters, and drafts', () => {
  let dir: string;
  let out: string;
  let finalFile: string;
  let draftFile: string;
  let first: BuildResult;
  let issuedBefore: Awaited<ReturnType<typeof snapshot>>;
  const FINAL = 'CM16-0233904';
  const DRAFT = 'CM16-0229336';

  setup(async () => {
    dir = await tempDir('cases');
    out = await tempDir('out');
    finalFile = path.join(dir, `${FINAL}.md`);
    draftFile = path.join(dir, `${DRAFT}.md`);
    await copyFile(path.join(casesDir, `${FINAL}.md`), finalFile);
    await copyFile(path.join(casesDir, `${DRAFT}.md`), draftFile);
    await edit(draftFile, /^status: final$/m, 'status: draft');
    first = await run([dir], out);
    issuedBefore = await snapshot(out);
  }, SLOW);

  it('builds the final and the draft; the draft prints DRAFT, the final does not', async () => {
    expect(first.letters.map((l) => [l.case, l.state])).toEqual([
      [DRAFT, 'built'],
      [FINAL, 'built'],
    ]);
    expect(hasErrors(first.diagnostics)).toBe(false);
    // The footer of every page says DRAFT (the watermark's letters come out of pdftotext one by one).
    const draftText = pdfRaw(path.join(out, `letters/${DRAFT}/v1/${DRAFT}-v1-public.pdf`));
    const pages = Number(pdfinfo(path.join(out, `letters/${DRAFT}/v1/${DRAFT}-v1-public.pdf`)).Pages);
    expect(draftText).toContain('DRAFT');
    expect(draftText.match(new RegExp(`${DRAFT} DRAFT \u2014 Page \\d+ of ${pages}`, 'g'))).toHaveLength(pages);
    expect(pdfRaw(path.join(out, `letters/${FINAL}/v1/${FINAL}-v1-public.pdf`))).not.toMatch(/D\s*R\s*A\s*F\s*T/);
    const html = await readFile(path.join(out, `letters/${DRAFT}/v1/${DRAFT}-v1-public.html`), 'utf8');
    expect(html).toContain('class="watermark"');
  });

  describe('after one word of each rationale changes', () => {
    let second: BuildResult;
    let draftBefore: Awaited<ReturnType<typeof snapshot>>;
    let afterSecond: Awaited<ReturnType<typeof snapshot>>;
    setup(async () => {
      draftBefore = await snapshot(out);
      await edit(finalFile, 'Longterm use is not recommended.', 'Longterm use is not advised.');
      await edit(draftFile, 'A key difference it the medically necessity', 'A key difference is the medically necessity');
      second = await run([dir], out);
      afterSecond = await snapshot(out);
    }, SLOW);

    it('refuses the issued revision with issued-revision-changed, an error', () => {
      const refused = second.diagnostics.filter((d) => d.rule === 'issued-revision-changed');
      expect(refused).toHaveLength(1);
      expect(refused[0]!.file).toBe(finalFile);
      expect(refused[0]!.severity).toBe('error');
      expect(refused[0]!.message).toContain('revision: 2');
      expect(hasErrors(second.diagnostics)).toBe(true);
      expect(second.letters.find((l) => l.case === FINAL)!.state).toBe('skipped');
    });

    it('leaves the issued files byte for byte as they were', () => {
      for (const [rel, b] of issuedBefore) {
        if (!rel.startsWith(`letters/${FINAL}/`)) continue;
        expect(afterSecond.get(rel), rel).toEqual(b);
      }
      expect(filesOf(letterOf(second.manifest, FINAL))).toEqual(filesOf(letterOf(first.manifest, FINAL)));
    });

    it('rebuilds the draft: its files change', () => {
      expect(second.letters.find((l) => l.case === DRAFT)!.state).toBe('built');
      for (const ext of ['html', 'pdf']) {
        const rel = `letters/${DRAFT}/v1/${DRAFT}-v1-public.${ext}`;
        expect(afterSecond.get(rel)!.sha256, rel).not.toBe(draftBefore.get(rel)!.sha256);
      }
      const entry = letterOf(second.manifest, DRAFT);
      expect(entry.status).toBe('draft');
      expect(entry.contentHash).not.toBe(letterOf(first.manifest, DRAFT).contentHash);
      for (const f of entry.files) expect(f.sha256).toBe(afterSecond.get(f.path)!.sha256);
    });

    describe('then revision 2 of the issued case', () => {
      let third: BuildResult;
      let afterThird: Awaited<ReturnType<typeof snapshot>>;
      let m: Manifest;
      setup(async () => {
        await edit(finalFile, /^revision: 1$/m, 'revision: 2\namends: Corrects a word of the rationale.');
        await edit(finalFile, /^  decision: (\d{4}-\d\d-\d\d)(.*)$/m, '  decision: $1$2\n  issued: 2017-01-20');
        third = await run([dir], out);
        afterThird = await snapshot(out);
        m = manifestSchema.parse(JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')));
      }, SLOW);

      it('builds v2 without error and leaves v1 unchanged', () => {
        expect(hasErrors(third.diagnostics)).toBe(false);
        expect(third.letters.find((l) => l.case === FINAL)).toMatchObject({ revision: 2, state: 'built' });
        for (const [rel, b] of issuedBefore) {
          if (!rel.startsWith(`letters/${FINAL}/v1/`)) continue;
          expect(afterThird.get(rel), rel).toEqual(b);
        }
        for (const ext of ['html', 'pdf']) expect(afterThird.has(`letters/${FINAL}/v2/${FINAL}-v2-public.${ext}`)).toBe(true);
      });

      it('the manifest links v1 and v2: supersedes 1, supersededBy 2', () => {
        const v1 = letterOf(m, FINAL, 1);
        const v2 = letterOf(m, FINAL, 2);
        expect(v2.supersedes).toBe(1);
        expect(v2.supersededBy).toBeNull();
        expect(v2.amends).toBe('Corrects a word of the rationale.');
        expect(v1.supersededBy).toBe(2);
        expect(v1.supersedes).toBeNull();
        expect(filesOf(v1)).toEqual(filesOf(letterOf(first.manifest, FINAL)));
        for (const f of v2.files) expect(f.sha256).toBe(afterThird.get(f.path)!.sha256);
      });

      it('v2 says so in its PDF and title', () => {
        const info = pdfinfo(path.join(out, `letters/${FINAL}/v2/${FINAL}-v2-public.pdf`));
        expect(info.Title).toBe(`IMR Final Determination ${FINAL} (revision 2)`);
        const text = pdfText(path.join(out, `letters/${FINAL}/v2/${FINAL}-v2-public.pdf`));
        expect(text).toContain('Corrected letter: revision 2, issued January 20, 2017. It corrects and supersedes revision 1 of the final determination in IMR case CM16-0233904, dated January 6, 2017.');
        // Its own date, not the original's (nor the clock's).
        expect(info.CreationDate).toBe('2017-01-20T12:00:00Z');
        expect(text).toContain('Longterm use is not advised.');
      });

      it('an unchanged draft is not rebuilt', () => {
        expect(third.letters.find((l) => l.case === DRAFT)!.state).toBe('unchanged');
        for (const ext of ['html', 'pdf']) {
          const rel = `letters/${DRAFT}/v1/${DRAFT}-v1-public.${ext}`;
          expect(afterThird.get(rel)).toEqual(afterSecond.get(rel));
        }
      });
    });
  });
});

describe('a case with a check error', () => {
  let dir: string;
  let out: string;
  let result: BuildResult;
  const GOOD = 'CM16-0233904';
  const BAD = 'CM16-0233905';

  setup(async () => {
    dir = await tempDir('mixed');
    out = await tempDir('mixed-out');
    await copyFile(path.join(casesDir, `${GOOD}.md`), path.join(dir, `${GOOD}.md`));
    const bad = path.join(dir, `${BAD}.md`);
    await copyFile(path.join(casesDir, `${GOOD}.md`), bad);
    await edit(bad, /^case: CM16-0233904$/m, `case: ${BAD}`);
    await edit(bad, /^    decision: Upheld$/m, '    decision: Maybe');
    result = await run([dir], out);
  }, SLOW);

  it('is not built, while the valid case of the same run is', async () => {
    expect(result.letters.map((l) => [l.case, l.state])).toEqual([[GOOD, 'built']]);
    const files = await listFiles(out);
    expect(files.some((f) => f.startsWith(`letters/${BAD}/`))).toBe(false);
    expect(files).toEqual(expect.arrayContaining([`letters/${GOOD}/v1/${GOOD}-v1-public.pdf`, `letters/${GOOD}/v1/${GOOD}-v1-public.html`]));
    expect(result.manifest.letters.map((l) => l.case)).toEqual([GOOD]);
  });

  it('the result has errors (the CLI exits 1), at the invalid file', () => {
    expect(hasErrors(result.diagnostics)).toBe(true);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((d) => d.file === path.join(dir, `${BAD}.md`))).toBe(true);
  });
});

describe('--edition public', () => {
  let dir: string;
  let out: string;
  let result: BuildResult;
  const SEED = 'CM15-0900001';

  setup(async () => {
    dir = await tempDir('edition');
    out = await tempDir('edition-out');
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(casesDir, `${SEED}.md`), path.join(dir, `${SEED}.md`));
    result = await run([dir], out, { editions: ['public'] });
  }, SLOW);

  it('builds only the public files, even of a case with parties', async () => {
    expect(result.letters.map((l) => [l.case, l.state])).toEqual([[SEED, 'built']]);
    expect(result.diagnostics).toEqual([]);
    const files = (await listFiles(out)).filter((f) => f.startsWith('letters/'));
    expect(files).toEqual([`letters/${SEED}/v1/${SEED}-v1-public.html`, `letters/${SEED}/v1/${SEED}-v1-public.json`, `letters/${SEED}/v1/${SEED}-v1-public.pdf`]);
    expect(letterOf(result.manifest, SEED).files.every((f) => f.edition === 'public')).toBe(true);
  });

  // BUG (reported): once a final case was built with `--edition public`, a later build of
  // both editions reports it `unchanged (issued)` and never makes the mailed letter, with
  // no diagnostic. Remove `.fails` once fixed.
  it(
    'a later build of both editions adds the mailed letter, leaving the public files as they are',
    async () => {
      const before = await snapshot(out);
      const both = await run([dir], out);
      const files = await listFiles(out);
      expect(files).toContain(`letters/${SEED}/v1/${SEED}-v1-letter.pdf`);
      expect(both.letters.find((l) => l.case === SEED)!.state).toBe('built');
      for (const ext of ['html', 'pdf']) {
        const rel = `letters/${SEED}/v1/${SEED}-v1-public.${ext}`;
        expect((await snapshot(out)).get(rel)).toEqual(before.get(rel));
      }
    },
    T,
  );
});

describe('build phases (issue 16: the bench splits the full build)', () => {
  it('times each phase of a full build; an HTML-only build has no browser phase', async () => {
    const out = await tempDir();
    const timings = new Map<string, number>();
    const result = await run([casesDir], path.join(out, 'full'), { timings, workers: 0 });
    expect(hasErrors(result.diagnostics)).toBe(false);
    expect([...timings.keys()].sort()).toEqual(
      [
        'PDF rewritten (metadata, tags, artifacts)',
        'browser start (puppeteer loaded, Chromium and its pages)',
        'files written',
        'letters waiting for the browser to start',
        'print: a page of the browser (waiting for one included), fit measured, PDF made',
        'public files checked for confidential values',
        'start: configuration, templates, case list, manifest',
        'waiting for the next letter read and compiled (in file order)',
      ].sort(),
    );
    for (const ms of timings.values()) expect(ms).toBeGreaterThanOrEqual(0);
    const html = new Map<string, number>();
    await run([casesDir], path.join(out, 'html'), { timings: html, workers: 0, htmlOnly: true });
    expect([...html.keys()].filter((k) => /browser|print|PDF/.test(k))).toEqual([]);
    expect(html.has('files written')).toBe(true);
  }, T);
});
