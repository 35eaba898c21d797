/**
 * The leak check reads a CSV as its reader sees it, cell by cell (`csvCells` in
 * src/archive/leak.ts). The false alarm it ends: the 100,000-letter bench found the
 * synthetic claim number `20-170607-25` of one case in `letters.csv.gz`, spelled by two
 * neighbouring cells of other letters, the date assigned `2017-06-07` and the days to
 * decision `25` (`…,2017-06-02,2017-06-07,25,2,…`); the matcher joins a claim number's
 * letters and digits across gaps of up to 3 characters. A claim number written in a
 * cell is still found, however the cell is quoted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveLetter } from '../src/archive/collect.js';
import { createMatcher, type ConfidentialValue } from '../src/archive/confidential.js';
import { writeOpenData } from '../src/archive/data/index.js';
import { csvCells, leakCheckKey, scanFile, textLeaks, type Leak } from '../src/archive/leak.js';
import { syntheticLetters } from '../src/bench/letters.js';
import { root } from './helpers.js';

const claim: ConfidentialValue = { value: '20-170607-25', kind: 'claim number', file: 'cases/CM18-4669866.md', case: 'CM18-4669866' };
const matcher = createMatcher([claim], { parts: false });
// The row of the bench's letters.csv where the claim number was "found".
const row = 'CM17-6018094,1,true,,,2017-06-27,2017-06,Overturned in part,Standard,2016-04-24,2017-05-31,2017-06-02,2017-06-07,25,2,1,1,Home Health | Injection,ODG,Preventive Medicine | Occupational Medicine,California | New Mexico,26,male,letters/CM17-6018094/v1/,letters/CM17-6018094/v1/letter.json,\n';

describe('a CSV, read by the leak check', () => {
  it('does not join the digits of two cells into a claim number (the bench’s false alarm)', () => {
    // The same text as plain text: the matcher joins `2017-06-07,25` (what it did to the CSV before).
    expect(textLeaks('data/letters.txt', 'text', row, [matcher]).length).toBe(1);
    expect(textLeaks('data/letters.csv.gz', 'gunzipped', row, [matcher])).toEqual([]);
    expect(textLeaks('data/letters.csv', 'text', row, [matcher])).toEqual([]);
  });

  it('still finds a claim number written in one cell, quoted or not, with or without its dashes', () => {
    for (const cell of ['20-170607-25', '"Claim 20-170607-25, physical therapy"', '"claim no. 20 170607 25"', '2017060725', '"He said ""20-170607-25"""']) {
      const csv = `case,request\nCM17-6018094,${cell}\n`;
      expect(textLeaks('data/items.csv.gz', 'gunzipped', csv, [matcher]).map((l) => l.masked), cell).toHaveLength(1);
    }
  });

  it('reads a text that is not valid CSV as it is', () => {
    const broken = 'a,"unclosed\n2017-06-07,25\n';
    expect(csvCells(broken)).toBe(broken);
    expect(textLeaks('data/letters.csv.gz', 'gunzipped', broken, [matcher])).toHaveLength(1);
  });
});

describe('the open data of a letter whose cells spell another case’s claim number', () => {
  const temps: string[] = [];
  afterAll(async () => {
    for (const t of temps) await rm(t, { recursive: true, force: true });
  });

  it('reports no leak in letters.csv.gz, and finds the claim number written in a request', async () => {
    const [l] = syntheticLetters(1, 0, new Set()).letters as [ArchiveLetter];
    const facts = { ...l.facts!, dates: { ...l.facts!.dates, applicationReceived: '2017-06-02', assigned: '2017-06-07', decision: '2017-06-27' } };
    const letter: ArchiveLetter = { ...l, decisionDate: '2017-06-27', revisions: [{ revision: 1, decisionDate: '2017-06-27', outcome: l.outcome }], facts };
    const run = async (letters: ArchiveLetter[]) => {
      const leaks: Leak[] = [];
      const files = new Map<string, Buffer>();
      const cache = await mkdtemp(path.join(os.tmpdir(), 'i14p-leak-csv-'));
      temps.push(cache);
      const check = {
        key: leakCheckKey([matcher]),
        scan: (rel: string, where: string, text: string) => {
          const found = textLeaks(rel, where, text, [matcher]);
          leaks.push(...found);
          return found.length;
        },
        write: async (rel: string, data: string | Uint8Array) => void files.set(rel, Buffer.from(data)),
      };
      await writeOpenData(() => Promise.reject(new Error('checked here')), letters, letters, { templates: path.join(root, 'templates', 'archive'), css: 'assets/archive.css', cache, check });
      return { leaks, files };
    };
    const clean = await run([letter]);
    const csv = gunzipSync(clean.files.get('data/letters.csv.gz')!).toString('utf8');
    expect(csv).toContain('2017-06-07,25,');
    expect(clean.leaks).toEqual([]);
    // The whole file, as the check reads a file it did not make itself, is clean too.
    expect(await scanFile('data/letters.csv.gz', clean.files.get('data/letters.csv.gz')!, matcher, { poppler: false })).toEqual([]);

    const item = { ...facts.items[0]!, request: 'Physical therapy, claim 20-170607-25' };
    const leaky = await run([{ ...letter, facts: { ...facts, items: [item, ...facts.items.slice(1)] } }]);
    expect(leaky.leaks.map((x) => x.file)).toContain('data/items.csv.gz');
    expect(leaky.leaks.map((x) => x.file)).toContain('data/letters.jsonl.gz');
  }, 120_000);
});
