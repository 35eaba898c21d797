/**
 * `npm run bench` (part 3): the speed targets the tests used to assert, measured here
 * instead, so the test suite never judges speed on a loaded machine:
 *
 *   live preview: save → page changed (case, template, style)   target < 1,000 ms
 *   import of the posted corpus (152 text files)                  target < 15 s
 *   a 20 MB case file refused                                     target < 2,000 ms
 *   a billion-laughs YAML refused                                 target < 2,000 ms
 */
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../print/browser.js';
import { preview } from '../commands/preview.js';
import { importFiles } from '../commands/import.js';
import { readSource } from '../read/source.js';
import { checkSource } from '../check/index.js';
import { projectRoot, type Row } from './common.js';

const CASE = 'CM15-0900002';

function save(target: string, text: string): number {
  writeFileSync(`${target}.tmp-save`, text);
  renameSync(`${target}.tmp-save`, target);
  return performance.now();
}

/** Milliseconds from saving a case, a template and a style to the page showing the change. */
async function previewLatency(tmp: string): Promise<Record<string, number>> {
  const at = (...p: string[]) => path.join(tmp, ...p);
  for (const d of ['templates', 'styles']) cpSync(path.join(projectRoot, d), at(d), { recursive: true });
  cpSync(path.join(projectRoot, 'imr-letters.config.yaml'), at('imr-letters.config.yaml'));
  mkdirSync(at('cases'));
  const file = at('cases', `${CASE}.md`);
  cpSync(path.join(projectRoot, 'cases', `${CASE}.md`), file);
  const server = await preview({ file, port: 0, templates: at('templates'), styles: at('styles'), config: at('imr-letters.config.yaml') });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const live = () => page.waitForFunction(() => document.documentElement.hasAttribute('data-preview-live'), { timeout: 60_000 });
    const until = async (saved: number, predicate: string) => {
      await page.waitForFunction(predicate, { timeout: 60_000, polling: 10 });
      return performance.now() - saved;
    };
    await live();
    const text = readFileSync(file, 'utf8');
    const ms: Record<string, number> = {};
    ms.case = await until(save(file, text.replace('several months along with MS Contin', 'eleven months along with MS Contin')), "document.body.innerText.includes('eleven months along')");
    await live();
    const partial = at('templates', 'partials', 'summary.hbs');
    ms.template = await until(save(partial, readFileSync(partial, 'utf8').replace('based on a review of the case file', 'based on a careful review of the case file')), "document.body.innerText.includes('a careful review')");
    await live();
    const css = at('styles', 'letter.css');
    ms.style = await until(save(css, `${readFileSync(css, 'utf8')}\nh1, h2 { color: rgb(1, 2, 3); }\n`), "getComputedStyle(document.querySelector('h1, h2')).color === 'rgb(1, 2, 3)'");
    return ms;
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function responsiveness(log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imr-bench-responsive-'));
  try {
    log('live preview latency');
    for (const [what, ms] of Object.entries(await previewLatency(path.join(tmp)))) {
      rows.push({ measure: `preview: save ${what} → page changed`, value: ms, unit: 'ms', target: '< 1000', met: ms < 1000 });
    }
    const corpus = path.resolve(projectRoot, '../shared/corpus/dwc-imr-2016-2017/txt');
    log('import of the corpus');
    let started = performance.now();
    const run = await importFiles({ paths: [corpus], into: path.join(tmp, 'imported'), force: true });
    const importMs = performance.now() - started;
    rows.push({ measure: `import of the corpus (${run.files.length} files)`, value: importMs / 1000, unit: 's', target: '< 15', met: importMs < 15_000 });
    const huge = path.join(tmp, 'huge.md');
    await writeFile(huge, `---\ncase: CM16-0000001\n---\n${'x'.repeat(20 * 1024 * 1024)}\n`);
    started = performance.now();
    await readSource(huge);
    const hugeMs = performance.now() - started;
    rows.push({ measure: 'a 20 MB case file refused', value: hugeMs, unit: 'ms', target: '< 2000', met: hugeMs < 2000 });
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    started = performance.now();
    checkSource({ file: 'bomb.md', text: `---\n${bomb.join('\n')}\n---\n` });
    const bombMs = performance.now() - started;
    rows.push({ measure: 'billion-laughs YAML refused', value: bombMs, unit: 'ms', target: '< 2000', met: bombMs < 2000 });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return rows;
}

/** Prints the rows as `npm run bench` does: a table, then JSON. */
async function main(): Promise<void> {
  const rows = await responsiveness((s) => process.stderr.write(`bench: ${s}\n`));
  const width = Math.max(...rows.map((r) => r.measure.length));
  const lines = [`imr-letters bench — responsiveness, ${os.availableParallelism()} cores, Node ${process.version}`, ''];
  for (const r of rows) lines.push(`${r.measure.padEnd(width)}  ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(10)}  ${r.unit.padEnd(4)}  ${r.target.padEnd(8)}  ${r.met ? 'yes' : 'NO'}`);
  process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify({ rows }, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
