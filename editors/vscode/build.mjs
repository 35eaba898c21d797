// Builds the VS Code extension: bundles src/extension.js with vscode-languageclient
// (esbuild), then packages editors/vscode/ as a .vsix with @vscode/vsce. Offline:
// everything comes from the project's node_modules.
//
//   node editors/vscode/build.mjs [--out FILE]   (default editors/vscode/imr-letters-<version>.vsix)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createVSIX } from '@vscode/vsce';

const dir = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
const at = process.argv.indexOf('--out');
const out = at === -1 ? path.join(dir, `${manifest.name}-${manifest.version}.vsix`) : path.resolve(process.argv[at + 1]);

await build({
  entryPoints: [path.join(dir, 'src/extension.js')],
  outfile: path.join(dir, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  logLevel: 'warning',
});
await createVSIX({ cwd: dir, packagePath: out, dependencies: false, allowMissingRepository: true });
process.stdout.write(`vsix: ${path.relative(process.cwd(), out)}\n`);
