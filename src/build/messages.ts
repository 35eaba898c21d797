/**
 * What crosses between the build and its worker threads, validated on arrival (a
 * thread's message is data from outside this thread: it is checked, not cast).
 */
import { z } from 'zod';
import { caseSchema } from '../schema/case.js';
import { configSchema } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';

const position = z.object({ line: z.int(), column: z.int() });

const diagnosticSchema = z.object({
  file: z.string(),
  line: z.int(),
  column: z.int(),
  endLine: z.int(),
  endColumn: z.int(),
  severity: z.enum(['error', 'warning']),
  rule: z.string(),
  message: z.string(),
}) satisfies z.ZodType<Diagnostic>;

const renderedSchema = z.object({ html: z.string(), title: z.string(), subject: z.string(), keywords: z.array(z.string()), outcome: z.string() });

const preparedSchema = z.object({
  info: z.object({
    file: z.string(),
    data: caseSchema,
    contentHash: z.string(),
    publicHash: z.string(),
    revisionSpan: z.object({ start: position, end: position }),
    caseSpan: z.object({ start: position, end: position }),
  }),
  editions: z.partialRecord(z.enum(['letter', 'public']), renderedSchema),
  facts: z.string(),
});

const resultSchema = z.object({ diagnostics: z.array(diagnosticSchema), prepared: z.union([preparedSchema, z.undefined()]) });

/** A worker's answer to job `id`: its result, or the message of what went wrong. */
export const workerReply = z.union([z.object({ id: z.int(), result: resultSchema }), z.object({ id: z.int(), error: z.string() })]);


/** A job for a worker: a case file's path and bytes. */
export const workerJob = z.object({ id: z.int(), file: z.string(), bytes: z.instanceof(Uint8Array) });

/** What a worker is started with. */
export const workerStart = z.object({
  renderer: z.object({ templates: z.string().optional(), styles: z.string().optional(), org: configSchema.shape.organization }),
  editions: z.array(z.enum(['letter', 'public'])),
  assetBase: z.string(),
});
