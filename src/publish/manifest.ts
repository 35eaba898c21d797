/**
 * `out/manifest.json`: every letter revision built, with its files (sha256, size,
 * pages), status, and the hashes of what it was built from. It is written last, after
 * every file it names, and it is what makes an issued revision immutable: a later
 * build compares a final case with its entry and never rewrites its files.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { OutputError } from '../errors.js';
import { writeAtomic } from './files.js';

const fileSchema = z.strictObject({
  path: z.string(),
  edition: z.enum(['letter', 'public']),
  /** `json`: the public facts the archive filters on (public edition only). */
  format: z.enum(['html', 'pdf', 'json']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.int().min(0),
  /** Pages of the letter's PDF (for HTML and JSON too: the letter they belong to); null in an HTML-only build. */
  pages: z.int().min(1).nullable(),
  /** PDFs: whether the file carries the IMR organization's signature (src/print/sign.ts). */
  signed: z.boolean().optional(),
});

const letterSchema = z.strictObject({
  case: z.string(),
  revision: z.int().min(1),
  status: z.enum(['draft', 'final']),
  outcome: z.string(),
  decisionDate: z.string(),
  supersedes: z.int().nullable(),
  supersededBy: z.int().nullable(),
  amends: z.string().nullable(),
  source: z.string(),
  /** sha256 of the case's content (see `Case.contentHash`). */
  contentHash: z.string(),
  /** The same without the confidential parties (see `Case.publicHash`). */
  publicHash: z.string(),
  /** sha256 of the case file's bytes: a rebuild skips a file whose bytes are unchanged without parsing it. */
  sourceSha256: z.string(),
  /** Whether the case has its parties (so the mailed letter can be built). */
  hasParties: z.boolean(),
  /** sha256 of templates, styles, fonts, organization and compiler version. */
  inputsHash: z.string(),
  files: z.array(fileSchema),
});

export const manifestSchema = z.strictObject({
  format: z.literal(1),
  generator: z.string(),
  letters: z.array(letterSchema),
  assets: z.array(z.strictObject({ path: z.string(), sha256: z.string(), bytes: z.int() })),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestLetter = z.infer<typeof letterSchema>;
export type ManifestFile = z.infer<typeof fileSchema>;

export const MANIFEST = 'manifest.json';

export function emptyManifest(generator: string): Manifest {
  return { format: 1, generator, letters: [], assets: [] };
}

export async function readManifest(outDir: string, generator: string): Promise<Manifest> {
  const file = path.join(outDir, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest(generator);
    throw new OutputError(`Cannot read ${file}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new OutputError(`${file} is not valid JSON`, { cause, hint: 'Restore it from the last published output; it records which letters were issued.' });
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    throw new OutputError(`${file} is not an imr-letters manifest: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`, {
      hint: 'Restore it from the last published output; it records which letters were issued.',
    });
  }
  return result.data;
}

/** Sorted by case, revision and path, so the manifest is deterministic. */
export function sortManifest(m: Manifest): Manifest {
  const letters = [...m.letters]
    .map((l) => ({ ...l, files: [...l.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) }))
    .sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision));
  const assets = [...m.assets].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...m, letters, assets };
}

/** Writes the manifest atomically; leaves the file untouched when its bytes would not change. */
export async function writeManifest(outDir: string, m: Manifest, name: string = MANIFEST): Promise<void> {
  const text = `${JSON.stringify(sortManifest(m), null, 2)}\n`;
  const current = await readFile(path.join(outDir, name), 'utf8').catch(() => undefined);
  if (current === text) return;
  await writeAtomic(outDir, name, text);
}
