/**
 * `decision-contradicts-rationale`: an item Upheld whose rationale concludes that the
 * treatment is medically necessary, or Overturned when it concludes it is not. The
 * printed decision and the reviewer's reasons must say the same thing.
 */
import { code, diagnostic, type Diagnostic } from '../../diagnostics.js';
import { conclusion } from './conclusion.js';
import { itemsOf, rationaleOf, type ContentContext } from './context.js';

const EXPECTED = { Upheld: 'not necessary', Overturned: 'necessary' } as const;

export function decisionRule(ctx: ContentContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { index, item, id } of itemsOf(ctx.data)) {
    const decision = item.decision;
    if (decision !== 'Upheld' && decision !== 'Overturned') continue;
    const section = rationaleOf(ctx, id);
    if (!section) continue;
    const flat = ctx.text(section);
    const modified = item.modified && typeof item.modified === 'object' ? (item.modified as Record<string, unknown>) : {};
    const names = [item.request, modified.remainder, modified.authorized].filter((v): v is string => typeof v === 'string');
    const found = conclusion(flat.text, names);
    if (!found || found.verdict === EXPECTED[decision]) continue;
    const says = found.verdict === 'necessary' ? 'is medically necessary' : 'is not medically necessary';
    const should = decision === 'Upheld' ? '`Overturned`' : '`Upheld`';
    out.push(
      diagnostic(
        ctx.file,
        flat.span(found.start, found.end),
        'error',
        'decision-contradicts-rationale',
        `The rationale of ${code(id)} concludes that the treatment ${says} (${code(found.phrase)}), but \`items[${index}].decision\` is \`${decision}\`: set the decision to ${should} or correct the rationale's conclusion`,
      ),
    );
  }
  return out;
}
