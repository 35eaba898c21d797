/**
 * `imr-letters lsp`: the Language Server Protocol server for case files, over stdio
 * (vscode-languageserver).
 *
 * - Diagnostics are the check's (`checkSource`, every rule, frontmatter and body), at
 *   its positions with its rule ids as the diagnostic's `code`, published a short
 *   quiet time after the last change (`debounceMs`, default 120 ms) and at once when
 *   a file is opened or saved. Each publication carries the document's version; a
 *   check of an older version is never published.
 * - Completion, hover, quick fixes, document symbols and go-to-definition: see the
 *   modules beside this one.
 * - `issued-revision-changed` and `revision-behind` (the check's, `issuedChanges`) against the build's manifest under the workspace
 *   (`out/manifest.json`; `initializationOptions.out` names another output folder).
 *
 * Options (`initializationOptions`): `debounceMs` (default 120), `out` (default `out`,
 * relative to the workspace root).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkSource, type CheckResult } from '../check/index.js';
import { VERSION } from '../cli.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { codeActions } from './actions.js';
import { complete } from './completion.js';
import { toRange } from './document.js';
import { hover } from './hover.js';
import { issuedDiagnostics, issuedLetters, type IssuedLetters } from './issued.js';
import { definition, symbols } from './navigation.js';
import { outline, type Outline } from './outline.js';

export const DEFAULT_DEBOUNCE_MS = 120;

export interface ServerOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
  completionProvider: { triggerCharacters: [':', ' ', '-', '[', ',', '#'] },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentSymbolProvider: true,
  definitionProvider: true,
};

/** What the server knows of a document, computed once per version. */
interface Analyses {
  check(doc: TextDocument): { diagnostics: Diagnostic[]; result: CheckResult };
  outline(doc: TextDocument): Outline;
  forget(uri: string): void;
}

function analyses(issued: () => IssuedLetters): Analyses {
  const states = new Map<string, { version: number; check?: { diagnostics: Diagnostic[]; result: CheckResult }; outline?: Outline }>();
  const state = (doc: TextDocument) => {
    let s = states.get(doc.uri);
    if (!s || s.version !== doc.version) {
      s = { version: doc.version };
      states.set(doc.uri, s);
    }
    return s;
  };
  const fileOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
  return {
    check(doc) {
      const s = state(doc);
      if (!s.check) {
        const result = checkSource({ file: fileOf(doc.uri), text: doc.getText() });
        const extra = result.case ? issuedDiagnostics(result.case, issued()) : [];
        s.check = { result, diagnostics: sortDiagnostics([...result.diagnostics, ...extra]) };
      }
      return s.check;
    },
    outline(doc) {
      const s = state(doc);
      s.outline ??= outline(fileOf(doc.uri), doc.getText());
      return s.outline;
    },
    forget: (uri) => states.delete(uri),
  };
}

/**
 * Publishes each document's diagnostics: at once when it is opened or saved, `debounceMs`
 * after the last change otherwise; never for a version older than the document's.
 */
function publishDiagnostics(connection: Connection, documents: TextDocuments<TextDocument>, cache: Analyses, settings: { debounceMs: () => number; issued: () => IssuedLetters }): void {
  const timers = new Map<string, NodeJS.Timeout>();
  const publish = async (uri: string) => {
    timers.delete(uri);
    await settings.issued().refresh();
    const doc = documents.get(uri);
    if (!doc) return;
    const { diagnostics } = cache.check(doc);
    if (documents.get(uri)?.version !== doc.version) return; // a newer version is on its way
    await connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnostics.map(toLsp) });
  };
  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => void publish(uri).catch((e: unknown) => connection.console.error(`imr-letters: ${(e as Error).stack ?? String(e)}`)), delay));
  };
  // Opening fires a content change too: the file just opened is checked at once, not after the quiet time.
  const opened = new Map<string, number>();
  documents.onDidOpen((e) => {
    opened.set(e.document.uri, e.document.version);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    if (opened.get(e.document.uri) !== e.document.version) schedule(e.document.uri, settings.debounceMs());
  });
  documents.onDidSave((e) => schedule(e.document.uri, 0));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    opened.delete(e.document.uri);
    cache.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  // The manifest changed (a build, a restore): what is issued may have too.
  connection.onDidChangeWatchedFiles(() => {
    for (const doc of documents.all()) schedule(doc.uri, 0);
  });
}

export function startServer(options: ServerOptions = {}): Connection {
  const connection = createConnection(options.input ?? process.stdin, options.output ?? process.stdout);
  // Nothing else may write to stdout: it carries the protocol.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  const documents = new TextDocuments(TextDocument);
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let issued: IssuedLetters = issuedLetters(undefined);
  const cache = analyses(() => issued);

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; out?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const root = rootUri?.startsWith('file:') ? fileURLToPath(rootUri) : (params.rootPath ?? undefined);
    issued = issuedLetters(root ? path.resolve(root, typeof init.out === 'string' ? init.out : 'out') : undefined);
    return { capabilities: CAPABILITIES, serverInfo: { name: 'imr-letters', version: VERSION } };
  });
  publishDiagnostics(connection, documents, cache, { debounceMs: () => debounceMs, issued: () => issued });

  const withDoc = <T>(uri: string, fallback: T, f: (doc: TextDocument) => T): T => {
    const doc = documents.get(uri);
    return doc ? f(doc) : fallback;
  };
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (doc) => complete(cache.outline(doc), p.position)));
  connection.onHover((p) => withDoc(p.textDocument.uri, null, (doc) => hover(cache.outline(doc), p.position) ?? null));
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (doc) => symbols(cache.outline(doc))));
  connection.onDefinition((p) => withDoc(p.textDocument.uri, [], (doc) => definition(cache.outline(doc), doc.uri, p.position)));
  connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (doc) => codeActions(cache.outline(doc), doc.uri, cache.check(doc).diagnostics, p.range, toLsp)));

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** A check diagnostic as LSP's: its rule id is the `code`. */
export function toLsp(d: Diagnostic): LspDiagnostic {
  return {
    range: toRange({ start: { line: d.line, column: d.column }, end: { line: d.endLine, column: d.endColumn } }),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.rule,
    source: 'imr-letters',
    message: d.message,
    ...(d.suggestion ? { data: { suggestion: d.suggestion.text } } : {}),
  };
}
