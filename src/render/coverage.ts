/**
 * Which characters the shipped fonts print: read from the font files the letters embed
 * (their `cmap` table), each limited to its subset's `unicode-range` as the letters'
 * `@font-face` rules are. A character is covered when every embedded face (Tinos and
 * Arimo, each weight and style) has a glyph for it, so it never comes from a system font.
 *
 * ```ts
 * const covered = fontCoverage();
 * covered(0x00e9); // true: é
 * covered(0xd55c); // false: 한
 * ```
 */
import { brotliDecompressSync } from 'node:zlib';
import { fontFaces } from './assets.js';
import { AssetError } from '../errors.js';

/** Parses `U+0000-00FF, U+0131` into [from, to] pairs. */
export function parseUnicodeRange(range: string): [number, number][] {
  return range.split(',').flatMap((part) => {
    const m = /^\s*U\+([0-9A-F]+)(?:-([0-9A-F]+))?\s*$/iu.exec(part);
    return m ? [[parseInt(m[1]!, 16), parseInt(m[2] ?? m[1]!, 16)] as [number, number]] : [];
  });
}

function base128(bytes: Uint8Array, at: { i: number }): number {
  let value = 0;
  for (let k = 0; k < 5; k++) {
    const b = bytes[at.i++]!;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) return value;
  }
  throw new AssetError('bad UIntBase128');
}

/** The `cmap` table of a WOFF2 font (the table directory walked, the Brotli stream decompressed). */
export function woff2Cmap(font: Uint8Array): DataView {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  if (view.getUint32(0) !== 0x774f4632) throw new AssetError('not a WOFF2 font');
  const numTables = view.getUint16(12);
  const compressed = view.getUint32(20);
  const at = { i: 48 };
  let offset = 0;
  let cmap: [number, number] | undefined;
  for (let t = 0; t < numTables; t++) {
    const flags = font[at.i++]!;
    const known = flags & 0x3f;
    if (known === 0x3f) at.i += 4;
    const version = (flags >> 6) & 3;
    const length = base128(font, at);
    const transformed = known === 10 || known === 11 ? version === 0 : version !== 0;
    const stored = transformed ? base128(font, at) : length;
    if (known === 0) cmap = [offset, length];
    offset += stored;
  }
  if (!cmap) throw new AssetError('no cmap table');
  const data = brotliDecompressSync(font.subarray(at.i, at.i + compressed));
  return new DataView(data.buffer, data.byteOffset + cmap[0], cmap[1]);
}

/** Code points with a glyph in a `cmap` table (formats 4 and 12, Windows Unicode subtables). */
export function cmapCodePoints(cmap: DataView): Set<number> {
  const out = new Set<number>();
  const count = cmap.getUint16(2);
  const subtables: { format: number; offset: number }[] = [];
  for (let k = 0; k < count; k++) {
    const platform = cmap.getUint16(4 + k * 8);
    const encoding = cmap.getUint16(6 + k * 8);
    const offset = cmap.getUint32(8 + k * 8);
    if (platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))) subtables.push({ format: cmap.getUint16(offset), offset });
  }
  const twelve = subtables.find((s) => s.format === 12);
  if (twelve) {
    const groups = cmap.getUint32(twelve.offset + 12);
    for (let g = 0; g < groups; g++) {
      const base = twelve.offset + 16 + g * 12;
      const start = cmap.getUint32(base);
      const end = cmap.getUint32(base + 4);
      const glyph = cmap.getUint32(base + 8);
      for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) out.add(c);
    }
    return out;
  }
  const four = subtables.find((s) => s.format === 4);
  if (!four) return out;
  const o = four.offset;
  const segs = cmap.getUint16(o + 6) / 2;
  const ends = o + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const rangeOffsets = deltas + segs * 2;
  for (let s = 0; s < segs; s++) {
    const end = cmap.getUint16(ends + s * 2);
    const start = cmap.getUint16(starts + s * 2);
    const delta = cmap.getInt16(deltas + s * 2);
    const ro = cmap.getUint16(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (ro === 0) glyph = (c + delta) & 0xffff;
      else {
        const g = cmap.getUint16(rangeOffsets + s * 2 + ro + (c - start) * 2);
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) out.add(c);
    }
  }
  return out;
}

let cached: ((codePoint: number) => boolean) | undefined;

/** Whether every embedded face prints `codePoint` from its own glyphs. Read once, then cached. */
export function fontCoverage(): (codePoint: number) => boolean {
  if (cached) return cached;
  const faces = new Map<string, Set<number>>();
  for (const face of fontFaces()) {
    const key = `${face.family} ${face.weight} ${face.style}`;
    const set = faces.get(key) ?? new Set<number>();
    const ranges = parseUnicodeRange(face.range);
    for (const c of cmapCodePoints(woff2Cmap(face.bytes))) if (ranges.some(([a, b]) => c >= a && c <= b)) set.add(c);
    faces.set(key, set);
  }
  const all = [...faces.values()];
  const covered = new Set([...all[0]!].filter((c) => all.every((s) => s.has(c))));
  cached = (c) => covered.has(c);
  return cached;
}
