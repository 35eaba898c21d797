/**
 * The editor's JSON Schema (`schema/case.schema.json`, generated from `src/schema/case.ts`)
 * and `check` agree: validated with a real JSON Schema validator (Ajv, draft-07, with
 * the `date` format), every case of `cases/` and every `valid-*` fixture is valid in
 * both, and every invalid frontmatter whose problem is a schema rule is invalid in both.
 *
 * What a JSON Schema cannot say stays in `check` alone; `CHECK_ONLY` lists those rules,
 * and a frontmatter broken only by them is valid to the editor (asserted, so that a
 * change on either side shows up here).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { decodeSource } from '../src/read/source.js';
import { caseJsonSchema } from '../src/schema/json-schema.js';
import { root, setup } from './helpers.js';

const fixturesDir = path.join(root, 'test', 'fixtures', 'check');
const casesDir = path.join(root, 'cases');

/** Rules that report a schema problem: the JSON Schema must reject the frontmatter too. */
const SCHEMA_RULES = new Set([
  'unknown-key',
  'missing-key',
  'wrong-type',
  'empty-value',
  'empty-list',
  'out-of-range',
  'bad-enum',
  'case-number-format',
  'bad-date',
  'item-id-format',
  'bad-citation',
  'frontmatter-empty',
]);

/** Known differences: rules only `check` applies, and why a JSON Schema does not. */
const CHECK_ONLY: Record<string, string> = {
  'date-order': 'compares two fields (injury ≤ UR denial ≤ … ≤ decision)',
  'amends-missing': 'depends on another field (`revision` ≥ 2)',
  'amends-unexpected': 'depends on another field (`revision` is 1)',
  'issued-date-missing': 'depends on another field (`revision` ≥ 2)',
  'issued-date-unexpected': 'depends on another field (`revision` is 1)',
  'duplicate-item-id': 'compares list entries with each other',
  'modified-remainder': 'depends on another field (`form: partial`)',
  'yaml-alias': 'YAML syntax: the parsed data is valid, how it is written is not',
  'yaml-inline-comment': 'YAML syntax: the value YAML read is valid text, but cut short at ` #`',
  'summary-missing': 'Markdown body',
  'rationale-missing': 'Markdown body: a rationale per item',
  'rationale-unknown-item': 'Markdown body: a rationale per item',
  'duplicate-section': 'Markdown body',
  'empty-section': 'Markdown body',
  'unknown-section': 'Markdown body',
  'outside-section': 'Markdown body',
  'nested-heading': 'Markdown body',
  'raw-html': 'Markdown body',
  'unsupported-markdown': 'Markdown body',
  'unsafe-link': 'Markdown body',
  'yaml-document-end': 'YAML syntax: a `...` line ends the document',
  'control-character': 'characters written anywhere in the file, comments included',
  'invisible-character': 'characters written anywhere in the file, comments included',
  'glyph-not-in-font': 'depends on the shipped fonts',
  'decision-contradicts-rationale': 'compares a field with the Markdown body',
  'summary-age-mismatch': 'compares a field with the Markdown body',
  'summary-sex-mismatch': 'compares a field with the Markdown body',
  'decision-date-implausible': 'compares two fields (date assigned, decision)',
  'placeholder-text': 'depends on another field (`status`) and the body',
  'section-no-words': 'Markdown body',
  'duplicate-state': 'compares list entries with each other',
  'duplicate-specialty': 'compares list entries with each other',
};

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let validate: ValidateFunction;

setup(() => {
  const schema = JSON.parse(readFileSync(path.join(root, 'schema', 'case.schema.json'), 'utf8')) as Record<string, unknown>;
  // draft-07, strict: an unknown keyword or format in the schema is an error here too.
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  validate = ajv.compile(schema);
});

/** The frontmatter as data, read as `check` reads it (YAML 1.2 core schema); undefined on a YAML error. */
function frontmatterData(text: string): { data: unknown } | undefined {
  const m = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!m) return undefined;
  const doc = parseDocument(m[1]!, { schema: 'core', uniqueKeys: true, strict: true, merge: false, prettyErrors: false });
  if (doc.errors.length) return undefined;
  return { data: doc.toJS({ maxAliasCount: 50 }) };
}

function schemaErrors(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

function readText(file: string): string {
  const read = decodeSource(file, readFileSync(file));
  if (!read.source) throw new Error(`${file} cannot be read: ${JSON.stringify(read.diagnostics)}`);
  return read.source.text;
}

function checkErrors(file: string, text: string): string[] {
  return checkSource({ file, text }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule);
}

const fixtures = readdirSync(fixturesDir)
  .filter((n) => statSync(path.join(fixturesDir, n)).isDirectory())
  .sort();
const validFixtures = fixtures.filter((n) => n.startsWith('valid-'));
const invalidFixtures = fixtures.filter((n) => !n.startsWith('valid-'));
const caseFiles = readdirSync(casesDir)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('JSON Schema of the frontmatter', () => {
  it('is generated from the zod schema, as draft-07, for the editor', () => {
    expect(readFileSync(path.join(root, 'schema', 'case.schema.json'), 'utf8')).toBe(`${JSON.stringify(caseJsonSchema(), null, 2)}\n`);
    expect(caseJsonSchema().$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('gives every field a description and an example', () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown> | undefined, where: string) => {
      if (!node || typeof node !== 'object') return;
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, value] of Object.entries(props ?? {})) {
        if (typeof value.description !== 'string' || value.description.length < 10) missing.push(`${where}.${key}: description`);
        if (!Array.isArray(value.examples) || value.examples.length === 0) missing.push(`${where}.${key}: examples`);
        walk(value, `${where}.${key}`);
      }
      if (node.items) walk(node.items as Record<string, unknown>, `${where}[]`);
      for (const k of ['anyOf', 'oneOf', 'allOf']) for (const [i, n] of ((node[k] as Record<string, unknown>[] | undefined) ?? []).entries()) walk(n, `${where}<${k}${i}>`);
    };
    walk(caseJsonSchema(), '$');
    expect(missing).toEqual([]);
  });

  it('accepts every case in cases/', () => {
    expect(caseFiles.length).toBeGreaterThan(0);
    for (const f of caseFiles) {
      const file = path.join(casesDir, f);
      const text = readText(file);
      expect(checkErrors(file, text), f).toEqual([]);
      expect(text.split('\n')[1], `${f} points the editor at the schema`).toBe('# yaml-language-server: $schema=../schema/case.schema.json');
      expect(schemaErrors(frontmatterData(text)!.data), f).toEqual([]);
    }
  });

  it('accepts the frontmatter of every valid-* fixture', () => {
    expect(validFixtures.length).toBeGreaterThanOrEqual(10);
    for (const name of validFixtures) {
      const text = readText(path.join(fixturesDir, name, 'input.md'));
      expect(checkErrors(name, text), name).toEqual([]);
      expect(schemaErrors(frontmatterData(text)!.data), name).toEqual([]);
    }
  });

  it('rejects, like check, every fixture broken by a schema rule; accepts those broken only by check-only rules', () => {
    const rejected: string[] = [];
    const checkOnly: string[] = [];
    for (const name of invalidFixtures) {
      const file = path.join(fixturesDir, name, 'input.md');
      const read = decodeSource(file, readFileSync(file));
      if (!read.source) continue; // bytes that are not a text file: no frontmatter to validate
      const fm = frontmatterData(read.source.text);
      if (!fm) continue; // no frontmatter, or YAML that does not parse: the editor's YAML parser reports it
      const rules = checkErrors(name, read.source.text);
      const errors = schemaErrors(fm.data);
      if (rules.some((r) => SCHEMA_RULES.has(r))) {
        expect(errors.length, `${name} (${rules.join(', ')}) should be invalid in the JSON Schema`).toBeGreaterThan(0);
        rejected.push(name);
      } else {
        for (const r of rules) expect(Object.keys(CHECK_ONLY), `${name}: ${r} is neither a schema rule nor a known check-only rule`).toContain(r);
        expect(errors, `${name} is broken only by check-only rules (${rules.join(', ') || 'none'})`).toEqual([]);
        checkOnly.push(name);
      }
    }
    // The schema-level fixtures named in the task are all among the rejected ones.
    for (const name of ['unknown-key', 'unknown-key-nested', 'missing-key', 'missing-key-nested', 'wrong-type', 'wrong-type-list', 'bad-enum-decision', 'case-number-format', 'bad-date-format', 'bad-date-month', 'bad-date-impossible', 'empty-list', 'out-of-range-age', 'out-of-range-age-high', 'item-id-format', 'bad-citation-word', 'empty-value-string']) {
      expect(rejected, name).toContain(name);
    }
    expect(rejected.length).toBeGreaterThanOrEqual(30);
    expect(checkOnly).toEqual(expect.arrayContaining(['date-order', 'amends-missing', 'amends-unexpected', 'duplicate-item-id', 'modified-remainder', 'rationale-missing', 'raw-html']));
  });

  describe('on frontmatters changed one field at a time', () => {
    const base = readText(path.join(fixturesDir, 'valid-basic', 'input.md'));
    const body = base.slice(base.indexOf('\n---\n', 4) + 5);
    const baseData = frontmatterData(base)!.data as Record<string, unknown>;
    const variant = (change: (d: Record<string, any>) => void): { text: string; data: unknown } => {
      const data = structuredClone(baseData) as Record<string, any>;
      change(data);
      return { text: `---\n${stringify(data)}---\n${body}`, data };
    };

    const invalid: [string, string, (d: Record<string, any>) => void][] = [
      ['whitespace-only request', 'empty-value', (d) => (d.items[0].request = '   ')],
      ['whitespace-only specialty', 'empty-value', (d) => (d.reviewer.specialties = [' '])],
      ['revision 0', 'out-of-range', (d) => (d.revision = 0)],
      ['revision as text', 'wrong-type', (d) => (d.revision = '1')],
      ['age 111', 'out-of-range', (d) => (d.patient.age = 111)],
      ['lower-case case number', 'case-number-format', (d) => (d.case = 'cm16-0229336')],
      ['case number with 6 digits', 'case-number-format', (d) => (d.case = 'CM16-022933')],
      ['29 February of a common year', 'bad-date', (d) => (d.dates.decision = '2017-02-29')],
      ['date written MM/DD/YYYY', 'bad-date', (d) => (d.dates.injury = '10/20/2016')],
      ['unknown key in parties', 'unknown-key', (d) => (d.parties = { claimNumber: 'X-1', injuredWorker: { name: 'A B', address: ['1 St'] }, employer: { name: 'E' }, claimsAdministrator: { name: 'C', address: ['2 St'] }, requestingProvider: { name: 'P', address: ['3 St'] }, ccc: [] })],
      ['party without address', 'missing-key', (d) => (d.parties = { claimNumber: 'X-1', injuredWorker: { name: 'A B' }, employer: { name: 'E' }, claimsAdministrator: { name: 'C', address: ['2 St'] }, requestingProvider: { name: 'P', address: ['3 St'] } })],
      ['licensure separator `;`', 'bad-enum', (d) => (d.reviewer.licensureSeparator = ';')],
      ['printIs as text', 'wrong-type', (d) => (d.items[0].modified = { form: 'alternative', authorized: 'Norco 10/325mg #60', printIs: 'no' })],
      ['unknown modified form', 'bad-enum', (d) => (d.items[0].modified = { form: 'partially', authorized: 'Norco 10/325mg #60', remainder: 'Norco 10/325mg #60' })],
      ['no items', 'empty-list', (d) => (d.items = [])],
      ['a citation with two sources', 'bad-citation', (d) => (d.items[0].imroGuideline = [{ mtus: 'A', nonMtus: 'B' }])],
      ['an unknown guideline statement', 'bad-citation', (d) => (d.items[0].imroGuideline = ['nothing'])],
      ['item id with a space', 'item-id-format', (d) => (d.items[0].id = 'norco 10')],
    ];
    it.each(invalid)('%s: invalid in both (%s)', (_label, rule, change) => {
      const { text, data } = variant(change);
      expect(checkErrors('case.md', text)).toContain(rule);
      expect(schemaErrors(data).length).toBeGreaterThan(0);
    });

    // Known differences: valid to the editor, errors in check (cross-field and calendar rules).
    const checkOnly: [string, string, (d: Record<string, any>) => void][] = [
      ['decision before the injury', 'date-order', (d) => (d.dates.decision = '2016-01-01')],
      ['revision 2 without amends', 'amends-missing', (d) => (d.revision = 2)],
      ['amends in revision 1', 'amends-unexpected', (d) => (d.amends = 'Corrects the date.')],
      ['two items with one id', 'duplicate-item-id', (d) => d.items.push(structuredClone(d.items[0]))],
      ['partial form without remainder', 'modified-remainder', (d) => (d.items[0].modified = { form: 'partial', authorized: 'Norco 10/325mg #60' })],
      ['a year before 1900', 'bad-date', (d) => (d.dates.injury = '1850-01-01')],
    ];
    it.each(checkOnly)('%s: valid to the editor, reported by check (%s)', (_label, rule, change) => {
      const { text, data } = variant(change);
      expect(checkErrors('case.md', text)).toContain(rule);
      expect(schemaErrors(data)).toEqual([]);
    });
  });
});
