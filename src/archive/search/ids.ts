/**
 * Search ids: a listed letter's row id in its year's shard, ascending with the decision
 * date, so newest first is `ORDER BY rowid DESC` and a date range is `rowid BETWEEN lo AND hi`.
 *
 *   id = day * 2^30 + yy * 10^7 + n
 *
 * `day`: days from 1970-01-01 to the decision date; the case number is `CM<yy>-<n>`
 * (`CASE_NUMBER` of `src/schema/case.ts`). yy * 10^7 + n < 10^9 < 2^30, so ids of one day
 * never reach the next day's; below 2^53 until the year 10,000. Pure; the search page's
 * script has a copy of `idRange`, tested against this one.
 */
import { CASE_NUMBER } from '../../schema/case.js';
import { ArchiveError } from '../../errors.js';

export const DAY_FACTOR = 2 ** 30;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days from 1970-01-01 to a `YYYY-MM-DD` date. */
export function dayOf(date: string): number {
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new ArchiveError(`Not a date: ${JSON.stringify(date)}, expected YYYY-MM-DD`);
  return ms / 86_400_000;
}

/** The search id of a letter decided on `date`. */
export function letterId(date: string, caseNumber: string): number {
  if (!CASE_NUMBER.test(caseNumber)) throw new ArchiveError(`Not a case number: ${JSON.stringify(caseNumber)}, expected CM<yy>-<7 digits>`);
  const yy = Number(caseNumber.slice(2, 4));
  const n = Number(caseNumber.slice(5));
  return dayOf(date) * DAY_FACTOR + yy * 1e7 + n;
}

/** The decision date of an id. */
export function dateOfId(id: number): string {
  return new Date(Math.floor(id / DAY_FACTOR) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The ids of letters decided from `from` to `to` (both included): `YYYY-MM-DD` or
 * `YYYY-MM` (a month's first or last day); either may be left out.
 */
export function idRange(from?: string, to?: string): { lo: number; hi: number } {
  const lo = from ? dayOf(from.length === 7 ? `${from}-01` : from) * DAY_FACTOR : 0;
  const hi = to ? (dayOf(to.length === 7 ? lastDay(to) : to) + 1) * DAY_FACTOR - 1 : Number.MAX_SAFE_INTEGER;
  return { lo, hi };
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
