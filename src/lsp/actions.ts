/**
 * Quick fixes for what the check already knows:
 *
 * - a diagnostic's `suggestion` (the did-you-mean keys, values and headings; the quotes
 *   around a value whose ` #` YAML would drop): its text in place of its span;
 * - `rationale-missing`: a `# Rationale: <id>` section, in item order;
 * - `issued-revision-changed`: the next revision as a draft (`revision: N+1`,
 *   `status: draft`, an empty `amends:` for the author to say what it corrects and an
 *   empty `dates.issued` for the day it is issued).
 */
import { isMap, isScalar, type Node as YamlNode, type Pair } from 'yaml';
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { RATIONALE_PREFIX } from '../check/sections.js';
import type { Diagnostic } from '../diagnostics.js';
import { rangesOverlap, toRange } from './document.js';
import type { Outline } from './outline.js';

export function codeActions(o: Outline, uri: string, diagnostics: readonly Diagnostic[], range: Range, toLsp: (d: Diagnostic) => LspDiagnostic): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const at = toRange({ start: { line: d.line, column: d.column }, end: { line: d.endLine, column: d.endColumn } });
    if (!rangesOverlap(at, range)) continue;
    const fix = (title: string, edits: TextEdit[]) =>
      out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [toLsp(d)], isPreferred: true, edit: { changes: { [uri]: edits } } });
    if (d.suggestion) {
      const title = d.rule === 'yaml-inline-comment' ? `Quote the value: ${d.suggestion.text}` : `Change to ${d.suggestion.text}`;
      fix(title, [{ range: toRange(d.suggestion.span), newText: d.suggestion.text }]);
    } else if (d.rule === 'rationale-missing') {
      const edit = addRationale(o, at);
      if (edit) fix(`Add the section \`${edit.newText.trim().split('\n')[0]}\``, [edit]);
    } else if (d.rule === 'issued-revision-changed') {
      const edits = newRevision(o);
      if (edits) fix(edits.title, edits.edits);
    }
  }
  return out;
}

/** The missing rationale's heading, after the rationale of the item before it (or before the next one's, or at the end). */
function addRationale(o: Outline, at: Range): TextEdit | undefined {
  const item = o.items.find((i) => i.idRange.start.line === at.start.line && i.idRange.start.character === at.start.character);
  if (!item?.id) return undefined;
  const rationale = (id: string | undefined) => o.sections.find((s) => s.kind === 'rationale' && s.id === id);
  const text = `# ${RATIONALE_PREFIX} ${item.id}\n\n\n`;
  const before = o.items.slice(0, item.index).reverse().map((i) => rationale(i.id)).find(Boolean);
  const after = o.items.slice(item.index + 1).map((i) => rationale(i.id)).find(Boolean);
  // Right after a section: before the heading that follows it, or at the end of the file.
  const follows = before ? o.sections[o.sections.indexOf(before) + 1] : after ?? o.sections.find((s) => s.kind === 'rationale');
  if (follows) return { range: { start: follows.heading.start, end: follows.heading.start }, newText: text };
  const last = o.lines.length - 1;
  const end = { line: last, character: o.lines[last]!.length };
  const lead = o.lines[last] === '' ? (o.lines[last - 1] === '' ? '' : '\n') : '\n\n';
  return { range: { start: end, end }, newText: `${lead}${text.trimEnd()}\n\n` };
}

/** `revision: N+1`, `status: draft` and an `amends:` to fill in, for a correction of an issued letter. */
function newRevision(o: Outline): { title: string; edits: TextEdit[] } | undefined {
  const root = o.yaml?.contents;
  if (!isMap(root)) return undefined;
  const pair = (key: string) => (root.items as Pair<YamlNode, YamlNode | null>[]).find((p) => isScalar(p.key) && p.key.value === key);
  const revision = pair('revision');
  const status = pair('status');
  if (!isScalar(revision?.value) || typeof revision.value.value !== 'number' || !isScalar(status?.value)) return undefined;
  const next = revision.value.value + 1;
  const edits: TextEdit[] = [
    { range: o.yamlRange(revision.value.range), newText: String(next) },
    { range: o.yamlRange(status.value.range), newText: 'draft' },
  ];
  const amends = pair('amends');
  const note = `# what revision ${next} corrects in the issued letter`;
  if (amends?.value && isScalar(amends.key)) {
    const keyRange = o.yamlRange(amends.key.range);
    edits.push({ range: { start: keyRange.start, end: o.yamlRange(amends.value.range).end }, newText: `amends: ${note}` });
  } else {
    const line = o.yamlRange(status.value.range).end.line + 1;
    edits.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `amends: ${note}\n` });
  }
  const issued = issuedDateEdit(o, pair('dates'), next);
  if (issued) edits.push(issued);
  return { title: `Start revision ${next} as a draft (the issued revision ${next - 1} stays as issued)`, edits };
}

/**
 * An empty `dates.issued` to fill in (a revision from 2 on prints the day it is issued,
 * rule `issued-date-missing`): after `dates.decision`, or in place of the issued date of
 * the revision it corrects.
 */
function issuedDateEdit(o: Outline, dates: Pair<YamlNode, YamlNode | null> | undefined, next: number): TextEdit | undefined {
  if (!isMap(dates?.value)) return undefined;
  const find = (key: string) => (dates.value as { items: Pair<YamlNode, YamlNode | null>[] }).items.find((p) => isScalar(p.key) && p.key.value === key);
  const note = `# the day revision ${next} is issued (YYYY-MM-DD)`;
  const issued = find('issued');
  if (issued?.value && isScalar(issued.key)) {
    return { range: { start: o.yamlRange(issued.key.range).start, end: o.yamlRange(issued.value.range).end }, newText: `issued: ${note}` };
  }
  const decision = find('decision');
  if (!decision?.value || !isScalar(decision.key)) return undefined;
  const key = o.yamlRange(decision.key.range).start;
  const line = o.yamlRange(decision.value.range).end.line + 1;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${' '.repeat(key.character)}issued: ${note}\n` };
}
