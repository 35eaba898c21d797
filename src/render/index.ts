/**
 * Rendering: a checked case → the HTML of one edition. Templates (Handlebars) and
 * styles are read once from the project (`templates/`, `styles/`) into a `Renderer`;
 * rendering itself is pure and synchronous.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Case } from '../check/index.js';
import type { Organization } from '../config.js';
import { buildView, cssString, type Edition, type LetterView } from './model.js';
import { loadFonts, type Asset } from './assets.js';
import { ImrError } from '../errors.js';

export interface RendererOptions {
  /** Folder of the Handlebars templates (default `templates`). */
  templates?: string;
  /** Folder of the print styles (default `styles`). */
  styles?: string;
  /** The organization issuing the letters (from the configuration). */
  org: Organization;
}

export interface Renderer {
  render(c: Case, edition: Edition, assetBase: string): { html: string; view: LetterView };
  /** Files the HTML refers to, to publish under `assets/`. */
  assets: Asset[];
  /** sha256 over templates, styles, fonts and the organization: what a letter's look depends on. */
  fingerprint: string;
}

export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const templatesDir = options.templates ?? 'templates';
  const stylesDir = options.styles ?? 'styles';
  const hb = Handlebars.create();
  const hash = createHash('sha256');
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));

  const partialDir = path.join(templatesDir, 'partials');
  for (const file of (await readdir(partialDir)).filter((f) => f.endsWith('.hbs')).sort()) {
    const source = await readFile(path.join(partialDir, file), 'utf8');
    hash.update(`partial:${file}\n${source}\n`);
    hb.registerPartial(file.replace(/\.hbs$/, ''), source);
  }
  const layouts = {} as Record<Edition, Handlebars.TemplateDelegate>;
  for (const edition of ['letter', 'public'] as const) {
    const source = await readFile(path.join(templatesDir, `${edition}.hbs`), 'utf8');
    hash.update(`layout:${edition}\n${source}\n`);
    layouts[edition] = hb.compile(source, { strict: true, noEscape: false });
  }
  let css = '';
  // `archive.css` styles the public archive's pages, not the letters.
  for (const file of (await readdir(stylesDir)).filter((f) => f.endsWith('.css') && f !== 'archive.css').sort()) {
    const source = await readFile(path.join(stylesDir, file), 'utf8');
    hash.update(`style:${file}\n${source}\n`);
    css += `${source}\n`;
  }
  const fonts = loadFonts();
  for (const a of fonts.assets) hash.update(`font:${a.name}\n`);
  hash.update(`org:${JSON.stringify(options.org)}\n`);
  // The letterhead of the first page: the organization's first word, then the rest below it.
  const [firstWord = '', ...restWords] = options.org.name.split(' ');
  const letterheadCss = restWords.length ? `${cssString(firstWord)} "\\A " ${cssString(restWords.join(' '))}` : cssString(firstWord);

  return {
    assets: fonts.assets,
    fingerprint: hash.digest('hex'),
    render(c, edition, assetBase) {
      if (edition === 'letter' && !c.data.parties) {
        throw new ImrError('MissingPartiesError', `${c.data.case} has no \`parties\`: the mailed letter cannot be rendered`, { hint: 'Add the parties block, or render the public edition.' });
      }
      const view = buildView(c, edition, options.org);
      // The public edition carries the letterhead in the first page's top margin; the
      // mailed letter has a full letterhead on its cover instead.
      const html = layouts[edition]({ ...view, css, fontFaces: fonts.css(assetBase), letterheadCss: edition === 'public' ? letterheadCss : '""', sectionHeading: edition === 'public' ? 'h1' : 'h2' });
      return { html: tidy(html), view };
    },
  };
}

/** Drops the blank lines templates leave behind; output stays byte-stable. */
export function tidy(html: string): string {
  // Each line without its trailing white space, blank lines dropped, each ended by `\n`.
  let out = '';
  for (let start = 0; start <= html.length; ) {
    const newline = html.indexOf('\n', start);
    const end = newline === -1 ? html.length : newline;
    const line = html.slice(start, end).trimEnd();
    if (line !== '') out += `${line}\n`;
    start = end + 1;
  }
  return out === '' ? '\n' : out;
}
