/**
 * Property-based tests (fast-check) of the check and the renderer:
 * - random valid cases (the generator, random seeds) check clean and render both editions;
 * - random mutations of valid case files never crash the check, never yield a case
 *   when there is an error, and every diagnostic lies inside the file;
 * - random bytes never crash the reader.
 * Run counts are set so the file stays under ~30 s on two cores.
 */
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { loadConfig } from '../src/config.js';
import { hasErrors } from '../src/diagnostics.js';
import { generateCase } from '../src/generate/index.js';
import { decodeSource } from '../src/read/source.js';
import { createRenderer, type Renderer } from '../src/render/index.js';
import { root, setup } from './helpers.js';

let renderer: Renderer;

setup(async () => {
  const config = await loadConfig(path.join(root, 'imr-letters.config.yaml'));
  renderer = await createRenderer({ org: config.organization, templates: path.join(root, 'templates'), styles: path.join(root, 'styles') });
});

/** Every diagnostic points inside the text, and a case comes back only without errors. */
function assertSound(file: string, text: string): void {
  const result = checkSource({ file, text });
  const lines = text.split('\n');
  for (const d of result.diagnostics) {
    expect(d.file).toBe(file);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines.length + 1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.endLine).toBeGreaterThanOrEqual(d.line);
    expect(d.rule).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(d.message.length).toBeGreaterThan(10);
  }
  if (hasErrors(result.diagnostics)) expect(result.case).toBeUndefined();
  else expect(result.case).toBeDefined();
}

const seedCase = generateCase(11, 5, { parties: true });

/** A mutation of a text: an edit at a random place. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(':', '#', '- ', '  ', '\t', '"', "'", '[', '{', '&a', '*a', '---', '\n# Rationale: x\n', '<script>', '__proto__: 1\n', '\u0000', '\uFEFF')) }),
  fc.record({ kind: fc.constant('delete-chars' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = (n: number) => n % Math.max(1, lines.length);
  const ci = (n: number) => n % Math.max(1, text.length);
  switch (m.kind) {
    case 'delete-line':
      lines.splice(li(m.at), 1);
      return lines.join('\n');
    case 'duplicate-line':
      lines.splice(li(m.at), 0, lines[li(m.at)] ?? '');
      return lines.join('\n');
    case 'swap-lines': {
      const a = li(m.at);
      const b = li(m.to);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'insert':
      return text.slice(0, ci(m.at)) + m.text + text.slice(ci(m.at));
    case 'delete-chars':
      return text.slice(0, ci(m.at)) + text.slice(ci(m.at) + m.count);
    case 'truncate':
      return text.slice(0, ci(m.at));
  }
}

describe('fuzz', () => {
  it('random valid cases check clean and render both editions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat({ max: 10_000 }), (seed, index) => {
        const c = generateCase(seed, index, { parties: true });
        const result = checkSource({ file: c.file, text: c.text });
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        for (const edition of ['letter', 'public'] as const) {
          const { html } = renderer.render(result.case!, edition, '../');
          expect(html).toContain(c.data.case);
          if (edition === 'public') expect(html).not.toContain(c.data.parties!.claimNumber);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('mutated case files never crash the check, and yield a case only without errors', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const text = mutations.reduce(apply, seedCase.text);
        assertSound(seedCase.file, text);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes never crash the reader or the check', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const read = decodeSource('random.md', bytes);
        if (read.source) assertSound('random.md', read.source.text);
        else expect(read.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
