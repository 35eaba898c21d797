/**
 * The token index (`src/archive/token-index.ts`): every unit a new value can be found in
 * by the matcher is among the units it names.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectWords, createMatcher, formsOf, type ConfidentialValue } from '../src/confidential/index.js';
import { TokenIndex } from '../src/archive/token-index.js';
import { tempFolders } from './helpers.js';

const temp = tempFolders('i14q-token-index');

const texts: Record<string, string> = {
  'a.html': '<p>Claim no. 87 98 79 88 22 was reviewed on 2020-01-15.</p>',
  'b.html': '<p>The request for <b>Maria</b> Lopez-Garcia was upheld.</p>',
  'c.txt': 'Claim EX-0000-000001, and claim 12-345.',
  'd.txt': 'Nothing to see here: the treating physician requested physical therapy.',
  'e.txt': 'Reference 879 879 88 2 and 12 34 5 and marla lopez.',
  'f.txt': 'File a b12 345 67 closed, and file AB 1 2.',
};

const value = (v: string, kind: ConfidentialValue['kind']): ConfidentialValue => ({ value: v, kind, file: 'x.md', case: undefined });

async function indexOf(retireAfter = 200): Promise<TokenIndex> {
  const out = temp('out');
  const made = await TokenIndex.create(out, { retireAfter });
  for (const [unit, text] of Object.entries(texts)) {
    const words = new Set<string>();
    collectWords(text, unit.endsWith('.html') ? 'html' : 'plain', words);
    made.add(unit, words);
  }
  const id = made.id;
  await made.commit();
  return TokenIndex.open(out, id)!;
}

/** The units a matcher of `v` finds it in, reading every text. */
const foundIn = (v: ConfidentialValue) => {
  const m = createMatcher([v], { parts: false });
  return Object.entries(texts).filter(([unit, text]) => m.find(text, unit.endsWith('.html') ? 'html' : 'plain').length > 0).map(([u]) => u).sort();
};

describe('the token index', () => {
  const cases: [string, ConfidentialValue][] = [
    ['a claim number spelled in pieces', value('87-987988-22', 'claim number')],
    ['a claim number with letters', value('EX 0000 000001', 'claim number')],
    ['a claim number shorter than a key', value('12345', 'claim number')],
    ['a claim number whose letters and first digit are split across words', value('AB-1234567', 'claim number')],
    ['a short claim number with letters', value('AB12', 'claim number')],
    ['a name across markup', value('Maria Lopez-Garcia', 'injured worker name')],
    ['a name nowhere', value('Quentin Farthingale', 'injured worker name')],
  ];
  for (const [what, v] of cases) {
    it(`names every unit the matcher finds ${what} in, and not every unit`, async () => {
      const index = await indexOf();
      const found = foundIn(v);
      const exposure = index.exposed(formsOf(v, false));
      await index.discard();
      expect('units' in exposure).toBe(true);
      const units = 'units' in exposure ? [...exposure.units].sort() : [];
      for (const u of found) expect(units).toContain(u);
      expect(units).not.toContain('d.txt');
      if (what !== 'a name nowhere') expect(found.length).toBeGreaterThan(0);
      else expect(units).toEqual([]);
    });
  }

  it('cannot narrow a value whose words are all in more units than it keeps', async () => {
    const index = await indexOf(1);
    const exposure = index.exposed(formsOf(value('Claim Lopez', 'employer name'), false));
    await index.discard();
    expect(exposure).toEqual({ fallback: expect.stringMatching(/commonest/) });
  });

  it('is opened only by the record that names it', async () => {
    const out = temp('own');
    const made = await TokenIndex.create(out);
    await made.commit();
    expect(TokenIndex.open(out, 'another')).toBeUndefined();
    expect(TokenIndex.open(path.join(out, 'nothing'), made.id)).toBeUndefined();
    const again = TokenIndex.open(out, made.id);
    expect(again?.id).toBe(made.id);
    await again?.discard();
  });
});
