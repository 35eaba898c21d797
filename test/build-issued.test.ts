/**
 * Issued revisions gain editions but never change: a public edition built first, then
 * the mailed letter once the parties are added (the importer's case); a draft's stale
 * edition is removed; the manifest's `source` does not depend on how a path is typed.
 */
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../src/build/index.js';
import { projectInputs, root, tempFolders } from './helpers.js';

const temp = tempFolders('imr-issued');

function run(paths: string[], out: string, extra: Partial<BuildOptions> = {}) {
  return build({
    paths,
    out,
    ...projectInputs,
    ...extra,
  });
}

/** The seed case without its `parties` block, as an imported letter has it. */
function withoutParties(text: string): string {
  return text.replace(/\nparties:\n(?: {2}.*\n|\s*#.*\n)*/, '\n');
}

describe('issued revisions', () => {
  it('an issued letter without parties gets its mailed letter once they are added; the public edition stays as issued', async () => {
    const dir = await temp();
    const out = await temp();
    const full = await readFile(path.join(root, 'cases/CM15-0900001.md'), 'utf8');
    const bare = withoutParties(full);
    expect(bare).not.toContain('parties:');
    const file = path.join(dir, 'case.md');
    await writeFile(file, bare);

    const first = await run([dir], out);
    expect(first.diagnostics.map((d) => d.rule)).toEqual(['no-parties']);
    const publicPdf = path.join(out, 'letters/CM15-0900001/v1/CM15-0900001-v1-public.pdf');
    const before = await stat(publicPdf);
    const publicBytes = await readFile(publicPdf);

    await writeFile(file, full);
    const second = await run([dir], out);
    expect(second.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(second.letters[0]?.state).toBe('built');
    const letterPdf = path.join(out, 'letters/CM15-0900001/v1/CM15-0900001-v1-letter.pdf');
    expect((await stat(letterPdf)).size).toBeGreaterThan(0);
    const after = await stat(publicPdf);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
    expect(await readFile(publicPdf)).toEqual(publicBytes);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.letters[0].files.map((f: { path: string }) => f.path).sort()).toEqual([
      'letters/CM15-0900001/v1/CM15-0900001-v1-letter.html',
      'letters/CM15-0900001/v1/CM15-0900001-v1-letter.pdf',
      'letters/CM15-0900001/v1/CM15-0900001-v1-public.html',
      'letters/CM15-0900001/v1/CM15-0900001-v1-public.json',
      'letters/CM15-0900001/v1/CM15-0900001-v1-public.pdf',
    ]);

    // A change to anything else of the issued letter is still refused.
    await writeFile(file, full.replace('priority: Standard', 'priority: Expedited'));
    const third = await run([dir], out);
    // (An expedited letter decided weeks after assignment also gets the `decision-deadline` warning.)
    expect(third.diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toEqual(['issued-revision-changed']);
  });

  it('a final built public-only first gets its mailed letter later, without touching the public files', async () => {
    const dir = await temp();
    const out = await temp();
    await copyFile(path.join(root, 'cases/CM15-0900002.md'), path.join(dir, 'case.md'));
    await run([dir], out, { editions: ['public'] });
    const publicHtml = path.join(out, 'letters/CM15-0900002/v1/CM15-0900002-v1-public.html');
    const before = await stat(publicHtml);
    const again = await run([dir], out);
    expect(again.letters[0]?.state).toBe('built');
    expect((await stat(path.join(out, 'letters/CM15-0900002/v1/CM15-0900002-v1-letter.pdf'))).size).toBeGreaterThan(0);
    expect((await stat(publicHtml)).mtimeMs).toBe(before.mtimeMs);
    const third = await run([dir], out);
    expect(third.letters[0]?.state).toBe('unchanged');
  });

  it('a changed draft rebuilt for one edition drops the stale files of the other', async () => {
    const dir = await temp();
    const out = await temp();
    const text = (await readFile(path.join(root, 'cases/CM15-0900002.md'), 'utf8')).replace('status: final', 'status: draft');
    const file = path.join(dir, 'case.md');
    await writeFile(file, text);
    await run([dir], out);
    const letterHtml = path.join(out, 'letters/CM15-0900002/v1/CM15-0900002-v1-letter.html');
    expect((await stat(letterHtml)).size).toBeGreaterThan(0);
    await writeFile(file, text.replace('Norco 10-325 mg', 'Norco 10-325mg'));
    await run([dir], out, { editions: ['public'] });
    await expect(stat(letterHtml)).rejects.toThrow();
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.letters[0].files.every((f: { edition: string }) => f.edition === 'public')).toBe(true);
  });

  it('records the source relative to the working folder, however the path was typed', async () => {
    const outA = await temp();
    const outB = await temp();
    await run([path.join(root, 'cases/CM16-0233904.md')], outA, { editions: ['public'] });
    const cwd = process.cwd();
    try {
      process.chdir(root);
      await run(['cases/CM16-0233904.md'], outB, { editions: ['public'] });
    } finally {
      process.chdir(cwd);
    }
    const a = JSON.parse(await readFile(path.join(outA, 'manifest.json'), 'utf8'));
    const b = JSON.parse(await readFile(path.join(outB, 'manifest.json'), 'utf8'));
    expect(a.letters[0].source).not.toMatch(/^\//);
    if (cwd === root) expect(a.letters[0].source).toBe(b.letters[0].source);
  });
});
