/**
 * How an incremental archive step puts its files in place (src/archive/published.ts):
 * in an order where no page points at a file not yet there, and, when stopped half way,
 * finished by the next step from its journal (or, without its staged files, not trusted:
 * the next step builds in full).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL, RECORD, emptyRecord, publishRank, readRecord, resumeJournal, writeRecord } from '../src/archive/published.js';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'i14p-published-'));
  temps.push(d);
  return d;
}
const put = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

describe('the order files are put in place', () => {
  it('puts content first, then letter pages, then the other pages and indexes, search.json last', () => {
    const files = ['search/search.json', 'index.html', 'browse/2017-06/index.html', 'letters/CM17-1/v1/index.html', 'letters/CM17-1/v1/CM17-1-v1-public.pdf', 'letters/CM17-1/v1/letter.json', 'search/2017-0123456789/000', 'assets/letter-0123456789.css', 'api/months/2017-06.json', 'feeds/latest.xml', 'data/letters.csv.gz'];
    const sorted = [...files].sort((a, b) => publishRank(a) - publishRank(b));
    const at = (f: string) => sorted.indexOf(f);
    for (const content of ['letters/CM17-1/v1/CM17-1-v1-public.pdf', 'letters/CM17-1/v1/letter.json', 'search/2017-0123456789/000', 'assets/letter-0123456789.css', 'data/letters.csv.gz']) {
      expect(at(content)).toBeLessThan(at('letters/CM17-1/v1/index.html'));
    }
    for (const index of ['index.html', 'browse/2017-06/index.html', 'api/months/2017-06.json', 'feeds/latest.xml']) expect(at(index)).toBeGreaterThan(at('letters/CM17-1/v1/index.html'));
    expect(sorted[sorted.length - 1]).toBe('search/search.json');
  });
});

describe('a step stopped while it put files in place', () => {
  it('is finished by the next step from its journal', async () => {
    const out = temp();
    const archive = path.join(out, 'archive');
    const staging = path.join(out, '.archive-000000000000.tmp');
    put(path.join(archive, 'index.html'), 'old index');
    put(path.join(archive, 'old.txt'), 'to remove');
    // Stopped after its first move: the PDF is in place, the page and index still staged.
    put(path.join(archive, 'letters/a/v1/a.pdf'), 'pdf');
    put(path.join(staging, 'letters/a/v1/index.html'), 'page');
    put(path.join(staging, 'index.html'), 'new index');
    const next = emptyRecord('v', 'c', 'i', []);
    next.files.set('index.html', { sha: 'x', bytes: 9, own: null });
    await writeRecord(out, next);
    // As `applyChanges` leaves it: the next record beside, the record dropped, the journal written.
    writeFileSync(path.join(out, `${RECORD}.next`), readFileSync(path.join(out, RECORD)));
    rmSync(path.join(out, RECORD));
    writeFileSync(path.join(out, JOURNAL), JSON.stringify({ staging: path.basename(staging), moves: ['letters/a/v1/a.pdf', 'letters/a/v1/index.html', 'index.html'], removals: ['old.txt'] }));

    expect(await readRecord(out, 'v', 'c')).toBeUndefined();
    expect(await resumeJournal(out, archive)).toBe(true);
    expect(readFileSync(path.join(archive, 'index.html'), 'utf8')).toBe('new index');
    expect(readFileSync(path.join(archive, 'letters/a/v1/index.html'), 'utf8')).toBe('page');
    expect(readFileSync(path.join(archive, 'letters/a/v1/a.pdf'), 'utf8')).toBe('pdf');
    expect(existsSync(path.join(archive, 'old.txt'))).toBe(false);
    expect(existsSync(path.join(out, JOURNAL))).toBe(false);
    expect(existsSync(staging)).toBe(false);
    expect((await readRecord(out, 'v', 'c'))?.files.get('index.html')?.bytes).toBe(9);
  });

  it('without its staged files, leaves no record: the next step builds in full', async () => {
    const out = temp();
    const archive = path.join(out, 'archive');
    put(path.join(archive, 'index.html'), 'index');
    await writeRecord(out, emptyRecord('v', 'c', 'i', []));
    writeFileSync(path.join(out, JOURNAL), JSON.stringify({ staging: '.archive-gone.tmp', moves: ['index.html'], removals: [] }));
    expect(await resumeJournal(out, archive)).toBe(false);
    expect(await readRecord(out, 'v', 'c')).toBeUndefined();
    expect(existsSync(path.join(out, JOURNAL))).toBe(false);
  });
});
