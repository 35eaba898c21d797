/**
 * Parsing a case file: the Markdown tree (remark) and the YAML document of its
 * frontmatter, with every YAML problem as a positioned diagnostic.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Root, RootContent } from 'mdast';
import { code, diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import type { Source } from '../read/source.js';

export interface ParsedCase {
  source: Source;
  /** The YAML document, or undefined when there is no usable frontmatter. */
  yaml: Document.Parsed | undefined;
  /** Maps YAML offsets to positions in the case file. */
  yamlSpan: (range: readonly [number, number] | undefined) => Span;
  /** The Markdown body's top-level nodes, frontmatter excluded. */
  body: RootContent[];
  diagnostics: Diagnostic[];
}

const markdown = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** Largest number of YAML aliases resolved in one file (default 50): stops "billion laughs". */
export const MAX_YAML_ALIASES = 50;

export function parseCase(source: Source): ParsedCase {
  const { file, text } = source;
  const diagnostics: Diagnostic[] = [];
  const tree = markdown.parse(text) as Root;
  const first = tree.children[0];
  const body = tree.children.filter((n) => n.type !== 'yaml');
  const noYaml: ParsedCase = { source, yaml: undefined, yamlSpan: () => fileStart, body, diagnostics };

  if (!first || first.type !== 'yaml') {
    if (/^---[ \t]*\n/.test(text)) {
      diagnostics.push(
        diagnostic(file, lineSpan(1, 1, 4), 'error', 'frontmatter-unclosed', 'The frontmatter opened with `---` is never closed: expected a line `---` after the last key'),
      );
    } else {
      diagnostics.push(
        diagnostic(file, lineSpan(1, 1, 1), 'error', 'frontmatter-missing', 'No frontmatter: a case file starts with a line `---`, the case data in YAML, and another `---`'),
      );
    }
    return noYaml;
  }

  // The YAML starts on the line after the opening `---`.
  const yamlText = first.value;
  const firstLine = (first.position?.start.line ?? 1) + 1;
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    merge: false,
    schema: 'core',
  });
  const toPos = (offset: number) => {
    const p = counter.linePos(offset);
    return { line: p.line + firstLine - 1, column: p.col };
  };
  const yamlSpan = (range: readonly [number, number] | undefined): Span =>
    range ? { start: toPos(range[0]), end: toPos(Math.max(range[1], range[0])) } : lineSpan(firstLine - 1, 1, 4);

  if (yamlText.trim() === '') {
    diagnostics.push(diagnostic(file, lineSpan(firstLine - 1, 1, 4), 'error', 'frontmatter-empty', 'The frontmatter is empty: expected the case data (`case`, `revision`, `status`, …)'));
    return { ...noYaml, yamlSpan };
  }

  for (const error of doc.errors) {
    const rule = error.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
    let message = yamlMessage(error.code, error.message);
    if (error.code === 'DUPLICATE_KEY') {
      const key = yamlText.slice(error.pos[0], error.pos[1]).split(':')[0]?.trim();
      message = `Duplicate key ${code(key ?? '')}: each key may appear once in a mapping; remove or rename one`;
    }
    diagnostics.push(diagnostic(file, yamlSpan(error.pos), 'error', rule, message));
  }
  for (const warning of doc.warnings) {
    diagnostics.push(diagnostic(file, yamlSpan(warning.pos), 'warning', 'yaml-warning', yamlMessage(warning.code, warning.message)));
  }
  if (doc.errors.length > 0) return { source, yaml: undefined, yamlSpan, body, diagnostics };

  diagnostics.push(...checkYamlNodes(file, doc, yamlText, yamlSpan));
  return { source, yaml: doc, yamlSpan, body, diagnostics };
}

const fileStart: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function lineSpan(line: number, column: number, endColumn: number): Span {
  return { start: { line, column }, end: { line, column: endColumn } };
}

/** Turns the yaml library's messages into ours: what was found, what was expected. */
function yamlMessage(errorCode: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  switch (errorCode) {
    case 'TAB_AS_INDENT':
      return 'Unexpected tab in indentation: YAML indents with spaces only';
    case 'BAD_INDENT':
      return `Unexpected indentation (${first.replace(/\.$/, '')}): line the key up with the keys beside it`;
    case 'MULTILINE_IMPLICIT_KEY':
      return 'Unexpected line break inside a key: a key and its `:` must be on one line';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MISSING_CHAR':
      return `${first.replace(/\.$/, '')}: check the colon after the key, and quote a value that contains \`: \``;
    case 'UNEXPECTED_TOKEN':
      return `${first.replace(/\.$/, '')}: quote the value if it starts with a special character (\`*\`, \`&\`, \`!\`, \`|\`, \`>\`, \`%\`, \`@\`, a backtick)`;
    case 'MISSING_ANCHOR':
      return 'Unknown YAML alias: no anchor of that name before it';
    case 'ALIAS_PROPS':
    case 'BAD_ALIAS':
      return 'Unexpected YAML alias: aliases are not allowed in case files; write the value out';
    default:
      return first.replace(/\.$/, '');
  }
}

/**
 * Checks YAML that parsed but is still risky: a ` #` that cut a plain value short
 * (`request: Norco 10/325mg #120` reads as `Norco 10/325mg`), aliases and anchors
 * (case files write values out), and explicit tags.
 */
function checkYamlNodes(file: string, doc: Document.Parsed, text: string, span: (r: readonly [number, number]) => Span): Diagnostic[] {
  const out: Diagnostic[] = [];
  let aliases = 0;
  visit(doc, {
    Alias(_key, node) {
      aliases++;
      if (aliases <= MAX_YAML_ALIASES && node.range) {
        out.push(diagnostic(file, span([node.range[0], node.range[1]]), 'error', 'yaml-alias', `Unexpected alias ${code(`*${node.source}`)}: case files write every value out; replace the alias with the value`));
      }
    },
    Scalar(_key, node) {
      const n = node as YamlNode & { type?: string };
      if (!n.range || n.type !== 'PLAIN') return;
      const lineEnd = text.indexOf('\n', n.range[1]);
      const rest = text.slice(n.range[1], lineEnd === -1 ? text.length : lineEnd);
      const hash = rest.indexOf('#');
      // `# note` (a space after the hash) is a comment; `#120` right after a value is
      // almost always text YAML cut off (`Norco 10/325mg #120`).
      if (hash !== -1 && rest.slice(0, hash).trim() === '' && /^#[^\s#]/.test(rest.slice(hash))) {
        const at = n.range[1] + hash;
        out.push(
          diagnostic(
            file,
            span([at, lineEnd === -1 ? text.length : lineEnd]),
            'error',
            'yaml-inline-comment',
            `Unexpected comment after a value: YAML read the value as ${code((node as { value: unknown }).value)} and dropped ${code(rest.slice(hash).trim())} as a comment; put the value in quotes to keep the \`#\` (a comment is \`# \` with a space)`,
          ),
        );
      }
    },
  });
  visit(doc, {
    Node(_key, node) {
      const n = node as YamlNode & { anchor?: string };
      if (n.anchor && n.range) {
        const at = text.lastIndexOf(`&${n.anchor}`, n.range[0] + n.anchor.length + 1);
        const start = at === -1 ? n.range[0] : at;
        out.push(diagnostic(file, span([start, start + n.anchor.length + 1]), 'error', 'yaml-alias', `Unexpected anchor ${code(`&${n.anchor}`)}: case files write every value out; remove the anchor`));
      }
    },
  });
  if (aliases > MAX_YAML_ALIASES) {
    out.push(diagnostic(file, span([0, 1]), 'error', 'yaml-alias', `The frontmatter uses ${aliases} aliases; case files use none`));
  }
  return out;
}

export { isMap, isScalar, isSeq };
