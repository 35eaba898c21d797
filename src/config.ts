/**
 * The project configuration (`imr-letters.config.yaml` at the project root): who
 * issues the letters. Validated with zod like the cases.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { CONFIG_FILE } from './config-file.js';

export const configSchema = z.strictObject({
  organization: z.strictObject({
    /** Full name, e.g. `MAXIMUS Federal Services`. */
    name: z.string().min(1),
    /** Label of the organization's guideline citations, e.g. `MAXIMUS`. */
    shortName: z.string().min(1),
    address: z.array(z.string().min(1)).min(1),
    phone: z.string().min(1),
    fax: z.string().min(1).optional(),
    signature: z.strictObject({ name: z.string().min(1), title: z.string().min(1) }),
  }),
  /**
   * Signing the PDFs of issued letters (optional; unsigned when absent). `pkcs12` names the
   * organization's PKCS#12 file (key and certificate), kept outside the repository;
   * `IMR_SIGNING_P12` overrides it, and `IMR_SIGNING_PASSPHRASE` gives its passphrase.
   */
  signing: z.strictObject({ pkcs12: z.string().min(1) }).optional(),
});

export type Config = z.infer<typeof configSchema>;
export type Organization = Config['organization'];

export { CONFIG_FILE };

/** The organization the importer assumes when no configuration names one: the one that posted the corpus's letters. */
export const DEFAULT_ORGANIZATION = { name: 'MAXIMUS Federal Services', shortName: 'MAXIMUS' } as const;

export async function loadConfig(file: string = CONFIG_FILE): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Cannot read the configuration file ${file}`, { cause, hint: 'Run imr-letters from the project root, or pass --config FILE.' });
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: false });
  } catch (cause) {
    throw new ConfigError(`${file} is not valid YAML`, { cause });
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${file} is invalid: ${detail}`);
  }
  return result.data;
}
