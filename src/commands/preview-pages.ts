/**
 * The live preview's own pages (toolbar, error page, file list) and its reload script:
 * Handlebars templates and CSS in `templates/preview/`, like the letters and the archive.
 * They are the tool's, not the letter's look: read from the package, whatever
 * `--templates` says.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics.js';
import type { Edition } from '../render/model.js';

// `src/commands/` and `dist/commands/` both sit two folders below the project root.
const DIR = fileURLToPath(new URL('../../templates/preview/', import.meta.url));

export interface ToolbarView {
  file: string;
  caseNumber: string;
  edition: Edition;
  hasParties: boolean;
  warnings: readonly Diagnostic[];
  version: number;
}

export interface ErrorsView {
  file: string;
  title: string;
  /** Each diagnostic with its source frame (HTML), when the text is known. */
  diagnostics: readonly (Diagnostic & { frame: string })[];
  detail: string;
  version: number;
  caseNumber?: string;
}

export interface PreviewPages {
  toolbar(view: ToolbarView): string;
  errors(view: ErrorsView): string;
  index(view: { casesDir: string; rows: { file: string; status: string }[]; version: number }): string;
}

export async function loadPreviewPages(): Promise<PreviewPages> {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const read = (name: string) => readFile(path.join(DIR, name), 'utf8');
  hb.registerPartial('client', await read('client.hbs'));
  hb.registerPartial('editionLink', await read('edition-link.hbs'));
  const compile = async (name: string) => hb.compile(await read(name), { strict: false });
  const [toolbar, errors, index, toolbarCss, pageCss] = await Promise.all([compile('toolbar.hbs'), compile('errors.hbs'), compile('index.hbs'), read('toolbar.css'), read('page.css')]);
  return {
    toolbar: (v) => toolbar({ ...v, css: toolbarCss, fileParam: encodeURIComponent(v.file), single: v.warnings.length === 1 }),
    errors: (v) => {
      const count = v.diagnostics.filter((d) => d.severity === 'error').length;
      const heading = count ? `${count} error${count === 1 ? '' : 's'} in ${v.file}` : v.title;
      return errors({ ...v, css: pageCss, heading, fileParam: encodeURIComponent(v.file) });
    },
    index: (v) => index({ ...v, css: pageCss, rows: v.rows.map((r) => ({ ...r, fileParam: encodeURIComponent(r.file) })) }),
  };
}
