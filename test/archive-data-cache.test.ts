/**
 * The open data's caches (src/archive/data/chunks.ts, store.ts), on synthetic letters:
 *
 * - a build on the cache of an earlier one gives the same bytes, file for file, as a
 *   full build without any cache, and compresses only the chunks the new letters fall
 *   in (a count of gzip members, not a time);
 * - the leak check's verdicts: a text found clean is not read again while the
 *   confidential values are the same; when they change, every text is read again, and a
 *   value now confidential is found in files whose bytes did not change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveLetter } from '../src/archive/collect.js';
import { createMatcher } from '../src/archive/confidential.js';
import { computeStatistics } from '../src/archive/data/stats.js';
import { itemRows, letterRows } from '../src/archive/data/columns.js';
import { writeOpenData, type OpenDataCheck, type OpenDataResult } from '../src/archive/data/index.js';
import { leakCheckKey, scanFile, textLeaks, type Leak } from '../src/archive/leak.js';
import { syntheticLetters, type Values } from '../src/bench/letters.js';
import { root } from './helpers.js';

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});
async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `imr-data-cache-${prefix}-`));
  temps.push(dir);
  return dir;
}

const templates = path.join(root, 'templates', 'archive');
const newestFirst = (a: ArchiveLetter, b: ArchiveLetter) => (a.decisionDate !== b.decisionDate ? (a.decisionDate < b.decisionDate ? 1 : -1) : a.case < b.case ? -1 : 1);

interface Built {
  files: Map<string, Buffer>;
  leaks: Leak[];
  result: OpenDataResult;
}

/** The open data of `letters`: checked here with `values` when given (as the archive does), else each file whole through `add`. */
async function openData(letters: readonly ArchiveLetter[], cache: string | undefined, values?: Values): Promise<Built> {
  const files = new Map<string, Buffer>();
  const leaks: Leak[] = [];
  const keep = async (rel: string, data: string | Uint8Array) => void files.set(rel, Buffer.from(data));
  const matcher = values ? createMatcher(values, { parts: false }) : undefined;
  const check: OpenDataCheck | undefined = matcher && {
    key: leakCheckKey([matcher]),
    scan: (rel, where, text) => {
      const found = textLeaks(rel, where, text, [matcher]);
      leaks.push(...found);
      return found.length;
    },
    write: keep,
  };
  const add = async (rel: string, data: string | Uint8Array) => {
    await keep(rel, data);
    if (matcher) leaks.push(...(await scanFile(rel, Buffer.from(data), matcher, { poppler: false })));
  };
  const result = await writeOpenData(add, letters, [...letters].sort(newestFirst), { templates, css: 'assets/archive.css', cache, check });
  return { files, leaks, result };
}

const seen = new Set<string>();
const base = syntheticLetters(300, 0, seen);
const newest = base.letters.reduce((m, l) => (l.decisionDate > m ? l.decisionDate : m), '');
const nextDay = new Date(Date.parse(`${newest}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
// A day's new letters, and a few decided in earlier months (posted late).
const fresh = syntheticLetters(12, 5000, seen, nextDay);
const late = syntheticLetters(4, 6000, seen);

/** `letters` with the `k`-th letter corrected: revision 1 superseded by a revision 2. */
function corrected(letters: readonly ArchiveLetter[], k: number): ArchiveLetter[] {
  const l = letters[k]!;
  const revisions = [{ revision: 1, decisionDate: l.decisionDate, outcome: l.outcome }, { revision: 2, decisionDate: l.decisionDate, outcome: l.outcome }];
  const v2: ArchiveLetter = { ...l, revision: 2, amends: 'Corrects the date of the UR denial.', revisions, html: l.html.replace(/v1/g, 'v2'), facts: l.facts && { ...l.facts, revision: 2 } };
  return [...letters.slice(0, k), { ...l, current: false, supersededBy: 2, revisions }, v2, ...letters.slice(k + 1)];
}

describe('the open data on the cache of an earlier build', () => {
  it('gives the same bytes as a full build, compressing only the chunks that changed', async () => {
    const cache = await temp('cache');
    const values = [...base.values, ...fresh.values, ...late.values];
    const first = await openData(base.letters, cache, values);
    expect(first.result.gzip.cached).toBe(0);
    const members = first.result.gzip.compressed;
    expect(members % 3).toBe(0);
    expect(members / 3).toBeGreaterThan(4);

    // A correction (a revision 2), a letter whose PDF was printed since (its `pdf_url`), new letters.
    const after = corrected([...base.letters, ...fresh.letters, ...late.letters], 7);
    const printed = after[40]!;
    after[40] = { ...printed, pdf: { path: printed.html.replace(/\.html$/, '.pdf'), bytes: 1000, pages: 2, signed: false } };
    const incremental = await openData(after, cache, values);
    const full = await openData(after, undefined);
    expect([...incremental.files.keys()].sort()).toEqual([...full.files.keys()].sort());
    for (const [rel, bytes] of full.files) expect(incremental.files.get(rel)?.equals(bytes), rel).toBe(true);
    expect(incremental.leaks).toEqual([]);

    // 18 letters changed or added: at most a chunk each is made again (three members),
    // the month's new chunks included; every other member comes from the cache.
    expect(incremental.result.gzip.compressed).toBeLessThanOrEqual(3 * 18);
    expect(incremental.result.gzip.cached).toBeGreaterThanOrEqual(members - 3 * 18);
    // Only the new or changed texts are read by the leak check again.
    expect(incremental.result.checked.known).toBeGreaterThan(incremental.result.checked.scanned);
    expect(incremental.result.checked.scanned).toBeLessThan(first.result.checked.scanned / 4);

    // What the cache gives equals what the letters give: the statistics, the API's months.
    const stats = JSON.parse(incremental.files.get('data/statistics.json')!.toString('utf8')) as unknown;
    expect(stats).toEqual(JSON.parse(JSON.stringify(computeStatistics(letterRows(after), itemRows(after)))));
    const months = [...incremental.files.keys()].filter((f) => f.startsWith('api/months/'));
    expect(months.length).toBeGreaterThan(1);
    for (const m of months) {
      const text = incremental.files.get(m)!.toString('utf8');
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
    const rows = gunzipSync(incremental.files.get('data/letters.csv.gz')!).toString('utf8').trimEnd().split('\n');
    expect(rows.length).toBe(after.length + 1);
  }, 120_000);
});

describe('the leak check of the open data, on the cache', () => {
  it('reads a text again only when the confidential values change, and then finds what is new', async () => {
    const cache = await temp('checked');
    const letters = base.letters.slice(0, 120);
    const values = base.values;
    const first = await openData(letters, cache, values);
    expect(first.leaks).toEqual([]);
    expect(first.result.checked.known).toBe(0);

    const again = await openData(letters, cache, values);
    expect(again.result.checked.scanned).toBe(0);
    expect(again.result.checked.known).toBe(first.result.checked.scanned);
    expect(again.result.gzip.compressed).toBe(0);

    // A value that the letters' bytes already held becomes confidential (a case file's
    // parties were completed): the same bytes are read again, and it is found.
    const target = letters.find((l) => (l.facts?.items.length ?? 0) > 0)!;
    const request = target.facts!.items[0]!.request;
    const more: Values = [...values, { value: request, kind: 'employer name', file: 'late.md', case: target.case }];
    const third = await openData(letters, cache, more);
    expect(third.result.checked.known).toBe(0);
    expect(third.result.checked.scanned).toBe(first.result.checked.scanned);
    expect(third.result.gzip.compressed).toBe(0);
    const where = new Set(third.leaks.map((l) => `${l.file} ${l.where}`));
    expect(where).toContain(`letters/${target.case}/v1/letter.json text`);
    expect(where).toContain('data/items.csv.gz gunzipped');
    expect(where).toContain('data/letters.jsonl.gz gunzipped');
    // A text with a leak is never remembered as clean.
    const fourth = await openData(letters, cache, more);
    expect(new Set(fourth.leaks.map((l) => `${l.file} ${l.where}`))).toEqual(where);
    expect(fourth.result.checked.scanned).toBeGreaterThan(0);
  }, 120_000);
});
