/**
 * A JSON-RPC client for the tests: spawns the real server (`node bin/imr-letters.js
 * lsp --stdio`) and talks LSP to it over its stdio, as an editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
} from 'vscode-languageserver/node.js';
import { root } from './helpers.js';

export interface LspClient {
  connection: MessageConnection;
  process: ChildProcess;
  stderr: () => string;
  request<T = unknown>(method: string, params: unknown): Promise<T>;
  open(file: string, text: string): Promise<string>;
  change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number>;
  /** The next diagnostics published for `uri` at `version` or later. */
  diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams>;
  /** Every publication seen for `uri`, in order. */
  published(uri: string): PublishDiagnosticsParams[];
  close(): Promise<number | null>;
}

/** The server command an editor runs (the VS Code extension's default, with the project as its folder). */
export const SERVER_COMMAND = [process.execPath, path.join(root, 'bin/imr-letters.js'), 'lsp', '--stdio'];

export async function startClient(options: { rootDir?: string; command?: readonly string[]; initializationOptions?: Record<string, unknown> } = {}): Promise<LspClient> {
  const [cmd, ...args] = options.command ?? SERVER_COMMAND;
  const child = spawn(cmd!, args, { cwd: options.rootDir ?? root, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const seen = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const versions = new Map<string, number>();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    seen.set(p.uri, [...(seen.get(p.uri) ?? []), p]);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && (p.version ?? 0) >= w.version) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  const rootDir = options.rootDir ?? root;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(rootDir).href,
    workspaceFolders: [{ uri: pathToFileURL(rootDir).href, name: 'cases' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, completion: { completionItem: { snippetSupport: false } }, hover: { contentFormat: ['markdown'] } } },
    initializationOptions: { debounceMs: 20, ...options.initializationOptions },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    stderr: () => err,
    request: (method, params) => connection.sendRequest(method, params),
    async open(file, text) {
      const uri = pathToFileURL(file).href;
      versions.set(uri, 1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
      return uri;
    },
    async change(uri, changes) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
      return version;
    },
    diagnostics: (uri, version = 0) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}; server stderr: ${err}`)), 20_000);
        waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      }),
    published: (uri) => seen.get(uri) ?? [],
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
      connection.dispose();
      return code;
    },
  };
}

/** Applies LSP text edits to a text (as an editor applies a quick fix). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** `rule@line:col` (1-based, as `check` prints them) of each diagnostic. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
}
