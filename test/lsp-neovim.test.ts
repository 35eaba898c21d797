/**
 * The language server in a real editor: the Neovim on this machine (Debian's `neovim`,
 * headless) opens a case file with known mistakes through the README's snippet, and a
 * Lua probe reads back what Neovim's own LSP client got: the diagnostics (positions and
 * rule ids), completion lists, and a quick fix applied by Neovim and re-checked.
 *
 * The project is a temporary folder laid out as a checkout: `imr-letters.config.yaml`,
 * `bin/` (a link to this one's) and `cases/`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { root, setup } from './helpers.js';

let dir: string;
setup(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imr-nvim-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The Lua block of the README's Neovim section. */
async function readmeSnippet(): Promise<string> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Neovim'));
  const block = /```lua\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no ```lua block in the Neovim section');
  return block;
}

function run(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('Neovim', () => {
  it('shows the check’s diagnostics at their positions, completes, and applies a quick fix', async () => {
    // A failing setup fails: Neovim must be installed (setup.sh installs Debian's neovim).
    const version = execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
    expect(version).toMatch(/^NVIM v\d+\.\d+/);

    const project = path.join(dir, 'project');
    await mkdir(path.join(project, 'cases'), { recursive: true });
    await cp(path.join(root, 'imr-letters.config.yaml'), path.join(project, 'imr-letters.config.yaml'));
    await symlink(path.join(root, 'bin'), path.join(project, 'bin'));
    const caseFile = path.join(project, 'cases', 'CM16-0233904.md');
    const text = await readFile(path.join(root, 'test/fixtures/lsp/mistakes.md'), 'utf8');
    await writeFile(caseFile, text);
    await writeFile(path.join(dir, 'init.lua'), await readmeSnippet());
    const outFile = path.join(dir, 'probe.json');
    const home = path.join(dir, 'home');
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), XDG_STATE_HOME: path.join(home, 'state'), XDG_CACHE_HOME: path.join(home, 'cache'), IMR_PROBE_OUT: outFile };

    const result = await run('nvim', ['--headless', '-i', 'NONE', '-n', '-u', path.join(dir, 'init.lua'), 'cases/CM16-0233904.md', '-c', `luafile ${path.join(root, 'test/fixtures/lsp/neovim-probe.lua')}`], { cwd: project, env, timeoutMs: 90_000 });
    const seen = JSON.parse(await readFile(outFile, 'utf8').catch(() => `{"error": ${JSON.stringify(`no probe output; exit ${result.code}; ${result.stderr}`)}}`)) as Record<string, unknown>;
    console.log(`${version}: ${JSON.stringify(seen, null, 1)}`);
    expect(seen.error).toBeUndefined();
    expect(seen.attached).toBe(true);
    expect(seen.clients).toEqual(['imr-letters']);
    // The diagnostics Neovim holds are the check's: same rule ids, same positions.
    const check = checkSource({ file: caseFile, text }).diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}-${d.endLine}:${d.endColumn}`).sort();
    expect(seen.diagnostics).toEqual(check);
    expect(seen.diagnostics).toEqual(['bad-enum@22:15-22:21', 'missing-key@27:5-27:7', 'rationale-missing@27:9-27:14', 'unknown-key@28:5-28:13', 'yaml-inline-comment@21:29-21:32']);
    expect(seen.decision).toEqual(['Upheld', 'Overturned']);
    expect(seen.fix).toBe('Change to Upheld');
    expect(seen.fixed_line).toBe('    decision: Upheld');
    expect(seen.fix_rechecked).toBe(true);
    expect(seen.after_fix).toEqual(['missing-key@27:5-27:7', 'rationale-missing@27:9-27:14', 'unknown-key@28:5-28:13', 'yaml-inline-comment@21:29-21:32']);
    const keys = seen.keys as string[];
    expect(keys.slice(0, 1)).toEqual(['category']);
    expect(keys).toContain('modified');
    expect(keys).not.toContain('id');
    expect(keys).not.toContain('request');
  });
});
