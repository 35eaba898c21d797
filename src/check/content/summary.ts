/**
 * The summary's own statement of the patient and the injury against the frontmatter:
 * `summary-age-mismatch`, `summary-sex-mismatch` (the first "N year old [male|female]"),
 * `summary-injury-date-mismatch` (the first "injury on <date>" / "date of injury <date>").
 * Each is skipped when the frontmatter value or the statement is absent.
 *
 * Age and sex are errors: the summary's first statement of who the patient is has no
 * reason to differ. The injury date is a warning: the summary is narrative written from
 * the records (another injury, a cumulative-trauma period), and 2 of the 152 posted
 * letters state another date than their header (clerical errors in issued letters).
 */
import { code, diagnostic, type Diagnostic } from '../../diagnostics.js';
import { obj, summaryOf, type ContentContext } from './context.js';
import { DATE_SOURCE, datesIn } from './dates-in-text.js';
import type { FlatText } from './text.js';

const AGE = /\b(\d{1,3})(?:[\s-]*(?:years?|yrs?\.?)[\s-]*old\b|[\s-]*(?:y\/o|yo)\b)(?:[\s,-]+(?:[a-z]+[\s-]+){0,2}?(male|female|man|woman|gentleman|lady|boy|girl)\b)?/iu;
const SEX_WORDS: Record<string, 'male' | 'female'> = { male: 'male', man: 'male', gentleman: 'male', boy: 'male', female: 'female', woman: 'female', lady: 'female', girl: 'female' };
const INJURY = new RegExp(
  `\\b(?:injur(?:y|ies)|injured(?!\\s+(?:worker|employee|party|patient|individual|claimant|person|man|woman|female|male))|DOI|accident)\\b[^.;]{0,60}?\\b(?:on|of|dated|from|was|:)\\s*(?:or about\\s+|approximately\\s+)?(${DATE_SOURCE})`,
  'iu',
);

export function summaryRule(ctx: ContentContext): Diagnostic[] {
  const section = summaryOf(ctx);
  if (!section) return [];
  const flat = ctx.text(section);
  return [...agreeAgeSex(ctx, flat), ...agreeInjury(ctx, flat)];
}

function agreeAgeSex(ctx: ContentContext, flat: FlatText): Diagnostic[] {
  const out: Diagnostic[] = [];
  const patient = obj(ctx.data.patient);
  const m = AGE.exec(flat.text);
  if (!patient || !m) return out;
  const stated = Number(m[1]);
  if (typeof patient.age === 'number' && !ctx.invalid(['patient', 'age']) && stated !== patient.age) {
    const start = m.index;
    out.push(
      diagnostic(ctx.file, flat.span(start, start + m[1]!.length), 'error', 'summary-age-mismatch', `The summary says the patient is ${stated} years old, but \`patient.age\` is ${patient.age}: correct one of them`),
    );
  }
  const word = m[2]?.toLowerCase();
  const sex = word ? SEX_WORDS[word] : undefined;
  if (sex && (patient.sex === 'male' || patient.sex === 'female') && !ctx.invalid(['patient', 'sex']) && sex !== patient.sex) {
    const start = m.index + m[0].length - m[2]!.length;
    out.push(
      diagnostic(ctx.file, flat.span(start, start + m[2]!.length), 'error', 'summary-sex-mismatch', `The summary says the patient is ${code(m[2])}, but \`patient.sex\` is \`${patient.sex}\`: correct one of them`),
    );
  }
  return out;
}

function agreeInjury(ctx: ContentContext, flat: FlatText): Diagnostic[] {
  const dates = obj(ctx.data.dates);
  const injury = dates?.injury;
  if (typeof injury !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(injury)) return [];
  const m = INJURY.exec(flat.text);
  if (!m) return [];
  const decision = typeof dates?.decision === 'string' ? Number(dates.decision.slice(0, 4)) : Number(injury.slice(0, 4)) + 5;
  // A range ("from 1/1/2010 to 5/5/2015", a cumulative trauma) states several dates: any may be the date of injury.
  const start = m.index + m[0].length - m[1]!.length;
  const sentenceEnd = flat.text.slice(start).search(/[.;](?:\s|$)/);
  const rest = flat.text.slice(start, sentenceEnd === -1 ? undefined : start + sentenceEnd);
  const stated = datesIn(rest, decision, start);
  if (!stated.length || stated.some((d) => d.iso === injury)) return [];
  const first = stated[0]!;
  return [
    diagnostic(
      ctx.file,
      flat.span(first.index, first.index + first.length),
      'warning',
      'summary-injury-date-mismatch',
      `The summary says the injury was on ${code(flat.text.slice(first.index, first.index + first.length))} (${first.iso}), but \`dates.injury\` is ${injury}: correct one of them`,
    ),
  ];
}
