/**
 * The editor's JSON Schema (`schema/case.schema.json`), generated from the zod case
 * schema, so types, validation and editor completion never disagree.
 */
import { z } from 'zod';
import { caseSchema } from './case.js';

export function caseJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(caseSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://imr-letters.invalid/schema/case.schema.json' };
}

export function caseJsonSchemaText(): string {
  return `${JSON.stringify(caseJsonSchema(), null, 2)}\n`;
}
