/**
 * `imr-letters new <case-number>`: a draft with every required field, each placeholder
 * reported by `check` (and by the editor's JSON Schema) until it is filled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { newCaseText } from '../src/commands/new.js';
import { CHILD_TIMEOUT, root, setup } from './helpers.js';

const bin = path.join(root, 'bin', 'imr-letters.js');
let tmp: string;

function cli(args: string[], cwd = root) {
  const env = { ...process.env };
  delete env.GITHUB_ACTIONS;
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: CHILD_TIMEOUT });
}

/** The placeholders filled in, as an author would. */
function fill(text: string): string {
  const values: [RegExp, string][] = [
    [/^priority:.*$/m, 'priority: Standard'],
    [/^  injury:.*$/m, '  injury: 2017-01-03'],
    [/^  urDenial:.*$/m, '  urDenial: 2017-02-01'],
    [/^  applicationReceived:.*$/m, '  applicationReceived: 2017-02-10'],
    [/^  assigned:.*$/m, '  assigned: 2017-02-14'],
    [/^  decision:.*$/m, '  decision: 2017-03-01'],
    [/^  licensure:.*$/m, '  licensure: [California]'],
    [/^  specialties:.*$/m, '  specialties: [Family Practice]'],
    [/^  age:.*$/m, '  age: 41'],
    [/^  sex:.*$/m, '  sex: female'],
    [/^    category:.*$/m, '    category: Pharmaceuticals'],
    [/^    request:.*$/m, '    request: "Norco 10/325mg #120"'],
    [/^    decision:.*$/m, '    decision: Upheld'],
    [/^    claimsAdministratorGuideline:.*$/m, '    claimsAdministratorGuideline: [none]'],
    [/^    imroGuideline:.*$/m, '    imroGuideline: [{ mtus: "Chronic Pain Medical Treatment 2016, Section(s): Opioids" }]'],
    [/^  claimNumber:.*$/m, '  claimNumber: EX-0000-000009'],
    [/^(  injuredWorker:\n)    name:\n    address:.*$/m, '$1    name: Sample B. Worker\n    address: [1 Example Street, "Sampleton, CA 90000"]'],
    [/^(  employer:\n)    name:$/m, '$1    name: Example Freight Lines'],
    [/^(  claimsAdministrator:\n)    name:\n    address:.*$/m, '$1    name: Specimen Claims\n    address: [PO Box 1, "Sampleton, CA 90000"]'],
    [/^(  requestingProvider:\n)    name:\n    address:.*$/m, '$1    name: Test P. Physician, MD\n    address: [2 Clinic Way, "Sampleton, CA 90000"]'],
    [/^# Clinical case summary\n/m, '# Clinical case summary\n\nThe injured worker is a 41 year old female injured on 01/03/2017.\n'],
    [/^# Rationale: item-1\n/m, '# Rationale: item-1\n\nThe medical necessity of Norco 10/325mg #120 is not established.\n'],
  ];
  let out = text;
  for (const [pattern, value] of values) {
    expect(pattern.test(out), String(pattern)).toBe(true);
    out = out.replace(pattern, value);
  }
  return out;
}

setup(() => {
  if (!existsSync(path.join(root, 'dist', 'commands', 'new.js'))) throw new Error('dist/ is missing: run `npm run compile` first (npm test does)');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'imr-letters-new-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('imr-letters new', () => {
  it('writes a draft that check reports, placeholder by placeholder, at its line', () => {
    const into = path.join(tmp, 'cases');
    const run = cli(['new', 'CM17-0001234', '--into', into]);
    expect(run.status, run.stderr).toBe(0);
    const file = path.join(into, 'CM17-0001234.md');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('case: CM17-0001234');
    expect(text).toContain('status: draft');
    // The editor finds the schema from the case file's folder.
    const modeline = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)?.[1];
    expect(modeline).toBeDefined();
    expect(existsSync(path.resolve(into, modeline!))).toBe(true);

    const check = cli(['check', file, '--format', 'json']);
    expect(check.status).toBe(1);
    const diagnostics = JSON.parse(check.stdout) as { line: number; rule: string; message: string }[];
    const lines = text.split('\n');
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
    const expected: [string, string][] = [
      ['priority:', 'empty-value'],
      ['  injury:', 'empty-value'],
      ['  decision:', 'empty-value'],
      ['  licensure:', 'empty-list'],
      ['  specialties:', 'empty-list'],
      ['  age:', 'empty-value'],
      ['  sex:', 'empty-value'],
      ['    category:', 'empty-value'],
      ['    request:', 'empty-value'],
      ['    decision:', 'empty-value'],
      ['    claimsAdministratorGuideline:', 'empty-list'],
      ['    imroGuideline:', 'empty-list'],
      ['  claimNumber:', 'empty-value'],
      ['# Clinical case summary', 'empty-section'],
      ['# Rationale: item-1', 'empty-section'],
    ];
    for (const [prefix, rule] of expected) {
      expect(diagnostics.some((d) => d.line === at(prefix) && d.rule === rule), `${prefix} → ${rule}`).toBe(true);
    }
    expect(diagnostics.find((d) => d.line === at('  injury:'))?.message).toContain('YYYY-MM-DD');
    expect(diagnostics.length).toBe(25);
    expect(new Set(diagnostics.map((d) => d.rule))).toEqual(new Set(['empty-value', 'empty-list', 'empty-section']));

    // Filled in, it checks clean.
    writeFileSync(file, fill(text));
    const filled = cli(['check', file, '--format', 'json']);
    expect(JSON.parse(filled.stdout)).toEqual([]);
    expect(filled.status).toBe(0);
  });

  it('is invalid to the editor\'s JSON Schema until filled, and valid after', () => {
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schema', 'case.schema.json'), 'utf8')) as object);
    const frontmatter = (t: string) => parse(/^---\n([\s\S]*?)\n---\n/.exec(t)![1]!) as unknown;
    const draft = newCaseText('CM17-0001234');
    expect(validate(frontmatter(draft))).toBe(false);
    const filled = fill(draft);
    expect(validate(frontmatter(filled)), JSON.stringify(validate.errors)).toBe(true);
    expect(checkSource({ file: 'x.md', text: filled }).case?.data.parties?.injuredWorker.name).toBe('Sample B. Worker');
  });

  it('refuses a malformed case number, and an existing file without --force', () => {
    const into = path.join(tmp, 'refuse');
    const bad = cli(['new', 'CM17-123', '--into', into]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not an IMR case number');
    expect(existsSync(path.join(into, 'CM17-123.md'))).toBe(false);

    expect(cli(['new', 'CM17-0000001', '--into', into]).status).toBe(0);
    writeFileSync(path.join(into, 'CM17-0000001.md'), 'my work');
    const again = cli(['new', 'CM17-0000001', '--into', into]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(path.join(into, 'CM17-0000001.md'), 'utf8')).toBe('my work');
    expect(cli(['new', 'CM17-0000001', '--into', into, '--force']).status).toBe(0);
    expect(readFileSync(path.join(into, 'CM17-0000001.md'), 'utf8')).toContain('case: CM17-0000001');
  });
});
