/**
 * The static API: JSON files at stable URLs, beside the pages.
 *
 *   letters/<case>/v<revision>/letter.json   a letter revision's public facts (the bulk JSON Lines' object; see chunks.ts)
 *   api/index.json                           what there is: counts, months, bulk files, feeds
 *   api/months/<YYYY-MM>.json                the letter revisions decided that month (see `monthFileText` in chunks.ts)
 *
 * Every URL inside is relative to the archive's root. Pure.
 */

/** `api/index.json`: counts, the months (in order, each with its count of letter revisions), the bulk files and the feeds. */
export function apiIndexText(
  letters: number,
  current: number,
  months: readonly { month: string; letters: number }[],
  bulk: readonly { path: string; bytes: number; rows: number }[],
  feeds: readonly { path: string; title: string }[],
): string {
  const value = {
    letters,
    current,
    letter_url: 'letters/{case}/v{revision}/letter.json',
    months: months.map((m) => ({ month: m.month, letters: m.letters, url: `api/months/${m.month}.json` })),
    bulk: bulk.map(({ path, bytes, rows }) => ({ path, bytes, rows })),
    statistics: 'data/statistics.json',
    dictionary: 'data/datapackage.json',
    feeds: feeds.map(({ path, title }) => ({ path, title })),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}
