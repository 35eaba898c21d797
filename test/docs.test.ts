/**
 * The README's example case checks clean, and the committed JSON Schema is the one
 * generated from the zod schema (run `npm run schema` after changing src/schema).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../src/check/index.js';
import { caseJsonSchemaText } from '../src/schema/json-schema.js';

describe('documentation', () => {
  it('the README example case has no problem', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /```markdown\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const result = checkSource({ file: 'README.md', text: example! });
    expect(result.diagnostics).toEqual([]);
    expect(result.case?.data.items[0]?.modified?.form).toBe('partial');
  });

  it('schema/case.schema.json is generated from src/schema/case.ts', () => {
    expect(readFileSync('schema/case.schema.json', 'utf8')).toBe(caseJsonSchemaText());
  });

  it('every case file points at the JSON Schema', () => {
    for (const file of ['CM15-0900001', 'CM15-0900002', 'CM16-0229336', 'CM16-0233904', 'CM16-0247802', 'CM17-0014449']) {
      expect(readFileSync(`cases/${file}.md`, 'utf8')).toContain('# yaml-language-server: $schema=../schema/case.schema.json');
    }
  });
});
