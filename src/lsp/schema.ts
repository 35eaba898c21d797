/**
 * The case schema as the editor needs it: what is allowed at a path of the
 * frontmatter (keys, values), and each field's description and example. Read from the
 * JSON Schema generated from the one zod schema (`src/schema/case.ts`), which states
 * unions (`anyOf`), enums and examples plainly.
 */
import { stringify } from 'yaml';
import { caseJsonSchema } from '../schema/json-schema.js';
import type { PathKey } from '../check/validate.js';

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  examples?: unknown[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
}

let root: JsonSchema | undefined;

/** The case schema (built once). */
export function caseSchemaJson(): JsonSchema {
  root ??= caseJsonSchema() as JsonSchema;
  return root;
}

/** The schemas that may stand at a path: several where a union (a guideline entry) allows several forms. */
export function schemasAt(path: readonly PathKey[], from: JsonSchema = caseSchemaJson()): JsonSchema[] {
  let current = [from];
  for (const step of path) {
    const next: JsonSchema[] = [];
    for (const s of current.flatMap(branches)) {
      if (typeof step === 'number' && s.items) next.push(s.items);
      if (typeof step === 'string' && s.properties?.[step]) next.push(s.properties[step]);
    }
    current = next;
    if (!current.length) return [];
  }
  return current;
}

/** A schema's alternatives: its `anyOf` branches, or itself. */
export function branches(s: JsonSchema): JsonSchema[] {
  return s.anyOf ? s.anyOf.flatMap(branches) : [s];
}

export interface KeyInfo {
  key: string;
  schema: JsonSchema;
  required: boolean;
}

/** The keys a mapping at this path may have, in the schema's order. */
export function keysAt(path: readonly PathKey[]): KeyInfo[] {
  const out: KeyInfo[] = [];
  for (const s of schemasAt(path).flatMap(branches)) {
    for (const [key, schema] of Object.entries(s.properties ?? {})) {
      if (!out.some((k) => k.key === key)) out.push({ key, schema, required: s.required?.includes(key) ?? false });
    }
  }
  return out;
}

/** The values allowed at this path, when it is a set (enums, `true`/`false`), each as YAML writes it. */
export function valuesAt(path: readonly PathKey[]): { value: string; yaml: string; schema: JsonSchema }[] {
  const out: { value: string; yaml: string; schema: JsonSchema }[] = [];
  for (const s of schemasAt(path).flatMap(branches)) {
    for (const v of s.enum ?? []) out.push({ value: String(v), yaml: yamlValue(v), schema: s });
    if (s.type === 'boolean') for (const v of [true, false]) out.push({ value: String(v), yaml: yamlValue(v), schema: s });
  }
  return out;
}

/** A value as YAML writes it on one line: plain when it can be, quoted otherwise. */
export function yamlValue(value: unknown): string {
  return stringify(value, { flowCollectionPadding: true, collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

/** A field's documentation in Markdown: its description, the values it takes and an example. */
export function documentation(name: string, path: string, schemas: readonly JsonSchema[]): string {
  const parts: string[] = [`**${name}**${path && path !== name ? ` · \`${path}\`` : ''}`];
  const seen = new Set<string>();
  for (const s of schemas) {
    if (s.description && !seen.has(s.description)) {
      seen.add(s.description);
      parts.push(s.description);
    }
  }
  const items = schemas.map((s) => s.items).filter((s): s is JsonSchema => s !== undefined);
  const values = [...new Set([...schemas, ...items].flatMap(branches).flatMap((s) => (s.enum ?? []).map(String)))];
  if (values.length) parts.push(`Values: ${values.length > 20 ? `${values.length} (US states and the District of Columbia, written out)` : values.map((v) => `\`${v}\``).join(', ')}`);
  const example = schemas.find((s) => s.examples?.length)?.examples?.[0];
  if (example !== undefined) {
    const yaml = yamlValue(example);
    parts.push(yaml.includes('\n') || yaml.length > 60 ? `Example:\n\n\`\`\`yaml\n${name}: ${yaml}\n\`\`\`` : `Example: \`${name}: ${yaml}\``);
  }
  return parts.join('\n\n');
}
