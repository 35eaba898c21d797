/**
 * The fonts letters embed, from npm (@fontsource/tinos: Times New Roman metrics;
 * @fontsource/arimo: Arial metrics). Each is published under a name carrying its
 * content hash, so a letter issued with one font file keeps it even after an update.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AssetError } from '../errors.js';

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

type Subset = 'latin' | 'latin-ext';

/**
 * Unicode ranges of fontsource's `latin` and `latin-ext` subsets, read from the
 * package's `unicode.json` (the ranges its own CSS uses), written `U+0000-00FF, U+0131`.
 */
function subsetRanges(pkgDir: string): Record<Subset, string> {
  const json = JSON.parse(readFileSync(path.join(pkgDir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const range = (s: Subset) => {
    if (typeof json[s] !== 'string') throw new AssetError(`${pkgDir}/unicode.json has no \`${s}\` range`);
    return json[s].split(',').map((r) => r.trim()).join(', ');
  };
  return { latin: range('latin'), 'latin-ext': range('latin-ext') };
}

/** An embedded font file and the `@font-face` it is used under. */
export interface FontFace {
  family: string;
  weight: number;
  style: string;
  range: string;
  bytes: Buffer;
}

export interface FontSet {
  assets: Asset[];
  /** `@font-face` rules; `{{base}}` stands for the relative path to `assets/`. */
  css(base: string): string;
}

let cached: FontSet | undefined;
let faces: FontFace[] = [];

/** The font files letters embed, with the unicode range each is used for. */
export function fontFaces(): readonly FontFace[] {
  loadFonts();
  return faces;
}

export function loadFonts(): FontSet {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const assets: Asset[] = [];
  const rules: { family: string; weight: number; style: string; name: string; range: string }[] = [];
  for (const font of FONTS) {
    const pkgDir = path.dirname(require.resolve(`${font.pkg}/package.json`));
    const dir = path.join(pkgDir, 'files');
    const ranges = subsetRanges(pkgDir);
    for (const subset of ['latin-ext', 'latin'] as const) {
      const file = `${font.family.toLowerCase()}-${subset}-${font.weight}-${font.style}.woff2`;
      const bytes = readFileSync(path.join(dir, file));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const name = `fonts/${file.replace(/\.woff2$/, '')}-${sha256.slice(0, 10)}.woff2`;
      assets.push({ name, bytes, sha256 });
      rules.push({ family: font.family, weight: font.weight, style: font.style, name, range: ranges[subset] });
      faces.push({ family: font.family, weight: font.weight, style: font.style, range: ranges[subset], bytes });
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
