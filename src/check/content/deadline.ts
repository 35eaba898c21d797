/**
 * The decision date against the date assigned.
 *
 * Labor Code 4610.6(d): the IMR organization decides within 30 days of receiving the
 * request and its records, 3 days when expedited. The clock starts with the records,
 * which can arrive after the date assigned, so the date assigned alone cannot prove a
 * late letter. In the posted corpus (152 Standard letters, `npm run measure:consistency`)
 * decisions came 21–39 days after assignment, 27 of them after day 30. Hence:
 *
 * - `decision-deadline` (warning): more than `DEADLINE_GRACE` times the statutory days
 *   (default 1.5: 45 days Standard, 5 Expedited) — past anything the corpus shows;
 * - `decision-date-implausible` (error): more than `IMPLAUSIBLE_DAYS` (default 365) after
 *   assignment — no review takes a year; a typed year (2071 for 2017) lands here.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics.js';
import { obj, type ContentContext } from './context.js';

export const STATUTORY_DAYS = { Standard: 30, Expedited: 3 } as const;
export const DEADLINE_GRACE = 1.5;
export const IMPLAUSIBLE_DAYS = 365;

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const day = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;

export function deadlineRule(ctx: ContentContext): Diagnostic[] {
  const dates = obj(ctx.data.dates);
  const assigned = dates?.assigned;
  const decision = dates?.decision;
  if (typeof assigned !== 'string' || typeof decision !== 'string' || !ISO.test(assigned) || !ISO.test(decision)) return [];
  const days = day(decision) - day(assigned);
  if (!Number.isFinite(days) || days < 0) return [];
  const at = ctx.at(['dates', 'decision']);
  if (days > IMPLAUSIBLE_DAYS) {
    return [
      diagnostic(ctx.file, at, 'error', 'decision-date-implausible', `The decision date ${decision} is ${days} days after the date assigned ${assigned}: a review takes weeks, not years; is the year mistyped?`),
    ];
  }
  const priority = ctx.data.priority === 'Expedited' ? 'Expedited' : 'Standard';
  const limit = STATUTORY_DAYS[priority];
  if (days > Math.round(limit * DEADLINE_GRACE)) {
    return [
      diagnostic(
        ctx.file,
        at,
        'warning',
        'decision-deadline',
        `The decision date ${decision} is ${days} days after the date assigned ${assigned}; Labor Code 4610.6(d) allows ${limit} days for ${priority === 'Expedited' ? 'an expedited' : 'a standard'} review from receipt of the records: check both dates`,
      ),
    ];
  }
  return [];
}
