/**
 * Markdown sections of a case → sanitised HTML.
 *
 * Case text is data: raw HTML is dropped (the check already refuses it), everything
 * else goes through rehype-sanitize's GitHub schema. Line breaking follows Word, in
 * which the real letters were written (see `breakRuns`), so text in letter metrics wraps
 * where the originals wrap.
 */
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import type { Root as MdRoot, RootContent, PhrasingContent } from 'mdast';
import type { Root as HastRoot, ElementContent, Element, Text } from 'hast';
import { escapeHtml } from '../html.js';

const processor = unified()
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(() => (tree: HastRoot) => wordBreaks(tree))
  .use(rehypeStringify);

/** Renders Markdown block nodes to HTML; `label` (bold) starts the first paragraph. */
export function markdownToHtml(nodes: readonly RootContent[], label?: string): string {
  // The case's nodes are not copied: mdast-util-to-hast makes new hast nodes and never
  // changes the tree it reads; only the first paragraph gets the label, in a copy.
  const children = [...nodes];
  if (label) {
    const lead: PhrasingContent[] = [{ type: 'strong', children: [{ type: 'text', value: label }] }, { type: 'text', value: ' ' }];
    const first = children[0];
    if (first && first.type === 'paragraph') children[0] = { ...first, children: [...lead, ...first.children] };
    else children.unshift({ type: 'paragraph', children: lead.slice(0, 1) });
  }
  const root: MdRoot = { type: 'root', children };
  const hast = processor.runSync(root) as HastRoot;
  return processor.stringify(hast).trim();
}

/**
 * Line breaks at hyphens, as in Word, which set the posted letters: a word with a
 * hyphen between digits (`10-30-2016`, `L4-5`) is kept on one line, except where the
 * text marks a break chance with U+200B ZERO WIDTH SPACE (written `&#x200B;` in a case
 * file: the importer puts one wherever a posted original broke such a word at the end of
 * a line). Hyphens between letters break as browsers break them. Two spaces between
 * words (the posted letters' two spaces after a sentence) keep their width: they are
 * set in a `.sp` span whose spaces are preserved and, as in Word, hang at a line end.
 */
type Run = { text: string; nobr: boolean; spaces?: true } | 'wbr';

/**
 * The longest word kept on one line, in characters: 24 characters of the widest letters
 * of 12 pt Tinos take about 270 pt, which a line holds even in a list nested five deep.
 * The posted letters' longest such word has 17 characters. A longer one breaks at its
 * hyphens, like a word without digits, or between any two characters if it must
 * (`overflow-wrap: anywhere` in styles/letter.css), so no text runs past the margin.
 */
export const NOBR_MAX = 24;

const DIGIT_HYPHEN_WORD = /[^\s\u200B]*\p{N}-\u200B?\p{N}[^\s]*/gu;

export function breakRuns(text: string): Run[] {
  const runs: Run[] = [];
  let last = 0;
  const plain = (t: string) => {
    t.split('\u200B').forEach((part, i) => {
      if (i > 0) runs.push('wbr');
      // Two spaces between words (after a sentence, as the posted letters have them) keep their width.
      part.split(/( {2,}(?=\S))/).forEach((piece, k) => {
        if (k % 2) runs.push({ text: piece, nobr: false, spaces: true });
        else if (piece) runs.push({ text: piece, nobr: false });
      });
    });
  };
  for (const m of text.matchAll(DIGIT_HYPHEN_WORD)) {
    plain(text.slice(last, m.index));
    m[0].split('\u200B').forEach((part, i) => {
      if (i > 0) runs.push('wbr');
      if (part) runs.push({ text: part, nobr: [...part].length <= NOBR_MAX });
    });
    last = m.index + m[0].length;
  }
  plain(text.slice(last));
  return runs;
}

function wordBreaks(node: HastRoot | Element): void {
  const out: ElementContent[] = [];
  let changed = false;
  for (const child of node.children as ElementContent[]) {
    if (child.type === 'text' && (child.value.includes('\u200B') || /\p{N}-\p{N}|\S {2,}\S/u.test(child.value))) {
      for (const run of breakRuns(child.value)) {
        if (run === 'wbr') out.push({ type: 'element', tagName: 'wbr', properties: {}, children: [] });
        else if (run.spaces) out.push({ type: 'element', tagName: 'span', properties: { className: ['sp'] }, children: [{ type: 'text', value: run.text } satisfies Text] });
        else if (run.nobr) out.push({ type: 'element', tagName: 'span', properties: { className: ['nobr'] }, children: [{ type: 'text', value: run.text } satisfies Text] });
        else out.push({ type: 'text', value: run.text } satisfies Text);
      }
      changed = true;
    } else {
      if (child.type === 'element') wordBreaks(child);
      out.push(child);
    }
  }
  if (changed) node.children = out as typeof node.children;
}


/** Escapes text for HTML, with the same line-break rules as `markdownToHtml`. */
export function textToHtml(text: string): string {
  return breakRuns(text)
    .map((run) => (run === 'wbr' ? '<wbr>' : run.nobr ? `<span class="nobr">${escapeHtml(run.text)}</span>` : run.spaces ? `<span class="sp">${run.text}</span>` : escapeHtml(run.text)))
    .join('');
}
