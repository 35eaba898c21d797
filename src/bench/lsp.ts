/**
 * `npm run bench:lsp` (also run at the end of `npm run bench`): how fast the editor
 * sees a problem in a long letter, printed as a table and as JSON (`--json-out FILE`).
 *
 *   re-check of a 10-page letter (18 items, ~29 kB), in process: `checkSource` alone   target ≤ 50 ms
 *   the same through the real server: from `didChange` (one character typed) to the
 *   diagnostics published, over stdio, debounce 0                                        target ≤ 50 ms
 *   the same for a 60-item letter (for scale)
 *
 * Each is the median of 40 edits after 5 warm-up edits (the 95th percentile is shown
 * too). The edits alternate an item's decision between valid and invalid, so every
 * other publication carries a `bad-enum`.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, type PublishDiagnosticsParams } from 'vscode-languageserver/node.js';
import { checkSource } from '../check/index.js';
import { longLetter } from './long-letter.js';
import { projectRoot, type Row } from './common.js';

const RUNS = 40;
const WARMUP = 5;

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]! };
}

/** The text with item 1's decision valid (even runs) or misspelt (odd runs). */
function edit(text: string, run: number): { text: string; from: number } {
  const from = text.indexOf('decision: ', text.indexOf('id: item-1\n')) + 'decision: '.length;
  const end = text.indexOf('\n', from);
  return { text: `${text.slice(0, from)}${run % 2 ? 'Uphel' : 'Upheld'}${text.slice(end)}`, from };
}

function inProcess(text: string): number[] {
  const ms: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const t = edit(text, run).text;
    const started = performance.now();
    checkSource({ file: 'cases/long.md', text: t });
    if (run >= WARMUP) ms.push(performance.now() - started);
  }
  return ms;
}

async function throughServer(text: string): Promise<number[]> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin/imr-letters.js'), 'lsp', '--stdio'], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let waiting: ((p: PublishDiagnosticsParams) => void) | undefined;
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => waiting?.(p));
  connection.listen();
  const uri = pathToFileURL(path.join(os.tmpdir(), 'cases', 'long.md')).href;
  const next = (version: number) => new Promise<void>((resolve) => (waiting = (p) => (p.version ?? 0) >= version && resolve()));
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } });
    await connection.sendNotification('initialized', {});
    let published = next(1);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    await published;
    const ms: number[] = [];
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const version = run + 2;
      const { from } = edit(text, run);
      const line = text.slice(0, from).split('\n').length - 1;
      const character = from - text.lastIndexOf('\n', from - 1) - 1;
      const current = run % 2 ? 'Upheld' : 'Uphel';
      const replacement = run % 2 ? 'Uphel' : 'Upheld';
      published = next(version);
      const started = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character: character + (run === 0 ? 'Upheld'.length : current.length) } }, text: replacement }],
      });
      await published;
      if (run >= WARMUP) ms.push(performance.now() - started);
    }
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return ms;
  } finally {
    connection.dispose();
    child.kill();
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--json-out');
  const jsonOut = at === -1 ? undefined : process.argv[at + 1];
  const rows: Row[] = [];
  for (const [label, items, target] of [['10-page letter (18 items)', 18, 50], ['60-item letter', 60, null]] as const) {
    const text = longLetter(items);
    const local = stats(inProcess(text));
    const served = stats(await throughServer(text));
    const kB = Math.round(text.length / 1024);
    rows.push({ measure: `re-check, ${label}, ${kB} kB: checkSource`, value: local.median, unit: 'ms', target: target ? `≤ ${target}` : '', met: target ? local.median <= target : null });
    rows.push({ measure: `  95th percentile`, value: local.p95, unit: 'ms', target: '', met: null });
    rows.push({ measure: `re-check, ${label}: didChange → diagnostics`, value: served.median, unit: 'ms', target: target ? `≤ ${target}` : '', met: target ? served.median <= target : null });
    rows.push({ measure: `  95th percentile`, value: served.p95, unit: 'ms', target: '', met: null });
  }
  const width = Math.max(...rows.map((r) => r.measure.length));
  const lines = [`imr-letters bench: the language server — ${os.availableParallelism()} cores, Node ${process.version}`, ''];
  for (const r of rows) lines.push(`${r.measure.padEnd(width)}  ${r.value.toFixed(1).padStart(8)} ${r.unit}  ${r.target.padEnd(6)}  ${r.met === null ? '' : r.met ? 'yes' : 'NO'}`);
  process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify({ rows }, null, 2)}\n`);
  if (jsonOut) await writeFile(jsonOut, `${JSON.stringify({ rows }, null, 2)}\n`);
}

await main();
