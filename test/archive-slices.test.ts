/**
 * A long text is read by the leak check in overlapping slices (`slices` in
 * `src/archive/leak.ts`): a value is found wherever it stands, across a slice's end too.
 */
import { describe, expect, it } from 'vitest';
import { createMatcher } from '../src/confidential/index.js';
import { OVERLAP, SLICE, slices, textLeaks } from '../src/archive/leak.js';

const filler = (n: number) => 'the treating physician requested physical therapy; '.repeat(Math.ceil(n / 52)).slice(0, n);
const matcher = createMatcher([{ value: 'Maria Q. Lopez', kind: 'injured worker name', file: 'x.md', case: undefined }], { parts: false });

describe('the slices of a long text', () => {
  it('cover the text, overlap by about OVERLAP, and never cut a word', () => {
    const text = filler(3 * SLICE + 12_345);
    const list = slices(text);
    expect(list.length).toBeGreaterThan(3);
    expect(list[0]![0]).toBe(0);
    expect(list[list.length - 1]![1]).toBe(text.length);
    for (let k = 1; k < list.length; k++) {
      const [a, b] = list[k]!;
      const before = list[k - 1]!;
      expect(a).toBeLessThan(before[1]);
      expect(before[1] - a).toBeGreaterThan(OVERLAP - 20);
      for (const i of [a, b]) if (i < text.length) expect(text[i]).toMatch(/[^a-z]/);
    }
  });

  it('find a value across the end of a slice, at the start and at the end of the text', () => {
    const value = 'Maria Q. Lopez';
    for (const at of [0, SLICE - 5, SLICE - 20, 2 * SLICE - OVERLAP - 3, 3 * SLICE - 1]) {
      const base = filler(3 * SLICE + 500);
      const text = `${base.slice(0, at)} ${value} ${base.slice(at)}`;
      const words = new Set<string>();
      expect(textLeaks('x.txt', 'PDF text', text, [matcher], words).length, `at ${at}`).toBe(1);
      expect(words.has('lopez')).toBe(true);
    }
    expect(textLeaks('x.txt', 'PDF text', filler(3 * SLICE), [matcher])).toEqual([]);
  });
});
