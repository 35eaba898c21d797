/**
 * The pure stages of the build, without Chromium or files: `plan` (what to make, what
 * is issued and must not change) and `record` (the manifest ledger).
 */
import { describe, expect, it } from 'vitest';
import type { CaseInfo } from '../src/build/compile.js';
import { filesToVerify, plan } from '../src/build/plan.js';
import { Ledger, letterEntry, markSuperseded, recordLetters, upsert } from '../src/build/record.js';
import type { ManifestFile, ManifestLetter } from '../src/publish/manifest.js';
import { emptyManifest } from '../src/publish/manifest.js';

const span = { start: { line: 3, column: 1 }, end: { line: 3, column: 12 } };

function info(over: { revision?: number; status?: 'draft' | 'final'; parties?: boolean; content?: string; public?: string } = {}): CaseInfo {
  const data = {
    case: 'CM16-0000001',
    revision: over.revision ?? 1,
    status: over.status ?? 'final',
    dates: { decision: '2016-05-01' },
    ...(over.parties === false ? {} : { parties: {} }),
  };
  return { file: 'cases/a.md', data: data as unknown as CaseInfo['data'], contentHash: over.content ?? 'c1', publicHash: over.public ?? 'p1', revisionSpan: span as CaseInfo['revisionSpan'], caseSpan: span as CaseInfo['caseSpan'] };
}

function file(edition: 'letter' | 'public', format: 'html' | 'pdf' | 'json', revision = 1): ManifestFile {
  return { path: `letters/CM16-0000001/v${revision}/CM16-0000001-v${revision}-${edition}.${format}`, edition, format, sha256: '0'.repeat(64), bytes: 10, pages: 2 };
}

function entry(over: Partial<ManifestLetter> = {}): ManifestLetter {
  const revision = over.revision ?? 1;
  return {
    case: 'CM16-0000001',
    revision,
    status: 'final',
    outcome: 'Upheld',
    decisionDate: '2016-05-01',
    supersedes: revision > 1 ? revision - 1 : null,
    supersededBy: null,
    amends: null,
    source: 'cases/a.md',
    contentHash: 'c1',
    publicHash: 'p1',
    sourceSha256: 's1',
    hasParties: true,
    inputsHash: 'i1',
    files: [file('letter', 'html', revision), file('public', 'html', revision)],
    ...over,
  };
}

const both = ['letter', 'public'] as const;

describe('plan', () => {
  it('renders every possible edition of a case the manifest does not have', () => {
    expect(plan({ c: info(), entries: [], inputsHash: 'i1', editions: both, broken: [] })).toEqual({ state: 'render', editions: ['letter', 'public'] });
  });

  it('renders only the public edition of a case without parties, and skips when only the letter is asked for', () => {
    expect(plan({ c: info({ parties: false }), entries: [], inputsHash: 'i1', editions: both, broken: [] }).editions).toEqual(['public']);
    expect(plan({ c: info({ parties: false }), entries: [], inputsHash: 'i1', editions: ['letter'], broken: [] }).state).toBe('skipped');
  });

  it('leaves an issued revision with the same content unchanged, even when the templates changed', () => {
    expect(plan({ c: info(), entries: [entry()], inputsHash: 'other', editions: both, broken: [] })).toEqual({ state: 'unchanged', note: 'issued' });
  });

  it('refuses an issued revision whose content changed, at its revision line', () => {
    const p = plan({ c: info({ content: 'c2', public: 'p2' }), entries: [entry()], inputsHash: 'i1', editions: both, broken: [] });
    expect(p.state).toBe('skipped');
    expect(p.diagnostic).toMatchObject({ rule: 'issued-revision-changed', line: 3, column: 1, severity: 'error' });
    expect(p.diagnostic?.message).toContain('revision: 2');
  });

  it('refuses an issued revision whose files are missing or altered, naming them', () => {
    const broken = [file('public', 'html').path];
    const p = plan({ c: info(), entries: [entry()], inputsHash: 'i1', editions: both, broken });
    expect(p.diagnostic?.rule).toBe('issued-file-altered');
    expect(p.diagnostic?.message).toContain(broken[0]);
  });

  it('adds only the mailed letter to an issued public edition once parties are added', () => {
    const issued = entry({ hasParties: false, files: [file('public', 'html')] });
    expect(plan({ c: info({ content: 'c2' }), entries: [issued], inputsHash: 'i1', editions: both, broken: [] })).toEqual({ state: 'render', editions: ['letter'] });
  });

  it('refuses a revision behind an issued later one', () => {
    const p = plan({ c: info({ revision: 1 }), entries: [entry(), entry({ revision: 2 })], inputsHash: 'i1', editions: both, broken: [] });
    expect(p).toMatchObject({ state: 'skipped', note: 'a later revision is issued', diagnostic: { rule: 'revision-behind' } });
  });

  it('rebuilds a draft when its content, the inputs or a file changed; leaves it when nothing did', () => {
    const draft = entry({ status: 'draft' });
    const c = info({ status: 'draft' });
    expect(plan({ c, entries: [draft], inputsHash: 'i1', editions: both, broken: [] }).state).toBe('unchanged');
    expect(plan({ c, entries: [draft], inputsHash: 'i2', editions: both, broken: [] }).state).toBe('render');
    expect(plan({ c: info({ status: 'draft', content: 'c2' }), entries: [draft], inputsHash: 'i1', editions: both, broken: [] }).state).toBe('render');
    expect(plan({ c, entries: [draft], inputsHash: 'i1', editions: both, broken: ['x'] }).state).toBe('render');
  });

  it('asks for the files of issued and up-to-date revisions to be verified, not of a draft being replaced', () => {
    expect(filesToVerify(info(), [entry()], 'i1')).toHaveLength(2);
    expect(filesToVerify(info({ status: 'draft', content: 'c2' }), [entry({ status: 'draft' })], 'i1')).toEqual([]);
    expect(filesToVerify(info(), [], 'i1')).toEqual([]);
  });
});

describe('record', () => {
  it('adds a new letter; replaces a draft and returns its files no longer listed', () => {
    const ledger = new Ledger([]);
    expect(upsert(ledger, entry({ status: 'draft' }))).toEqual([]);
    const rebuilt = entry({ status: 'draft', contentHash: 'c2', files: [file('public', 'html')] });
    expect(upsert(ledger, rebuilt)).toEqual([file('letter', 'html').path]);
    expect(ledger.get('CM16-0000001', 1)?.files).toEqual([file('public', 'html')]);
  });

  it('keeps every file of an issued letter, which only gains editions', () => {
    const ledger = new Ledger([entry({ files: [file('public', 'html')], hasParties: false })]);
    const added = entry({ contentHash: 'c2', files: [file('letter', 'html')] });
    expect(upsert(ledger, added)).toEqual([]);
    const after = ledger.get('CM16-0000001', 1)!;
    expect(after.files.map((f) => f.edition).sort()).toEqual(['letter', 'public']);
    expect(after).toMatchObject({ contentHash: 'c2', hasParties: true, status: 'final' });
  });

  it('marks each revision superseded by the next issued one, ignoring drafts', () => {
    const ledger = new Ledger([entry({ revision: 1 }), entry({ revision: 2, status: 'draft' }), entry({ revision: 3 })]);
    markSuperseded(ledger);
    expect(ledger.ofCase('CM16-0000001').map((l) => l.supersededBy)).toEqual([3, 3, null]);
  });

  it('writes the ledger back into the manifest and indexes by source', () => {
    const ledger = new Ledger([entry()]);
    upsert(ledger, entry({ revision: 2, status: 'draft' }));
    const m = recordLetters(emptyManifest('t'), ledger);
    expect(m.letters.map((l) => [l.revision, l.supersededBy])).toEqual([
      [1, null],
      [2, null],
    ]);
    expect(ledger.ofSource('cases/a.md')).toHaveLength(1);
  });

  it('makes a manifest entry from a checked case and its written files', () => {
    const e = letterEntry(info({ revision: 2, status: 'draft' }), { outcome: 'Overturned', files: [file('public', 'html', 2)], sourceSha256: 's', inputsHash: 'i' });
    expect(e).toMatchObject({ revision: 2, supersedes: 1, supersededBy: null, status: 'draft', outcome: 'Overturned', source: 'cases/a.md', hasParties: true, amends: null });
  });
});
