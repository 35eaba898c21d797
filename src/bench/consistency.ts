/**
 * `npm run measure:consistency [-- <corpus folder>] [--keep DIR] [--json FILE] [--rounds N]`: the
 * content rules (`src/check/content/`) on real posted letters.
 *
 * 1. Imports every PDF of the corpus folder (default `../shared/corpus/dwc-imr-2016-2017/pdf`).
 *    The importer refuses a letter that fails the check; the others' case files are read back.
 * 2. Checks each case file and lists every content-rule hit (file:line:col, rule, the text).
 * 3. Flips each item's decision (Upheld ↔ Overturned) in its own copy of the case file and
 *    counts the flips `decision-contradicts-rationale` catches on that item.
 * 4. False alarms: `decision-contradicts-rationale` hits on the unflipped letters, per 100 items.
 * 5. Cost: the check of every letter, repeated, in ms per letter (content rules alone too).
 *
 * Prints a report and a JSON line; `--json FILE` writes the JSON.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { checkSource } from '../check/index.js';
import { checkContent, characterRule } from '../check/content/index.js';
import { parseCase } from '../check/parse.js';
import { findSections } from '../check/sections.js';
import { locate } from '../check/validate.js';
import { importFiles } from '../commands/import.js';
import type { Diagnostic } from '../diagnostics.js';
import { projectRoot } from './common.js';

/** Rule ids of the content rules measured here. */
export const CONTENT_RULE_IDS = [
  'decision-contradicts-rationale',
  'summary-age-mismatch',
  'summary-sex-mismatch',
  'summary-injury-date-mismatch',
  'decision-deadline',
  'decision-date-implausible',
  'placeholder-text',
  'section-no-words',
  'duplicate-state',
  'duplicate-specialty',
  'rationale-off-topic',
  'control-character',
  'invisible-character',
  'glyph-not-in-font',
];

interface Args {
  corpus: string;
  /** Rounds of the cost measurement (default 5). */
  rounds: number;
  keep?: string;
  json?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { corpus: path.join(projectRoot, '../shared/corpus/dwc-imr-2016-2017/pdf'), rounds: 5 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--keep') args.keep = argv[++i];
    else if (argv[i] === '--json') args.json = argv[++i];
    else if (argv[i] === '--rounds') args.rounds = Math.max(1, Number(argv[++i]));
    else args.corpus = argv[i]!;
  }
  return args;
}

/** The case file with `items[index].decision` set to the other decision, or undefined. */
export function flipDecision(text: string, index: number): string | undefined {
  const end = text.indexOf('\n---', 4);
  const yamlStart = text.indexOf('\n') + 1;
  const doc = parseDocument(text.slice(yamlStart, end + 1));
  const node = doc.getIn(['items', index, 'decision'], true) as { range?: [number, number]; value?: unknown } | undefined;
  if (!node?.range || (node.value !== 'Upheld' && node.value !== 'Overturned')) return undefined;
  const other = node.value === 'Upheld' ? 'Overturned' : 'Upheld';
  return text.slice(0, yamlStart + node.range[0]) + other + text.slice(yamlStart + node.range[0] + String(node.value).length);
}

/** ms per letter of the content and character rules alone, on letters parsed beforehand. */
function contentCost(texts: ReadonlyMap<string, string>, rounds: number): number {
  const inputs = [...texts].map(([file, text]) => {
    const parsed = parseCase({ file, text });
    const doc = parsed.yaml!;
    const data = doc.toJS() as Record<string, unknown>;
    const ids = ((data.items as { id: string }[] | undefined) ?? []).map((i) => i.id);
    const { sections } = findSections(file, parsed.body, ids, text);
    const at = (p: readonly (string | number)[]) => {
      const n = locate(doc, p).node;
      return parsed.yamlSpan(n?.range ? [n.range[0], n.range[1]] : undefined);
    };
    return { file, source: text, data, sections, doc, yamlSpan: parsed.yamlSpan, at };
  });
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      checkContent(input);
      characterRule(input.file, input.source, input.sections, input.doc, input.yamlSpan);
    }
  }
  return (performance.now() - started) / (rounds * inputs.length);
}

const lineOf = (text: string, line: number) => (text.split('\n')[line - 1] ?? '').trim();

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'imr-consistency-')));
  const imported = await importFiles({ paths: [args.corpus], into: dir, force: true, config: path.join(projectRoot, 'imr-letters.config.yaml') });
  const refused = imported.files.filter((f) => f.state === 'failed');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  const texts = new Map<string, string>();
  for (const f of files) texts.set(f, await readFile(path.join(dir, f), 'utf8'));

  const hits: { file: string; d: Diagnostic; line: string }[] = [];
  let items = 0;
  let flips = 0;
  let caught = 0;
  const missed: string[] = [];
  for (const [f, text] of texts) {
    const result = checkSource({ file: f, text });
    for (const d of result.diagnostics) if (CONTENT_RULE_IDS.includes(d.rule)) hits.push({ file: f, d, line: lineOf(text, d.line) });
    const count = result.case?.data.items.length ?? 0;
    items += count;
    for (let i = 0; i < count; i++) {
      const flipped = flipDecision(text, i);
      if (!flipped) continue;
      flips++;
      const again = checkSource({ file: f, text: flipped }).diagnostics;
      if (again.some((d) => d.rule === 'decision-contradicts-rationale' && d.message.includes(`items[${i}]`))) caught++;
      else missed.push(`${f} items[${i}] (${result.case!.data.items[i]!.decision})`);
    }
  }
  // Swapped rationales: the headings of two neighbouring items exchanged.
  let swaps = 0;
  let swapsCaught = 0;
  for (const [f, text] of texts) {
    const ids = [...text.matchAll(/^# Rationale: (\S+)$/gmu)].map((m) => m[1]!);
    for (let i = 0; i + 1 < ids.length; i++) {
      if (ids[i] === ids[i + 1]) continue;
      const swapped = text.replace(new RegExp(`^# Rationale: (${ids[i]}|${ids[i + 1]})$`, 'gmu'), (_m, id: string) => `# Rationale: ${id === ids[i] ? ids[i + 1] : ids[i]}`);
      swaps++;
      if (checkSource({ file: f, text: swapped }).diagnostics.some((d) => d.rule === 'rationale-off-topic')) swapsCaught++;
    }
  }
  const falseAlarms = hits.filter((h) => h.d.rule === 'decision-contradicts-rationale').length;

  // Cost: check every letter `rounds` times.
  const rounds = args.rounds;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const [f, text] of texts) checkSource({ file: f, text });
  const msPerLetter = (performance.now() - started) / (rounds * texts.size);
  const msContent = contentCost(texts, rounds);

  const byRule = new Map<string, number>();
  for (const h of hits) byRule.set(h.d.rule, (byRule.get(h.d.rule) ?? 0) + 1);
  const out = process.stdout;
  out.write(`corpus: ${args.corpus}\nimported: ${files.length} letters (${refused.length} refused by the importer${refused.length ? `: ${refused.map((r) => `${r.caseNumber ?? r.file} [${r.diagnostics.map((d) => d.rule).join(', ')}]`).join('; ')}` : ''}), ${items} items\n\n`);
  out.write(`content-rule hits on the real letters: ${hits.length}\n`);
  for (const h of hits) out.write(`  ${h.file}:${h.d.line}:${h.d.column} ${h.d.severity} ${h.d.rule}: ${h.d.message}\n      | ${h.line.slice(0, 160)}\n`);
  out.write(`\nby rule: ${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}\n`);
  out.write(`flips caught: ${caught}/${flips} (${((100 * caught) / Math.max(1, flips)).toFixed(1)}%, goal ≥ 95%)\n`);
  if (missed.length) out.write(`  missed: ${missed.join('; ')}\n`);
  out.write(`false alarms (decision-contradicts-rationale on unflipped letters): ${falseAlarms} in ${items} items (${((100 * falseAlarms) / Math.max(1, items)).toFixed(2)} per 100 items, goal ≤ 1)\n`);
  out.write(`swapped rationales (neighbouring items of a letter) flagged by rationale-off-topic: ${swapsCaught}/${swaps}\n`);
  out.write(`check cost: ${msPerLetter.toFixed(2)} ms per letter, of which the content and character rules ${msContent.toFixed(2)} ms (${rounds} rounds of ${texts.size} letters, one thread)\n`);
  const json = { letters: files.length, refused: refused.length, items, hits: hits.length, byRule: Object.fromEntries(byRule), flips, caught, falseAlarms, swaps, swapsCaught, msPerLetter, msContent };
  out.write(`${JSON.stringify(json)}\n`);
  if (args.json) await writeFile(args.json, `${JSON.stringify(json, null, 2)}\n`);
  if (!args.keep) await rm(dir, { recursive: true, force: true });
}

await main();
