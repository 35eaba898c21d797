/**
 * Every PDF of `cases/` (both editions), checked with poppler and qpdf against the rules the
 * README lists under "Accessible, archival PDFs": the PDF/A-2B rules we claim, the
 * machine-checkable part of PDF/UA-1, and the fixes of issue 16 (artifacts, RoleMap, H1).
 * No PDF/A or PDF/UA validator runs here; each rule is tested on its own.
 *
 * The content-stream check reads the streams qpdf decompresses (`--qdf`) with its own
 * tokenizer (strings, names, dictionaries, arrays, operators), not the line-based rewrite of
 * src/print/artifacts.ts, so the two do not share a mistake.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/commands/build.js';
import { SLOW, projectInputs, root, setup } from './helpers.js';

let out: string;
let pdfs: string[] = [];

setup(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'imr-archival-'));
  const result = await build({ ...projectInputs, paths: [path.join(root, 'cases')], out });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  pdfs = result.manifest.letters.flatMap((l) => l.files.filter((f) => f.format === 'pdf').map((f) => path.join(out, f.path)));
  const cases = (await readdir(path.join(root, 'cases'))).filter((f) => f.endsWith('.md'));
  expect(pdfs.length).toBe(2 * cases.length);
}, SLOW);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
/** A command's stdout, stderr and exit status (poppler reports problems on stderr). */
function spawn3(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
const info = (file: string) => Object.fromEntries(run('pdfinfo', [file]).split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
/** `pdfinfo -struct`: the tag tree without its text (`-struct-text` takes seconds a file). */
const structOf = (file: string) => spawn3('pdfinfo', ['-struct', file]);
/** An object of the PDF, as qpdf shows it (streams: their dictionary). */
const show = (file: string, what: string) => run('qpdf', [`--show-object=${what}`, file]);
const catalogOf = (file: string) => show(file, /\/Root (\d+) 0 R/.exec(show(file, 'trailer'))![1]!);
/** The XMP packet, with XML's character entities decoded (so values compare with pdfinfo's). */
const xmpOf = (file: string) =>
  Buffer.from(run('pdfinfo', ['-meta', file]), 'latin1')
    .toString('utf8')
    .replace(/&(amp|lt|gt|quot);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e as 'amp']);

/** A content stream's tokens: operators and operands, strings and dictionaries skipped as units. */
function operators(content: string): { op: string; operands: string }[] {
  const ops: { op: string; operands: string }[] = [];
  let operands: string[] = [];
  const re = /\s+|%[^\n]*|\((?:\\[\s\S]|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|\/[^\s/\[\]()<>{}%]*|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'"*]+\d?\*?/g;
  let depthParen = 0;
  for (const m of content.matchAll(re)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('%')) continue;
    if (t === '(') depthParen++;
    if (/^[A-Za-z'"]/.test(t) && t !== 'true' && t !== 'false' && t !== 'null') {
      ops.push({ op: t, operands: operands.join(' ') });
      operands = [];
    } else operands.push(t);
  }
  expect(depthParen).toBe(0);
  return ops;
}

const PAINTING = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'Do', 'sh', 'BI']);

/** Each page's content stream, decompressed by qpdf. */
async function pageContents(file: string): Promise<string[]> {
  const qdf = path.join(out, `${path.basename(file)}.qdf`);
  run('qpdf', ['--qdf', '--object-streams=disable', file, qdf]);
  const text = (await readFile(qdf)).toString('latin1');
  return [...text.matchAll(/%% Contents for page \d+\n%% Original object ID: \d+ \d+\n\d+ 0 obj\n<<[\s\S]*?>>\nstream\n([\s\S]*?)\nendstream/g)].map((m) => m[1]!);
}

describe('accessible PDFs (PDF/UA-1, the machine-checkable part)', () => {
  it('every painting operator is inside tagged content or an artifact; the margin boxes are artifacts', async () => {
    for (const file of pdfs) {
      const pages = await pageContents(file);
      expect(pages.length, file).toBe(Number(info(file).Pages));
      for (const [n, content] of pages.entries()) {
        let depth = 0;
        let artifacts = 0;
        for (const { op, operands } of operators(content)) {
          if (op === 'BDC' || op === 'BMC') {
            depth++;
            if (op === 'BMC' && operands === '/Artifact') artifacts++;
          } else if (op === 'EMC') depth--;
          else if (PAINTING.has(op)) expect(depth, `${file} page ${n + 1}: \`${op}\` outside marked content`).toBeGreaterThan(0);
        }
        expect(depth).toBe(0);
        // At least the footer "Page X of Y" on every page.
        expect(artifacts, `${file} page ${n + 1}`).toBeGreaterThan(0);
      }
    }
  });

  it('poppler reads the whole tag tree: no structure type it rejects (Strong is role-mapped), every word tagged', () => {
    for (const file of pdfs) {
      const r = structOf(file);
      expect(r.stderr, file).not.toMatch(/wrong type|Syntax Error/);
      const roleMap = show(file, /\/StructTreeRoot (\d+) 0 R/.exec(catalogOf(file))![1]!);
      expect(roleMap).toMatch(/\/RoleMap << [^>]*\/Strong \/Span/);
    }
    // With its text (slow, so one letter): the bold labels, dropped before, are in the tree.
    const letter = pdfs.find((f) => f.endsWith('-letter.pdf'))!;
    const r = spawn3('pdfinfo', ['-struct-text', letter]);
    expect(r.stderr).not.toMatch(/wrong type|Syntax Error/);
    expect(r.stdout).toMatch(/Span \(inline\)\n\s+NonStruct\n\s+"Decision rationale:"/);
  }, SLOW);

  it('the public edition has H1s (the section headings), the mailed letter an H1 then H2s; no level skipped', () => {
    for (const file of pdfs) {
      const headings = [...structOf(file).stdout.matchAll(/^\s*(H\d)\b/gm)].map((m) => Number(m[1]!.slice(1)));
      expect(headings[0], file).toBe(1);
      for (let i = 1; i < headings.length; i++) expect(headings[i]! - headings[i - 1]!, file).toBeLessThanOrEqual(1);
      if (file.endsWith('-public.pdf')) expect(headings).toEqual([1, 1, 1]);
    }
  });

  it('is marked tagged, has /Lang, shows its title, and identifies itself as PDF/UA-1 in XMP', () => {
    for (const file of pdfs) {
      const catalog = catalogOf(file);
      expect(catalog).toMatch(/\/MarkInfo << \/Marked true/);
      expect(catalog).toMatch(/\/Lang \(en-US\)/);
      expect(catalog).toMatch(/\/ViewerPreferences << \/DisplayDocTitle true/);
      const xmp = xmpOf(file);
      expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
      expect(xmp).toContain(`<rdf:li xml:lang="x-default">${info(file).Title}</rdf:li>`);
    }
  });

  it('every font is embedded and maps to Unicode', () => {
    for (const file of pdfs) {
      const rows = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row, file).toMatch(/\byes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
    }
  });

  it('header cells carry a scope', () => {
    for (const file of pdfs) {
      const text = structOf(file).stdout;
      const th = text.match(/^\s*TH\b/gm)?.length ?? 0;
      expect(th).toBeGreaterThan(0);
      expect(text.match(/\/Scope \/(Row|Column|Both)/g)?.length).toBe(th);
    }
  });
});

describe('archival PDFs: the PDF/A-2B rules claimed (ISO 19005-2)', () => {
  it('6.1.2 header: %PDF-1.n (n ≤ 7) at byte 0, then a comment of 4 bytes above 127', async () => {
    for (const file of pdfs) {
      const head = (await readFile(file)).subarray(0, 15);
      expect(head.subarray(0, 9).toString('latin1')).toMatch(/^%PDF-1\.[0-7]\n$/);
      expect(head[9]).toBe(0x25);
      expect([...head.subarray(10, 14)].every((b) => b > 127)).toBe(true);
    }
  });

  it('6.1.3 trailer: an /ID, no /Encrypt; nothing after the last %%EOF but an end of line', async () => {
    for (const file of pdfs) {
      const trailer = show(file, 'trailer');
      expect(trailer).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/);
      expect(trailer).not.toContain('/Encrypt');
      expect((await readFile(file)).toString('latin1')).toMatch(/%%EOF\n$/);
      expect(info(file).Encrypted).toBe('no');
    }
  });

  it('6.1.4 / 6.1.7 cross-reference and streams: qpdf finds no syntax or stream error; no external streams', async () => {
    for (const file of pdfs) {
      const r = spawn3('qpdf', ['--check', file]);
      expect(r.status, `${file}\n${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/WARNING/);
      const text = (await readFile(file)).toString('latin1');
      expect(text).not.toMatch(/\/(FFilter|FDecodeParms)\b/);
    }
  });

  it('6.2.3 output intent: GTS_PDFA1 with an RGB display ICC profile; device colour is RGB or gray only', async () => {
    for (const file of pdfs) {
      const catalog = catalogOf(file);
      const m = /\/OutputIntents \[ << \/DestOutputProfile (\d+) 0 R \/Info \(sRGB IEC61966-2\.1\) \/OutputConditionIdentifier \(sRGB IEC61966-2\.1\) \/S \/GTS_PDFA1 \/Type \/OutputIntent >> \]/.exec(catalog);
      expect(m, catalog).not.toBeNull();
      expect(show(file, m![1]!)).toMatch(/\/N 3\b/);
      const icc = Buffer.from(run('qpdf', [`--show-object=${m![1]}`, '--filtered-stream-data', file]), 'latin1');
      expect(icc.readUInt32BE(0)).toBe(icc.length);
      expect(icc.subarray(12, 24).toString('latin1')).toBe('mntrRGB XYZ ');
      expect(icc.subarray(36, 40).toString('latin1')).toBe('acsp');
      for (const content of await pageContents(file)) {
        const ops = new Set(operators(content).map((o) => o.op));
        for (const cmyk of ['k', 'K', 'cs', 'CS', 'sc', 'SC', 'scn', 'SCN']) expect(ops.has(cmyk), `${file}: ${cmyk}`).toBe(false);
      }
    }
  });

  it('6.2.5 / 6.2.10 graphics state: no transfer functions, halftones or non-standard blend modes', async () => {
    for (const file of pdfs) {
      const text = run('qpdf', ['--qdf', '--object-streams=disable', file, '-']);
      expect(text).not.toMatch(/\/(TR2?|HTP|HTO)\s+(\d+ \d+ R|\/(Identity|Default)\b|\[|<<)/);
      for (const bm of text.matchAll(/\/BM \/(\w+)/g)) expect(['Normal', 'Compatible', 'Multiply', 'Screen', 'Overlay', 'Darken', 'Lighten', 'ColorDodge', 'ColorBurn', 'HardLight', 'SoftLight', 'Difference', 'Exclusion', 'Hue', 'Saturation', 'Color', 'Luminosity']).toContain(bm[1]);
    }
  });

  it('6.2.11.4 fonts: every font program embedded (pdffonts)', () => {
    for (const file of pdfs) for (const row of run('pdffonts', [file]).split('\n').slice(2).filter(Boolean)) expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes/);
  });

  it('6.1.9 / 6.1.13 / 6.3 / 6.6.1: no JavaScript, embedded files, actions, optional content; annotations print', () => {
    for (const file of pdfs) {
      expect(info(file).JavaScript).toBe('no');
      const text = run('qpdf', ['--qdf', '--object-streams=disable', file, '-']);
      expect(text).not.toMatch(/\/(JavaScript|JS|EmbeddedFile|EmbeddedFiles|Launch|OCProperties|OpenAction)\b/);
      expect(catalogOf(file)).not.toMatch(/\/AA\b/);
      for (const annot of text.matchAll(/<<[^]*?\/Type \/Annot[^]*?>>/g)) expect(annot[0]).toMatch(/\/F (4|[0-9]*[4567])\b/);
    }
  });

  it('6.6.2 metadata: an uncompressed XMP stream with pdfaid 2/B and the extension schema for pdfuaid; the information dictionary equals it', () => {
    for (const file of pdfs) {
      const metadata = show(file, /\/Metadata (\d+) 0 R/.exec(catalogOf(file))![1]!);
      expect(metadata).toMatch(/\/Subtype \/XML/);
      expect(metadata).toMatch(/\/Type \/Metadata/);
      expect(metadata).not.toMatch(/\/Filter/);
      const xmp = xmpOf(file);
      expect(xmp).toMatch(/^<\?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"\?>/);
      expect(xmp).not.toMatch(/<\?xpacket[^>]*(bytes|encoding)=/);
      expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
      expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
      expect(xmp).toContain('<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>');
      const i = run('pdfinfo', ['-isodates', file]);
      const field = (k: string) => new RegExp(`^${k}:\\s+(.*)$`, 'm').exec(i)![1]!;
      expect(xmp).toContain(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${field('Subject')}</rdf:li>`);
      expect(xmp).toContain(`<pdf:Keywords>${field('Keywords')}</pdf:Keywords>`);
      expect(xmp).toContain(`<pdf:Producer>${field('Producer')}</pdf:Producer>`);
      expect(xmp).toContain(`<xmp:CreatorTool>${field('Creator')}</xmp:CreatorTool>`);
      expect(xmp).toContain(`<xmp:CreateDate>${field('CreationDate').replace(/\+00$|\+00:00$/, 'Z')}</xmp:CreateDate>`);
      expect(xmp).toContain(`<xmp:ModifyDate>${field('ModDate').replace(/\+00$|\+00:00$/, 'Z')}</xmp:ModifyDate>`);
    }
  });
});

