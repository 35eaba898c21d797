/**
 * The `check` stage against its fixtures.
 *
 * Each folder under `test/fixtures/check/` holds an `input.md` (a case file, read as
 * bytes and decoded as the CLI does) and an `expected.json`: the exact list of
 * diagnostics, in order, as `{line, column, endLine, endColumn, severity, rule}` plus a
 * `messageIncludes` (a string, or several) that the message must contain. Folders named
 * `valid-*` expect no diagnostic and a checked case.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSource, type CheckResult } from '../src/check/index.js';
import { decodeSource, readSource, MAX_CASE_BYTES } from '../src/read/source.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../src/diagnostics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const fixturesDir = path.join(here, 'fixtures', 'check');
const casesDir = path.join(root, 'cases');

interface Expected {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  rule: string;
  messageIncludes: string | string[];
}

const fixtures = readdirSync(fixturesDir)
  .filter((name) => statSync(path.join(fixturesDir, name)).isDirectory())
  .sort();

/** Checks a file's bytes the way `imr-letters check` does: decode, then check. */
function checkBytes(file: string, bytes: Uint8Array): CheckResult {
  const read = decodeSource(file, bytes);
  if (!read.source) return { case: undefined, diagnostics: read.diagnostics };
  const result = checkSource(read.source);
  return { case: result.case, diagnostics: [...read.diagnostics, ...result.diagnostics] };
}

function checkText(text: string, file = 'case.md'): CheckResult {
  return checkBytes(file, Buffer.from(text, 'utf8'));
}

function loadFixture(name: string): { file: string; bytes: Buffer; expected: Expected[] } {
  const dir = path.join(fixturesDir, name);
  return {
    file: `${name}/input.md`,
    bytes: readFileSync(path.join(dir, 'input.md')),
    expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected[],
  };
}

const position = (d: Diagnostic | Expected) => ({
  line: d.line,
  column: d.column,
  endLine: d.endLine,
  endColumn: d.endColumn,
  severity: d.severity,
  rule: d.rule,
});

/** Number of lines an editor shows, not counting the empty "line" after a final newline. */
function lineCount(text: string): number {
  const lines = text.split('\n');
  return text.endsWith('\n') ? lines.length - 1 : lines.length;
}

describe('check fixtures', () => {
  it('has enough fixtures, each with input.md and expected.json', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(150);
    for (const name of fixtures) {
      expect(statSync(path.join(fixturesDir, name, 'input.md')).isFile(), name).toBe(true);
      expect(statSync(path.join(fixturesDir, name, 'expected.json')).isFile(), name).toBe(true);
    }
  });

  it('valid-* fixtures expect nothing, the others expect at least one diagnostic', () => {
    for (const name of fixtures) {
      const { expected } = loadFixture(name);
      if (name.startsWith('valid-')) expect(expected, name).toEqual([]);
      else expect(expected.length, name).toBeGreaterThan(0);
    }
  });

  describe.each(fixtures)('%s', (name) => {
    const { file, bytes, expected } = loadFixture(name);
    // Checked on first use, so a check that throws fails this fixture's tests only.
    let checked: CheckResult | undefined;
    const check = () => (checked ??= checkBytes(file, bytes));

    it('reports exactly the expected diagnostics, at the expected positions', () => {
      expect(check().diagnostics.map(position)).toEqual(expected.map(position));
    });

    it('says what was found and what was expected', () => {
      const { diagnostics } = check();
      expected.forEach((e, i) => {
        const actual = diagnostics[i];
        if (!actual) return; // the count is the previous test's concern
        const parts = Array.isArray(e.messageIncludes) ? e.messageIncludes : [e.messageIncludes];
        for (const part of parts) expect(actual.message, `${name} #${i} (${e.rule})`).toContain(part);
      });
    });

    it('names the file on every diagnostic, with a complete message', () => {
      for (const d of check().diagnostics) {
        expect(d.file).toBe(file);
        expect(d.message.trim().length).toBeGreaterThan(0);
        // A message lists what was expected: never an empty list ("expected one of ").
        expect(d.message, d.rule).not.toMatch(/\s$/);
        expect(d.message, d.rule).not.toMatch(/one of\s*$/);
      }
    });

    it('returns a case only when there is no error', () => {
      const result = check();
      if (hasErrors(result.diagnostics)) expect(result.case).toBeUndefined();
      else expect(result.case).toBeDefined();
      if (name.startsWith('valid-')) {
        expect(result.case).toBeDefined();
        expect(result.case?.file).toBe(file);
        expect(result.case?.contentHash).toMatch(/^[0-9a-f]{64}$/);
      }
    });

    it('sorts its diagnostics', () => {
      const { diagnostics } = check();
      expect(diagnostics).toEqual(sortDiagnostics(diagnostics));
      for (let i = 1; i < diagnostics.length; i++) {
        const a = diagnostics[i - 1]!;
        const b = diagnostics[i]!;
        expect(a.line < b.line || (a.line === b.line && a.column <= b.column), `${name} #${i}`).toBe(true);
      }
    });

    it('points inside the file, with the end not before the start', () => {
      const read = decodeSource(file, bytes);
      const text = read.source?.text ?? bytes.toString('latin1');
      const lines = lineCount(text);
      for (const d of check().diagnostics) {
        const where = `${d.rule} at ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`;
        expect(d.line, where).toBeGreaterThanOrEqual(1);
        expect(d.column, where).toBeGreaterThanOrEqual(1);
        expect(d.line, where).toBeLessThanOrEqual(Math.max(lines, 1));
        expect(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), where).toBe(true);
      }
    });
  });
});

describe('the case files in cases/', () => {
  const files = readdirSync(casesDir)
    .filter((f) => f.endsWith('.md'))
    .sort();

  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s checks with no error', async (name) => {
    const read = await readSource(path.join(casesDir, name));
    expect(read.diagnostics).toEqual([]);
    expect(read.source).toBeDefined();
    const result = checkSource(read.source!);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.case).toBeDefined();
    expect(result.case!.data.items.length).toBeGreaterThan(0);
    for (const item of result.case!.data.items) expect(result.case!.rationales.has(item.id), item.id).toBe(true);
    expect(result.case!.summary.length).toBeGreaterThan(0);
  });
});

describe('checked case', () => {
  const base = readFileSync(path.join(fixturesDir, 'valid-basic', 'input.md'), 'utf8');

  it('carries the data, the summary and one rationale per item', () => {
    const { case: c } = checkText(base);
    expect(c).toBeDefined();
    expect(c!.data.case).toBe('CM16-0229336');
    expect(c!.data.items.map((i) => i.id)).toEqual(['norco']);
    expect(c!.data.items[0]!.request).toBe('Norco 10/325mg #120');
    expect([...c!.rationales.keys()]).toEqual(['norco']);
    expect(c!.summary.map((n) => n.type)).toEqual(['paragraph']);
  });

  it('keeps quoted values whole, and drops comments', () => {
    const quoted = checkText(readFileSync(path.join(fixturesDir, 'valid-quoted', 'input.md'), 'utf8')).case;
    expect(quoted?.data.items[0]!.request).toBe('Norco 10/325mg: 120 tablets #120');
    expect(quoted?.data.items[0]!.claimsAdministratorGuideline).toEqual([{ mtus: 'Chronic Pain Treatment Guidelines: Opioids # criteria, p. 76' }]);
    const commented = checkText(readFileSync(path.join(fixturesDir, 'valid-comments', 'input.md'), 'utf8')).case;
    expect(commented?.data.case).toBe('CM16-0229336');
    expect(commented?.data.patient.age).toBe(78);
    expect(commented?.data.items[0]!.decision).toBe('Upheld');
    expect(commented?.data.items[0]!.imroGuideline).toEqual(['none']);
  });

  it('reads flow lists like block lists', () => {
    const c = checkText(readFileSync(path.join(fixturesDir, 'valid-flow-lists', 'input.md'), 'utf8')).case;
    expect(c?.data.reviewer.licensure).toEqual(['Texas', 'California', 'New York']);
    expect(c?.data.reviewer.specialties).toEqual(['Preventive Medicine', 'Occupational Medicine']);
    expect(c?.data.items[0]!.imroGuideline).toEqual(['outside-mtus', { nonMtus: 'ODG, Pain Chapter' }]);
  });

  it('is the same whatever the byte order mark and line ends', () => {
    const hash = (name: string) => checkBytes(name, readFileSync(path.join(fixturesDir, name, 'input.md'))).case?.contentHash;
    const basic = hash('valid-basic');
    expect(basic).toBeDefined();
    expect(hash('valid-bom')).toBe(basic);
    expect(hash('valid-crlf')).toBe(basic);
    expect(hash('valid-bom-crlf')).toBe(basic);
  });
});

describe('contentHash', () => {
  const base = readFileSync(path.join(fixturesDir, 'valid-basic', 'input.md'), 'utf8');
  const hashOf = (text: string) => {
    const result = checkText(text);
    expect(result.diagnostics).toEqual([]);
    return result.case!.contentHash;
  };
  const original = hashOf(base);
  const edit = (from: string, to: string) => {
    expect(base).toContain(from);
    return base.replace(from, to);
  };

  it('does not change when only comments change', () => {
    let text = edit('case: CM16-0229336\n', '# A comment line.\ncase: CM16-0229336 # the case number\n');
    text = text.replace('  age: 78\n', '  age: 78 # as the summary states\n');
    expect(hashOf(text)).toBe(original);
  });

  it('does not change when only the key order or the YAML layout changes', () => {
    const reordered = edit('status: final\npriority: Standard\n', 'priority: Standard\nstatus: final\n').replace(
      '  age: 78\n  sex: male\n',
      '  sex: male\n  age: 78\n',
    );
    expect(hashOf(reordered)).toBe(original);
    const itemKeys = edit('    category: Pharmaceuticals\n    request: "Norco 10/325mg #120"\n', '    request: "Norco 10/325mg #120"\n    category: Pharmaceuticals\n');
    expect(hashOf(itemKeys)).toBe(original);
    const layout = edit('  licensure: [California]\n', '  licensure:\n    - California\n').replace("request: \"Norco 10/325mg #120\"", "request: 'Norco 10/325mg #120'");
    expect(hashOf(layout)).toBe(original);
  });

  it('changes when a value changes', () => {
    // The summary states the age and the rationale concludes the decision: both change together (the content rules hold them to it).
    expect(hashOf(edit('  age: 78\n', '  age: 79\n').replace('78 year old', '79 year old'))).not.toBe(original);
    expect(hashOf(edit('decision: Upheld', 'decision: Overturned').replace('is not established', 'is established'))).not.toBe(original);
    expect(hashOf(edit('"Norco 10/325mg #120"', '"Norco 10/325mg #90"'))).not.toBe(original);
    expect(hashOf(edit('status: final', 'status: draft'))).not.toBe(original);
  });

  it('changes when a word of the body changes', () => {
    expect(hashOf(edit('is not established for this patient', 'is not shown for this patient'))).not.toBe(original);
    expect(hashOf(edit('78 year old male', '78 year old man'))).not.toBe(original);
  });

  it('is the same for the same input', () => {
    expect(hashOf(base)).toBe(original);
  });
});

describe('decodeSource', () => {
  it('strips a byte order mark and normalises line ends', () => {
    const read = decodeSource('a.md', Buffer.from('\ufeffa\r\nb\rc\n', 'utf8'));
    expect(read.source?.text).toBe('a\nb\nc\n');
  });

  it('refuses a file larger than MAX_CASE_BYTES', () => {
    const read = decodeSource('big.md', new Uint8Array(MAX_CASE_BYTES + 1).fill(0x61));
    expect(read.source).toBeUndefined();
    expect(read.diagnostics.map((d) => d.rule)).toEqual(['file-too-large']);
  });

  it('reports a file that cannot be read', async () => {
    const read = await readSource(path.join(fixturesDir, 'no-such-file.md'));
    expect(read.source).toBeUndefined();
    expect(read.diagnostics.map((d) => d.rule)).toEqual(['unreadable']);
  });
});
