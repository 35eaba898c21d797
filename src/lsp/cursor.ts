/**
 * Where the cursor stands in the frontmatter's YAML, as a schema path, while the
 * author types (the YAML is often half-written then).
 *
 * The partial word at the cursor is replaced by a marker and the YAML parsed; the
 * marker's place in the tree gives the path. The yaml parser keeps building the tree
 * past errors; when it loses the marker anyway, the lines after the cursor are dropped
 * and it tries again.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node as YamlNode, type Pair } from 'yaml';
import type { PathKey } from '../check/validate.js';

const MARKER = 'imrLettersCursor0';

export interface CursorContext {
  /** `key`: a key of the mapping at `path` (or, in a list, a value of it); `value`: the value at `path`. */
  kind: 'key' | 'value';
  path: PathKey[];
  /** The other keys of that mapping (not offered again). */
  siblings: string[];
  /** True when the marker is alone in a new list entry (`- |`): the entry may be a value as well as a mapping. */
  listEntry: boolean;
  /** Column where the partial word being completed starts (it ends at the cursor). */
  from: number;
}

const VALUE_LINE = /^(\s*(?:-[ \t]+)*)([A-Za-z_][\w-]*)[ \t]*:[ \t]+(.*)$/;
const KEY_LINE = /^(\s*(?:-[ \t]+)*)([\w-]*)$/;

/**
 * The context at `character` of `line` (0-based, counted within the YAML's lines).
 * Undefined in a comment, a flow mapping or a multi-line value.
 */
export function cursorContext(yamlLines: readonly string[], line: number, character: number): CursorContext | undefined {
  const prefix = (yamlLines[line] ?? '').slice(0, character);
  if (/(^|\s)#/.test(prefix.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
  const value = VALUE_LINE.exec(prefix);
  if (value) {
    const [, lead, key, rest] = value as unknown as [string, string, string, string];
    if (rest.startsWith('{') || rest.startsWith('|') || rest.startsWith('>')) return undefined;
    if (rest.startsWith('[')) {
      const last = Math.max(rest.lastIndexOf('['), rest.lastIndexOf(','));
      const partial = rest.slice(last + 1).replace(/^[ \t]*/, '');
      const found = find(yamlLines, line, `${lead}${key}: [${MARKER}]`, 'value');
      return found && { ...found, from: character - partial.length };
    }
    const partial = rest.replace(/^["']/, '');
    const found = find(yamlLines, line, `${lead}${key}: ${MARKER}`, 'value');
    return found && { ...found, from: character - partial.length };
  }
  const key = KEY_LINE.exec(prefix);
  if (key) {
    const [, lead, partial] = key as unknown as [string, string, string];
    const found = find(yamlLines, line, `${lead}${MARKER}:`, 'key');
    return found && { ...found, from: character - partial.length };
  }
  return undefined;
}

function find(yamlLines: readonly string[], line: number, replacement: string, kind: CursorContext['kind']): Omit<CursorContext, 'from'> | undefined {
  const lines = [...yamlLines];
  lines[line] = replacement;
  return locateMarker(lines.join('\n'), kind) ?? locateMarker(lines.slice(0, line + 1).join('\n'), kind);
}

function locateMarker(text: string, kind: CursorContext['kind']): Omit<CursorContext, 'from'> | undefined {
  const doc = parseDocument(text, { uniqueKeys: false, strict: false });
  let result: Omit<CursorContext, 'from'> | undefined;
  visit(doc, {
    Pair(_key, pair, ancestors) {
      if (kind !== 'key' || !isScalar(pair.key) || pair.key.value !== MARKER) return undefined;
      const map = ancestors[ancestors.length - 1];
      const siblings = isMap(map) ? map.items.filter((p) => p !== pair && isScalar(p.key)).map((p) => String((p.key as { value: unknown }).value)) : [];
      const parent = ancestors[ancestors.length - 2];
      result = { kind, path: pathOf([...ancestors]), siblings, listEntry: isSeq(parent) && siblings.length === 0 };
      return visit.BREAK;
    },
    Scalar(_key, node, ancestors) {
      if (kind !== 'value' || node.value !== MARKER) return undefined;
      result = { kind, path: pathOf([...ancestors, node]), siblings: [], listEntry: false };
      return visit.BREAK;
    },
  });
  return result;
}

/** The schema path of the last of `ancestors`: the keys of the pairs and the indexes in the lists on the way. */
export function pathOf(ancestors: readonly unknown[]): PathKey[] {
  const path: PathKey[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    if (isPair(node) && isScalar((node as Pair).key)) path.push(String(((node as Pair).key as { value: unknown }).value));
    else if (isSeq(node)) {
      const child = ancestors[i + 1] as YamlNode | undefined;
      const index = child === undefined ? -1 : node.items.indexOf(child);
      path.push(Math.max(0, index));
    }
  }
  return path;
}
