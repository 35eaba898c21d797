/**
 * Dates as letters write them: `10-13-16`, `10/13/2016`, `2016-10-13`, `October 13, 2016`,
 * `Oct. 13, 2016`, `13 October 2016`. Two-digit years are read in the century that puts
 * them at or before `pivotYear` (the case's decision year).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

export const DATE_SOURCE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})(?!\\d)|\\d{4}-\\d{2}-\\d{2}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}\\s+${MONTH}\\s+\\d{4})`;

export interface TextDate {
  iso: string;
  index: number;
  length: number;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function parseTextDate(s: string, pivotYear: number): string | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(s);
  if (m) {
    let y = +m[3]!;
    if (m[3]!.length === 2) y = 2000 + y <= pivotYear ? 2000 + y : 1900 + y;
    return iso(y, +m[1]!, +m[2]!);
  }
  m = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i.exec(s);
  if (m) return iso(+m[3]!, MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1, +m[2]!);
  m = /^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$/i.exec(s);
  if (m) return iso(+m[3]!, MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1, +m[1]!);
  return undefined;
}

/** Every date in `text`, in order. */
export function datesIn(text: string, pivotYear: number, offset = 0): TextDate[] {
  const out: TextDate[] = [];
  for (const m of text.matchAll(new RegExp(`(?<![\\w/.-])${DATE_SOURCE}`, 'giu'))) {
    const value = parseTextDate(m[0], pivotYear);
    if (value) out.push({ iso: value, index: offset + m.index, length: m[0].length });
  }
  return out;
}
