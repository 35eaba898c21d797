/** The compiler's version, read from package.json (its one source), and its name as recorded in manifests and PDFs. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

// `src/version.ts` and `dist/version.js` both sit one folder below package.json.
const pkg = z.object({ name: z.string(), version: z.string() }).parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));

export const VERSION: string = pkg.version;

/** `imr-letters 0.1.0`: the generator recorded in the manifest and the PDFs. */
export const GENERATOR = `${pkg.name} ${pkg.version}`;
