/**
 * The view model: a checked case → the values the templates print. Pure: every word
 * a letter shows that depends on the case is decided here, so templates only place
 * them. Strings ending in `Html` are already escaped; the rest are escaped by
 * Handlebars.
 */
import type { Case } from '../check/index.js';
import type { Organization } from '../config.js';
import { issueDate, UNKNOWN_CATEGORY, type Citation, type Decision, type Item, type Party } from '../schema/case.js';
import { markdownToHtml, textToHtml } from './markdown.js';
import { modifiedLead } from './sentences.js';

import type { Edition } from './editions.js';

export { EDITIONS, type Edition } from './editions.js';

export type Outcome = 'upheld' | 'overturned' | 'overturned in part';

/** Upheld when every item is Upheld, overturned when every item is Overturned, else overturned in part. */
export function outcomeOf(decisions: readonly Decision[]): Outcome {
  if (decisions.every((d) => d === 'Upheld')) return 'upheld';
  if (decisions.every((d) => d === 'Overturned')) return 'overturned';
  return 'overturned in part';
}

/** `2016-12-30` → `12/30/2016`, as the header block prints dates. */
export function headerDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2016-12-30` → `December 30, 2016`. */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${MONTHS[m - 1]} ${d}, ${y}`;
}

/** One guideline statement as printed. `who` is "The Claims Administrator" or "The Expert Reviewer". */
export function citationText(citation: Citation, who: string): string {
  const sentence = (s: string) => (/[.]$/.test(s) ? s : `${s}.`);
  if (citation === 'none') return `${who} did not cite any medical evidence for its decision.`;
  if (citation === 'outside-mtus') return `${who} based their decision on recommendation(s) outside of the MTUS Guidelines.`;
  if ('mtus' in citation) return sentence(`Decision based on MTUS ${citation.mtus}`);
  if ('nonMtus' in citation) return sentence(`Decision based on Non-MTUS Citation ${citation.nonMtus}`);
  return citation.text;
}

/** The item's line before its decision, as printed in bold: `Norco 10/325mg #120:`. */
export function itemLead(item: Item): string {
  const m = item.modified;
  if (!m) return `${item.request}:`;
  return modifiedLead(m.form, { request: item.request, authorized: m.authorized, remainder: m.remainder ?? item.request }, m.printIs !== false);
}

/**
 * What the reviewer decided on an item, for the cover and the archive: the remainder of a
 * modified request (or the original request when UR authorized an alternative), with what
 * UR authorized. The sentences around these values are in `templates/partials/decided-request.hbs`.
 */
export interface DecidedPart {
  /** The request the decision applies to: the remainder of a modified request, else the request. */
  decided: string;
  /** Present for a modified request. */
  modified: { partial: boolean; original: string; authorized: string } | undefined;
}

export function decidedPart(item: Item): DecidedPart {
  const m = item.modified;
  if (!m) return { decided: item.request, modified: undefined };
  return { decided: m.remainder ?? item.request, modified: { partial: m.form === 'partial', original: item.request, authorized: m.authorized } };
}

export interface ItemView extends DecidedPart {
  number: number;
  id: string;
  request: string;
  category: string;
  leadHtml: string;
  decision: Decision;
  overturned: boolean;
  claimsAdministratorGuidelineHtml: string;
  imroGuidelineHtml: string;
  rationaleHtml: string;
}

export interface PartyView {
  name: string;
  address: string[];
}

export interface LetterView {
  edition: Edition;
  title: string;
  subject: string;
  keywords: string[];
  lang: string;
  org: Organization;
  caseNumber: string;
  revision: number;
  status: 'draft' | 'final';
  draft: boolean;
  amends: string | undefined;
  supersedes: number | undefined;
  /** The date of the revision superseded, when known (revision 1 is dated its decision date). */
  supersedesDate: string | undefined;
  priority: string;
  header: { assigned: string; decision: string; injury: string; urDenial: string; applicationReceived: string };
  /** The letter's date: the decision date for revision 1, `dates.issued` for a correction. */
  letterDate: string;
  licensure: string;
  specialties: string;
  summaryHtml: string;
  items: ItemView[];
  outcome: Outcome;
  outcomeUpper: string;
  anyOverturned: boolean;
  anyUpheld: boolean;
  /** Footer text before "Page X of Y", as a CSS string literal. */
  footerCss: string;
  parties:
    | {
        claimNumber: string;
        injuredWorker: PartyView;
        representative: PartyView | undefined;
        employer: string;
        claimsAdministrator: PartyView;
        requestingProvider: PartyView;
        /** Who gets a copy, with their addresses: representative, claims administrator, provider, then `cc`. */
        cc: PartyView[];
      }
    | undefined;
}

function party(p: Party): PartyView {
  return { name: p.name, address: [...p.address] };
}

/** A CSS string literal: quotes and backslashes escaped, control characters dropped. */
export function cssString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}

/** The body's HTML is the same in both editions: made once per case. */
const bodies = new WeakMap<Case, { summary: string; rationales: Map<string, string> }>();
function bodyHtml(c: Case): { summary: string; rationales: Map<string, string> } {
  let body = bodies.get(c);
  if (!body) {
    body = {
      summary: markdownToHtml(c.summary),
      rationales: new Map([...c.rationales].map(([id, nodes]) => [id, markdownToHtml(nodes, 'Decision rationale:')] as const)),
    };
    bodies.set(c, body);
  }
  return body;
}

export function buildView(c: Case, edition: Edition, org: Organization): LetterView {
  const d = c.data;
  const decisions = d.items.map((i) => i.decision);
  const outcome = outcomeOf(decisions);
  const items: ItemView[] = d.items.map((item, i) => ({
    number: i + 1,
    id: item.id,
    request: item.request,
    ...decidedPart(item),
    category: item.category,
    leadHtml: textToHtml(itemLead(item)),
    decision: item.decision,
    overturned: item.decision === 'Overturned',
    claimsAdministratorGuidelineHtml: textToHtml(item.claimsAdministratorGuideline.map((g) => citationText(g, 'The Claims Administrator')).join(' ')),
    imroGuidelineHtml: textToHtml(item.imroGuideline.map((g) => citationText(g, 'The Expert Reviewer')).join(' ')),
    rationaleHtml: bodyHtml(c).rationales.get(item.id) ?? '',
  }));
  const p = d.parties;
  const parties =
    edition === 'letter' && p
      ? {
          claimNumber: p.claimNumber,
          injuredWorker: party(p.injuredWorker),
          representative: p.representative ? party(p.representative) : undefined,
          employer: p.employer.name,
          claimsAdministrator: party(p.claimsAdministrator),
          requestingProvider: party(p.requestingProvider),
          cc: [p.representative, p.claimsAdministrator, p.requestingProvider, ...(p.cc ?? [])].filter((x): x is Party => Boolean(x)).map(party),
        }
      : undefined;
  const title = `IMR Final Determination ${d.case}${d.revision > 1 ? ` (revision ${d.revision})` : ''}`;
  return {
    edition,
    title,
    subject: `Independent Medical Review final determination, ${edition === 'letter' ? 'mailed letter' : 'public edition'}: ${outcome}`,
    keywords: [d.case, `revision ${d.revision}`, outcome, ...new Set(d.items.map((i) => i.category).filter((c) => c !== UNKNOWN_CATEGORY))],
    lang: 'en-US',
    org,
    caseNumber: d.case,
    revision: d.revision,
    status: d.status,
    draft: d.status === 'draft',
    amends: d.amends,
    supersedes: d.revision > 1 ? d.revision - 1 : undefined,
    supersedesDate: d.revision === 2 ? longDate(d.dates.decision) : undefined,
    priority: d.priority,
    header: {
      assigned: headerDate(d.dates.assigned),
      decision: headerDate(d.dates.decision),
      injury: headerDate(d.dates.injury),
      urDenial: headerDate(d.dates.urDenial),
      applicationReceived: headerDate(d.dates.applicationReceived),
    },
    letterDate: longDate(issueDate(d)),
    licensure: d.reviewer.licensure.join(d.reviewer.licensureSeparator ?? ', '),
    specialties: d.reviewer.specialties.join(', '),
    summaryHtml: bodyHtml(c).summary,
    items,
    outcome,
    outcomeUpper: outcome.toUpperCase(),
    anyOverturned: decisions.includes('Overturned'),
    anyUpheld: decisions.includes('Upheld'),
    footerCss: cssString(`${d.case}${d.revision > 1 ? ` rev. ${d.revision}` : ''}${d.status === 'draft' ? ' DRAFT' : ''}`),
    parties,
  };
}
