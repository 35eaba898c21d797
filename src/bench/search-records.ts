/**
 * Search records of generated cases, made cheaply (no Markdown, no HTML, no template): the
 * generator's case → its public facts with the real facts function (`publicFacts`), its
 * facet values with the archive's `facetsOf`, and a body made of the fixed public
 * headings, each item's request and decision, and the case's own prose (summary and
 * rationales, as generated). A built letter's search text (`searchText` of its page) has
 * the same parts, plus the printed citations and the lines of the letter's sections; the
 * bench's body is close in words per letter and vocabulary, not byte for byte.
 */
import type { Case } from '../check/index.js';
import { facetsOf } from '../archive/facets.js';
import { letterUrl } from '../archive/collect.js';
import { outcomeLabel } from '../archive/pages.js';
import type { SearchLetter } from '../archive/search/record.js';
import { generateCase, type GeneratedCase } from '../generate/index.js';
import { publicFacts } from '../render/facts.js';
import { SENTENCES } from '../render/sentences.js';

/** The prose of a generated case file: its body after the frontmatter, headings as lines. */
function prose(text: string): { summary: string; rationales: string[] } {
  const body = text.slice(text.indexOf('\n---\n', 3) + 5);
  const sections = body.split(/^# /m).slice(1);
  const clean = (s: string) => s.slice(s.indexOf('\n') + 1).replace(/^\\/gm, '').replace(/\s+/g, ' ').trim();
  return { summary: clean(sections[0] ?? ''), rationales: sections.slice(1).map(clean) };
}

export function searchLetterOf(g: GeneratedCase): SearchLetter {
  const facts = publicFacts({ data: g.data } as Case);
  const { summary, rationales } = prose(g.text);
  const items = facts.items.map((i) => [i.decision, i.decided ?? i.request] as [string, string]);
  const body = [
    SENTENCES.headings.summary,
    summary,
    SENTENCES.headings.issues,
    ...facts.items.flatMap((i, k) => [`${i.decided ?? i.request} is ${i.decision.toLowerCase()}.`, i.imroGuideline, rationales[k] ?? '']),
    SENTENCES.headings.howMade,
  ].join('\n');
  return {
    case: facts.case,
    revision: facts.revision,
    url: letterUrl(facts.case, facts.revision),
    date: facts.dates.decision,
    outcome: outcomeLabel(facts.outcome),
    title: facts.case,
    items,
    body,
    facets: facetsOf(facts),
  };
}

/** The first `count` distinct cases of `seed` as search records (the generator's order). */
export function* generatedLetters(count: number, seed = 1, from = 0): Generator<SearchLetter> {
  const seen = new Set<string>();
  let made = 0;
  for (let i = from; made < count; i++) {
    const g = generateCase(seed, i);
    if (seen.has(g.data.case)) continue;
    seen.add(g.data.case);
    made++;
    yield searchLetterOf(g);
  }
}
