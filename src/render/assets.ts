/**
 * The fonts letters embed, from npm (@fontsource/tinos: Times New Roman metrics;
 * @fontsource/arimo: Arial metrics). Each is published under a name carrying its
 * content hash, so a letter issued with one font file keeps it even after an update.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Asset {
  /** Path under the output's `assets/` folder, e.g. `fonts/tinos-latin-400-normal-1a2b3c4d.woff2`. */
  name: string;
  bytes: Buffer;
  sha256: string;
}

interface FontSpec {
  family: 'Tinos' | 'Arimo';
  pkg: string;
  weight: 400 | 700;
  style: 'normal' | 'italic';
}

const FONTS: FontSpec[] = [
  { family: 'Tinos', pkg: '@fontsource/tinos', weight: 400, style: 'normal' },
  { family: 'Tinos', pkg: '@fontsource/tinos', weight: 700, style: 'normal' },
  { family: 'Tinos', pkg: '@fontsource/tinos', weight: 400, style: 'italic' },
  { family: 'Tinos', pkg: '@fontsource/tinos', weight: 700, style: 'italic' },
  { family: 'Arimo', pkg: '@fontsource/arimo', weight: 400, style: 'normal' },
  { family: 'Arimo', pkg: '@fontsource/arimo', weight: 700, style: 'normal' },
];

/** Unicode ranges of fontsource's `latin` and `latin-ext` subsets. */
const SUBSETS: Record<'latin' | 'latin-ext', string> = {
  latin: 'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD',
  'latin-ext': 'U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF',
};

export interface FontSet {
  assets: Asset[];
  /** `@font-face` rules; `{{base}}` stands for the relative path to `assets/`. */
  css(base: string): string;
}

let cached: FontSet | undefined;

export function loadFonts(): FontSet {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const assets: Asset[] = [];
  const rules: { family: string; weight: number; style: string; name: string; range: string }[] = [];
  for (const font of FONTS) {
    const dir = path.join(path.dirname(require.resolve(`${font.pkg}/package.json`)), 'files');
    for (const subset of ['latin-ext', 'latin'] as const) {
      const file = `${font.family.toLowerCase()}-${subset}-${font.weight}-${font.style}.woff2`;
      const bytes = readFileSync(path.join(dir, file));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const name = `fonts/${file.replace(/\.woff2$/, '')}-${sha256.slice(0, 10)}.woff2`;
      assets.push({ name, bytes, sha256 });
      rules.push({ family: font.family, weight: font.weight, style: font.style, name, range: SUBSETS[subset] });
    }
  }
  cached = {
    assets,
    css: (base) =>
      rules
        .map((r) => `@font-face{font-family:${r.family};font-style:${r.style};font-weight:${r.weight};font-display:block;src:url(${base}${r.name}) format("woff2");unicode-range:${r.range}}`)
        .join('\n'),
  };
  return cached;
}
