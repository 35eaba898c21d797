// @ts-check
// The VS Code side of imr-letters: starts `imr-letters lsp` for the case files
// (`cases/**/*.md`) of the workspace folder that holds them. Everything else
// (diagnostics, completion, hover, quick fixes, outline) is the server's.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The folder whose `cases/` holds case files: the first workspace folder that has one. */
async function projectFolder() {
  const found = await vscode.workspace.findFiles('**/cases/**/*.md', '**/node_modules/**', 1);
  const folder = found.length ? vscode.workspace.getWorkspaceFolder(found[0]) : undefined;
  return folder ?? vscode.workspace.workspaceFolders?.[0];
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  const folder = await projectFolder();
  if (!folder) return;
  const config = vscode.workspace.getConfiguration('imrLetters', folder);
  const command = config.get('server.command', ['node', '${workspaceFolder}/bin/imr-letters.js', 'lsp', '--stdio']).map((part) => part.split('${workspaceFolder}').join(folder.uri.fsPath));
  const server = { command: command[0], args: command.slice(1), options: { cwd: folder.uri.fsPath } };
  client = new LanguageClient(
    'imrLetters',
    'IMR letters',
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: 'file', language: 'markdown', pattern: config.get('cases', '**/cases/**/*.md') }],
      workspaceFolder: folder,
      // A new build or restore changes what is issued.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, 'out/manifest.json')) },
      initializationOptions: { debounceMs: config.get('debounceMs', 120) },
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
