/**
 * Schema validation of the frontmatter: runs the zod case schema and turns each
 * issue into a diagnostic at the YAML node it concerns (`items[2].decision` points at
 * that value; a missing key points at the mapping that lacks it).
 */
import { z } from 'zod';
import { isMap, isScalar, isSeq, stringify, type Document, type Node as YamlNode, type Pair, type Scalar } from 'yaml';
import { caseSchema, CASE_NUMBER, type CaseData } from '../schema/case.js';
import { MAX_YAML_ALIASES } from '../limits.js';
import { code, diagnostic, didYouMean, oneOf, type Diagnostic, type Span, type Suggestion } from '../diagnostics.js';

export type PathKey = string | number;

/** `items[2].decision`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || 'the frontmatter';
}

interface Located {
  node: YamlNode | undefined;
  /** The deepest existing ancestor when the node itself is missing. */
  parent: YamlNode | undefined;
  /** The key scalar of the pair holding the node, when it is in a mapping. */
  key: Scalar | undefined;
}

export function locate(doc: Document.Parsed, path: readonly PathKey[]): Located {
  let node: YamlNode | undefined = doc.contents ?? undefined;
  let parent: YamlNode | undefined;
  let key: Scalar | undefined;
  for (const step of path) {
    parent = node;
    key = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === step) as Pair<Scalar, YamlNode> | undefined;
      key = pair?.key;
      node = pair ? (pair.value ?? pair.key) : undefined;
    } else if (isSeq(node) && typeof step === 'number') {
      node = (node.items[step] as YamlNode | undefined) ?? undefined;
    } else {
      node = undefined;
    }
    if (node === undefined) return { node: undefined, parent, key: undefined };
  }
  return { node, parent, key };
}

function describe(node: YamlNode | undefined): string {
  if (node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'an empty value';
    if (typeof v === 'string') return `the text ${code(v)}`;
    if (typeof v === 'number') return `the number ${code(String(v))}`;
    if (typeof v === 'boolean') return `the boolean ${code(String(v))}`;
    return code(String(v));
  }
  return 'an alias';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of keys to values',
  array: 'a list',
};

/** The zod schema at a path, looking through optionals (unions are not entered). */
function schemaAt(path: readonly PathKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = caseSchema;
  for (const step of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(step)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return undefined;
  }
  return unwrap(s);
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

function allowedKeys(path: readonly PathKey[]): string[] {
  const s = schemaAt(path);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

export interface ValidateResult {
  data: CaseData | undefined;
  /** The frontmatter as plain data, even when invalid (for the cross-checks that can still run). */
  raw: unknown;
  diagnostics: Diagnostic[];
}

export function validate(file: string, doc: Document.Parsed, span: (r: readonly [number, number] | undefined) => Span): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    diagnostics.push(diagnostic(file, span([0, 1]), 'error', 'yaml-alias', `The frontmatter cannot be read: ${(error as Error).message}`));
    return { data: undefined, raw: undefined, diagnostics };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push(diagnostic(file, span(doc.contents?.range ? [doc.contents.range[0], doc.contents.range[1]] : undefined), 'error', 'wrong-type', `Expected the frontmatter to be a mapping of keys to values, found ${describe(doc.contents ?? undefined)}`));
    return { data: undefined, raw, diagnostics };
  }
  const result = caseSchema.safeParse(raw);
  if (result.success) return { data: result.data, raw, diagnostics };
  for (const issue of result.error.issues) diagnostics.push(...toDiagnostics(file, doc, span, issue));
  return { data: undefined, raw, diagnostics };
}

function nodeSpan(node: YamlNode | undefined, span: (r: readonly [number, number] | undefined) => Span): Span {
  const r = node?.range;
  return span(r ? [r[0], r[1]] : undefined);
}

/** A "did you mean" as a fix: the guess, written as YAML (quoted when it must be), in place of the node. */
function replaceWith(node: YamlNode | undefined, guess: string | undefined, span: (r: readonly [number, number] | undefined) => Span): Suggestion | undefined {
  if (guess === undefined || !node?.range) return undefined;
  return { span: nodeSpan(node, span), text: stringify(guess).trimEnd() };
}

function toDiagnostics(
  file: string,
  doc: Document.Parsed,
  span: (r: readonly [number, number] | undefined) => Span,
  issue: z.core.$ZodIssue,
): Diagnostic[] {
  const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
  const where = formatPath(path);
  const { node, parent, key } = locate(doc, path);
  /** An empty value has no width: point at its key instead. */
  const emptyAt = (expected: string) => at(key ?? node, 'empty-value', `Empty value for ${code(where)}: expected ${expected}`);
  const at = (n: YamlNode | undefined, rule: string, message: string) => [diagnostic(file, nodeSpan(n, span), 'error', rule, message)];
  const last = path[path.length - 1];
  /** A missing key: point at the mapping that should hold it (its first key). */
  const missing = (expected: string) => {
    const parentPath = path.length > 1 ? code(formatPath(path.slice(0, -1))) : 'the frontmatter';
    const target = parent && isMap(parent) && parent.items[0] && isScalar(parent.items[0].key) ? (parent.items[0].key as YamlNode) : parent;
    return at(target, 'missing-key', `Missing ${code(String(last))} in ${parentPath}: expected ${expected}`);
  };

  switch (issue.code) {
    case 'invalid_type': {
      const expected =
        last === 'revision' || last === 'age'
          ? 'a whole number'
          : path[0] === 'dates' && path.length === 2
            ? 'a date written YYYY-MM-DD, like `2016-12-09`'
            : (TYPE_WORDS[issue.expected] ?? issue.expected);
      if (node === undefined) return missing(expected);
      if (isScalar(node) && node.value === null) return emptyAt(expected);
      return at(node, 'wrong-type', `Found ${describe(node)} in ${code(where)}, expected ${expected}`);
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      if (node === undefined) return missing(path.includes('licensure') ? 'a state' : oneOf(values, 12));
      if (isScalar(node) && node.value === null) return emptyAt(path.includes('licensure') ? 'a state' : oneOf(values, 12));
      const found = isScalar(node) ? String(node.value) : describe(node);
      const guess = isScalar(node) && typeof node.value === 'string' ? didYouMean(node.value, values) : undefined;
      const expected = path.includes('licensure') ? `a US state name written out (such as ${code('California')})` : oneOf(values, 12);
      const message = `Unexpected ${code(found)} in ${code(where)}, expected ${expected}${guess ? `; did you mean ${code(guess)}?` : ''}`;
      return [diagnostic(file, nodeSpan(node, span), 'error', 'bad-enum', message, replaceWith(node, guess, span))];
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path);
      return issue.keys.map((k) => {
        const keyNode = isMap(node) ? node.items.find((p) => isScalar(p.key) && p.key.value === k)?.key : undefined;
        const guess = didYouMean(k, allowed);
        const inside = path.length ? ` in ${code(where)}` : '';
        const tail = guess ? `; did you mean ${code(guess)}?` : `; expected one of ${oneOf(allowed, 12)}`;
        return diagnostic(file, nodeSpan(keyNode as YamlNode | undefined, span), 'error', 'unknown-key', `Unknown key ${code(k)}${inside}${tail}`, replaceWith(keyNode as YamlNode | undefined, guess, span));
      });
    }
    case 'too_small': {
      if (issue.origin === 'array') return at(node, 'empty-list', `Empty list in ${code(where)}: expected at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`);
      if (issue.origin === 'string') return at(node, 'empty-value', `Empty value for ${code(where)}: expected text`);
      return at(node, 'out-of-range', `Found ${describe(node)} in ${code(where)}, expected ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`);
    }
    case 'too_big':
      return at(node, 'out-of-range', `Found ${describe(node)} in ${code(where)}, expected ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`);
    case 'invalid_format': {
      const found = isScalar(node) ? String(node.value) : '';
      if (last === 'case') {
        const hint = /^cm/i.test(found) && !CASE_NUMBER.test(found) ? '' : '';
        return at(node, 'case-number-format', `Unexpected ${code(found)} in \`case\`, expected an IMR case number: \`CM\`, a two-digit year, \`-\` and seven digits, like \`CM16-0213037\`${hint}`);
      }
      if (path[0] === 'dates') return at(node, 'bad-date', `Unexpected ${code(found)} in ${code(where)}, expected a date written YYYY-MM-DD, like \`2016-12-09\``);
      if (last === 'id') return at(node, 'item-id-format', `Unexpected ${code(found)} in ${code(where)}, expected lower-case letters and digits joined by \`-\`, like \`norco-10-325\``);
      return at(node, 'bad-format', `Unexpected ${code(found)} in ${code(where)}: ${issue.message}`);
    }
    case 'invalid_union':
      return citationIssue(file, node, where, span);
    default:
      return at(node, 'invalid', `Found ${describe(node)} in ${code(where)}: ${issue.message}`);
  }
}

const CITATION_KEYS = ['mtus', 'nonMtus', 'text'];
const CITATION_WORDS = ['none', 'outside-mtus'];

/** A guideline entry that fits none of its forms. */
function citationIssue(file: string, node: YamlNode | undefined, where: string, span: (r: readonly [number, number] | undefined) => Span): Diagnostic[] {
  const forms = '`none`, `outside-mtus`, `mtus: …`, `nonMtus: …` or `text: …`';
  if (isScalar(node)) {
    const v = String(node.value);
    const guess = didYouMean(v, CITATION_WORDS);
    return [
      diagnostic(file, nodeSpan(node, span), 'error', 'bad-citation', `Unexpected ${code(v)} in ${code(where)}, expected ${forms}${guess ? `; did you mean ${code(guess)}?` : ''}`, replaceWith(node, guess, span)),
    ];
  }
  if (isMap(node)) {
    const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '?'));
    const unknown = node.items.find((p) => isScalar(p.key) && !CITATION_KEYS.includes(String(p.key.value)));
    if (unknown && isScalar(unknown.key)) {
      const k = String(unknown.key.value);
      const guess = didYouMean(k, CITATION_KEYS);
      return [
        diagnostic(file, nodeSpan(unknown.key as YamlNode, span), 'error', 'unknown-key', `Unknown key ${code(k)} in ${code(where)}${guess ? `; did you mean ${code(guess)}?` : `; expected ${forms}`}`, replaceWith(unknown.key as YamlNode, guess, span)),
      ];
    }
    if (keys.length > 1) {
      return [diagnostic(file, nodeSpan(node, span), 'error', 'bad-citation', `Unexpected keys ${oneOf(keys).replace(' or ', ' and ')} together in ${code(where)}: one source per entry; make each its own list entry`)];
    }
    const value = node.items[0]?.value as YamlNode | undefined;
    if (value === undefined || value === null || (isScalar(value) && value.value === null)) {
      return [diagnostic(file, nodeSpan(node.items[0]?.key as YamlNode | undefined, span), 'error', 'empty-value', `Empty value for ${code(`${where}.${keys[0]}`)}: expected the citation as text`)];
    }
    return [diagnostic(file, nodeSpan(value, span), 'error', 'bad-citation', `Found ${describe(value)} in ${code(`${where}.${keys[0]}`)}, expected the citation as text`)];
  }
  return [diagnostic(file, nodeSpan(node, span), 'error', 'bad-citation', `Found ${describe(node)} in ${code(where)}, expected ${forms}`)];
}
