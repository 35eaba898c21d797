/**
 * Rule `confidential-value`: the case's own confidential values (its `parties`) in
 * anything the public edition prints or links: every frontmatter value outside
 * `parties` (requests, modified requests, guideline texts, `amends`, reviewer fields…)
 * and the Markdown body (summary, rationales, link targets). Each hit is an error at its
 * own line and column. Matching: `src/confidential/matcher.ts`.
 *
 * Rule `confidential-allow`: an entry of `parties.notConfidential` that would excuse a
 * whole value (a full name, an address line, the claim number): only parts of values
 * (a surname that is also a place) may be allowed.
 *
 * Pure: the file's text and its parsed frontmatter in, diagnostics out.
 */
import { isMap, isScalar, visit, type Document, type Node as YamlNode } from 'yaml';
import { code, diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { allowedPhrases, confidentialValues, createMatcher, describeHit, type Hit, type Matcher } from '../confidential/index.js';
import { lineStarts, toPosition as position } from './content/text.js';

export { allowedPhrases };

export const CONFIDENTIAL_RULE = 'confidential-value';
export const ALLOW_RULE = 'confidential-allow';
/** Rule `public-only-with-parties`: `publicOnly: true` beside a `parties` block. */
export const PUBLIC_ONLY_RULE = 'public-only-with-parties';


export function checkConfidential(file: string, text: string, doc: Document.Parsed | undefined): Diagnostic[] {
  if (!doc || !isMap(doc.contents)) return [];
  // Only `parties` and `case` are read (aliases are errors of their own: a value that cannot be resolved is skipped).
  let parties: unknown;
  try {
    const node = doc.get('parties', true) as YamlNode | undefined;
    parties = node && 'toJS' in node ? (node as { toJS(d: Document.Parsed, o: { maxAliasCount: number }): unknown }).toJS(doc, { maxAliasCount: 50 }) : undefined;
  } catch {
    return [];
  }
  if (!parties || typeof parties !== 'object') return [];
  const caseValue = doc.get('case');
  const lines = lineStarts(text);
  const spanOf = (start: number, end: number): Span => ({ start: position(lines, start), end: position(lines, end) });
  const out: Diagnostic[] = [];
  // The YAML starts on the line after the opening `---`.
  const yamlStart = text.indexOf('\n') + 1;
  const publicOnly = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'publicOnly');
  if (publicOnly && isScalar(publicOnly.key) && publicOnly.key.range) {
    const [a, b] = publicOnly.key.range;
    out.push(diagnostic(file, spanOf(yamlStart + a, yamlStart + b), 'error', PUBLIC_ONLY_RULE, '`publicOnly: true` says the case has no parties, but it has a `parties` block: remove one of them'));
  }
  const caseNumber = typeof caseValue === 'string' ? caseValue : undefined;
  const values = confidentialValues(parties, file, caseNumber);
  if (values.length === 0) return out;
  const matcher = createMatcher(values, { allowed: allowedPhrases(parties) });
  const report = (hit: Hit, start: number, end: number) => out.push(diagnostic(file, spanOf(start, end), 'error', CONFIDENTIAL_RULE, message(hit)));

  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key === 'parties') {
      out.push(...checkAllowed(file, pair.value as YamlNode | null, text, yamlStart, spanOf, values));
      continue;
    }
    if (!pair.value) continue;
    visit(pair.value as YamlNode, {
      Scalar(_k, node) {
        if (typeof node.value !== 'string' || !node.range) return;
        scanScalar(matcher, text, yamlStart + node.range[0], yamlStart + node.range[1], node.value, report);
      },
    });
  }

  const body = bodyStart(text);
  if (body !== -1) for (const hit of matcher.find(text.slice(body), 'markdown')) report(hit, body + hit.start, body + hit.end);
  return out;
}

/** A scalar's source (as typed, so positions are exact); its parsed value too, for what escapes hide. */
function scanScalar(matcher: Matcher, text: string, from: number, to: number, value: string, report: (hit: Hit, start: number, end: number) => void): void {
  const source = text.slice(from, to);
  const hits = matcher.find(source, 'plain');
  for (const hit of hits) report(hit, from + hit.start, from + hit.end);
  if (hits.length > 0 || source === value || source.slice(1, -1) === value) return;
  // `"\u004Copez"`: only the parsed value shows it; reported at the value.
  const hidden = matcher.find(value, 'plain');
  if (hidden.length > 0) report(hidden[0]!, from, to);
}

function checkAllowed(file: string, node: YamlNode | null, text: string, yamlStart: number, spanOf: (a: number, b: number) => Span, values: ReturnType<typeof confidentialValues>): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!node || !isMap(node)) return out;
  const whole = createMatcher(values, { parts: false });
  const list = node.items.find((p) => isScalar(p.key) && p.key.value === 'notConfidential')?.value as YamlNode | undefined;
  if (!list) return out;
  visit(list, {
    Pair(_k, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'phrase' || !isScalar(pair.value) || typeof pair.value.value !== 'string' || !pair.value.range) return;
      const hit = whole.find(pair.value.value, 'plain')[0];
      if (!hit) return;
      const [a, b] = pair.value.range;
      out.push(
        diagnostic(
          file,
          spanOf(yamlStart + a, yamlStart + b),
          'error',
          ALLOW_RULE,
          `The allowed phrase ${code(pair.value.value.slice(0, 12) + (pair.value.value.length > 12 ? '…' : ''))} holds ${describeHit(hit)}: only a part of a value (a surname that is also a place or a word) may be allowed, never a whole name, address line or claim number; remove the entry and the value from the public text`,
        ),
      );
    },
  });
  return out;
}

function message(hit: Hit): string {
  const what = describeHit(hit);
  const fix = hit.value.kind === 'claim number'
    ? 'Remove it: the public edition never shows the claim number, in any form'
    : hit.needle.excusable
    ? 'Remove it (write the party\'s role, e.g. "the injured worker"); if this is a coincidence (a place, an ordinary word), add the phrase under `parties.notConfidential` with a `reason`'
    : 'Remove it (write the party\'s role, e.g. "the injured worker"); a whole value cannot be allowed';
  return `Confidential value in the public text: ${what} stands here, and the public edition and the archive would print it. ${fix}`;
}

/** Where the Markdown body starts: after the closing `---` of the frontmatter; -1 when there is none. */
function bodyStart(text: string): number {
  const m = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return m ? m[0].length : -1;
}
