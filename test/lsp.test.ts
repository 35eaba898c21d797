/**
 * `imr-letters lsp` through a JSON-RPC client over stdio (the real server process, as
 * an editor starts it): diagnostics equal `check`'s, hover, completion, quick fixes
 * applied and re-checked, symbols, definitions, incremental edits, a YAML syntax error
 * while typing, an issued letter edited in place, a 60-item letter.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CodeAction, CompletionItem, DocumentSymbol, Hover, Location, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver/node.js';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { build } from '../src/commands/build.js';
import { longLetter } from '../src/bench/long-letter.js';
import { caseJsonSchema } from '../src/schema/json-schema.js';
import { US_STATES } from '../src/schema/states.js';
import { projectInputs, root, setup } from './helpers.js';
import { applyEdits, startClient, where, type LspClient } from './lsp-client.js';

const MISTAKES = path.join(root, 'test/fixtures/lsp/mistakes.md');
let client: LspClient;
let dir: string;

setup(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imr-lsp-'));
  await mkdir(path.join(dir, 'cases'));
  // The workspace is the temporary folder: an `out/manifest.json` left in the repository by a
  // build would make the server report its issued letters (the case numbers here are real).
  client = await startClient({ rootDir: dir });
});
afterAll(async () => {
  const code = await client?.close();
  expect(code).toBe(0); // the server never crashed and left on `exit`
  await rm(dir, { recursive: true, force: true });
});

/** `rule@line:col-endLine:endCol` of the check's diagnostics (1-based), as the server's must be. */
function expected(text: string, file: string): string[] {
  return checkSource({ file, text }).diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
}
function got(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`);
}
const pos = (text: string, needle: string, after = 0) => {
  const at = text.indexOf(needle, after);
  if (at === -1) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
};
/** The labels in the order an editor shows them (by `sortText`, then label). */
const labels = (items: CompletionItem[] | { items: CompletionItem[] } | null) =>
  (Array.isArray(items) ? items : (items?.items ?? []))
    .map((i) => ({ key: i.sortText ?? i.label, label: i.label }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((i) => i.label);

/** Opens a copy of `text` as a case file; returns its uri and first diagnostics. */
async function open(name: string, text: string) {
  const file = path.join(dir, 'cases', name);
  await writeFile(file, text);
  const uri = await client.open(file, text);
  return { uri, file, first: await client.diagnostics(uri, 1) };
}

/** Applies edits as an editor does (incremental changes, last first) and waits for the new diagnostics. */
async function edit(uri: string, text: string, edits: TextEdit[]) {
  const next = applyEdits(text, edits);
  const changes = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character).map((e) => ({ range: e.range, text: e.newText }));
  const version = await client.change(uri, changes);
  return { text: next, published: await client.diagnostics(uri, version) };
}

describe('imr-letters lsp', () => {
  it('publishes the check’s diagnostics: same rule ids, same positions, for the mistakes and for every shipped case', async () => {
    const text = await readFile(MISTAKES, 'utf8');
    const { file, first } = await open('mistakes.md', text);
    expect(got(first)).toEqual(expected(text, file));
    expect(where(first.diagnostics)).toEqual(['yaml-inline-comment@21:29', 'bad-enum@22:15', 'missing-key@27:5', 'rationale-missing@27:9', 'unknown-key@28:5']);
    expect(first.diagnostics.every((d) => d.source === 'imr-letters' && d.message.length > 10)).toBe(true);
    for (const name of ['CM15-0900001.md', 'CM16-0233904.md', 'CM17-0014449.md']) {
      const caseText = await readFile(path.join(root, 'cases', name), 'utf8');
      const opened = await open(name, caseText);
      expect(got(opened.first)).toEqual(expected(caseText, opened.file));
    }
  });

  it('hovers with the field’s name, description and example from the schema', async () => {
    const text = await readFile(MISTAKES, 'utf8');
    const { uri } = await open('hover.md', text);
    const schema = caseJsonSchema() as { properties: Record<string, { description: string; items: { properties: Record<string, { description: string }> } }> };
    const at = async (needle: string, after = 0, shift = 1) => {
      const p = pos(text, needle, after);
      return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: p.line, character: p.character + shift } });
    };
    const category = (await at('category: Pharmaceuticals'))!;
    const value = (category.contents as { value: string }).value;
    expect(value.split('\n')[0]).toBe('**category** · `items[].category`');
    expect(value).toContain(schema.properties.items!.items.properties.category!.description);
    expect(value).toContain('Example: `category: Pharmaceuticals`');
    expect(category.range).toEqual({ start: pos(text, 'category: Pharmaceuticals'), end: { ...pos(text, 'category: Pharmaceuticals'), character: 12 } });
    const state = (await at('New York'))!;
    expect((state.contents as { value: string }).value.split('\n')[0]).toBe('**licensure** · `reviewer.licensure`');
    const mtus = (await at('mtus: "Chronic'))!;
    expect((mtus.contents as { value: string }).value).toMatch(/^\*\*mtus\*\*[^\n]*\n\nAn MTUS citation/);
    const heading = (await at('# Rationale: baclofen'))!;
    expect((heading.contents as { value: string }).value).toBe('**Rationale of item 1** · `baclofen`\n\nBaclofen 100mg: Uphled');
    expect(await at('The injured worker')).toBeNull();
  });

  it('completes keys at the cursor’s level, enum values, US states, guideline forms and rationale headings', async () => {
    let text = await readFile(MISTAKES, 'utf8');
    const { uri } = await open('complete.md', text);
    const complete = async (p: { line: number; character: number }) => labels(await client.request('textDocument/completion', { textDocument: { uri }, position: p }));

    expect(await complete({ ...pos(text, 'decision: Uphled'), character: 14 })).toEqual(['Upheld', 'Overturned']);
    // Typing a new key in the second item: what is not there yet, required first.
    ({ text } = await edit(uri, text, [{ range: { start: pos(text, '    request: "Norco'), end: pos(text, '    request: "Norco') }, newText: '    cat\n' }]));
    const keys = await complete({ ...pos(text, '    cat\n'), character: 7 });
    expect(keys).toContain('category');
    expect(keys).toContain('modified');
    expect(keys).not.toContain('id');
    expect(keys).not.toContain('decision');
    // A state in a flow list, a guideline entry, a top-level key.
    ({ text } = await edit(uri, text, [{ range: { start: pos(text, 'New York]'), end: { ...pos(text, 'New York]'), character: pos(text, 'New York]').character + 9 } }, newText: 'New ' }]));
    const states = await complete({ ...pos(text, '[New Jersey, New '), character: pos(text, '[New Jersey, New ').character + 17 });
    expect(states).toEqual([...US_STATES]);
    ({ text } = await edit(uri, text, [{ range: { start: pos(text, '      - outside-mtus'), end: pos(text, '      - outside-mtus') }, newText: '      - \n' }]));
    const forms = await complete({ ...pos(text, '      - \n'), character: 8 });
    expect([...forms].sort()).toEqual(['mtus', 'nonMtus', 'none', 'outside-mtus', 'text']);
    ({ text } = await edit(uri, text, [{ range: { start: pos(text, 'priority:'), end: pos(text, 'priority:') }, newText: 'a\n' }]));
    const top = await complete({ ...pos(text, 'a\npriority:'), character: 1 });
    expect(top).toContain('amends');
    expect(top).toContain('parties');
    expect(top).not.toContain('priority');
    // The body: headings, the item without a rationale first.
    const end = text.split('\n').length - 1;
    ({ text } = await edit(uri, text, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, newText: '# Rat' }]));
    const headings = await complete({ line: end, character: 5 });
    expect(headings.slice(0, 1)).toEqual(['# Rationale: norco']);
    expect(headings).toContain('# Rationale: baclofen');
    const item = ((await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: end, character: 5 } })) ?? []).find((i) => i.label === '# Rationale: norco')!;
    expect(item.textEdit).toEqual({ range: { start: { line: end, character: 0 }, end: { line: end, character: 5 } }, newText: '# Rationale: norco' });
  });

  it('offers the check’s fixes; applied, the problems are gone on the re-check', async () => {
    let text = await readFile(MISTAKES, 'utf8');
    const { uri, first } = await open('fixes.md', text);
    let published: PublishDiagnosticsParams = first;
    const applied: string[] = [];
    // Apply the first fix offered for each problem until none is offered.
    for (let round = 0; round < 10; round++) {
      const withFix: { title: string; edits: TextEdit[] }[] = [];
      for (const d of published.diagnostics) {
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
        const action = actions.find((a) => a.diagnostics?.some((x) => x.code === d.code));
        if (action) withFix.push({ title: `${String(d.code)}: ${action.title}`, edits: action.edit!.changes![uri]! });
      }
      if (!withFix.length) break;
      applied.push(withFix[0]!.title);
      ({ text, published } = await edit(uri, text, withFix[0]!.edits));
      expect(got(published)).toEqual(expected(text, path.join(dir, 'cases/fixes.md')));
    }
    expect(applied).toEqual([
      'yaml-inline-comment: Quote the value: "Baclofen 100mg #30"',
      'bad-enum: Change to Upheld',
      'rationale-missing: Add the section `# Rationale: norco`',
      'unknown-key: Change to category',
    ]);
    expect(text).toContain('    request: "Baclofen 100mg #30"\n    decision: Upheld\n');
    expect(text).toMatch(/\n# Rationale: baclofen\n\n[^\n]+\n\n# Rationale: norco\n/);
    // What is left is for the author to write: the new rationale.
    expect(where(published.diagnostics)).toEqual([`empty-section@${pos(text, '# Rationale: norco').line + 1}:1`]);
    const below = { line: pos(text, '# Rationale: norco').line + 2, character: 0 };
    ({ published } = await edit(uri, text, [{ range: { start: below, end: below }, newText: 'Norco is an opioid; its use is medically necessary here.\n' }]));
    expect(published.diagnostics).toEqual([]);
  });

  it('offers the did-you-mean of a heading, a guideline entry and a citation key', async () => {
    let text = (await readFile(MISTAKES, 'utf8'))
      .replace('# Clinical case summary', '# Clinical case sumary')
      .replace('# Rationale: baclofen', '# Rationale: baclofn')
      .replace('      - outside-mtus', '      - outside-mtu')
      .replace('      - nonMtus:', '      - nonMTUS:');
    const { uri, first } = await open('did-you-mean.md', text);
    const titles: string[] = [];
    for (const rule of ['unknown-section', 'rationale-unknown-item', 'bad-citation', 'unknown-key']) {
      const d = first.diagnostics.find((x) => x.code === rule && (rule !== 'unknown-key' || x.message.includes('nonMTUS')))!;
      const [action] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      titles.push(action!.title);
      text = applyEdits(text, action!.edit!.changes![uri]!);
    }
    expect(titles).toEqual(['Change to # Clinical case summary', 'Change to # Rationale: baclofen', 'Change to outside-mtus', 'Change to nonMtus']);
    expect(expected(text, path.join(dir, 'cases/did-you-mean.md'))).toEqual(expected(await readFile(MISTAKES, 'utf8'), path.join(dir, 'cases/did-you-mean.md')));
  });

  it('turns an edit of an issued letter into a new draft revision', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'imr-lsp-issued-'));
    try {
      await mkdir(path.join(project, 'cases'));
      const file = path.join(project, 'cases', 'CM15-0900002.md');
      await cp(path.join(root, 'cases/CM15-0900002.md'), file);
      const built = await build({ paths: [path.join(project, 'cases')], out: path.join(project, 'out'), ...projectInputs, htmlOnly: true });
      expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const issued = await startClient({ rootDir: project });
      try {
        let text = await readFile(file, 'utf8');
        const uri = await issued.open(file, text);
        expect((await issued.diagnostics(uri, 1)).diagnostics).toEqual([]);
        // The author corrects the reviewer's licensure of the issued letter in place (a change
        // no other rule reports: an expedited priority would also miss its deadline).
        text = text.replace('licensure: [Arizona, California]', 'licensure: [Arizona, California, Nevada]');
        let version = await issued.change(uri, [{ text }]);
        let published = await issued.diagnostics(uri, version);
        expect(where(published.diagnostics)).toEqual([`issued-revision-changed@${pos(text, 'revision: 1').line + 1}:11`]);
        const [action] = await issued.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: published.diagnostics[0]!.range, context: { diagnostics: published.diagnostics } });
        expect(action!.title).toBe('Start revision 2 as a draft (the issued revision 1 stays as issued)');
        text = applyEdits(text, action!.edit!.changes![uri]!);
        expect(text).toContain('revision: 2\nstatus: draft\namends: # what revision 2 corrects in the issued letter\n');
        expect(text).toMatch(/\n {2}decision: 2015-03-30[^\n]*\n {2}issued: # the day revision 2 is issued \(YYYY-MM-DD\)\n/);
        version = await issued.change(uri, [{ text }]);
        published = await issued.diagnostics(uri, version);
        expect(where(published.diagnostics)).toEqual([`empty-value@${pos(text, 'amends:').line + 1}:1`, `empty-value@${pos(text, '  issued:').line + 1}:3`]);
        text = text
          .replace('amends: # what revision 2 corrects in the issued letter', "amends: Corrects the reviewer's licensure.")
          .replace('issued: # the day revision 2 is issued (YYYY-MM-DD)', 'issued: 2015-04-06');
        version = await issued.change(uri, [{ text }]);
        expect((await issued.diagnostics(uri, version)).diagnostics).toEqual([]);
      } finally {
        expect(await issued.close()).toBe(0);
      }
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('outlines the letter and goes from an item’s id to its rationale and back', async () => {
    const text = await readFile(MISTAKES, 'utf8');
    const { uri } = await open('symbols.md', text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(['CM16-0233904 · revision 1 · draft', 'Clinical case summary', 'Rationale: baclofen']);
    const items = symbols[0]!.children!.find((s) => s.name === 'items')!;
    expect(items.children!.map((s) => `${s.name}: ${s.detail}`)).toEqual(['baclofen: Baclofen 100mg: Uphled', 'norco: Norco 10/325mg #120: Overturned']);
    expect(symbols[2]!.range.start.line).toBe(pos(text, '# Rationale: baclofen').line);
    expect(symbols[1]!.range.end.line).toBe(pos(text, '# Rationale: baclofen').line - 1);

    const id = pos(text, 'baclofen\n');
    const toHeading = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { ...id, character: id.character + 2 } });
    expect(toHeading.map((l) => l.range.start)).toEqual([pos(text, '# Rationale: baclofen')]);
    const back = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { ...pos(text, '# Rationale: baclofen'), character: 15 } });
    expect(back.map((l) => l.range)).toEqual([{ start: id, end: { ...id, character: id.character + 'baclofen'.length } }]);
    // An item without a rationale has nowhere to go.
    const norco = pos(text, 'norco\n');
    expect(await client.request('textDocument/definition', { textDocument: { uri }, position: norco })).toEqual([]);
  });

  it('follows incremental edits typed a character at a time', async () => {
    let text = await readFile(MISTAKES, 'utf8');
    const { uri } = await open('typing.md', text);
    // Retype `Uphled` as `Upheld`, one keystroke per change, without waiting.
    const start = pos(text, 'Uphled');
    let version = await client.change(uri, [{ range: { start, end: { ...start, character: start.character + 6 } }, text: '' }]);
    text = text.replace('Uphled', '');
    for (const [k, ch] of [...'Upheld'].entries()) {
      version = await client.change(uri, [{ range: { start: { ...start, character: start.character + k }, end: { ...start, character: start.character + k } }, text: ch }]);
    }
    text = text.replace('decision: \n', 'decision: Upheld\n');
    const last = await client.diagnostics(uri, version);
    expect(last.version).toBe(version);
    expect(got(last)).toEqual(expected(text, path.join(dir, 'cases/typing.md')));
    expect(where(last.diagnostics)).not.toContain('bad-enum@22:15');
    // Every publication was of a version the server had, in order.
    const versions = client.published(uri).map((p) => p.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('survives a YAML syntax error while the author types, and leaves no stale diagnostics', async () => {
    let text = await readFile(MISTAKES, 'utf8');
    const { uri, file } = await open('syntax.md', text);
    // The author starts quoting the request: the quote is not closed yet.
    const at = pos(text, 'Baclofen 100mg #30');
    let version = await client.change(uri, [{ range: { start: at, end: at }, text: '"' }]);
    text = text.replace('request: Baclofen', 'request: "Baclofen');
    let published = await client.diagnostics(uri, version);
    expect(got(published)).toEqual(expected(text, file));
    expect(where(published.diagnostics)).toContain(`yaml-syntax@${at.line + 1}:${at.character + 1}`);
    // Everything else still answers while the YAML is broken.
    expect(labels(await client.request('textDocument/completion', { textDocument: { uri }, position: { ...pos(text, 'decision: Uphled'), character: 14 } }))).toEqual(['Upheld', 'Overturned']);
    expect((await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } })).map((s) => s.name)).toContain('Rationale: baclofen');
    const hovered = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos(text, 'decision: Uphled') });
    expect((hovered?.contents as { value: string }).value).toMatch(/^\*\*decision\*\* · `items\[\]\.decision`/);
    // The quote closed: the syntax error is gone, and the inline-comment error too (the value is quoted now).
    const end = pos(text, '#30') ;
    version = await client.change(uri, [{ range: { start: { ...end, character: end.character + 3 }, end: { ...end, character: end.character + 3 } }, text: '"' }]);
    text = text.replace('#30\n', '#30"\n');
    published = await client.diagnostics(uri, version);
    expect(got(published)).toEqual(expected(text, file));
    expect(where(published.diagnostics)).toEqual(['bad-enum@22:15', 'missing-key@27:5', 'rationale-missing@27:9', 'unknown-key@28:5']);
  });

  it('handles a 60-item letter', async () => {
    let text = longLetter(60);
    const { uri, file, first } = await open('long.md', text);
    expect(first.diagnostics).toEqual([]);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols[0]!.children!.find((s) => s.name === 'items')!.children).toHaveLength(60);
    expect(symbols.filter((s) => s.name.startsWith('Rationale: ')).map((s) => s.name)).toEqual(Array.from({ length: 60 }, (_, k) => `Rationale: item-${k + 1}`));
    // Item 42's rationale removed: reported at its id, offered back in its place.
    const from = pos(text, '# Rationale: item-42\n');
    const to = pos(text, '# Rationale: item-43\n');
    const { text: cut, published } = await edit(uri, text, [{ range: { start: from, end: to }, newText: '' }]);
    text = cut;
    expect(got(published)).toEqual(expected(text, file));
    const id = pos(text, 'item-42\n');
    expect(where(published.diagnostics)).toEqual([`rationale-missing@${id.line + 1}:${id.character + 1}`]);
    const [action] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: published.diagnostics[0]!.range, context: { diagnostics: published.diagnostics } });
    const fixed = applyEdits(text, action!.edit!.changes![uri]!);
    expect(fixed.indexOf('# Rationale: item-41\n')).toBeLessThan(fixed.indexOf('# Rationale: item-42\n'));
    expect(fixed.indexOf('# Rationale: item-42\n')).toBeLessThan(fixed.indexOf('# Rationale: item-43\n'));
    const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos(text, 'item-60\n') });
    expect(definition.map((l) => l.range.start)).toEqual([pos(text, '# Rationale: item-60')]);
  });
});
