/**
 * Markdown sections of a case → sanitised HTML.
 *
 * Case text is data: raw HTML is dropped (the check already refuses it), everything
 * else goes through rehype-sanitize's GitHub schema. Line breaking follows Word, in
 * which the real letters were written: a line may break after a hyphen even before a
 * digit (`10-30-` / `2016`), which browsers do not do on their own; a `<wbr>` after
 * such hyphens allows it, so text in letter metrics wraps where the originals wrap.
 */
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import type { Root as MdRoot, RootContent, PhrasingContent } from 'mdast';
import type { Root as HastRoot, ElementContent, Element, Text } from 'hast';

const processor = unified()
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(() => (tree: HastRoot) => wordBreaks(tree))
  .use(rehypeStringify);

/** Renders Markdown block nodes to HTML; `label` (bold) starts the first paragraph. */
export function markdownToHtml(nodes: readonly RootContent[], label?: string): string {
  const children = structuredClone(nodes as RootContent[]);
  if (label) {
    const lead: PhrasingContent[] = [{ type: 'strong', children: [{ type: 'text', value: label }] }, { type: 'text', value: ' ' }];
    const first = children[0];
    if (first && first.type === 'paragraph') first.children.unshift(...lead);
    else children.unshift({ type: 'paragraph', children: lead.slice(0, 1) });
  }
  const root: MdRoot = { type: 'root', children };
  const hast = processor.runSync(root) as HastRoot;
  return processor.stringify(hast).trim();
}

const HYPHEN_BREAK = /(?<=[\p{L}\p{N}]-)(?=\p{N})/gu;

function wordBreaks(node: HastRoot | Element): void {
  const out: ElementContent[] = [];
  let changed = false;
  for (const child of node.children as ElementContent[]) {
    if (child.type === 'text' && HYPHEN_BREAK.test(child.value)) {
      HYPHEN_BREAK.lastIndex = 0;
      const parts = child.value.split(HYPHEN_BREAK);
      parts.forEach((part, i) => {
        if (i > 0) out.push({ type: 'element', tagName: 'wbr', properties: {}, children: [] });
        out.push({ type: 'text', value: part } satisfies Text);
      });
      changed = true;
    } else {
      if (child.type === 'element') wordBreaks(child);
      out.push(child);
    }
  }
  if (changed) node.children = out as typeof node.children;
}

/** Escapes text for HTML and adds the same Word-like break chances as `markdownToHtml`. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.replace(HYPHEN_BREAK, '<wbr>');
}
