/** What can be read of a PDF's bytes without a PDF library: its strings. Pure. */

/** The PDF's hex strings, decoded: UTF-16BE when they start with a byte order mark, else Latin-1. */
export function hexStrings(raw: string): string {
  const out: string[] = [];
  for (const m of raw.matchAll(/<([0-9A-Fa-f\s]{4,})>/g)) {
    const hex = m[1]!.replace(/\s+/g, '');
    if (hex.length % 2) continue;
    const bytes = Buffer.from(hex, 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      const swapped = Buffer.from(bytes.subarray(2));
      swapped.swap16();
      out.push(swapped.toString('utf16le'));
    } else out.push(bytes.toString('latin1'));
  }
  return out.join('\n');
}
