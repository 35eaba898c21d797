/**
 * The static API: JSON files at stable URLs, beside the pages.
 *
 *   letters/<case>/v<revision>/letter.json   a letter revision's public facts (the bulk JSON Lines' object)
 *   api/index.json                           what there is: counts, months, bulk files, feeds
 *   api/months/<YYYY-MM>.json                the letter revisions decided that month
 *
 * Every URL inside is relative to the archive's root. Pure.
 */
import { letterUrl } from '../collect.js';
import { letterJsonUrl, type ItemRow, type LetterRow } from './columns.js';
import { letterJson } from './bulk.js';

export interface ApiFile {
  path: string;
  text: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A letter revision's `letter.json`. */
export function letterApiFile(row: LetterRow, items: readonly ItemRow[]): ApiFile {
  return { path: letterJsonUrl(row.letter), text: json(letterJson(row, items)) };
}

/** `api/index.json` and one file per month of decisions. */
export function apiIndexFiles(rows: readonly LetterRow[], extra: { bulk: { path: string; bytes: number; rows: number }[]; feeds: { path: string; title: string }[] }): ApiFile[] {
  const months = new Map<string, LetterRow[]>();
  for (const r of rows) {
    const m = r.letter.decisionDate.slice(0, 7);
    const list = months.get(m);
    if (list) list.push(r);
    else months.set(m, [r]);
  }
  const keys = [...months.keys()].sort();
  const files: ApiFile[] = keys.map((m) => ({
    path: `api/months/${m}.json`,
    text: json({
      month: m,
      letters: months
        .get(m)!
        .map((r) => ({ case: r.letter.case, revision: r.letter.revision, current: r.letter.current, decision_date: r.letter.decisionDate, outcome: r.letter.outcome, url: letterUrl(r.letter.case, r.letter.revision), json_url: letterJsonUrl(r.letter) }))
        .sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision)),
    }),
  }));
  files.unshift({
    path: 'api/index.json',
    text: json({
      letters: rows.length,
      current: rows.filter((r) => r.letter.current).length,
      letter_url: 'letters/{case}/v{revision}/letter.json',
      months: keys.map((m) => ({ month: m, letters: months.get(m)!.length, url: `api/months/${m}.json` })),
      bulk: extra.bulk,
      statistics: 'data/statistics.json',
      dictionary: 'data/datapackage.json',
      feeds: extra.feeds,
    }),
  });
  return files;
}
