/**
 * `npm run bench` (part 4): the redline of a 20-page revision. Revision 1 is a seed case
 * whose summary is grown to about 20 printed pages (paragraphs of 300 to 2,600 words,
 * as long medical summaries have); revision 2 changes one word in every 150 and
 * rewrites one sentence per paragraph. Measured: the time to compare and write the
 * redline HTML, and how many words it marks changed, against the words really changed
 * (a sequence diff that gives up marks whole paragraphs as replaced).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSource } from '../check/index.js';
import { loadConfig } from '../config.js';
import { parseLetter } from '../diff/blocks.js';
import { compareBlocks } from '../diff/compare.js';
import { redlineHtml } from '../diff/output.js';
import { createRenderer } from '../render/index.js';
import { BenchError, projectRoot, type Row } from './common.js';

const SEED = 'CM15-0900002';
const VOCABULARY =
  'the patient reports persistent low back pain radiating to the left leg with numbness and tingling in the foot despite physical therapy chiropractic care and medications including nonsteroidal anti-inflammatory drugs and muscle relaxants examination showed tenderness over the lumbar paraspinal muscles with decreased range of motion and a positive straight leg raise on the left magnetic resonance imaging revealed a disc protrusion at L4-5 with moderate foraminal narrowing the treating physician requested a lumbar epidural steroid injection and continued opioid therapy for pain control'.split(' ');

/** A deterministic paragraph of `words` words, different for each `seed`. */
function paragraph(words: number, seed: number): string {
  const out: string[] = [];
  let x = seed * 7919 + 17;
  for (let i = 0; i < words; i++) {
    x = (x * 48271) % 2147483647;
    out.push(VOCABULARY[x % VOCABULARY.length]!);
    if (i % 19 === 18) out[out.length - 1] += '.';
  }
  return `${out.join(' ')}.`;
}

/** Revision 2 of a paragraph: one word in `every` replaced, one run of 12 words rewritten. */
function revise(text: string, every: number): { text: string; changed: number } {
  const words = text.split(' ');
  let changed = 0;
  for (let i = every / 2; i < words.length; i += every) {
    words[i] = `revised${i}`;
    changed++;
  }
  const at = Math.floor(words.length / 3);
  for (let i = at; i < at + 12 && i < words.length; i++) {
    words[i] = `rewritten${i}`;
    changed++;
  }
  return { text: words.join(' '), changed };
}

export async function redlineBench(): Promise<Row[]> {
  const seed = readFileSync(path.join(projectRoot, 'cases', `${SEED}.md`), 'utf8');
  const sizes = [300, 600, 2600, 900, 1200, 500, 1500, 800];
  const before = sizes.map((n, i) => paragraph(n, i + 1));
  const revised = before.map((p) => revise(p, 150));
  const changedWords = revised.reduce((s, r) => s + r.changed, 0);
  const withSummary = (paras: string[], revision: number) =>
    seed.replace(/# Clinical case summary\n[\s\S]*?(?=\n# Rationale)/, `# Clinical case summary\n\n${paras.join('\n\n')}\n`).replace(/^revision: 1/m, revision === 1 ? 'revision: 1' : `revision: ${revision}\namends: The clinical case summary`);
  const config = await loadConfig(path.join(projectRoot, 'imr-letters.config.yaml'));
  const renderer = await createRenderer({ org: config.organization, templates: path.join(projectRoot, 'templates'), styles: path.join(projectRoot, 'styles') });
  const render = (text: string) => {
    const c = checkSource({ file: `${SEED}.md`, text }).case;
    if (!c) throw new BenchError(`the bench case does not check: ${checkSource({ file: 'x.md', text }).diagnostics.slice(0, 2).map((d) => d.message).join('; ')}`);
    return renderer.render(c, 'public', '../../../assets/').html;
  };
  const a = render(withSummary(before, 1));
  const b = render(withSummary(revised.map((r) => r.text), 2));
  const words = before.reduce((s, p) => s + p.split(' ').length, 0);
  const started = performance.now();
  const docA = parseLetter(a);
  const docB = parseLetter(b);
  const compared = performance.now();
  const comparison = compareBlocks(docA.blocks, docB.blocks);
  const compareMs = performance.now() - compared;
  redlineHtml(comparison, docB, { caseNumber: SEED, edition: 'public edition', from: { name: 'v1', detail: '' }, to: { name: 'v2', detail: '' } });
  const ms = performance.now() - started;
  const marked = comparison.stats.wordsDeleted;
  return [
    { measure: `redline, 20-page revision (${words} words)`, value: ms, unit: 'ms', target: '', met: null },
    { measure: '  of which the comparison (sequence diffs)', value: compareMs, unit: 'ms', target: '', met: null },
    { measure: '  words really changed', value: changedWords, unit: 'words', target: '', met: null },
    { measure: '  words the redline marks deleted', value: marked, unit: 'words', target: `≤ ${Math.ceil(changedWords * 1.5)}`, met: marked <= changedWords * 1.5 },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await redlineBench();
  for (const r of rows) process.stdout.write(`${r.measure.padEnd(48)} ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(10)} ${r.unit.padEnd(6)} ${r.target} ${r.met === null ? '' : r.met ? 'yes' : 'NO'}\n`);
}
