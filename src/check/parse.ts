/**
 * Parsing a case file: the Markdown tree (remark) and the YAML document of its
 * frontmatter, with every YAML problem as a positioned diagnostic.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Node, Parent, Root, RootContent, Yaml } from 'mdast';
import { code, diagnostic, type Diagnostic, type Span, type Suggestion } from '../diagnostics.js';
import type { Source } from '../read/source.js';

export interface ParsedCase {
  source: Source;
  /** The YAML document, or undefined when there is no usable frontmatter. */
  yaml: Document.Parsed | undefined;
  /** Maps YAML offsets to positions in the case file. */
  yamlSpan: (range: readonly [number, number] | undefined) => Span;
  /** The Markdown body's top-level nodes, frontmatter excluded. */
  body: RootContent[];
  /** True when the body was not parsed (refused as too deep or complex): its checks are skipped. */
  bodySkipped?: boolean;
  diagnostics: Diagnostic[];
}

/**
 * CommonMark with frontmatter. GitHub-flavoured tables are not parsed (the GFM
 * extension doubles the parse time); `sections.ts` finds them in the source instead and
 * refuses them, so they are never printed as `|` text.
 */
const markdown = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
/** The same without frontmatter: for the body alone (`parseMarkdown`). */
const markdownBody = unified().use(remarkParse);

/**
 * The frontmatter as micromark-extension-frontmatter finds it in text with `\n` line
 * ends: `---` on line 1 (spaces or tabs after it), the lines of YAML, and the first line
 * that is `---` (spaces or tabs after it) before a line end or the end of the text.
 */
const FRONTMATTER = /^---[ \t]*\n(?:([\s\S]*?)\n)??---[ \t]*(?=\n|$)/;

/**
 * The Markdown tree of a case file, the same as `markdown.parse(text)` at about 60% of
 * its cost: the frontmatter is found by `FRONTMATTER` and only the body goes through
 * micromark (tokenizing the YAML a character at a time was a third of the parse), its
 * positions moved to where the body stands in the file. The body starts on a line of
 * its own after a construct that leaves nothing open, so micromark reads it as it would
 * in the whole file (columns, tabs and line numbers count from each line's start). Text
 * with `\r` or a byte order mark where the body starts is parsed whole.
 */
export function parseMarkdown(text: string): Root {
  const m = text.includes('\r') ? null : FRONTMATTER.exec(text);
  const bodyStart = m ? m[0].length + 1 : 0;
  if (!m || text.charCodeAt(bodyStart) === 0xfeff) return markdown.parse(text) as Root;
  const fenceLine = countLines(m[0]);
  const start = { line: 1, column: 1, offset: 0 };
  const yamlEnd = { line: fenceLine, column: m[0].length - m[0].lastIndexOf('\n'), offset: m[0].length };
  // micromark reads NUL as U+FFFD (CommonMark's rule for insecure characters).
  const yaml: Yaml = { type: 'yaml', value: (m[1] ?? '').replaceAll('\0', '\uFFFD'), position: { start, end: yamlEnd } };
  if (bodyStart > text.length) return { type: 'root', children: [yaml], position: { start: { ...start }, end: { ...yamlEnd } } };
  const body = markdownBody.parse(text.slice(bodyStart)) as Root;
  for (const node of body.children) shift(node, fenceLine, bodyStart);
  const last = body.children.at(-1)?.position?.end ?? yamlEnd;
  return { type: 'root', children: [yaml, ...body.children], position: { start: { ...start }, end: { ...last } } };
}

function countLines(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Moves a node and its descendants `lines` lines and `offset` characters down the file. */
function shift(node: Node, lines: number, offset: number): void {
  const p = node.position;
  if (p) {
    node.position = {
      start: { line: p.start.line + lines, column: p.start.column, offset: p.start.offset === undefined ? undefined : p.start.offset + offset },
      end: { line: p.end.line + lines, column: p.end.column, offset: p.end.offset === undefined ? undefined : p.end.offset + offset },
    };
  }
  const children = (node as Partial<Parent>).children;
  if (children) for (const c of children) shift(c, lines, offset);
}

import { MAX_MARKDOWN_DEPTH, MAX_MARKUP_RUN, MAX_YAML_ALIASES } from '../limits.js';

export { MAX_MARKDOWN_DEPTH, MAX_MARKUP_RUN, MAX_YAML_ALIASES };

export function parseCase(source: Source): ParsedCase {
  const { file, text } = source;
  const diagnostics: Diagnostic[] = [];
  // Markdown that would exhaust the parser (thousands of nested quotes or lists, huge
  // runs of emphasis markers) is refused before parsing; only the frontmatter is parsed.
  const { guard, frontmatterText } = markdownGuard(file, text);
  let tree: Root;
  let bodySkipped = false;
  if (guard) {
    diagnostics.push(guard);
    tree = markdown.parse(frontmatterText) as Root;
    bodySkipped = true;
  } else {
    try {
      tree = parseMarkdown(text);
    } catch (error) {
      diagnostics.push(diagnostic(file, lineSpan(1, 1, 1), 'error', 'markdown-too-complex', `The Markdown body cannot be read (${(error as Error).message}): simplify its nesting and markup`));
      tree = markdown.parse(frontmatterText) as Root;
      bodySkipped = true;
    }
  }
  const first = tree.children[0];
  const body = tree.children.filter((n) => n.type !== 'yaml');
  // Without frontmatter the body is not checked: its `---` and YAML lines would only
  // repeat the one mistake as Markdown problems.
  const noYaml: ParsedCase = { source, yaml: undefined, yamlSpan: () => fileStart, body: [], diagnostics };

  if (!first || first.type !== 'yaml') {
    const lead = /^(\s*\n)---[ \t]*\n/.exec(text);
    if (lead) {
      const blank = lead[1]!.split('\n').length - 1;
      diagnostics.push(
        diagnostic(file, lineSpan(1, 1, 1), 'error', 'frontmatter-missing', `No frontmatter on the first line: remove the ${blank === 1 ? 'blank line' : `${blank} blank lines`} before the opening \`---\``),
      );
    } else if (/^---[ \t]*\n/.test(text)) {
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

  // The YAML starts on the line after the opening `---`. A `...` line (YAML's end of
  // document) is reported at its own line and read as blank, so the rest is checked too.
  const rawYaml = first.value;
  const yamlText = rawYaml.replace(/^\.\.\.[ \t]*$/gmu, (m) => ' '.repeat(m.length));
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
  const yamlSpan = (range: readonly [number, number] | undefined): Span => {
    if (!range) return lineSpan(firstLine - 1, 1, 4);
    let end = Math.max(range[1], range[0]);
    while (end > range[0] && /\s/.test(yamlText[end - 1] ?? '')) end--;
    return { start: toPos(range[0]), end: toPos(end) };
  };
  /** A YAML error's span: from its position to the end of that line at most. */
  const errorSpan = (range: readonly [number, number]): Span => {
    const lineEnd = yamlText.indexOf('\n', range[0]);
    const end = lineEnd === -1 ? Math.max(range[1], range[0] + 1) : Math.min(Math.max(range[1], range[0] + 1), lineEnd);
    return { start: toPos(range[0]), end: toPos(end) };
  };

  rawYaml.split('\n').forEach((l, i) => {
    if (/^\.\.\.[ \t]*$/u.test(l)) {
      diagnostics.push(diagnostic(file, lineSpan(firstLine + i, 1, 4), 'error', 'yaml-document-end', 'Unexpected `...` in the frontmatter: it ends a YAML document, and keys after it would be lost; remove the line (the frontmatter ends with `---`)'));
    }
  });
  if (yamlText.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'))) {
    diagnostics.push(diagnostic(file, lineSpan(firstLine - 1, 1, 4), 'error', 'frontmatter-empty', 'The frontmatter is empty: expected the case data (`case`, `revision`, `status`, …)'));
    return { ...noYaml, yamlSpan };
  }

  // Duplicate keys are independent of each other and all reported; of the syntax
  // errors only the first, since the parser's later ones mostly follow from it.
  let syntaxReported = false;
  for (const error of doc.errors) {
    if (error.code === 'DUPLICATE_KEY') {
      const line = yamlText.slice(error.pos[0]).split('\n')[0] ?? '';
      const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^:#]*?)\s*:/.exec(line)?.[1] ?? line.trim();
      const start = error.pos[0] + line.indexOf(key);
      diagnostics.push(
        diagnostic(file, yamlSpan([start, start + key.length]), 'error', 'yaml-duplicate-key', `Duplicate key ${code(key)}: each key may appear once in a mapping; remove or rename one`),
      );
      continue;
    }
    if (syntaxReported) continue;
    syntaxReported = true;
    let pos: [number, number] = [error.pos[0], error.pos[1]];
    let message = yamlMessage(error.code, error.message);
    const quote = /Missing closing (["'])quote/.exec(error.message)?.[1];
    if (quote) {
      // Point at the quote that opened the value, not at the end of the frontmatter.
      const before = yamlText.slice(0, error.pos[0]);
      const opener = new RegExp(`(?:^|[:\\-\\[,{]\\s*|^\\s*)(${quote})`, 'gm');
      let at = -1;
      for (let m = opener.exec(before); m; m = opener.exec(before)) at = m.index + m[0].length - 1;
      if (at !== -1) pos = [at, yamlText.indexOf('\n', at) === -1 ? yamlText.length : yamlText.indexOf('\n', at)];
      message = `Missing closing quote (${code(quote)}): a value that opens with a quote must end with the same quote`;
    }
    diagnostics.push(diagnostic(file, errorSpan(pos), 'error', 'yaml-syntax', message));
  }
  for (const warning of doc.warnings) {
    diagnostics.push(diagnostic(file, yamlSpan(warning.pos), 'warning', 'yaml-warning', yamlMessage(warning.code, warning.message)));
  }
  if (doc.errors.length > 0) return { source, yaml: undefined, yamlSpan, body, diagnostics, bodySkipped };

  diagnostics.push(...checkYamlNodes(file, doc, yamlText, yamlSpan));
  return { source, yaml: doc, yamlSpan, body, diagnostics, bodySkipped };
}

const fileStart: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };


/** A run of one markup character, `MAX_MARKUP_RUN` long or longer (made once, not per line). */
const MARKUP_RUN = new RegExp(`([*_\\[\\]\`~<>!#])\\1{${MAX_MARKUP_RUN - 1},}`);

/** Refuses Markdown that would exhaust the parser; returns the frontmatter alone for parsing. */
function markdownGuard(file: string, text: string): { guard: Diagnostic | undefined; frontmatterText: string } {
  const lines = text.split('\n');
  let start = 0;
  if (/^---[ \t]*$/.test(lines[0] ?? '')) {
    const end = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l));
    start = end === -1 ? lines.length : end + 1;
  }
  const frontmatterText = lines.slice(0, start).join('\n');
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const prefix = /^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)+/.exec(line)?.[0] ?? '';
    const depth = (prefix.match(/>|[-+*]|\d{1,9}[.)]/g) ?? []).length;
    if (depth > MAX_MARKDOWN_DEPTH) {
      return { frontmatterText, guard: diagnostic(file, lineSpan(i + 1, 1, prefix.length + 1), 'error', 'markdown-too-deep', `Quotes or lists nested ${depth} levels deep: a letter nests a few levels at most (limit ${MAX_MARKDOWN_DEPTH})`) };
    }
    const run = MARKUP_RUN.exec(line);
    if (run) {
      return { frontmatterText, guard: diagnostic(file, lineSpan(i + 1, run.index + 1, run.index + run[0].length + 1), 'error', 'markdown-too-complex', `A run of ${run[0].length} ${code(run[1]!)} characters: escape or remove them (limit ${MAX_MARKUP_RUN})`) };
    }
  }
  return { guard: undefined, frontmatterText };
}

function lineSpan(line: number, column: number, endColumn: number): Span {
  return { start: { line, column }, end: { line, column: endColumn } };
}

/** Turns the yaml library's messages into ours: what was found, what was expected. */
function yamlMessage(errorCode: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (/call stack/i.test(first)) return 'Values nested too deeply to read: a case file nests a few levels at most';
  switch (errorCode) {
    case 'TAB_AS_INDENT':
      return 'Unexpected tab in indentation: YAML indents with spaces only';
    case 'BAD_INDENT':
      return `Unexpected indentation (${first.replace(/\.$/, '')}): line the key up with the keys beside it`;
    case 'MULTILINE_IMPLICIT_KEY':
      return 'Expected `key: value`: this line has no `:` after its key (or a key runs over two lines)';
    case 'MISSING_CHAR':
      if (/closing/i.test(first)) return `${first.replace(/\.$/, '')}: a value that opens with a quote must close with the same quote on the same value`;
      return `${first.replace(/\.$/, '')}: check the colon after the key, and quote a value that contains \`: \``;
    case 'BLOCK_AS_IMPLICIT_KEY':
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
 * (`request: Norco 10/325mg #120` reads as `Norco 10/325mg`), and aliases and anchors
 * (case files write values out). Unknown tags come from the parser as warnings.
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
            quoteSuggestion(text, n.range[0], at, lineEnd === -1 ? text.length : lineEnd, span),
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

/**
 * The fix for a ` #` that cut a plain value short: the value and the cut-off text in
 * double quotes (JSON's escapes are YAML's). A real comment after it (` # …`) stays a
 * comment; inside a flow collection (`[a #b]`) or for a value over several lines there is
 * no sure fix.
 */
function quoteSuggestion(text: string, start: number, hash: number, lineEnd: number, span: (r: readonly [number, number]) => Span): Suggestion | undefined {
  const dropped = text.slice(hash, lineEnd);
  const comment = /\s#/.exec(dropped);
  const end = hash + (comment ? comment.index : dropped.length);
  const value = text.slice(start, end).trimEnd();
  if (/[,\]}]/.test(text.slice(hash, end)) || value.includes('\n')) return undefined;
  return { span: span([start, start + value.length]), text: JSON.stringify(value) };
}

export { isMap, isScalar, isSeq };
