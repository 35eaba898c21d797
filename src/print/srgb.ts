/**
 * An sRGB ICC profile (IEC 61966-2.1), built from the standard's numbers rather than shipped
 * as a binary: ICC version 2.1, display class, RGB data, XYZ connection space, D50 white,
 * the sRGB primaries adapted to D50 (Bradford), and the sRGB tone curve sampled at 1,024
 * points. This is the shape of the widely used "sRGB IEC61966-2.1" matrix/TRC profile, and
 * what a PDF/A output intent needs for Chromium's DeviceRGB colours. Pure and deterministic.
 */

/** The description the profile and the output intent carry. */
export const SRGB_NAME = 'sRGB IEC61966-2.1';

const s15f16 = (v: number): number => Math.round(v * 65536);

function xyzTag(x: number, y: number, z: number): Buffer {
  const b = Buffer.alloc(20);
  b.write('XYZ ', 0, 'latin1');
  b.writeInt32BE(s15f16(x), 8);
  b.writeInt32BE(s15f16(y), 12);
  b.writeInt32BE(s15f16(z), 16);
  return b;
}

function curveTag(points: number): Buffer {
  const b = Buffer.alloc(12 + 2 * points);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(points, 8);
  for (let i = 0; i < points; i++) {
    const v = i / (points - 1);
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    b.writeUInt16BE(Math.round(linear * 65535), 12 + 2 * i);
  }
  return b;
}

function descTag(text: string): Buffer {
  // textDescriptionType: ASCII count and text (with NUL), then empty Unicode and ScriptCode parts.
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const b = Buffer.alloc(12 + ascii.length + 4 + 4 + 2 + 1 + 67);
  b.write('desc', 0, 'latin1');
  b.writeUInt32BE(ascii.length, 8);
  ascii.copy(b, 12);
  return b;
}

function textTag(text: string): Buffer {
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const b = Buffer.alloc(8 + ascii.length);
  b.write('text', 0, 'latin1');
  ascii.copy(b, 8);
  return b;
}

const pad4 = (b: Buffer): Buffer => (b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b);

/** The profile's bytes. */
export function srgbProfile(): Buffer {
  const trc = curveTag(1024);
  const tags: [string, Buffer][] = [
    ['desc', descTag(SRGB_NAME)],
    ['cprt', textTag('No copyright, use freely')],
    ['wtpt', xyzTag(0.9642, 1, 0.8249)],
    ['rXYZ', xyzTag(0.4360747, 0.2225045, 0.0139322)],
    ['gXYZ', xyzTag(0.3850649, 0.7168786, 0.0971045)],
    ['bXYZ', xyzTag(0.1430804, 0.0606169, 0.7141733)],
    ['rTRC', trc],
    ['gTRC', trc],
    ['bTRC', trc],
  ];
  const table = Buffer.alloc(4 + 12 * tags.length);
  table.writeUInt32BE(tags.length, 0);
  const data: Buffer[] = [];
  let offset = 128 + table.length;
  const placed = new Map<Buffer, number>();
  tags.forEach(([sig, body], i) => {
    let at = placed.get(body);
    if (at === undefined) {
      at = offset;
      placed.set(body, at);
      const padded = pad4(body);
      data.push(padded);
      offset += padded.length;
    }
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(at, 8 + 12 * i);
    table.writeUInt32BE(body.length, 12 + 12 * i);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntrRGB XYZ ', 12, 'latin1');
  // Creation date: 1999-01-01 (fixed, so the bytes never change).
  [1999, 1, 1, 0, 0, 0].forEach((v, i) => header.writeUInt16BE(v, 24 + 2 * i));
  header.write('acsp', 36, 'latin1');
  header.writeInt32BE(s15f16(0.9642), 68);
  header.writeInt32BE(s15f16(1), 72);
  header.writeInt32BE(s15f16(0.8249), 76);
  return Buffer.concat([header, table, ...data]);
}
