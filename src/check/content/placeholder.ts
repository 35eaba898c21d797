/**
 * `placeholder-text`: words left for later in a letter — `TBD`, `TODO`, `FIXME`, `XXX`,
 * `[insert …]`, `<insert …>`, `lorem ipsum`, `???` — in the body or any
 * frontmatter text. An error in a final letter, a warning in a draft (a reminder).
 * (`{{…}}` is not one: it is text like any other, printed as written, never run.)
 */
import { isScalar, visit, type Document } from 'yaml';
import { code, diagnostic, type Diagnostic, type Span } from '../../diagnostics.js';
import type { ContentContext } from './context.js';

export const PLACEHOLDER = /\b(?:TBD|TBA|TODO|FIXME|XX{2,})\b|\[\s*(?:insert|add|enter|fill(?:\s+in)?|placeholder|to\s+(?:come|do|be\s+\w+)|name|date|tbd|todo|x+)\b[^\]\n]{0,80}\]|<\s*(?:insert|placeholder|fill)[^>\n]{0,80}>|\blorem\s+ipsum\b|\?{3,}/giu;

/**
 * What every `PLACEHOLDER` match contains (with the same flags, so the same case folding):
 * text without any of these has no placeholder, found a hundred times faster.
 */
const MAY_HOLD = /tb[da]|todo|fixme|xxx|[[<]|lorem|\?\?\?/iu;

function message(found: string, final: boolean): string {
  return `Placeholder ${code(found)} in ${final ? 'a final letter' : 'a draft'}: write the text it stands for${final ? ' before the letter is issued' : ''}`;
}

export function placeholderRule(ctx: ContentContext, doc: Document.Parsed | undefined, yamlSpan: (r: readonly [number, number]) => Span): Diagnostic[] {
  const final = ctx.data.status !== 'draft';
  const severity = final ? 'error' : 'warning';
  const out: Diagnostic[] = [];
  for (const section of ctx.sections) {
    const flat = ctx.text(section);
    if (!MAY_HOLD.test(flat.text)) continue;
    for (const m of flat.text.matchAll(PLACEHOLDER)) out.push(diagnostic(ctx.file, flat.span(m.index, m.index + m[0].length), severity, 'placeholder-text', message(m[0], final)));
  }
  if (doc) {
    visit(doc, {
      Scalar(_key, node) {
        if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !MAY_HOLD.test(node.value)) return;
        const first = [...node.value.matchAll(PLACEHOLDER)][0];
        if (first) out.push(diagnostic(ctx.file, yamlSpan([node.range[0], node.range[1]]), severity, 'placeholder-text', message(first[0], final)));
      },
    });
  }
  return out;
}
