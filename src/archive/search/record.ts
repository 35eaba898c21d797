/**
 * What search knows of a listed letter: the row of its shard's `letters` table and the
 * text of its FTS5 row. Made by the archive from a letter's public page and public facts
 * (`src/archive/index.ts`), by the bench from generated cases (`src/bench/search-records.ts`).
 */
import type { LetterFacets } from '../facets.js';

export interface SearchLetter {
  case: string;
  revision: number;
  /** Relative to the archive root: `letters/CM16-0213037/v1/`. */
  url: string;
  /** Decision date, `YYYY-MM-DD`. */
  date: string;
  /** `Upheld`, `Overturned` or `Overturned in part`. */
  outcome: string;
  /** A result's heading. */
  title: string;
  /** `[decision, what was decided]` per item. */
  items: [string, string][];
  /** The letter's whole searchable text (`searchText` of its page). */
  body: string;
  /** Its filter values, by the group ids of `facets.ts`. */
  facets: LetterFacets;
}

/** A result row with its excerpt fits a 1 KiB page (most do; long item lists overflow). */
export const EXCERPT_CHARS = 600;

/**
 * The snippet source: the body from the summary's first line (the line after the
 * summary heading when there is one), whitespace collapsed, cut at a word to at most
 * `EXCERPT_CHARS` (600) characters.
 */
export function excerptOf(body: string): string {
  const lines = body.split('\n');
  const heading = lines.findIndex((l) => /^(clinical case )?summary\b/i.test(l.trim()));
  const from = heading === -1 ? body : lines.slice(heading + 1).join('\n');
  const text = from.replace(/\s+/g, ' ').trim();
  if (text.length <= EXCERPT_CHARS) return text;
  const cut = text.slice(0, EXCERPT_CHARS + 1);
  const space = cut.lastIndexOf(' ');
  return (space > EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut.slice(0, EXCERPT_CHARS)).trimEnd();
}

/** The year of a letter's shard. */
export const yearOf = (l: { date: string }): number => Number(l.date.slice(0, 4));
