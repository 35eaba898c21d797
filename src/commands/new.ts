/**
 * `imr-letters new <case-number> [--into cases] [--force]`: writes a draft case file with
 * every required field, the values left empty and explained by a comment. `check` reports
 * each empty value, empty list and empty section until it is filled, and an editor with a
 * YAML language server (the first line points it at the JSON Schema) marks them as the
 * author types.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CASE_NUMBER } from '../schema/case.js';
import { ImrError } from '../errors.js';

export interface NewCaseOptions {
  caseNumber: string;
  /** Folder the case file goes in (default `cases`). */
  into?: string;
  /** Overwrite an existing file (default false). */
  force?: boolean;
}

/** The draft's text. `schemaPath` is the JSON Schema relative to the case file's folder. */
export function newCaseText(caseNumber: string, schemaPath = '../schema/case.schema.json'): string {
  return `---
# yaml-language-server: $schema=${schemaPath}
# A new draft. Fill every empty value: \`imr-letters check\` reports each one until it is
# filled, and \`imr-letters preview\` shows the letter as you type. Comments (# …) are
# ignored; delete them when you like.
case: ${caseNumber}
revision: 1                   # 1, then 2, 3… for corrections of an issued letter
status: draft                 # draft while you write; final when the letter is issued
priority:                     # Standard | Expedited
dates:                        # YYYY-MM-DD; each on or after the one before, in this order
  injury:
  urDenial:
  applicationReceived:
  assigned:
  decision:                   # also the letter's date
reviewer:                     # the reviewer's name stays confidential and is not recorded
  licensure: []               # US states written out, in printed order: [California, Texas]
  specialties: []             # board certifications, in printed order: [Family Practice]
patient:
  age:                        # whole years, as the summary states it
  sex:                        # male | female | unspecified
items:                        # the disputed items, in the letter's order
  - id: item-1                # a short id (lower-case, digits, -); its rationale is "# Rationale: item-1"
    category:                 # Pharmaceuticals | Surgery | Rehabilitation | DMEPOS | … (see schema)
    request:                  # as printed; quote it when it has " #" or ": " in it: "Norco 10/325mg #120"
    decision:                 # Upheld | Overturned
    claimsAdministratorGuideline: []   # - mtus: … | - nonMtus: … | - text: … | - none | - outside-mtus
    imroGuideline: []                  # the same forms, for the IMR organization's citations
parties:                      # CONFIDENTIAL, mailed letter only; delete this block for a public-only letter
  claimNumber:
  injuredWorker:
    name:
    address: []               # one entry per line: [100 Example Street, "Sampleton, CA 90000"]
  # representative: { name: …, address: [ … ] }   # the worker's attorney, when there is one
  employer:
    name:
  claimsAdministrator:
    name:
    address: []
  requestingProvider:
    name:
    address: []
  # cc: [{ name: …, address: [ … ] }]             # further copies
---

# Clinical case summary

# Rationale: item-1
`;
}

/** Writes the draft; refuses a malformed case number, and an existing file unless `force`. */
export async function newCase(options: NewCaseOptions): Promise<{ file: string; text: string }> {
  const caseNumber = options.caseNumber.trim();
  if (!CASE_NUMBER.test(caseNumber)) {
    throw new ImrError('UsageError', `${JSON.stringify(caseNumber)} is not an IMR case number`, {
      hint: 'An IMR case number is CM, a two-digit year, - and seven digits, like CM17-0001234.',
    });
  }
  const into = options.into ?? 'cases';
  const file = path.join(into, `${caseNumber}.md`);
  if (!options.force && (await exists(file))) {
    throw new ImrError('UsageError', `${file} already exists`, { hint: 'Edit it, or pass --force to start it over.' });
  }
  // The modeline is relative to the case file, so the editor finds the schema from any folder.
  const schema = path.relative(path.resolve(into), path.resolve('schema', 'case.schema.json')).split(path.sep).join('/');
  const text = newCaseText(caseNumber, schema);
  await mkdir(into, { recursive: true });
  await writeFile(file, text, { flag: options.force ? 'w' : 'wx' });
  return { file, text };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
