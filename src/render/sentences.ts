/**
 * The fixed sentences of the letter, read from the templates that print them, so the
 * importer (which expects and drops them) and the archive (which leaves them out of the
 * search text) use the very words the letters carry. Edit a sentence in its partial
 * (`templates/partials/`), and every reader follows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ImrError } from '../errors.js';

// `src/render/` and `dist/render/` both sit two folders below the project root.
const PARTIALS = fileURLToPath(new URL('../../templates/partials/', import.meta.url));

function partial(name: string): string {
  return readFileSync(path.join(PARTIALS, `${name}.hbs`), 'utf8');
}

/** The text of the first element matching `pattern` in a partial, its inner tags dropped. */
function fixed(name: string, pattern: RegExp): string {
  const m = pattern.exec(partial(name));
  if (!m) throw new ImrError('TemplateError', `templates/partials/${name}.hbs has no fixed sentence where one is expected (${pattern.source})`);
  return m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

// A section opens with its heading (its tag may be a template value), then its first paragraph.
const HEADING = /<section[^>]*>\s*<[^>]+>([^<]*)<\/[^>]+>/;
const LEAD = /<section[^>]*>\s*<[^>]+>[^<]*<\/[^>]+>\s*<p>([\s\S]*?)<\/p>/;

const HOW_MADE = LEAD.exec(partial('how-made'))?.[1];
if (!HOW_MADE?.includes('{{org.name}}')) throw new ImrError('TemplateError', 'templates/partials/how-made.hbs: the paragraph on how the determination was made must name {{org.name}}');

export const SENTENCES = {
  /** The headings of the three sections every letter has. */
  headings: {
    howMade: fixed('how-made', HEADING),
    summary: fixed('summary', HEADING),
    issues: fixed('issues', HEADING),
  },
  /** The paragraph on how the determination was made, for the organization named. */
  howMade: (orgName: string): string => HOW_MADE.replace(/\{\{org\.name\}\}/g, orgName).replace(/\s+/g, ' ').trim(),
  credentialsLead: fixed('how-made', /<p class="credentials">([^<]*)<br>/),
  summaryLead: fixed('summary', LEAD),
  issuesLead: fixed('issues', LEAD),
} as const;

/**
 * The lead of a modified request, in the two forms of the posted letters, with its slots:
 * `{request}`, `{authorized}`, `{remainder}`, then ` is:` (or `:` when `printIs` is false).
 * The renderer fills them (`modifiedLead`); the importer reads them back (`modifiedPattern`).
 */
export const MODIFIED_LEADS = {
  partial: '{request} was the original request. {authorized} was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, {remainder}',
  alternative: '{request} was the original request. The Claims Administrator authorized {authorized}, leaving the original request IMR eligible. The original request, {remainder}',
} as const;

export type ModifiedForm = keyof typeof MODIFIED_LEADS;

/** A modified request's lead, as printed before its decision. */
export function modifiedLead(form: ModifiedForm, slots: { request: string; authorized: string; remainder: string }, printIs: boolean): string {
  const text = MODIFIED_LEADS[form].replace(/\{(request|authorized|remainder)\}/g, (_m, k: keyof typeof slots) => slots[k]);
  return `${text}${printIs ? ' is:' : ':'}`;
}

/** The pattern of a printed item line in that form: groups request, authorized, remainder, ` is`, decision. */
export function modifiedPattern(form: ModifiedForm): RegExp {
  const literal = MODIFIED_LEADS[form].split(/\{(?:request|authorized|remainder)\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('(.+?)')}( is)?: (Upheld|Overturned)$`);
}
