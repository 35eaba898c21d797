/**
 * `parseMarkdown` (src/check/parse.ts) parses only the body with micromark and finds
 * the frontmatter itself: its tree must be the one remark gives for the whole file,
 * node for node and position for position, on every case file and fixture, on synthetic
 * cases, on frontmatter edge cases and on random text.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/check/parse.js';
import { generateCases } from '../src/generate/index.js';
import { root, tempFolders } from './helpers.js';

const whole = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);
const expectSame = (text: string, label = JSON.stringify(text.slice(0, 80))) => expect(parseMarkdown(text).children, label).toEqual((whole.parse(text) as { children: unknown[] }).children);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(dir, f));
}

const temp = tempFolders('imr-parse');

describe('parseMarkdown', () => {
  it('gives the whole-file tree for every case file and test fixture', () => {
    const files = [...markdownFiles(path.join(root, 'cases')), ...markdownFiles(path.join(root, 'test', 'fixtures'))];
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) expectSame(readFileSync(f, 'utf8').replace(/\r\n?/g, '\n'), f);
  });

  it('gives the whole-file tree for synthetic cases', async () => {
    const dir = temp();
    await generateCases({ count: 60, into: dir, seed: 11 });
    for (const f of markdownFiles(dir)) expectSame(readFileSync(f, 'utf8'));
  });

  it('gives the whole-file tree at the frontmatter edge cases', () => {
    const cases = [
      '---\n---\n',
      '---\n---',
      '---\n\n---\nbody',
      '---\na: 1\n---',
      '---\na: 1\n---\n',
      '---  \na: 1\n--- \t\n# Title\n',
      '---\ta\n---\nx',
      '---\na: 1\n--- x\n---\nafter',
      '---\na: 1\n----\n---\n\nText',
      '---\na: 1\n',
      '----\na: 1\n---\n',
      ' ---\na: 1\n---\n',
      '---\na: 1\n---\n---\nb: 2\n---\n',
      '---\na: 1\n---\n\tcode\n',
      '---\na: 1\n---\n  - item\n\n    more\n',
      '---\na: 1\n---\nText\n===\n',
      '---\na: 1\n---\n[x]: /u\n\n[x]\n',
      '---\na: 1\n---\n\uFEFFText\n',
      '---\r\na: 1\r\n---\r\nText\r\n',
      '---\na: 1\n---\r\nText\n',
      '---\na: 1\n---\n> quote\ncontinued\n',
      '---\na: 1\n---\n\u0000 nul\n',
      '---\na:\t1\n\u0000 b: 2\n---\nx\u0000\n',
      '---\na: |\n  ---\n  x\n---\nbody\n',
    ];
    for (const text of cases) expectSame(text);
  });

  it('gives the whole-file tree on random text around fences', () => {
    const piece = fc.constantFrom('---', '---\n', '--- ', '\n', '\t', ' ', 'a: 1', '# H', '- x', '> q', '***', '`c`', '*e*', '\r', '[l]: /u', '[l]', '    code', '\u00AD', '1. x', '===', '\u0000', '\uFEFF');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(piece, { maxLength: 30 }), (head, tail) => {
        expectSame(`---\n${head.join('')}\n---\n${tail.join('')}`);
        expectSame(`${head.join('')}${tail.join('')}`);
      }),
      { numRuns: 400 },
    );
  });
});
