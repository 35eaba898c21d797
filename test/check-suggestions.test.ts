/**
 * The check's suggestions (the fixes an editor offers): applied to the case file, each
 * removes its problem and breaks nothing. Run over every check fixture, and on the
 * forms of ` #` where quoting is or is not a sure fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { root } from './helpers.js';

/** The text with `d.suggestion` applied. */
function apply(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  const { span, text: replacement } = d.suggestion!;
  return text.slice(0, offset(span.start)) + replacement + text.slice(offset(span.end));
}
const key = (d: Diagnostic) => `${d.rule}@${d.line}:${d.column}`;

describe('check suggestions', () => {
  const dir = path.join(root, 'test/fixtures/check');
  const fixtures = readdirSync(dir).filter((f) => !f.includes('.'));
  it('applied, each removes its own problem and breaks nothing (every check fixture)', () => {
    let applied = 0;
    for (const name of fixtures) {
      const text = readFileSync(path.join(dir, name, 'input.md'), 'utf8');
      const before = checkSource({ file: 'case.md', text }).diagnostics;
      for (const d of before.filter((x) => x.suggestion)) {
        const after = checkSource({ file: 'case.md', text: apply(text, d) }).diagnostics;
        const rest = before.filter((x) => x !== d).map((x) => `${x.rule}:${x.message}`);
        const added = after.filter((x) => !rest.includes(`${x.rule}:${x.message}`));
        // Its own problem is gone; what is new is never a broken file (a renamed key may
        // reveal a rule of that key: `amend` → `amends` in revision 1 is `amends-unexpected`).
        expect(added.map(key), `${name}: ${key(d)} → ${d.suggestion!.text}`).not.toContain(key(d));
        expect(added.filter((x) => /^(yaml-|frontmatter-|unknown-|bad-enum|bad-citation)/.test(x.rule)).map(key), `${name}: ${key(d)} → ${d.suggestion!.text}`).toEqual([]);
        applied++;
      }
    }
    expect(applied).toBeGreaterThanOrEqual(5);
  });

  it('quotes a value cut by ` #`, keeps a real comment after it, and offers nothing where quoting is not sure', () => {
    const base = readFileSync(path.join(root, 'test/fixtures/lsp/mistakes.md'), 'utf8');
    const inline = (line: string) => checkSource({ file: 'c.md', text: base.replace('    request: Baclofen 100mg #30', line) }).diagnostics.find((d) => d.rule === 'yaml-inline-comment');
    expect(inline('    request: Baclofen 100mg #30')!.suggestion!.text).toBe('"Baclofen 100mg #30"');
    const commented = inline('    request: Baclofen 100mg #30  # thirty tablets')!;
    expect(commented.suggestion!.text).toBe('"Baclofen 100mg #30"');
    expect(commented.suggestion!.span).toEqual({ start: { line: 21, column: 14 }, end: { line: 21, column: 32 } });
    expect(inline('    request: "x"\n    modified: { form: partial, authorized: Baclofen #27, remainder: "Baclofen #3" }')?.suggestion).toBeUndefined();
  });
});
