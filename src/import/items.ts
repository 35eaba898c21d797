/**
 * The words of one disputed item → its case data: the item line (a plain request or a
 * modified one, in the two forms of the posted letters) and the guideline paragraphs.
 * Each parse is checked by printing the data back with the renderer's own functions
 * (`itemLead`, `citationText`): what cannot be printed back word for word is an error,
 * never a guess. Pure functions.
 */
import type { Citation, Decision, Item } from '../schema/case.js';
import { citationText, itemLead } from '../render/model.js';
import { modifiedPattern } from '../render/sentences.js';

export type Lead = Pick<Item, 'request' | 'modified' | 'decision'>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

// The two forms of a modified request's line, from the sentences the renderer prints.
const PARTIAL = modifiedPattern('partial');
const ALTERNATIVE = modifiedPattern('alternative');
const PLAIN = /^(.+?):\s*(Upheld|Overturned)$/s;

/** `Norco 10/325mg #120: Upheld`, or a modified request, → request, modified and decision. */
export function parseLead(text: string): Parsed<Lead> {
  const lead = squash(text);
  let value: Lead | undefined;
  const partial = PARTIAL.exec(lead);
  const alternative = partial ? null : ALTERNATIVE.exec(lead);
  if (partial) {
    const [, request, authorized, remainder, is, decision] = partial as unknown as [string, string, string, string, string | undefined, Decision];
    value = { request, decision, modified: { form: 'partial', authorized, remainder, ...(is ? {} : { printIs: false }) } };
  } else if (alternative) {
    const [, request, authorized, remainder, is, decision] = alternative as unknown as [string, string, string, string, string | undefined, Decision];
    value = {
      request,
      decision,
      modified: { form: 'alternative', authorized, ...(remainder === request ? {} : { remainder }), ...(is ? {} : { printIs: false }) },
    };
  } else if (/was the original request\./.test(lead)) {
    return {
      ok: false,
      reason:
        'a modified request in neither form of the case file ("X was the original request. Y was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, Z is: …" or "X was the original request. The Claims Administrator authorized Y, leaving the original request IMR eligible. The original request, Z is: …")',
    };
  } else {
    const plain = PLAIN.exec(lead);
    if (!plain) return { ok: false, reason: 'an item line ending with ": Upheld" or ": Overturned"' };
    value = { request: plain[1]!.trim(), decision: plain[2] as Decision };
  }
  const printed = `${itemLead(value as Item)} ${value.decision}`;
  if (squash(printed) !== squash(lead.replace(/:(?=(?:Upheld|Overturned)$)/, ': '))) {
    return { ok: false, reason: `the item line would print as ${JSON.stringify(printed)}` };
  }
  return { ok: true, value };
}

/** Who makes the guideline statements: the claims administrator or the expert reviewer. */
export type Who = 'The Claims Administrator' | 'The Expert Reviewer';

const DECISION_BASED = /Decision based on /g;

/**
 * A guideline paragraph without its label → its statements, in order:
 * `none`, `outside-mtus`, `{ mtus }`, `{ nonMtus }`, or `{ text }` for any other form
 * (a citation without a source, a sentence without a final period, other words).
 */
export function parseGuideline(text: string, who: Who): Parsed<Citation[]> {
  const body = squash(text);
  if (!body) return { ok: false, reason: 'a guideline states at least one citation or statement' };
  const none = `${who} did not cite any medical evidence for its decision.`;
  const outside = `${who} based their decision on recommendation(s) outside of the MTUS Guidelines.`;
  // Cut the paragraph before each statement that opens a citation or states none/outside.
  const cuts = new Set<number>([0]);
  for (const m of body.matchAll(DECISION_BASED)) cuts.add(m.index);
  for (const phrase of [none, outside]) {
    for (let i = body.indexOf(phrase); i !== -1; i = body.indexOf(phrase, i + 1)) {
      cuts.add(i);
      cuts.add(i + phrase.length);
    }
  }
  const points = [...cuts].filter((i) => i <= body.length).sort((a, b) => a - b);
  const parts = points.map((p, k) => body.slice(p, points[k + 1] ?? body.length).trim()).filter(Boolean);
  const citations: Citation[] = parts.map((part): Citation => {
    if (part === none) return 'none';
    if (part === outside) return 'outside-mtus';
    const m = /^Decision based on (Non-MTUS Citation|MTUS) (.+)\.$/.exec(part);
    if (m && !/\.$/.test(m[2]!) && m[2]!.trim()) {
      return m[1] === 'MTUS' ? { mtus: m[2]!.trim() } : { nonMtus: m[2]!.trim() };
    }
    return { text: part };
  });
  const printed = citations.map((c) => citationText(c, who)).join(' ');
  if (squash(printed) !== body) return { ok: false, reason: `the guideline would print as ${JSON.stringify(printed)}` };
  return { ok: true, value: citations };
}
