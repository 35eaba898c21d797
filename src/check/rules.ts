/**
 * Cross-checks the schema cannot express: real dates and their order, item ids, the
 * forms of modified requests, revisions, and the tie between items and rationales.
 * They run on the raw frontmatter too, so a case with a schema error still gets every
 * other problem reported.
 */
import type { Document } from 'yaml';
import { code, diagnostic, didYouMean, type Diagnostic, type Span } from '../diagnostics.js';
import { CATEGORIES, DATE_ORDER, ISO_DATE, UNKNOWN_CATEGORY, type DateKey } from '../schema/case.js';
import { locate, type PathKey } from './validate.js';
import { nodeSpan as mdSpan, SUMMARY_HEADING, RATIONALE_PREFIX, type Section } from './sections.js';

const DATE_LABELS: Record<DateKey, string> = {
  injury: 'date of injury',
  urDenial: 'UR denial date',
  applicationReceived: 'application received date',
  assigned: 'date assigned',
  decision: 'decision date',
  issued: 'issue date',
};

/** Whether `YYYY-MM-DD` names a day that exists. */
export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

type Get = (path: readonly PathKey[]) => Span;

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export function crossCheck(file: string, raw: unknown, doc: Document.Parsed, span: (r: readonly [number, number] | undefined) => Span): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at: Get = (path) => {
    const { node } = locate(doc, path);
    return span(node?.range ? [node.range[0], node.range[1]] : undefined);
  };
  const data = obj(raw);
  if (!data) return out;

  // Dates: each a real day, and in order.
  const dates = obj(data.dates);
  if (dates) {
    let previous: { key: DateKey; value: string } | undefined;
    for (const key of DATE_ORDER) {
      const value = dates[key];
      if (typeof value !== 'string' || !ISO_DATE.test(value)) {
        previous = undefined;
        continue;
      }
      if (!isRealDate(value)) {
        out.push(diagnostic(file, at(['dates', key]), 'error', 'bad-date', `Unexpected ${code(value)} in \`dates.${key}\`: no such day; expected a real calendar date`));
        previous = undefined;
        continue;
      }
      if (previous && value < previous.value) {
        out.push(
          diagnostic(
            file,
            at(['dates', key]),
            'error',
            'date-order',
            `The ${DATE_LABELS[key]} ${code(value)} is before the ${DATE_LABELS[previous.key]} ${code(previous.value)}: expected injury ≤ UR denial ≤ application received ≤ assigned ≤ decision ≤ issued`,
          ),
        );
      }
      previous = { key, value };
    }
  }

  // Revisions: from revision 2 on, say what the revision amends.
  if (typeof data.revision === 'number') {
    if (data.revision > 1 && data.amends === undefined) {
      out.push(diagnostic(file, at(['revision']), 'error', 'amends-missing', `Revision ${data.revision} needs \`amends\`: say what it corrects in the letter it supersedes`));
    }
    if (data.revision === 1 && data.amends !== undefined) {
      out.push(diagnostic(file, at(['amends']), 'error', 'amends-unexpected', 'Unexpected `amends` in revision 1: there is no earlier revision to amend; set `revision: 2` or remove `amends`'));
    }
    const issued = dates?.issued;
    if (data.revision > 1 && issued === undefined) {
      out.push(
        diagnostic(file, at(dates?.decision !== undefined ? ['dates', 'decision'] : ['revision']), 'error', 'issued-date-missing', `Revision ${data.revision} needs \`dates.issued\` after \`dates.decision\`: the day this corrected letter is issued, which it prints as its date (the decision date is the original's)`),
      );
    }
    if (data.revision === 1 && issued !== undefined) {
      out.push(diagnostic(file, at(['dates', 'issued']), 'error', 'issued-date-unexpected', 'Unexpected `dates.issued` in revision 1: the first letter is dated its decision date; set `revision: 2` for a correction or remove `issued`'));
    }
  }

  // Items: unique ids; a modified request in the `partial` form names its remainder.
  const items = Array.isArray(data.items) ? data.items : [];
  const seen = new Map<string, number>();
  items.forEach((value, i) => {
    const item = obj(value);
    if (!item) return;
    if (typeof item.id === 'string') {
      const first = seen.get(item.id);
      if (first !== undefined) {
        out.push(diagnostic(file, at(['items', i, 'id']), 'error', 'duplicate-item-id', `Duplicate item id ${code(item.id)}, also used by \`items[${first}]\`: each item needs its own id`));
      } else seen.set(item.id, i);
    }
    if (item.category === UNKNOWN_CATEGORY) {
      out.push(
        diagnostic(
          file,
          at(['items', i, 'category']),
          'warning',
          'category-unknown',
          `The request category of \`items[${i}]\` is \`unknown\` (its words did not tell it when the letter was imported): set the DWC category (${CATEGORIES.map((c) => code(c)).join(', ')}) so the archive files it under it; until then the archive shows "Unknown"`,
        ),
      );
    }
    const modified = obj(item.modified);
    if (modified?.form === 'partial' && modified.remainder === undefined) {
      out.push(
        diagnostic(file, at(['items', i, 'modified']), 'error', 'modified-remainder', `Missing \`remainder\` in \`items[${i}].modified\`: the \`partial\` form states the remaining IMR eligible portion of the request`),
      );
    }
    if (modified && typeof modified.authorized === 'string' && modified.authorized.trim() === String(item.request ?? '').trim()) {
      out.push(
        diagnostic(file, at(['items', i, 'modified', 'authorized']), 'warning', 'modified-same', `The authorized part of \`items[${i}]\` is the whole request: was it really modified?`),
      );
    }
  });
  return out;
}

/** Every item has exactly one rationale, every rationale an item, and one summary. */
export function checkSections(
  file: string,
  sections: readonly Section[],
  items: readonly { id: string }[],
  itemSpan: (index: number) => Span,
  bodyEnd: Span,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = [...new Set(items.map((i) => i.id))];
  const summaries = sections.filter((s) => s.kind === 'summary');
  if (summaries.length === 0) {
    out.push(diagnostic(file, bodyEnd, 'error', 'summary-missing', `Missing section \`# ${SUMMARY_HEADING}\`: every letter has a clinical case summary`));
  }
  for (const extra of summaries.slice(1)) {
    out.push(diagnostic(file, mdSpan(extra.heading), 'error', 'duplicate-section', `Duplicate section \`# ${SUMMARY_HEADING}\`: a letter has one summary; merge them`));
  }
  const byId = new Map<string, Section>();
  for (const s of sections) {
    if (s.kind !== 'rationale') continue;
    if (!s.id) {
      out.push(diagnostic(file, mdSpan(s.heading), 'error', 'rationale-unknown-item', `Missing item id after \`${RATIONALE_PREFIX}\`, expected ${ids.length ? `one of ${ids.map((i) => code(i)).join(', ')}` : 'the `id` of an item'}`));
      continue;
    }
    if (!ids.includes(s.id)) {
      const guess = didYouMean(s.id, ids);
      const fix = guess ? { span: mdSpan(s.heading), text: `# ${RATIONALE_PREFIX} ${guess}` } : undefined;
      out.push(
        diagnostic(file, mdSpan(s.heading), 'error', 'rationale-unknown-item', `Rationale for ${code(s.id)}, which is not an item${guess ? `; did you mean ${code(guess)}?` : ids.length ? `: expected one of ${ids.map((i) => code(i)).join(', ')}` : ': no item has an `id` yet'}`, fix),
      );
      continue;
    }
    if (byId.has(s.id)) {
      out.push(diagnostic(file, mdSpan(s.heading), 'error', 'duplicate-section', `Duplicate rationale for ${code(s.id)}: each item has one rationale; merge them`));
      continue;
    }
    byId.set(s.id, s);
  }
  const reported = new Set<string>();
  items.forEach((item, i) => {
    if (!byId.has(item.id) && !reported.has(item.id)) {
      reported.add(item.id);
      out.push(diagnostic(file, itemSpan(i), 'error', 'rationale-missing', `Item ${code(item.id)} has no rationale: add a section \`# ${RATIONALE_PREFIX} ${item.id}\` to the body`));
    }
  });
  // Rationales in item order, so the file reads as the letter does.
  const order = sections.filter((s) => s.kind === 'rationale' && byId.get(s.id) === s).map((s) => ids.indexOf(s.id));
  for (let k = 1; k < order.length; k++) {
    if (order[k]! < order[k - 1]!) {
      const s = sections.filter((x) => x.kind === 'rationale' && byId.get(x.id) === x)[k]!;
      out.push(diagnostic(file, mdSpan(s.heading), 'warning', 'rationale-order', `The rationale for ${code(s.id)} comes after the rationale of a later item; the letter prints them in item order, so keep the file in that order too`));
      break;
    }
  }
  for (const s of sections) {
    const empty = s.children.every((c) => c.type === 'paragraph' && plainTextEmpty(c));
    if (empty) {
      out.push(diagnostic(file, mdSpan(s.heading), 'error', 'empty-section', `Empty section ${code(`# ${s.kind === 'summary' ? SUMMARY_HEADING : `${RATIONALE_PREFIX} ${s.id}`}`)}: expected its text below the heading`));
    }
  }
  return out;
}

function plainTextEmpty(node: unknown): boolean {
  const n = node as { value?: string; children?: unknown[] };
  if (typeof n.value === 'string') return n.value.trim() === '';
  return (n.children ?? []).every(plainTextEmpty);
}
