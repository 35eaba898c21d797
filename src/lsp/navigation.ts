/**
 * The outline of a case file (document symbols: the frontmatter with each item, the
 * summary, each rationale) and go-to-definition between an item's id and its
 * `# Rationale: <id>` heading, both ways.
 */
import { SymbolKind, type DocumentSymbol, type Location, type Position, type Range } from 'vscode-languageserver';
import { RATIONALE_PREFIX, SUMMARY_HEADING } from '../check/sections.js';
import type { Outline } from './outline.js';

const contains = (r: Range, p: Position) =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function symbols(o: Outline): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  if (o.fm) {
    const closeLine = o.fm.close ?? o.lines.length - 1;
    const scalar = (key: string) => {
      const node = o.topLevel.find((t) => t.key === key)?.node as { value?: unknown } | null | undefined;
      return node?.value === undefined || node.value === null ? undefined : String(node.value);
    };
    const children: DocumentSymbol[] = o.topLevel.map((t) => {
      const symbol: DocumentSymbol = { name: t.key, kind: t.key === 'items' ? SymbolKind.Array : SymbolKind.Property, range: t.range, selectionRange: t.keyRange };
      if (t.key === 'items') {
        symbol.children = o.items.map((item) => ({
          name: item.id ?? `items[${item.index}]`,
          detail: [item.request, item.decision].filter(Boolean).join(': '),
          kind: SymbolKind.Object,
          range: item.range,
          selectionRange: item.idRange,
        }));
      }
      return symbol;
    });
    const name = [scalar('case') ?? 'Case', scalar('revision') && `revision ${scalar('revision')}`, scalar('status')].filter(Boolean).join(' · ');
    const range = { start: { line: 0, character: 0 }, end: { line: closeLine, character: (o.lines[closeLine] ?? '').length } };
    out.push({ name, detail: 'frontmatter', kind: SymbolKind.Module, range, selectionRange: { start: range.start, end: { line: 0, character: 3 } }, children });
  }
  for (const s of o.sections) {
    const item = o.items.find((i) => i.id === s.id);
    out.push({
      name: s.kind === 'summary' ? SUMMARY_HEADING : `${RATIONALE_PREFIX} ${s.id}`,
      detail: s.kind === 'rationale' && item ? [item.request, item.decision].filter(Boolean).join(': ') : undefined,
      kind: s.kind === 'summary' ? SymbolKind.String : SymbolKind.Method,
      range: s.range,
      selectionRange: s.heading,
    });
  }
  return out;
}

/** From an item's id to its rationale heading, and from a rationale heading to its item's id. */
export function definition(o: Outline, uri: string, position: Position): Location[] {
  const heading = o.sections.find((s) => s.kind === 'rationale' && contains(s.heading, position));
  if (heading) {
    return o.items.filter((i) => i.id === heading.id).map((i) => ({ uri, range: i.idRange }));
  }
  const item = o.items.find((i) => i.id !== undefined && (contains(i.idRange, position) || (i.idRange.start.line === position.line && position.character <= i.idRange.end.character)));
  if (item) {
    return o.sections.filter((s) => s.kind === 'rationale' && s.id === item.id).map((s) => ({ uri, range: s.heading }));
  }
  return [];
}
