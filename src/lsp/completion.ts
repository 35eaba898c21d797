/**
 * Completion: in the frontmatter, the keys allowed at the cursor's level and the
 * values of enums (decisions, categories, US states, guideline entry forms), all from
 * the case schema; in the body, the section headings, `# Rationale: <id>` from the
 * item ids (those still without a rationale first).
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver';
import { RATIONALE_PREFIX, SUMMARY_HEADING } from '../check/sections.js';
import { formatPath } from '../check/validate.js';
import { cursorContext } from './cursor.js';
import { inFrontmatter } from './document.js';
import type { Outline } from './outline.js';
import { documentation, keysAt, valuesAt, type JsonSchema } from './schema.js';

export function complete(o: Outline, position: Position): CompletionItem[] {
  if (o.fm && inFrontmatter(o.fm, position.line)) return completeYaml(o, position);
  if (!o.fm || (o.fm.close !== undefined && position.line > o.fm.close)) return completeBody(o, position);
  return [];
}

function completeYaml(o: Outline, position: Position): CompletionItem[] {
  const yamlLines = o.fm!.yaml.split('\n');
  const line = position.line - o.fm!.firstLine;
  const ctx = cursorContext(yamlLines, line, position.character);
  if (!ctx) return [];
  const range = { start: { line: position.line, character: ctx.from }, end: position };
  const out: CompletionItem[] = [];
  const value = (v: { value: string; yaml: string; schema: JsonSchema }, k: number): CompletionItem => ({
    label: v.yaml,
    kind: CompletionItemKind.EnumMember,
    sortText: String(k).padStart(3, '0'),
    filterText: v.value,
    textEdit: { range, newText: v.yaml },
  });
  if (ctx.kind === 'value') return valuesAt(ctx.path).map(value);
  const keys = keysAt(ctx.path).filter((k) => !ctx.siblings.includes(k.key));
  keys.forEach((k, i) => {
    const where = formatPath([...ctx.path, k.key]).replace(/\[\d+\]/g, '[]');
    const nested = k.schema.type === 'object' || k.schema.type === 'array';
    out.push({
      label: k.key,
      kind: nested ? CompletionItemKind.Module : CompletionItemKind.Property,
      detail: `${k.required ? 'required' : 'optional'}${k.schema.type ? ` ${String(k.schema.type)}` : ''}`,
      documentation: { kind: 'markdown', value: documentation(k.key, where, [k.schema]) },
      sortText: `${k.required ? 0 : 1}${String(i).padStart(3, '0')}`,
      textEdit: { range, newText: `${k.key}:${nested ? '' : ' '}` },
      insertTextFormat: InsertTextFormat.PlainText,
    });
  });
  // A new list entry (`- |`) may be a value of the list (a state, `none`) as well as a mapping.
  if (ctx.listEntry || !keys.length) out.push(...valuesAt(ctx.path).map((v, k) => value(v, 100 + k)));
  return out;
}

function completeBody(o: Outline, position: Position): CompletionItem[] {
  const prefix = (o.lines[position.line] ?? '').slice(0, position.character);
  if (!/^#/.test(prefix)) return [];
  const range = { start: { line: position.line, character: 0 }, end: position };
  const written = new Set(o.sections.filter((s) => s.kind === 'rationale').map((s) => s.id));
  const headings: { text: string; missing: boolean; detail: string }[] = [];
  headings.push({ text: `# ${SUMMARY_HEADING}`, missing: !o.sections.some((s) => s.kind === 'summary'), detail: 'the clinical case summary' });
  for (const item of o.items) {
    if (!item.id) continue;
    headings.push({ text: `# ${RATIONALE_PREFIX} ${item.id}`, missing: !written.has(item.id), detail: [item.request, item.decision].filter(Boolean).join(': ') });
  }
  return headings.map((h, k) => ({
    label: h.text,
    kind: CompletionItemKind.Reference,
    detail: h.detail,
    documentation: h.missing ? 'Not written yet.' : 'Already in the body.',
    sortText: `${h.missing ? 0 : 1}${String(k).padStart(3, '0')}`,
    filterText: h.text,
    textEdit: { range, newText: h.text },
  }));
}
