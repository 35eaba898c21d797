/**
 * Atom feeds (RFC 4287), from the template `templates/archive/feed.xml.hbs`:
 *
 *   feeds/latest.xml                the newest decisions
 *   feeds/category/<slug>.xml       the newest decisions with an item of that request category
 *
 * An entry is a current letter revision: its id is `urn:imr-letters:<case>:v<revision>`
 * (stable: the same letter revision always has the same id), its `updated` and
 * `published` are its decision date (midnight UTC), its link is its page, relative to
 * the feed (the archive's public address is not known when it is built; readers resolve
 * a link against the feed's address). The feed's `updated` is its newest entry's:
 * nothing depends on the clock. Pure.
 *
 * Not the `feed` package: it refuses relative links (every URL goes through `new URL`).
 */
import { longDate } from '../../render/model.js';
import type { ArchiveLetter } from '../collect.js';
import { letterUrl } from '../collect.js';
import { outcomeLabel } from '../pages.js';

export interface FeedOptions {
  /** Entries per feed (default 50). */
  size?: number;
}

export interface FeedView {
  path: string;
  id: string;
  title: string;
  subtitle: string;
  updated: string;
  self: string;
  home: string;
  entries: { id: string; title: string; date: string; href: string; categories: string[]; summaryHtml: string }[];
}

/** `Evaluation & Management` → `evaluation-management`. */
export const categorySlug = (category: string): string => category.toLowerCase().replace(/&/g, ' ').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const entryId = (l: { case: string; revision: number }): string => `urn:imr-letters:${l.case}:v${l.revision}`;

const stamp = (iso: string) => `${iso}T00:00:00Z`;
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function feedView(path: string, title: string, id: string, letters: readonly ArchiveLetter[], root: string): FeedView {
  return {
    path,
    id,
    title,
    subtitle: `${title}: Independent Medical Review final determinations, newest first.`,
    updated: stamp(letters[0]?.decisionDate ?? '1970-01-01'),
    self: path.slice(path.lastIndexOf('/') + 1),
    home: root,
    entries: letters.map((l) => {
      const items = l.facts?.items ?? [];
      const list = items.map((i) => `<li>${escapeHtml(i.request)}: ${escapeHtml(i.decision)}</li>`).join('');
      return {
        id: entryId(l),
        title: `${l.case}${l.revision > 1 ? ` (revision ${l.revision})` : ''}: ${outcomeLabel(l.outcome)}`,
        date: stamp(l.decisionDate),
        href: `${root}${letterUrl(l.case, l.revision)}`,
        categories: [...new Set(items.map((i) => i.category))].sort(),
        summaryHtml: `<p>Decided ${escapeHtml(longDate(l.decisionDate))}: ${escapeHtml(outcomeLabel(l.outcome))}.</p>${list ? `<ul>${list}</ul>` : ''}`,
      };
    }),
  };
}

/**
 * The feeds of the listed letters (newest first, as `listedLetters` gives them): the
 * latest decisions, and one per request category.
 */
export function atomFeeds(listed: readonly ArchiveLetter[], options: FeedOptions = {}): FeedView[] {
  const size = options.size ?? 50;
  const files = [feedView('feeds/latest.xml', 'Latest IMR decisions', 'urn:imr-letters:feed:latest', listed.slice(0, size), '../')];
  const byCategory = new Map<string, ArchiveLetter[]>();
  for (const l of listed) {
    for (const c of new Set((l.facts?.items ?? []).map((i) => i.category))) {
      const list = byCategory.get(c) ?? [];
      if (list.length < size) list.push(l);
      byCategory.set(c, list);
    }
  }
  for (const [category, letters] of [...byCategory].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const slug = categorySlug(category);
    files.push(feedView(`feeds/category/${slug}.xml`, `Latest IMR decisions: ${category}`, `urn:imr-letters:feed:category:${slug}`, letters, '../../'));
  }
  return files;
}
