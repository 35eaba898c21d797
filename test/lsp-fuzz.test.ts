/**
 * The language server's features never throw on a half-written file: every case file
 * and the mistakes fixture, cut at a random place (as while typing) or with a random
 * character typed anywhere, then asked for completion, hover, definition, symbols and
 * quick fixes at random positions (fast-check, in process).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { codeActions } from '../src/lsp/actions.js';
import { complete } from '../src/lsp/completion.js';
import { hover } from '../src/lsp/hover.js';
import { definition, symbols } from '../src/lsp/navigation.js';
import { outline } from '../src/lsp/outline.js';
import { toLsp } from '../src/lsp/server.js';
import { root } from './helpers.js';

const texts = [
  ...readdirSync(path.join(root, 'cases')).map((f) => readFileSync(path.join(root, 'cases', f), 'utf8')),
  readFileSync(path.join(root, 'test/fixtures/lsp/mistakes.md'), 'utf8'),
];

function exercise(text: string, line: number, character: number): void {
  const o = outline('cases/x.md', text);
  const position = { line, character };
  complete(o, position);
  hover(o, position);
  definition(o, 'file:///x.md', position);
  symbols(o);
  const { diagnostics } = checkSource({ file: 'cases/x.md', text });
  codeActions(o, 'file:///x.md', diagnostics, { start: position, end: position }, toLsp);
}

describe('language server features on half-written files', () => {
  it('never throw', () => {
    const typed = fc.tuple(fc.nat(texts.length - 1), fc.nat(), fc.constantFrom('', ' ', ':', '-', '"', "'", '[', '{', '#', '\n', '  ', 'x', '- ', ': '), fc.boolean(), fc.nat(), fc.nat());
    fc.assert(
      fc.property(typed, ([which, at, insert, cut, lineSeed, charSeed]) => {
        const base = texts[which]!;
        const offset = at % (base.length + 1);
        const text = cut ? base.slice(0, offset) + insert : base.slice(0, offset) + insert + base.slice(offset);
        const lines = text.split('\n');
        const line = lineSeed % lines.length;
        const character = charSeed % (lines[line]!.length + 1);
        expect(() => exercise(text, line, character)).not.toThrow();
      }),
      { numRuns: 400, seed: 15 },
    );
  });
});
