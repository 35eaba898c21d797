/**
 * What a rationale concludes: the treatment is medically necessary, or it is not.
 *
 * A general classifier over the rationale's closing sentences, with negation:
 *
 * - **Strong cues** say so outright: "medically necessary", "a medical necessity",
 *   "(is|be|deemed|…) necessary", "unnecessary", "medical necessity … (not) established",
 *   "reversing / upholding the prior decision".
 * - **Weak cues** are used only when no sentence has a strong one, in the last
 *   `WEAK_SENTENCES` sentences, as predicates: "is (not) recommended", "be supported",
 *   "deemed indicated", "warranted", "established", "certified", "appropriate" (not
 *   "the number recommended for a trial").
 * - **Negation**: a cue is negative when its clause (back to a comma, a semicolon or a
 *   `but`/`however`/`although`…, at most `WINDOW` words) holds `not`, `no`, `cannot`,
 *   `n't`, `nor`, `without`, `lack of`, `absent`, `fails to`…; for the noun "medical
 *   necessity" the clause after it counts too ("medical necessity has not been established").
 *
 * The conclusion is the last sentence holding a strong cue (else a weak one); when its
 * cues disagree, the last one decides if it closes the sentence, else ("X is medically
 * necessary but Y is not") there is no conclusion.
 */
import { sentences } from './text.js';

export type Verdict = 'necessary' | 'not necessary';

export interface Conclusion {
  verdict: Verdict;
  /** Where the deciding phrase is, in the text given. */
  start: number;
  end: number;
  phrase: string;
}

/** Words looked back (and, for "medical necessity", ahead) within a clause (default 12). */
export const WINDOW = 12;
/** Closing sentences searched for weak cues when no sentence has a strong one (default 3). */
export const WEAK_SENTENCES = 3;
/** When a sentence's cues disagree, its last cue decides if at most this many words follow it (default 4). */
export const TAIL_WORDS = 4;

const STRONG = [
  /\bmedically\s+(?:un)?(?:necessary|appropriate|indicated|reasonable|warranted)\b/giu,
  /\b(?:a\s+)?medical\s+necessity\b/giu,
  /\b(?:is|are|was|were|be|been|being|as|deemed|considered|appears?|seems?|remains?|not)\s+(?:un)?necessary\b/giu,
  /\bunnecessary\b/giu,
  /\b(?:revers(?:e|es|ed|ing)|overturn(?:s|ed|ing)?|uphold(?:s|ing)?|upheld)\s+(?:the\s+)?(?:prior|previous|original|initial|UR\b|utilization)/giu,
];
const WEAK = /\b(?:is|are|was|were|be|been|being|deemed|considered|appears?|seems?|remains?)\s+(?:not\s+|no\s+longer\s+)?(?:(?:un|non-?)?(?:recommended|supported|indicated|warranted|certified|established|approved|appropriate|justified|substantiated|reasonable))\b/giu;
const NEGATION = /\b(?:not|no|never|cannot|nor|neither|without|lacks?|lacking|absent|absence|fails?|failed|unable|insufficient|inadequate|none|nothing)\b|n['’]t\b/iu;
const NEGATIVE_CUE = /^(?:un|non)|unnecessary|\buphold|\bupheld/iu;
const BOUNDARY = /[,;:()—–]|\b(?:but|however|although|though|whereas|while|because|since|unless|and|or|if|until)\b/giu;

interface Cue {
  start: number;
  end: number;
  phrase: string;
  negative: boolean;
}

/** A clause's words, less the masked treatment name (`xxxx`): a long name does not push the verb out of the window. */
const words = (clause: string) => clause.split(/\s+/u).filter((w) => w && !/^x+$/u.test(w));

function clauseBefore(sentence: string, at: number): string {
  const before = sentence.slice(0, at);
  let cut = 0;
  for (const m of before.matchAll(BOUNDARY)) cut = m.index + m[0].length;
  return words(before.slice(cut)).slice(-WINDOW).join(' ');
}

function clauseAfter(sentence: string, at: number): string {
  const after = sentence.slice(at);
  const m = new RegExp(BOUNDARY.source, 'iu').exec(after);
  return words(m ? after.slice(0, m.index) : after).slice(0, WINDOW).join(' ');
}

function cuesIn(sentence: string, patterns: readonly RegExp[]): Cue[] {
  const cues: Cue[] = [];
  for (const re of patterns) {
    for (const m of sentence.matchAll(re)) {
      if (cues.some((c) => m.index < c.end && c.start < m.index + m[0].length)) continue;
      const phrase = m[0];
      const core = phrase.replace(/^(?:is|are|was|were|be|been|being|as|deemed|considered|appears?|seems?|remains?)\s+/iu, '');
      let negative = NEGATIVE_CUE.test(core.replace(/^(?:medically|a|not|no\s+longer)\s+/iu, '')) || /^(?:not|no\s+longer)\s/iu.test(core);
      if (/\b(?:revers|overturn)/iu.test(phrase)) negative = false;
      else if (!negative) {
        negative = NEGATION.test(clauseBefore(sentence, m.index));
        if (!negative && /^medical\s+necessity/iu.test(phrase)) negative = NEGATION.test(clauseAfter(sentence, m.index + phrase.length));
      }
      cues.push({ start: m.index, end: m.index + phrase.length, phrase, negative });
    }
  }
  return cues;
}

/** Words of a treatment's own name that read as negation ("MRI without contrast", "non-weight bearing"). */
const NAME_NEGATION = /\bwith(?:out)?\s+(?:contrast|dye|sedation|anesthesia|guidance)\b/giu;

/** `text` with each of `names` (the request, its parts) and `NAME_NEGATION` blanked out, offsets kept. */
function mask(text: string, names: readonly string[]): string {
  let out = text.replace(NAME_NEGATION, (m) => m.replace(/\S/gu, 'x'));
  for (const name of names) {
    const words = name.trim().split(/\s+/u).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (words.length < 2) continue;
    out = out.replace(new RegExp(words.join('\\s+'), 'giu'), (m) => m.replace(/\S/gu, 'x'));
  }
  return out;
}

/**
 * The rationale's conclusion, or undefined when it states none or states both.
 * `names`: the treatment's own words (request, remainder), so that "without contrast"
 * in its name reads as no negation.
 */
export function conclusion(text: string, names: readonly string[] = []): Conclusion | undefined {
  const original = text;
  text = mask(text, names);
  const list = sentences(text);
  const decide = (s: { start: number; text: string }, cues: Cue[]): Conclusion | undefined => {
    const last = cues.reduce((a, b) => (b.start > a.start ? b : a));
    let negative = cues.filter((c) => c.negative).length;
    if (negative !== 0 && negative !== cues.length) {
      // Mixed: the main clause's verdict when it closes the sentence ("As … would be necessary, X is not medically necessary.").
      if (s.text.slice(last.end).trim().split(/\s+/u).filter(Boolean).length > TAIL_WORDS) return undefined;
      negative = last.negative ? 1 : 0;
    }
    const start = s.start + last.start;
    return { verdict: negative ? 'not necessary' : 'necessary', start, end: s.start + last.end, phrase: original.slice(start, s.start + last.end) };
  };
  for (let i = list.length - 1; i >= 0; i--) {
    const cues = cuesIn(list[i]!.text, STRONG);
    if (cues.length) return decide(list[i]!, cues);
  }
  for (let i = list.length - 1; i >= Math.max(0, list.length - WEAK_SENTENCES); i--) {
    const cues = cuesIn(list[i]!.text, [WEAK]);
    if (cues.length) return decide(list[i]!, cues);
  }
  return undefined;
}
