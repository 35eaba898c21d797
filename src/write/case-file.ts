/**
 * Writing a case file: the one writer of the format `src/read/frontmatter.ts` splits and
 * `src/check/` reads. The frontmatter is a yaml `Document` (the yaml package's document
 * API: it quotes what needs quoting, and keeps comments), then the Markdown body.
 *
 * ```ts
 * formatCaseFile({ data, header: ['Synthetic case'], notes: [{ path: ['patient', 'age'], text: 'stated in the summary' }], body });
 * ```
 */
import { Document, isPair, isScalar, Scalar, type Node as YamlNode } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface CaseFileParts {
  /** The frontmatter's values, in the order they are written. */
  data: object;
  /** Comment lines at the top of the frontmatter (without `#`). */
  header?: readonly string[];
  /** Comments at the end of a value's line (without `#`). */
  notes?: readonly { path: YamlPath; text: string }[];
  /** Comment lines before a key (without `#`): for a value left out, say. */
  keyComments?: readonly { path: YamlPath; text: string }[];
  /** Lists written on one line, `[a, b]` (default: none). */
  flow?: readonly YamlPath[];
  /** The Markdown body after the frontmatter. */
  body: string;
}

/** Break marks (U+200B and the soft hyphen U+00AD, see the importer) are written as escapes, so they stay visible. */
const BREAKS = ['\u200B', '\u00AD'];

export function formatCaseFile(parts: CaseFileParts): string {
  const doc = new Document(parts.data);
  for (const p of parts.flow ?? []) {
    const node = doc.getIn(p, true) as { flow?: boolean } | undefined;
    if (node && typeof node === 'object') node.flow = true;
  }
  for (const k of parts.keyComments ?? []) {
    const map = doc.getIn(k.path.slice(0, -1), true) as { items?: unknown[] } | undefined;
    const pair = map?.items?.find((p) => isPair(p) && isScalar(p.key) && p.key.value === k.path[k.path.length - 1]);
    if (isPair(pair) && isScalar(pair.key)) pair.key.commentBefore = ` ${k.text}`;
  }
  for (const n of parts.notes ?? []) {
    const node = doc.getIn(n.path, true) as YamlNode | undefined;
    if (node && typeof node === 'object') node.comment = ` ${n.text}`;
  }
  // A value holding a break mark is double-quoted, where its escape can be written.
  const visit = (node: unknown): void => {
    if (isScalar(node)) {
      if (typeof node.value === 'string' && BREAKS.some((b) => (node.value as string).includes(b))) node.type = Scalar.QUOTE_DOUBLE;
      return;
    }
    const items = (node as { items?: unknown[] } | null)?.items;
    for (const item of items ?? []) visit(isPair(item) ? item.value : item);
  };
  visit(doc.contents);
  const header = (parts.header ?? []).map((line) => `# ${line}`.trimEnd()).join('\n');
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/[\u200B\u00AD]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return `---\n${header ? `${header}\n` : ''}${yaml}---\n${parts.body}`;
}
