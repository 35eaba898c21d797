/**
 * The VS Code extension: `npm run vsix` builds the .vsix offline (esbuild bundle,
 * @vscode/vsce), and its manifest activates on the case files and starts the server
 * with a command that really runs the language server. (No VS Code runs here: its use
 * of the VS Code API is checked by the types of `@types/vscode`.)
 */
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { root, setup } from './helpers.js';
import { startClient, where } from './lsp-client.js';

let dir: string;
let vsix: string;
const unzip = (...args: string[]) => execFileSync('unzip', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

setup(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imr-vsix-'));
  vsix = path.join(dir, 'imr-letters.vsix');
  // The npm script, as CI runs it; no network is needed (everything is in node_modules).
  execFileSync('npm', ['run', '--silent', 'vsix', '--', '--out', vsix], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_offline: 'true' } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('VS Code extension', () => {
  it('packages a manifest that activates on cases/**/*.md and starts `imr-letters lsp`', async () => {
    const files = unzip('-Z1', vsix).trim().split('\n').sort();
    expect(files).toEqual(['[Content_Types].xml', 'extension.vsixmanifest', 'extension/LICENSE.txt', 'extension/dist/extension.js', 'extension/package.json', 'extension/readme.md']);
    const manifest = JSON.parse(unzip('-p', vsix, 'extension/package.json')) as {
      name: string;
      publisher: string;
      main: string;
      engines: { vscode: string };
      activationEvents: string[];
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    expect(manifest.activationEvents).toEqual(['workspaceContains:cases/**/*.md']);
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+\.\d+$/);
    const settings = manifest.contributes.configuration.properties;
    expect(settings['imrLetters.server.command']!.default).toEqual(['node', '${workspaceFolder}/bin/imr-letters.js', 'lsp', '--stdio']);
    expect(settings['imrLetters.cases']!.default).toBe('**/cases/**/*.md');
    expect(unzip('-p', vsix, 'extension.vsixmanifest')).toMatch(/<Identity [^>]*Id="imr-letters"[^>]*Publisher="imr-letters"/);

    // The bundle stands alone: it requires only Node's modules and `vscode` (the .vsix has no node_modules).
    const bundle = unzip('-p', vsix, 'extension/dist/extension.js');
    const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect([...required].filter((m) => m !== 'vscode' && !builtins.has(m))).toEqual([]);
    expect(required.has('vscode')).toBe(true);
    expect(bundle).toContain('imrLetters');
    expect(bundle).toContain('LanguageClient');
  });

  it('calls VS Code’s and the language client’s API as their types say (tsc --checkJs against @types/vscode)', () => {
    // Throws, with tsc's messages, on any type error.
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'editors/vscode/tsconfig.json')], { cwd: root, encoding: 'utf8' });
  });

  it('its default server command runs the language server on a case file', async () => {
    const manifest = JSON.parse(unzip('-p', vsix, 'extension/package.json')) as { contributes: { configuration: { properties: Record<string, { default: string[] }> } } };
    const command = manifest.contributes.configuration.properties['imrLetters.server.command']!.default.map((p) => p.split('${workspaceFolder}').join(root));
    const client = await startClient({ command });
    try {
      const file = path.join(root, 'test/fixtures/lsp/mistakes.md');
      const text = await readFile(file, 'utf8');
      const uri = await client.open(file, text);
      const published = await client.diagnostics(uri, 1);
      expect(where(published.diagnostics)).toEqual(checkSource({ file, text }).diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`));
    } finally {
      expect(await client.close()).toBe(0);
    }
  });
});
