/**
 * Synthetic archive letters for the open data's bench and tests: the generator's cases
 * (with invented parties) turned into the archive's letters through `publicFacts`, as a
 * build would, without building any HTML.
 */
import type { ArchiveLetter } from '../archive/collect.js';
import { confidentialValues } from '../archive/confidential.js';
import type { Case } from '../check/index.js';
import { generateCase } from '../generate/index.js';
import { publicFacts } from '../render/facts.js';

export type Values = ReturnType<typeof confidentialValues>;

/**
 * The letters of the generator's cases `from` to `from + count - 1` (seed 1), less the
 * case numbers in `seen` (added to it), with their confidential values; `decidedOn`
 * dates every decision that day.
 */
export function syntheticLetters(count: number, from: number, seen: Set<string>, decidedOn?: string): { letters: ArchiveLetter[]; values: Values } {
  const letters: ArchiveLetter[] = [];
  const values: Values = [];
  for (let k = from; k < from + count; k++) {
    const g = generateCase(1, k, { parties: true });
    if (seen.has(g.data.case)) continue;
    seen.add(g.data.case);
    const data = decidedOn ? { ...g.data, dates: { ...g.data.dates, decision: decidedOn } } : g.data;
    const facts = { ...publicFacts({ data } as Case), status: 'final' as const };
    values.push(...confidentialValues(g.data.parties, g.file, g.data.case));
    letters.push({
      case: data.case, revision: 1, decisionDate: data.dates.decision, outcome: facts.outcome, amends: null, current: true, supersededBy: null,
      revisions: [{ revision: 1, decisionDate: data.dates.decision, outcome: facts.outcome }],
      html: `letters/${data.case}/v1/${data.case}-v1-public.html`, pdf: null, factsPath: null, facts,
    });
  }
  return { letters, values };
}
