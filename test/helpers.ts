/**
 * What the tests share: the project's folders, and the inputs `build()` needs to build
 * with the project's configuration, templates and styles.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../src/cli.js';

/** The project root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The compiler's name and version, as the CLI records it. */
export const generator = `imr-letters ${VERSION}`;

/** Spread into `build({ paths, out, ...projectInputs })`. */
export const projectInputs = {
  config: path.join(root, 'imr-letters.config.yaml'),
  templates: path.join(root, 'templates'),
  styles: path.join(root, 'styles'),
  generator,
};
