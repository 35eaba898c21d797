/**
 * The case schema: the one source of truth for the frontmatter of a case file.
 *
 * The TypeScript types (`CaseData`, `Item`, …), the validation run by `check`
 * and the editor's JSON Schema (`schema/case.schema.json`, see `./json-schema.ts`)
 * all come from the zod values below. Cross-field rules that a JSON Schema cannot
 * say (date order, modified-request forms, rationale per item) live in
 * `src/check/rules.ts`.
 */
import { z } from 'zod';
import { US_STATES } from './states.js';

/** IMR case number: `CM` + two-digit year + `-` + seven digits. */
export const CASE_NUMBER = /^CM\d{2}-\d{7}$/;
/** An ISO calendar date, `YYYY-MM-DD` (whether the day exists is checked separately). */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Item ids tie a rationale heading to its item: lower-case words joined by `-`. */
export const ITEM_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const DECISIONS = ['Upheld', 'Overturned'] as const;
export const PRIORITIES = ['Standard', 'Expedited'] as const;
export const STATUSES = ['draft', 'final'] as const;
export const SEXES = ['male', 'female', 'unspecified'] as const;
/** Request categories of DWC's decision search. */
export const CATEGORIES = [
  'Diagnostic Testing',
  'DMEPOS',
  'Evaluation & Management',
  'Home Health',
  'Injection',
  'Pharmaceuticals',
  'Programs',
  'Psych Services',
  'Rehabilitation',
  'Surgery',
  'Therapies',
  'Transportation',
] as const;
/**
 * The category of a request whose words do not tell it (an imported letter the importer
 * could not classify): a warning for the author to settle, "Unknown" in the archive.
 */
export const UNKNOWN_CATEGORY = 'unknown';
/** Every value `items[].category` takes: a DWC category, or `unknown`. */
export const CATEGORY_VALUES = [...CATEGORIES, UNKNOWN_CATEGORY] as const;
/** Guideline statements that are not a citation of a source. */
export const GUIDELINE_STATEMENTS = ['none', 'outside-mtus'] as const;

/** Text with something other than spaces in it (`pattern` says so to the editor; zod trims). */
const NON_BLANK = '\\S';

const text = (description: string, example: string) =>
  z.string().trim().min(1).meta({ description, examples: [example], pattern: NON_BLANK });

const isoDate = (description: string, example: string) =>
  z
    .string()
    .regex(ISO_DATE)
    .meta({ description: `${description} Written YYYY-MM-DD.`, examples: [example], format: 'date' });

export const citationSchema = z
  .union([
    z.enum(GUIDELINE_STATEMENTS).meta({
      examples: ['none'],
      description:
        '`none`: "… did not cite any medical evidence for its decision." `outside-mtus`: "… based their decision on recommendation(s) outside of the MTUS Guidelines."',
    }),
    z.strictObject({
      mtus: text(
        'An MTUS citation, rendered "Decision based on MTUS <text>." (a final period is added when missing).',
        'Chronic Pain Medical Treatment 2016, Section(s): Opioids',
      ),
    }),
    z.strictObject({
      nonMtus: text(
        'A source outside the MTUS (ODG, ACOEM, a study), rendered "Decision based on Non-MTUS Citation <text>."',
        'Official Disability Guidelines (ODG), Pain Chapter',
      ),
    }),
    z.strictObject({
      text: text('A guideline sentence printed exactly as written, for forms the others do not cover.', 'Decision based on ODG.'),
    }),
  ])
  .meta({ description: 'One guideline statement or citation.' });

const guidelineSchema = (who: string) =>
  z.array(citationSchema).min(1).meta({
    description: `The guideline statements and citations ${who} relied on, in the order printed.`,
    examples: [[{ mtus: 'Chronic Pain Medical Treatment 2016, Section(s): Opioids' }, { nonMtus: 'Official Disability Guidelines, Pain Chapter' }]],
  });

export const modifiedSchema = z
  .strictObject({
    form: z.enum(['partial', 'alternative']).meta({
      examples: ['partial'],
      description:
        '`partial`: "<authorized> was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, <remainder> is: …". `alternative`: "The Claims Administrator authorized <authorized>, leaving the original request IMR eligible. The original request, <remainder> is: …".',
    }),
    authorized: text('What the Claims Administrator authorized, as written.', 'Baclofen 100mg #27'),
    remainder: text(
      'The IMR-eligible part as written: the remaining portion (`partial`) or the original request restated (`alternative`; defaults to `request`).',
      'Baclofen 100mg #3',
    ).optional(),
    printIs: z.boolean().optional().meta({
      examples: [false],
      description: 'Whether `is` stands before the colon of the decision (`…, <remainder> is: Upheld`); default true. Some posted letters omit it (`…, <remainder>: Upheld`).',
    }),
  })
  .meta({
    description: 'Present when utilization review modified the request: the letter then states the original request, what was authorized, and the IMR-eligible remainder.',
    examples: [{ form: 'partial', authorized: 'Baclofen 100mg #27', remainder: 'Baclofen 100mg #3' }],
  });

export const itemSchema = z
  .strictObject({
    id: z.string().regex(ITEM_ID).meta({
      description: 'Short id of the item; its rationale is the body section headed `# Rationale: <id>`.',
      examples: ['norco'],
    }),
    category: z.enum(CATEGORY_VALUES).meta({
      description: 'Request category (DWC decision search); `unknown` when it is not settled yet (a warning: set one before the letter is issued).',
      examples: ['Pharmaceuticals'],
    }),
    request: text('The disputed request, exactly as it is printed (for a modified request: the original request).', 'Norco 10/325mg #120'),
    modified: modifiedSchema.optional(),
    decision: z.enum(DECISIONS).meta({ description: 'Upheld: the denial stands. Overturned: the treatment must be authorized.', examples: ['Upheld'] }),
    claimsAdministratorGuideline: guidelineSchema('the claims administrator'),
    imroGuideline: guidelineSchema('the IMR organization (the expert reviewer)'),
  })
  .meta({ description: 'One disputed item, in the order of the letter.' });

const address = z.array(z.string().trim().min(1).meta({ pattern: NON_BLANK })).min(1).meta({
  description: 'Postal address, one line per entry.',
  examples: [['1234 Main Street', 'Sacramento, CA 95814']],
});

const party = (description: string, example: string) =>
  z.strictObject({ name: text('Name as it is addressed.', example), address }).meta({
    description,
    examples: [{ name: example, address: ['1234 Main Street', 'Sacramento, CA 95814'] }],
  });

export const partiesSchema = z
  .strictObject({
    claimNumber: text('The claims administrator\'s claim number.', '05-123456-01'),
    injuredWorker: party('The injured worker: the letter is addressed to them.', 'Jane Q. Worker'),
    representative: party('The injured worker\'s attorney or representative, when there is one.', 'Law Offices of A. Advocate').optional(),
    employer: z.strictObject({ name: text('Employer name.', 'Acme Warehousing, Inc.') }).meta({
      description: 'The injured worker\'s employer (named in the reference block; no address).',
      examples: [{ name: 'Acme Warehousing, Inc.' }],
    }),
    claimsAdministrator: party('The claims administrator (insurer or third-party administrator).', 'Golden State Claims Services'),
    requestingProvider: party('The physician who requested the treatment.', 'Robert Smith, MD'),
    cc: z.array(party('Another recipient of a copy.', 'Records Department')).optional().meta({
      description: 'Further recipients of a copy, besides the representative, provider and claims administrator (who always get one).',
      examples: [[{ name: 'Records Department', address: ['PO Box 2', 'Sacramento, CA 95814'] }]],
    }),
    notConfidential: z
      .array(
        z.strictObject({
          phrase: text('A phrase of the public text that holds a part of a confidential value by coincidence.', 'Long Beach'),
          reason: text('Why it is not the confidential value: reviewed in the pull request.', 'The city of the clinic, not the worker\'s surname.'),
        }),
      )
      .optional()
      .meta({
        description:
          'Reviewed exceptions to the `confidential-value` check: a part of a value (a surname, a shortened business name) found inside one of these phrases is not reported. A whole name, address line or claim number can never be allowed.',
        examples: [[{ phrase: 'Long Beach', reason: 'The city of the clinic, not the worker\'s surname.' }]],
      }),
  })
  .meta({
    description:
      'Confidential: printed in the mailed letter only, never in the public edition or the archive. Required to build the mailed letter.',
    examples: [
      {
        claimNumber: '05-123456-01',
        injuredWorker: { name: 'Jane Q. Worker', address: ['100 Example Street', 'Sampleton, CA 90000'] },
        employer: { name: 'Acme Warehousing, Inc.' },
        claimsAdministrator: { name: 'Golden State Claims Services', address: ['PO Box 1', 'Sampleton, CA 90000'] },
        requestingProvider: { name: 'Robert Smith, MD', address: ['2 Clinic Way', 'Sampleton, CA 90000'] },
      },
    ],
  });

export const caseSchema = z
  .strictObject({
    case: z.string().regex(CASE_NUMBER).meta({ description: 'IMR case number: CM + two-digit year + - + seven digits.', examples: ['CM16-0213037'] }),
    revision: z.int().min(1).meta({ description: 'Revision number, 1 for the first issued letter. A correction of an issued letter is a new revision.', examples: [1] }),
    status: z.enum(STATUSES).meta({ description: '`draft` rebuilds freely; `final` is issued and never changes.', examples: ['draft'] }),
    amends: text(
      'Required from revision 2 on: what this revision corrects, printed on its first page (with `dates.issued`, the day it is issued).',
      'Corrects the date of injury in the header block.',
    ).optional(),
    priority: z.enum(PRIORITIES).meta({ description: 'Review priority, printed in the header block.', examples: ['Standard'] }),
    dates: z
      .strictObject({
        injury: isoDate('Date of injury.', '2016-10-13'),
        urDenial: isoDate('Date of the utilization review decision.', '2016-11-03'),
        applicationReceived: isoDate('Date the IMR application was received.', '2016-11-03'),
        assigned: isoDate('Date the case was assigned to the reviewer.', '2016-11-09'),
        decision: isoDate('Decision date; also the date of revision 1 of the letter.', '2016-12-09'),
        issued: isoDate(
          'Required from revision 2 on: the date this corrected letter is issued, printed as its date (never the day it happens to be built). On or after the decision date. Revision 1 has none: it is dated its decision date.',
          '2017-01-20',
        ).optional(),
      })
      .meta({
        description: 'The dates of the header block, then (from revision 2 on) the date the revision is issued; each is on or after the one before, in this order.',
        examples: [{ injury: '2016-10-13', urDenial: '2016-11-03', applicationReceived: '2016-11-03', assigned: '2016-11-09', decision: '2016-12-09' }],
      }),
    reviewer: z
      .strictObject({
        licensure: z.array(z.enum(US_STATES)).min(1).meta({ description: 'States of licensure, in the order printed.', examples: [['California', 'Texas']] }),
        licensureSeparator: z.enum([', ', ',']).optional().meta({
          examples: [','],
          description: 'How the states are joined in print (default `", "`). Many posted letters print `Texas,California`; an imported letter keeps its form.',
        }),
        specialties: z.array(z.string().trim().min(1).meta({ pattern: NON_BLANK })).min(1).meta({
          description: 'Board certifications / specialties, in the order printed.',
          examples: [['Preventive Medicine', 'Occupational Medicine']],
        }),
      })
      .meta({
        description: 'The expert reviewer\'s credentials (the name stays confidential and is not recorded).',
        examples: [{ licensure: ['California'], specialties: ['Family Practice'] }],
      }),
    patient: z
      .strictObject({
        age: z.int().min(14).max(110).optional().meta({ description: 'Age in years, as the summary states it; left out when the summary does not state it.', examples: [52] }),
        sex: z.enum(SEXES).meta({ description: 'As the summary states it; `unspecified` when it does not.', examples: ['female'] }),
      })
      .meta({ description: 'Facts about the injured worker that the summary and the archive use; no identifying data.', examples: [{ age: 52, sex: 'female' }] }),
    items: z.array(itemSchema).min(1).meta({
      description: 'The disputed items, in the order of the letter. Each has a `# Rationale: <id>` section in the body.',
      examples: [
        [
          {
            id: 'norco',
            category: 'Pharmaceuticals',
            request: 'Norco 10/325mg #120',
            decision: 'Upheld',
            claimsAdministratorGuideline: [{ mtus: 'Chronic Pain Medical Treatment 2016, Section(s): Opioids' }],
            imroGuideline: [{ mtus: 'Chronic Pain Medical Treatment 2016, Section(s): Opioids' }],
          },
        ],
      ],
    }),
    parties: partiesSchema.optional(),
    publicOnly: z.literal(true).optional().meta({
      description:
        'The case has no parties on record (an imported posted decision): only the public edition exists. The archive publishes a letter without `parties` only when its case file says `publicOnly: true`.',
      examples: [true],
    }),
  })
  .meta({
    title: 'IMR case file frontmatter',
    description: 'The frontmatter of an imr-letters case file (Markdown with YAML frontmatter).',
  });

export type CaseData = z.infer<typeof caseSchema>;
export type Item = z.infer<typeof itemSchema>;
export type Citation = z.infer<typeof citationSchema>;
export type Parties = z.infer<typeof partiesSchema>;
export type Party = Parties['injuredWorker'];
export type Decision = (typeof DECISIONS)[number];
export type DateKey = keyof CaseData['dates'];

/** The order the header dates must keep: each on or after the one before. */
export const DATE_ORDER: readonly DateKey[] = ['injury', 'urDenial', 'applicationReceived', 'assigned', 'decision', 'issued'];

/** The date a revision of the letter carries: its decision date for revision 1, else the day it is issued. */
export function issueDate(data: Pick<CaseData, 'revision' | 'dates'>): string {
  return data.revision > 1 && data.dates.issued ? data.dates.issued : data.dates.decision;
}
