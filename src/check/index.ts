/**
 * The check: a case file's text in, a typed `Case` and its diagnostics out.
 *
 * ```ts
 * const { case: c, diagnostics } = checkSource({ file: 'cases/CM16-0213037.md', text });
 * if (c) render(c); // only when there is no error
 * ```
 *
 * Every problem in the file is reported at once; `case` is set only when none is an
 * error. Pure: no file system, no clock.
 */
import { createHash } from 'node:crypto';
import type { RootContent } from 'mdast';
import { hasErrors, sortDiagnostics, type Diagnostic, type Span } from '../diagnostics.js';
import type { CaseData } from '../schema/case.js';
import type { Source } from '../read/source.js';
import { parseCase } from './parse.js';
import { validate, locate } from './validate.js';
import { crossCheck, checkSections } from './rules.js';
import { findSections } from './sections.js';
import { splitFrontmatter } from '../read/frontmatter.js';
import { checkContent, characterRule } from './content/index.js';
import { checkConfidential } from './confidential.js';

/** A checked case: valid frontmatter and a body with one rationale per item. */
export interface Case {
  file: string;
  data: CaseData;
  /** The clinical case summary, as Markdown nodes. */
  summary: RootContent[];
  /** Each item's rationale, by item id. */
  rationales: ReadonlyMap<string, RootContent[]>;
  /** sha256 of the case's content (data and body), independent of comments and YAML layout. */
  contentHash: string;
  /** The same without `parties`: what the public edition depends on. */
  publicHash: string;
  /** Where `revision:` stands, for build errors about the revision. */
  revisionSpan: Span;
  /** Where the `case:` value stands, for `duplicate-case`. */
  caseSpan: Span;
}

export interface CheckResult {
  case: Case | undefined;
  diagnostics: Diagnostic[];
}

export function checkSource(source: Source): CheckResult {
  const { file } = source;
  const parsed = parseCase(source);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  let data: CaseData | undefined;
  let raw: unknown;

  if (parsed.yaml) {
    const result = validate(file, parsed.yaml, parsed.yamlSpan);
    diagnostics.push(...result.diagnostics);
    data = result.data;
    raw = result.raw;
    diagnostics.push(...crossCheck(file, raw, parsed.yaml, parsed.yamlSpan));
    diagnostics.push(...checkConfidential(file, source.text, parsed.yaml));
  }

  // The body is checked whatever the frontmatter's state; rationales are matched
  // against the item ids that could be read.
  const rawItems = Array.isArray((raw as { items?: unknown } | undefined)?.items) ? ((raw as { items: unknown[] }).items) : [];
  const items = rawItems
    .map((it, index) => ({ id: (it as { id?: unknown } | null)?.id, index }))
    .filter((it): it is { id: string; index: number } => typeof it.id === 'string');
  const { sections, diagnostics: sectionDiagnostics } = findSections(file, parsed.body, items.map((i) => i.id), source.text);
  diagnostics.push(...sectionDiagnostics);
  diagnostics.push(...characterRule(file, source.text, sections, parsed.yaml, parsed.yamlSpan));
  if (parsed.yaml && !parsed.bodySkipped) {
    const doc = parsed.yaml;
    const itemSpan = (k: number): Span => {
      const { node } = locate(doc, ['items', items[k]!.index, 'id']);
      return parsed.yamlSpan(node?.range ? [node.range[0], node.range[1]] : undefined);
    };
    // A missing summary belongs on the first line of the body, after the closing `---`.
    const bodyLine = Math.min(splitFrontmatter(source.text).bodyLine, source.text.split('\n').length);
    const bodyEnd: Span = { start: { line: bodyLine, column: 1 }, end: { line: bodyLine, column: 1 } };
    diagnostics.push(...checkSections(file, sections, items, itemSpan, bodyEnd));
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const at = (path: readonly (string | number)[]): Span => {
        const { node, parent } = locate(doc, path);
        const n = node ?? parent;
        return parsed.yamlSpan(n?.range ? [n.range[0], n.range[1]] : undefined);
      };
      const refused = diagnostics.filter((d) => d.severity === 'error');
      const invalid = (path: readonly (string | number)[]) => {
        const span = at(path);
        return refused.some((d) => d.line === span.start.line && d.column === span.start.column);
      };
      diagnostics.push(...checkContent({ file, source: source.text, data: raw as Record<string, unknown>, sections, doc, yamlSpan: parsed.yamlSpan, at, invalid }));
    }
  }

  const sorted = sortDiagnostics(dedupe(diagnostics));
  if (!data || hasErrors(sorted)) return { case: undefined, diagnostics: sorted };

  const rationales = new Map<string, RootContent[]>();
  let summary: RootContent[] = [];
  for (const s of sections) {
    if (s.kind === 'summary') summary = s.children;
    else rationales.set(s.id, s.children);
  }
  const revisionNode = parsed.yaml ? locate(parsed.yaml, ['revision']).node : undefined;
  const revisionSpan = parsed.yamlSpan(revisionNode?.range ? [revisionNode.range[0], revisionNode.range[1]] : undefined);
  const caseNode = parsed.yaml ? locate(parsed.yaml, ['case']).node : undefined;
  const caseSpan = parsed.yamlSpan(caseNode?.range ? [caseNode.range[0], caseNode.range[1]] : undefined);
  const body = bodyText(source.text);
  return {
    case: { file, data, summary, rationales, contentHash: contentHash({ ...data, publicOnly: undefined }, body), publicHash: contentHash({ ...data, parties: undefined, publicOnly: undefined }, body), revisionSpan, caseSpan },
    diagnostics: sorted,
  };
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.line}:${d.column}:${d.rule}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Canonical JSON: keys sorted, so key order in the YAML does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The body: everything after the closing `---`, with trailing spaces and blank lines folded. */
function bodyText(text: string): string {
  return splitFrontmatter(text)
    .body
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** sha256 of the data (canonical JSON) and the body (`bodyText`, made once for both hashes). */
function contentHash(data: CaseData, body: string): string {
  return createHash('sha256').update(canonicalJson(data)).update('\n').update(body).digest('hex');
}
