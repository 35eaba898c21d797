/**
 * A long letter for the editor's benchmark and tests: `items` disputed items, each
 * with its rationale, made of the generator's realistic cases (`src/generate/`), valid
 * and the same for the same seed. 18 items make a public edition of ten pages (`npm run bench:lsp` builds it to say so).
 */
import { generateCase, toCaseFile } from '../generate/index.js';
import type { Item } from '../schema/case.js';

export function longLetter(items: number, seed = 1): string {
  const first = generateCase(seed, 0);
  const all: Item[] = [];
  const rationales: string[] = [];
  for (let index = 0; all.length < items; index++) {
    const g = index === 0 ? first : generateCase(seed, index);
    const bodies = g.text.split(/^# Rationale: .*$/m).slice(1).map((s) => s.trim());
    g.data.items.forEach((item, k) => {
      if (all.length >= items) return;
      all.push({ ...item, id: `item-${all.length + 1}` });
      rationales.push(bodies[k]!);
    });
  }
  const summary = /^# Clinical case summary\n([\s\S]*?)\n# Rationale:/m.exec(first.text)![1]!.trim();
  return toCaseFile({ ...first.data, items: all }, summary, rationales);
}
