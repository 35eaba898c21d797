/**
 * The structure of a case file for the editor, read leniently (half-written YAML
 * included): the items with their ids, and the body's sections. Document symbols,
 * go-to-definition, hover on headings and the "add a rationale" fix use it.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type Pair } from 'yaml';
import type { Position, Range } from 'vscode-languageserver';
import { parseCase } from '../check/parse.js';
import { findSections } from '../check/sections.js';
import { frontmatter, splitLines, type Frontmatter } from './document.js';

export interface OutlineItem {
  index: number;
  id: string | undefined;
  /** Where the id's value is (or the item, without one). */
  idRange: Range;
  range: Range;
  request: string | undefined;
  decision: string | undefined;
}

export interface OutlineSection {
  kind: 'summary' | 'rationale';
  id: string;
  heading: Range;
  /** From the heading to the line before the next section (or the end). */
  range: Range;
}

export interface Outline {
  lines: string[];
  fm: Frontmatter | undefined;
  /** The YAML, parsed whatever its errors. */
  yaml: Document | undefined;
  /** An LSP position for an offset in the YAML. */
  yamlPos: (offset: number) => Position;
  yamlRange: (range: readonly [number, number, number?] | null | undefined) => Range;
  topLevel: { key: string; range: Range; keyRange: Range; node: YamlNode | null }[];
  items: OutlineItem[];
  sections: OutlineSection[];
}

export function outline(file: string, text: string): Outline {
  const lines = splitLines(text);
  const fm = frontmatter(lines);
  const counter = new LineCounter();
  const yaml = fm ? parseDocument(fm.yaml, { lineCounter: counter, uniqueKeys: false, strict: false }) : undefined;
  const yamlPos = (offset: number): Position => {
    const p = counter.linePos(offset);
    return { line: p.line - 1 + (fm?.firstLine ?? 1), character: p.col - 1 };
  };
  const yamlRange = (r: readonly [number, number, number?] | null | undefined): Range => {
    if (!r) return { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
    let end = r[1];
    while (end > r[0] && /\s/.test(fm!.yaml[end - 1] ?? '')) end--;
    return { start: yamlPos(r[0]), end: yamlPos(end) };
  };
  const topLevel: Outline['topLevel'] = [];
  const items: OutlineItem[] = [];
  const root = yaml?.contents;
  if (isMap(root)) {
    for (const pair of root.items as Pair<YamlNode, YamlNode | null>[]) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const end = pair.value?.range ?? pair.key.range;
      topLevel.push({ key: String(pair.key.value), keyRange: yamlRange(pair.key.range), range: yamlRange([pair.key.range[0], end[1]]), node: pair.value });
      if (pair.key.value === 'items' && isSeq(pair.value)) items.push(...outlineItems(pair.value.items as YamlNode[], yamlRange));
    }
  }
  const parsed = parseCase({ file, text });
  const { sections } = findSections(file, parsed.body, items.map((i) => i.id ?? ''), text);
  const lastLine = Math.max(0, lines.length - 1);
  const outSections: OutlineSection[] = sections.map((s, k) => {
    const p = s.heading.position!;
    const next = sections[k + 1]?.heading.position?.start.line;
    const endLine = next === undefined ? lastLine : Math.max(p.start.line - 1, next - 2);
    return {
      kind: s.kind,
      id: s.id,
      heading: { start: { line: p.start.line - 1, character: p.start.column - 1 }, end: { line: p.end.line - 1, character: p.end.column - 1 } },
      range: { start: { line: p.start.line - 1, character: 0 }, end: { line: endLine, character: (lines[endLine] ?? '').length } },
    };
  });
  return { lines, fm, yaml, yamlPos, yamlRange, topLevel, items, sections: outSections };
}

function outlineItems(nodes: readonly YamlNode[], yamlRange: Outline['yamlRange']): OutlineItem[] {
  return nodes.map((node, index) => {
    const get = (key: string): YamlNode | undefined => {
      if (!isMap(node)) return undefined;
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      return (pair?.value as YamlNode | null | undefined) ?? undefined;
    };
    const scalar = (key: string) => {
      const n = get(key);
      return isScalar(n) && n.value !== null ? String(n.value) : undefined;
    };
    const idNode = get('id');
    return {
      index,
      id: scalar('id'),
      idRange: yamlRange(idNode?.range ?? node?.range),
      range: yamlRange(node?.range),
      request: scalar('request'),
      decision: scalar('decision'),
    };
  });
}
