/** `duplicate-state`: a state (or specialty) listed twice in the reviewer's credentials. */
import { code, diagnostic, type Diagnostic } from '../../diagnostics.js';
import { obj, type ContentContext } from './context.js';

export function listsRule(ctx: ContentContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reviewer = obj(ctx.data.reviewer);
  for (const [key, what] of [['licensure', 'state'], ['specialties', 'specialty']] as const) {
    const list = reviewer?.[key];
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((v, i) => {
      if (typeof v !== 'string') return;
      const norm = v.trim().toLowerCase();
      const first = seen.get(norm);
      if (first === undefined) seen.set(norm, i);
      else out.push(diagnostic(ctx.file, ctx.at(['reviewer', key, i]), 'error', `duplicate-${what}`, `The ${what} ${code(v)} is listed twice in \`reviewer.${key}\` (also \`reviewer.${key}[${first}]\`): the letter would print it twice; remove one`));
    });
  }
  return out;
}
