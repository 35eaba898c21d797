/**
 * Throughput features, end to end: HTML-only builds, shards that are disjoint and
 * together cover every case, merged shard manifests equal to the manifest of one whole
 * build, and the no-op rebuild that skips unchanged bytes without parsing them.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, parseShard, shardOf, type BuildOptions } from '../src/build/index.js';
import { mergeManifests } from '../src/publish/merge.js';
import { VERSION } from '../src/cli.js';
import type { Manifest } from '../src/publish/manifest.js';
import { projectInputs, root, tempFolders } from './helpers.js';

const generator = `imr-letters ${VERSION}`;
const temp = tempFolders('imr-shard');
const run = (paths: string[], out: string, extra: Partial<BuildOptions> = {}) =>
  build({
    paths,
    out,
    ...projectInputs,
    htmlOnly: true,
    ...extra,
  });
const readManifest = async (out: string): Promise<Manifest> => JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));

describe('shards', () => {
  it('parses k/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('0/4')).toBeUndefined();
    expect(parseShard('5/4')).toBeUndefined();
    expect(parseShard('x')).toBeUndefined();
  });

  it('puts every file in exactly one shard, the same one every time', () => {
    const files = Array.from({ length: 200 }, (_, i) => `cases/CM17-${String(i).padStart(7, '0')}.md`);
    const parts = files.map((f) => shardOf(f, 4));
    expect(parts).toEqual(files.map((f) => shardOf(f, 4)));
    for (let k = 0; k < 4; k++) expect(parts.filter((p) => p === k).length).toBeGreaterThan(20);
  });

  it('sharded HTML-only builds, merged, equal one whole build', async () => {
    const whole = await temp();
    const all = await run([path.join(root, 'cases')], whole);
    expect(all.letters.filter((l) => l.state === 'built')).toHaveLength(6);
    const manifests: Manifest[] = [];
    const seen = new Set<string>();
    for (let k = 1; k <= 3; k++) {
      const out = await temp();
      const part = await run([path.join(root, 'cases')], out, { shard: { index: k, count: 3 } });
      for (const l of part.letters) {
        expect(seen.has(l.case)).toBe(false);
        seen.add(l.case);
      }
      manifests.push(await readManifest(out));
    }
    expect(seen.size).toBe(6);
    const merged = mergeManifests(manifests, generator);
    expect(merged).toEqual(await readManifest(whole));
    // HTML-only: no PDF, pages unknown
    for (const l of merged.letters) {
      expect(l.files.some((f) => f.format === 'pdf')).toBe(false);
      expect(l.files.every((f) => f.pages === null)).toBe(true);
    }
  });

  it('refuses to merge manifests that disagree on a letter', async () => {
    const a = await temp();
    await run([path.join(root, 'cases/CM16-0233904.md')], a);
    const m = await readManifest(a);
    const other = structuredClone(m);
    other.letters[0]!.files[0]!.sha256 = '0'.repeat(64);
    expect(() => mergeManifests([m, other], generator)).toThrow(/two manifests/);
    expect(mergeManifests([m, m], generator)).toEqual(m);
  });
});

describe('no-op rebuilds', () => {
  it('skip unchanged files without parsing them, and notice a changed one', async () => {
    const dir = await temp();
    const out = await temp();
    await cp(path.join(root, 'cases'), dir, { recursive: true });
    const first = await run([dir], out);
    expect(first.letters.every((l) => l.state === 'built')).toBe(true);
    // Break a file's frontmatter but keep its bytes' hash out of the manifest: it must be parsed and refused;
    // every other file is skipped on its bytes alone.
    const file = path.join(dir, 'CM16-0233904.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('status: final', 'status: finall'));
    const second = await run([dir], out);
    expect(second.letters.filter((l) => l.state === 'unchanged')).toHaveLength(5);
    expect(second.diagnostics.map((d) => d.rule)).toContain('bad-enum');
    // A comment-only change: same content, new bytes: unchanged, and the new bytes are remembered.
    await writeFile(file, text.replace('status: final', 'status: final   # issued'));
    const third = await run([dir], out);
    expect(third.letters.every((l) => l.state === 'unchanged')).toBe(true);
    const entry = (await readManifest(out)).letters.find((l) => l.case === 'CM16-0233904')!;
    const { createHash } = await import('node:crypto');
    expect(entry.sourceSha256).toBe(createHash('sha256').update(await readFile(file)).digest('hex'));
  });
});
