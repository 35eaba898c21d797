/**
 * Hover: on a frontmatter key or value, the field's description, its values and an
 * example from the case schema, titled with the field's name; on a rationale heading,
 * the item it explains.
 */
import { isScalar, visit, type Node as YamlNode, type Pair } from 'yaml';
import type { Hover, Position, Range } from 'vscode-languageserver';
import { formatPath, type PathKey } from '../check/validate.js';
import { pathOf } from './cursor.js';
import { inFrontmatter, offsetAt } from './document.js';
import type { Outline } from './outline.js';
import { documentation, schemasAt } from './schema.js';

export function hover(o: Outline, position: Position): Hover | undefined {
  if (o.fm && o.yaml && inFrontmatter(o.fm, position.line)) return hoverYaml(o, position);
  const section = o.sections.find((s) => s.heading.start.line === position.line);
  if (section?.kind === 'rationale') {
    const item = o.items.find((i) => i.id === section.id);
    const value = item
      ? `**Rationale of item ${item.index + 1}** · \`${section.id}\`\n\n${item.request ?? ''}${item.decision ? `: ${item.decision}` : ''}`
      : `**No item has the id \`${section.id}\`**`;
    return { contents: { kind: 'markdown', value }, range: section.heading };
  }
  return undefined;
}

function hoverYaml(o: Outline, position: Position): Hover | undefined {
  const offset = offsetAt(o.lines, position) - offsetAt(o.lines, { line: o.fm!.firstLine, character: 0 });
  const inside = (n: YamlNode | null | undefined) => Boolean(n?.range && n.range[0] <= offset && offset <= n.range[1]);
  let found: { path: PathKey[]; range: Range } | undefined;
  visit(o.yaml!, {
    Pair(_key, pair, ancestors) {
      const p = pair as Pair<YamlNode, YamlNode | null>;
      if (!isScalar(p.key)) return;
      const path = pathOf([...ancestors, p]);
      if (inside(p.key)) found = { path, range: o.yamlRange(p.key.range) };
      else if (isScalar(p.value) && inside(p.value)) found = { path, range: o.yamlRange(p.value.range) };
    },
    Seq(_key, seq, ancestors) {
      for (const [i, item] of seq.items.entries()) {
        if (isScalar(item) && inside(item as YamlNode)) found = { path: [...pathOf([...ancestors]), i], range: o.yamlRange((item as YamlNode).range) };
      }
    },
  });
  if (!found) return undefined;
  // A list entry is described by its list (`licensure`), a key by itself.
  let fieldPath = found.path;
  while (fieldPath.length && typeof fieldPath[fieldPath.length - 1] === 'number') fieldPath = fieldPath.slice(0, -1);
  const name = String(fieldPath[fieldPath.length - 1] ?? 'frontmatter');
  const schemas = schemasAt(fieldPath);
  if (!schemas.length) return undefined;
  return { contents: { kind: 'markdown', value: documentation(name, formatPath(fieldPath.map((k) => (typeof k === 'number' ? 0 : k))).replace(/\[0\]/g, '[]'), schemas) }, range: found.range };
}
