/**
 * New case files on an archive published before (issue 14, "At scale"): their values are
 * looked for in the files kept as they were through the token index, without a full
 * build, and the leaks found are those a full build finds.
 */
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArchive, type ArchiveOptions } from '../src/archive/index.js';
import { build } from '../src/build/index.js';
import { generate } from '../src/bench/incremental.js';
import { projectInputs, root, setup, tempFolders } from './helpers.js';

const temp = tempFolders('i14q-new-values');
let dir: string;
let out: string;
let folders: string[];
let pending: string;
/** A letter published by the first build, and its case file's text (a template for pending cases). */
let published: string[];
let template: string;

const options = (cases: string[], o: Partial<ArchiveOptions> = {}): ArchiveOptions => ({ out, cases, templates: path.join(root, 'templates', 'archive'), styles: path.join(root, 'styles'), ...o });

async function buildLetters(paths: string[], into = out): Promise<void> {
  const built = await build({ paths, out: into, ...projectInputs, htmlOnly: true, workers: 0 });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
}

/** A case file not built yet (its letter pending) with these parties' values. */
async function pendingCase(name: string, caseNumber: string, parties: { claimNumber?: string; employer?: string }): Promise<void> {
  let text = template.replace(/^case: .+$/m, `case: ${caseNumber}`);
  if (parties.claimNumber) text = text.replace(/^(\s+claimNumber: ).+$/m, `$1${parties.claimNumber}`);
  if (parties.employer) text = text.replace(/^(\s+employer:\n\s+name: ).+$/m, `$1${parties.employer}`);
  expect(text).not.toBe(template);
  await mkdir(pending, { recursive: true });
  await writeFile(path.join(pending, name), text);
}

/** The files with leaks; a search database by its name without its hash (an incremental build's differ from a full build's). */
const leakFiles = (r: { leaks: { file: string }[] }) => [...new Set(r.leaks.map((l) => l.file.replace(/^(search\/[a-z0-9]+)-[0-9a-f]+\//, '$1/')))].sort();

/** The leaks a full build of a copy of `out` with `cases` finds. */
async function fullLeaks(cases: string[]): Promise<string[]> {
  const copy = temp('full');
  await cp(out, copy, { recursive: true });
  const full = await buildArchive({ ...options(cases), out: copy, full: true });
  return leakFiles(full);
}

setup(async () => {
  dir = temp('work');
  out = path.join(dir, 'out');
  pending = path.join(dir, 'pending');
  folders = await generate(dir, 30, [4]);
  await buildLetters([folders[0]!]);
  const first = await buildArchive(options([folders[0]!]));
  expect(first.published).toBe(true);
  published = (await readdir(folders[0]!)).sort().map((f) => f.replace(/\.md$/, ''));
  template = await readFile(path.join(folders[1]!, (await readdir(folders[1]!)).sort()[0]!), 'utf8');
});

describe('new case files on the archive published before', () => {
  it('are looked up, not read everywhere: new letters with new values are added incrementally, as a full build would make them', async () => {
    await buildLetters(folders);
    const r = await buildArchive(options(folders));
    expect(r.leaks).toEqual([]);
    expect(r.published).toBe(true);
    expect(r.why).toBe('incremental');
    expect(r.newValues.values).toBeGreaterThan(4 * 5);
    // Their values are in no published file: the index sends the check nowhere.
    expect(r.newValues.reread).toBe(0);
    expect(await fullLeaks(folders)).toEqual([]);
  }, 600_000);

  it('finds a new claim number and a new name in the files published before, the same files a full build finds', async () => {
    // A claim number spelled as a published letter's case number; an employer named with another's.
    const [a, b] = [published[2]!, published[7]!];
    await pendingCase('CM17-9999001.md', 'CM17-9999001', { claimNumber: a, employer: b.replace('-', ' ') });
    const cases = [...folders, pending];
    const r = await buildArchive(options(cases));
    expect(r.why).toBe('incremental');
    expect(r.published).toBe(false);
    expect(r.newValues.reread).toBeGreaterThan(0);
    const found = leakFiles(r);
    for (const c of [a, b]) expect(found).toContain(`letters/${c}/v1/index.html`);
    expect(found.some((f) => f.startsWith('search/'))).toBe(true);
    expect(found.some((f) => f.startsWith('data/') || f.startsWith('feeds/'))).toBe(true);
    expect(found).toEqual(await fullLeaks(cases));
    // Nothing was published: the archive and its record are as they were, and next time the values are new again.
    const again = await buildArchive(options(cases));
    expect(leakFiles(again)).toEqual(found);
  }, 600_000);

  it('builds in full when a new value is made only of words too common to look up', async () => {
    const copy = temp('common');
    await cp(out, copy, { recursive: true });
    const o = (cases: string[]) => ({ ...options(cases), out: copy, retireAfter: 2 });
    const first = await buildArchive({ ...o(folders), full: true });
    expect(first.published).toBe(true);
    const common = path.join(copy, 'pending-common');
    await mkdir(common, { recursive: true });
    const text = template.replace(/^case: .+$/m, 'case: CM17-9999002').replace(/^(\s+employer:\n\s+name: ).+$/m, '$1Lumbar Support');
    await writeFile(path.join(common, 'CM17-9999002.md'), text);
    const r = await buildArchive(o([...folders, common]));
    expect(r.why).toMatch(/^full: a new confidential value cannot be looked up/);
    expect(r.leaks.length).toBeGreaterThan(0);
    expect(r.published).toBe(false);
  }, 600_000);
});
