/**
 * The synthetic case generator: the same cases for the same seed, every case valid,
 * and a mix close to the corpus's (items per letter, Overturned share, modified requests,
 * length).
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { generateCase } from '../src/generate/index.js';

describe('generateCase', () => {
  const cases = Array.from({ length: 400 }, (_, i) => generateCase(7, i));

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateCase(7, 3).text).toBe(cases[3]!.text);
    expect(generateCase(8, 3).text).not.toBe(cases[3]!.text);
  });

  it('writes only valid cases', () => {
    for (const c of cases) {
      const result = checkSource({ file: c.file, text: c.text });
      expect(result.diagnostics.filter((d) => d.severity === 'error'), c.file).toEqual([]);
      expect(result.case?.data).toEqual(c.data);
    }
  });

  it('follows the corpus mix', () => {
    const items = cases.flatMap((c) => c.data.items);
    const single = cases.filter((c) => c.data.items.length === 1).length / cases.length;
    const overturned = items.filter((i) => i.decision === 'Overturned').length / items.length;
    const modified = items.filter((i) => i.modified).length / items.length;
    const chars = cases.reduce((n, c) => n + c.text.length, 0) / cases.length;
    expect(single).toBeGreaterThan(0.5);
    expect(single).toBeLessThan(0.72);
    expect(Math.max(...cases.map((c) => c.data.items.length))).toBeLessThanOrEqual(15);
    expect(overturned).toBeGreaterThan(0.07);
    expect(overturned).toBeLessThan(0.15);
    expect(modified).toBeGreaterThan(0.05);
    expect(modified).toBeLessThan(0.14);
    expect(chars).toBeGreaterThan(3500);
    expect(chars).toBeLessThan(9000);
    expect(new Set(cases.map((c) => c.data.case)).size).toBe(cases.length);
  });
});
