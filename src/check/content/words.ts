/**
 * `section-no-words`: a section whose text has no letter or digit (only a bullet, a `>`,
 * punctuation or an invisible character) prints an empty "Decision rationale:".
 *
 * `rationale-off-topic` (warning): a rationale that never names its item's treatment —
 * none of the salient words (drug, procedure, body part; not doses, counts, frequencies
 * or filler) of its request, modified parts or cited guideline sections appears in it,
 * even as a word's first `STEM` letters — and names another item's instead: the
 * rationales of two items swapped or pasted under the wrong heading.
 */
import { code, diagnostic, type Diagnostic } from '../../diagnostics.js';
import { SUMMARY_HEADING, RATIONALE_PREFIX, nodeSpan } from '../sections.js';
import { itemsOf, rationaleOf, type ContentContext } from './context.js';

/** Letters of a word compared (default 5: `injection` matches `injections`). */
export const STEM = 5;

const FILLER = new Set(
  `the a an of for and or with to in on at by per as from x each every both
  right left bilateral request requested requesting retrospective retro prospective additional initial continued continue
  unknown unspecified outpatient inpatient purchase rental rent trial times time sessions session visits visit
  count quantity qty supply day days daily week weeks weekly month months monthly hour hours year years
  one two three four five six seven eight nine ten twelve once twice dos date service refill refills
  mg mcg ml gm gram grams tab tabs tablet tablets cap caps capsule capsules patch patches unit units
  bid tid qid prn qhs po use using apply needed dose doses box bottle tube
  pain chronic treatment treatments guideline guidelines medical medication medications summary introduction
  general approach approaches management clinical criteria section sections page pages chapter
  include includes including take orally oral post pre associated surgical service services back`.split(/\s+/),
);

export function salientWords(request: string): string[] {
  const words = request.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
  return [...new Set(words.map((w) => w.toLowerCase().replace(/['’]s$/u, '')).filter((w) => (w.length >= 3 || /^[A-Z]{2}$/u.test(w.toUpperCase())) && !FILLER.has(w)))];
}

function names(text: string, words: readonly string[]): boolean {
  const present = new Set((text.toLowerCase().match(/[\p{L}][\p{L}]*/gu) ?? []).map((w) => w.slice(0, STEM)));
  return words.some((w) => w.split(/[-'’]/u).some((part) => part.length >= 2 && present.has(part.slice(0, STEM))));
}

/** The words that name an item's treatment: its request's, its modified parts', and its guidelines' section titles. */
function ownWords(item: Record<string, unknown>): string[] {
  const modified = item.modified && typeof item.modified === 'object' ? (item.modified as Record<string, unknown>) : {};
  const texts = [item.request, modified.remainder, modified.authorized].filter((v): v is string => typeof v === 'string');
  for (const key of ['imroGuideline', 'claimsAdministratorGuideline']) {
    const list = Array.isArray(item[key]) ? (item[key] as unknown[]) : [];
    for (const c of list) {
      const t = c && typeof c === 'object' ? Object.values(c as Record<string, unknown>).find((v) => typeof v === 'string') : undefined;
      const section = typeof t === 'string' ? /Section\(s\):\s*(.*)$/iu.exec(t)?.[1] : undefined;
      if (section) texts.push(section);
    }
  }
  return [...new Set(texts.flatMap(salientWords))];
}

export function wordsRule(ctx: ContentContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of ctx.sections) {
    const blank = s.children.every((c) => c.type === 'paragraph' && !/\S/u.test(ctx.text({ ...s, children: [c] }).text));
    if (s.children.length === 0 || blank) continue; // `empty-section` says so
    if (/[\p{L}\p{N}]/u.test(ctx.text(s).text)) continue;
    const title = s.kind === 'summary' ? SUMMARY_HEADING : `${RATIONALE_PREFIX} ${s.id}`;
    out.push(diagnostic(ctx.file, nodeSpan(s.heading), 'error', 'section-no-words', `The section ${code(`# ${title}`)} has no words, only marks or invisible characters: it would print empty; write its text`));
  }
  const items = itemsOf(ctx.data).map((entry) => ({ ...entry, words: ownWords(entry.item) }));
  for (const { index, item, id, words } of items) {
    const section = rationaleOf(ctx, id);
    const request = salientWords(String(item.request ?? ''));
    if (!section || !words.length) continue;
    const text = ctx.text(section).text;
    if (!/[\p{L}]/u.test(text) || names(text, words)) continue;
    // Only when it names another item's treatment: a rationale may say "the requested
    // medication" throughout (a third of single-item rationales do, in the corpus).
    const others = items.filter((o) => o.id !== id).flatMap((o) => salientWords(String(o.item.request ?? '')).filter((w) => !words.some((own) => own.slice(0, STEM) === w.slice(0, STEM))));
    const named = others.filter((w) => names(text, [w]));
    if (!named.length) continue;
    out.push(
      diagnostic(
        ctx.file,
        nodeSpan(section.heading),
        'warning',
        'rationale-off-topic',
        `The rationale of ${code(id)} never names its treatment (${request.slice(0, 4).map((w) => code(w)).join(', ') || code(item.request)} from \`items[${index}].request\`) but names another item's (${named.slice(0, 3).map((w) => code(w)).join(', ')}): is it that item's rationale?`,
      ),
    );
  }
  return out;
}
