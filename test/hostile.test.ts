/**
 * Hostile input: inputs too large or too deep to keep as fixture files are generated
 * here. Each must give a clear error at a line, quickly, without a crash, and no case.
 * Also: paths never leave the output folder, an unwritable output folder is a clear
 * error, and a bad file among good ones does not stop the good ones.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { build } from '../src/build/index.js';
import { OutputError } from '../src/errors.js';
import { letterDir, letterFile, writeAtomic } from '../src/publish/files.js';
import { decodeSource, readSource } from '../src/read/source.js';
import { projectInputs, root, tempFolders } from './helpers.js';

const valid = await readFile(path.join(root, 'cases/CM16-0233904.md'), 'utf8');
const temp = tempFolders('imr-hostile');

/** Checks `text`, which must be refused with the given rule, at a line inside the file (how fast: `npm run bench`). */
function expectRefused(text: string, rule: string): void {
  const result = checkSource({ file: 'hostile.md', text });
  expect(result.case).toBeUndefined();
  const hit = result.diagnostics.find((d) => d.rule === rule);
  expect(hit, JSON.stringify(result.diagnostics.slice(0, 3))).toBeDefined();
  expect(hit!.line).toBeGreaterThanOrEqual(1);
  expect(hit!.line).toBeLessThanOrEqual(text.split('\n').length + 1);
}

describe('hostile case files', () => {
  it('a 20 MB file is refused without being read whole', async () => {
    const dir = await temp();
    const file = path.join(dir, 'huge.md');
    await writeFile(file, `${valid}\n${'x'.repeat(20 * 1024 * 1024)}\n`);
    const read = await readSource(file);
    expect(read.source).toBeUndefined();
    expect(read.diagnostics.map((d) => d.rule)).toEqual(['file-too-large']);
  });

  it('exponentially expanding YAML aliases ("billion laughs") are refused quickly', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expectRefused(`---\n${bomb.join('\n')}\n---\n\n# Clinical case summary\n\nText.\n`, 'yaml-alias');
  });

  it('__proto__ and constructor keys are unknown keys, and pollute nothing', () => {
    const text = valid.replace('priority: Standard', 'priority: Standard\n__proto__:\n  polluted: yes\nconstructor: x');
    expectRefused(text, 'unknown-key');
    const result = checkSource({ file: 'proto.md', text });
    expect(result.diagnostics.filter((d) => d.rule === 'unknown-key').map((d) => d.message).join(' ')).toMatch(/__proto__[\s\S]*constructor|constructor[\s\S]*__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deeply nested values are a clear error at their line, not a crash', () => {
    const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const text = valid.replace('priority: Standard', `priority: ${deep}`);
    expectRefused(text, 'yaml-syntax');
    expect(checkSource({ file: 'deep.md', text }).diagnostics[0]!.message).toMatch(/nested too deeply/);
  });

  it('Markdown nested thousands deep, or huge runs of markup, is refused before it reaches the parser', () => {
    const at = (body: string) => valid.replace('# Rationale: baclofen\n', `# Rationale: baclofen\n\n${body}\n`);
    for (const [body, rule] of [
      ['>'.repeat(20_000) + ' x', 'markdown-too-deep'],
      ['* '.repeat(5_000) + 'x', 'markdown-too-deep'],
      ['*'.repeat(100_000) + 'x' + '*'.repeat(100_000), 'markdown-too-complex'],
      ['['.repeat(50_000) + 'x', 'markdown-too-complex'],
    ] as const) {
      const text = at(body);
      expectRefused(text, rule);
      const result = checkSource({ file: 'deep.md', text });
      // One problem, at its line: the unparsed body raises no follow-on errors.
      expect(result.diagnostics.map((d) => d.rule)).toEqual([rule]);
      expect(result.diagnostics[0]!.line).toBe(text.split('\n').findIndex((l) => l.startsWith(body.slice(0, 10))) + 1);
    }
    // Nesting a letter might really use is fine.
    expect(checkSource({ file: 'ok.md', text: at('> quoted\n>\n> > quoted twice') }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a very long line (1 MB) is checked and refused at its line', () => {
    const text = valid.replace('priority: Standard', `priority: ${'Standard'.repeat(130_000)}`);
    expectRefused(text, 'bad-enum');
  });

  it('a very long Markdown paragraph still checks (and renders nothing unsafe)', () => {
    const text = valid.replace('# Rationale: baclofen\n', `# Rationale: baclofen\n\n${'word '.repeat(200_000)}\n`);
    const result = checkSource({ file: 'long.md', text });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('NUL bytes and invalid UTF-8 are refused at their line', () => {
    expect(decodeSource('nul.md', Buffer.from(`${valid}\u0000`)).diagnostics.map((d) => d.rule)).toEqual(['binary-file']);
    const bytes = Buffer.concat([Buffer.from(valid.slice(0, 100)), Buffer.from([0xc3, 0x28]), Buffer.from(valid.slice(100))]);
    const read = decodeSource('latin.md', bytes);
    expect(read.diagnostics.map((d) => d.rule)).toEqual(['encoding']);
    expect(read.diagnostics[0]!.line).toBe(valid.slice(0, 100).split('\n').length);
  });
});

describe('paths', () => {
  it('a case number can never name a path outside out/', () => {
    for (const bad of ['../CM16-0000001', 'CM16-0000001/../../x', '/etc/passwd', 'CM16-000000\u0000', 'CM16-0000001 ']) {
      expect(() => letterDir(bad, 1)).toThrow(/Refusing/);
      expect(() => letterFile(bad, 1, 'public', 'pdf')).toThrow(/Refusing/);
    }
    expect(() => letterDir('CM16-0000001', 0)).toThrow(/Refusing/);
    expect(letterFile('CM16-0000001', 2, 'letter', 'html')).toBe('letters/CM16-0000001/v2/CM16-0000001-v2-letter.html');
  });

  it('writes never leave the output folder', async () => {
    const out = await temp();
    for (const rel of ['../escape.txt', '/tmp/absolute.txt', 'letters/../../escape.txt']) {
      await expect(writeAtomic(out, rel, 'x')).rejects.toThrow(/outside/);
    }
  });
});

describe('output faults', () => {
  it('an output folder that cannot be written is a clear OutputError, and no case is lost', async () => {
    const dir = await temp();
    const blocker = path.join(dir, 'out');
    await writeFile(blocker, 'a file where the output folder should be');
    const error = await build({
      paths: [path.join(root, 'cases/CM16-0233904.md')],
      out: blocker,
      editions: ['public'],
      htmlOnly: true,
      ...projectInputs,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toContain(blocker);
    expect(await readFile(blocker, 'utf8')).toBe('a file where the output folder should be');
  });
});

describe('a full disk', () => {
  it('is a clear OutputError naming the file, with nothing half-written (tmpfs of 300 kB; skipped where mounting is not allowed)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { existsSync, readdirSync, statSync } = await import('node:fs');
    const mnt = await temp();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      return; // not root, or no mount in this sandbox
    }
    try {
      const out = path.join(mnt, 'out');
      const error = await build({
        paths: [path.join(root, 'cases/CM16-0233904.md')],
        out,
        htmlOnly: true,
        ...projectInputs,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutputError);
      expect((error as Error).message).toMatch(/Cannot write .*out/);
      expect(String(((error as Error).cause as Error).message)).toContain('ENOSPC');
      expect(existsSync(path.join(out, 'manifest.json'))).toBe(false);
      // Whatever was written is whole: no temporary file left, every font complete.
      const written = (readdirSync(out, { recursive: true }) as string[]).filter((f) => statSync(path.join(out, f)).isFile());
      expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const f of written) expect(statSync(path.join(out, f)).size, f).toBeGreaterThan(1000);
    } finally {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    }
  });
});
