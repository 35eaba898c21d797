/**
 * `imr-letters diff <case> [--from REV] [--to REV] [--edition letter|public]`
 *
 * What changed between two revisions of a letter, as its reader sees it: a word diff
 * of the letter's reading text in the terminal (or as Markdown), and a redline (HTML,
 * printed to PDF) with insertions underlined and deletions struck through. By default,
 * from the last issued revision to the working copy. See `src/diff/revisions.ts` for
 * where each side comes from.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createRenderer, type Renderer } from '../render/index.js';
import type { Edition } from '../render/model.js';
import { loadFonts } from '../render/assets.js';
import { parseLetter } from '../diff/blocks.js';
import { compareBlocks, type Comparison } from '../diff/compare.js';
import { formatMarkdown, formatText, redlineHtml, type Header } from '../diff/output.js';
import { defaultFrom, DiffError, gitFile, resolveSide, revisionOf, sideHtml, workingSide, type ResolveContext, type Side } from '../diff/revisions.js';
import { Printer } from '../print/printer.js';
import { letterDate, pinMetadata } from '../print/metadata.js';
import { writeAtomic } from '../publish/files.js';
import { changesIssued, issuedChangedMessage } from '../publish/issued.js';
import { readFile } from 'node:fs/promises';

export { DiffError };

export type DiffFormat = 'text' | 'markdown';

export interface DiffOptions {
  /** The case file. */
  file: string;
  /** `vN`, `working` or a git revision (default: the last issued revision). */
  from?: string;
  /** The same (default `working`). */
  to?: string;
  /** Default: the mailed letter when both sides have parties, else the public edition. */
  edition?: Edition;
  /** The build's output folder, where issued letters are (default `out`). */
  out?: string;
  /** Where the redline goes (default `<out>/redline`); undefined with `html: false`. */
  redlineDir?: string;
  /** Write the redline HTML (default true). */
  html?: boolean;
  /** Print the redline to PDF (default true; needs `html`). */
  pdf?: boolean;
  /** Render issued revisions from their source too, with the current templates (default false). */
  rerender?: boolean;
  config?: string;
  templates?: string;
  styles?: string;
  format?: DiffFormat;
  color?: boolean;
  /** A printer to reuse (diffing several cases); started and closed here otherwise. */
  printer?: Printer;
  renderer?: Renderer;
}

export interface DiffResult {
  header: Header;
  comparison: Comparison;
  /** The terminal text or the Markdown. */
  report: string;
  htmlFile: string | undefined;
  pdfFile: string | undefined;
}


const ASSET_BASE = 'assets/';

export async function diffCase(options: DiffOptions): Promise<DiffResult> {
  const out = options.out ?? 'out';
  const ctx: ResolveContext = { file: options.file, out, rerender: options.rerender === true };
  const renderer = options.renderer ?? (await createRenderer({ org: (await loadConfig(options.config)).organization, templates: options.templates, styles: options.styles }));

  // The case number, even when the working copy does not check (it may not be a side).
  const workingText = await readFile(options.file, 'utf8').catch((cause: unknown) => {
    throw new DiffError(`Cannot read ${options.file}`, { cause });
  });
  const caseNumber = revisionOf(workingText).caseNumber;
  if (!caseNumber) throw new DiffError(`${options.file} has no \`case:\` with an IMR case number`, { hint: 'Run imr-letters check on it.' });

  const toSpec = options.to ?? 'working';
  const to = toSpec === 'working' ? await workingSide(ctx) : await resolveSide(ctx, toSpec, caseNumber);
  const from = options.from
    ? await resolveSide(ctx, options.from, caseNumber)
    : await defaultFrom(ctx, caseNumber, to.revision ?? revisionOf(workingText).revision ?? Number.MAX_SAFE_INTEGER);

  const edition = options.edition ?? (has(from, 'letter') && has(to, 'letter') ? 'letter' : 'public');
  const fromHtml = sideHtml(from, edition, renderer, ASSET_BASE);
  const toHtml = sideHtml(to, edition, renderer, ASSET_BASE);
  if (fromHtml === undefined || toHtml === undefined) {
    const which = fromHtml === undefined ? from : to;
    throw new DiffError(`${which.name} has no ${edition === 'letter' ? 'mailed letter' : 'public edition'} to compare`, { hint: 'Pass --edition public (the mailed letter needs `parties`).' });
  }
  const a = parseLetter(fromHtml);
  const b = parseLetter(toHtml);
  const comparison = compareBlocks(a.blocks, b.blocks);
  // An issued revision changed without a new revision: `check --issued` and `build` refuse it; say so here too.
  const changedInPlace = from.issued && to.case && from.revision === to.revision && changesIssued(from.issued, to.case);
  const header: Header = {
    caseNumber,
    edition: edition === 'letter' ? 'mailed letter' : 'public edition',
    from: { name: from.name, detail: from.detail },
    to: { name: to.name, detail: to.detail },
    ...(changedInPlace ? { warning: { rule: 'issued-revision-changed', message: issuedChangedMessage(caseNumber, to.revision!) } } : {}),
  };
  const report = options.format === 'markdown' ? formatMarkdown(comparison, header) : formatText(comparison, header, { color: options.color });

  let htmlFile: string | undefined;
  let pdfFile: string | undefined;
  if (options.html !== false) {
    const dir = options.redlineDir ?? path.join(out, 'redline');
    const base = `${caseNumber}-${slug(from.name)}-${slug(to.name)}-${edition}`;
    const html = embedFonts(redlineHtml(comparison, b, header));
    htmlFile = path.join(dir, `${base}.html`);
    await writeAtomic(dir, `${base}.html`, html);
    if (options.pdf !== false) {
      const printer = options.printer ?? (await Printer.start({ pages: 1 }));
      try {
        const printed = await printer.print({ path: `redline/${base}.html`, html, files: new Map() });
        const decision = to.case?.data.dates.decision ?? from.case?.data.dates.decision;
        const pinned = pinMetadata(printed.pdf, {
          title: `Redline: ${caseNumber}, ${from.name} → ${to.name}`,
          subject: `What changed in the ${header.edition} of IMR case ${caseNumber} from ${from.name} to ${to.name}`,
          keywords: ['IMR', caseNumber, 'redline'],
          date: decision ? letterDate(decision) : new Date(0),
          creator: 'imr-letters diff',
        });
        pdfFile = path.join(dir, `${base}.pdf`);
        await writeAtomic(dir, `${base}.pdf`, pinned.bytes);
      } finally {
        if (!options.printer) await printer.close();
      }
    }
  }
  return { header, comparison, report, htmlFile, pdfFile };
}

function has(side: Side, edition: Edition): boolean {
  if (side.issuedHtml) return side.issuedHtml[edition] !== undefined;
  return edition !== 'letter' || side.case?.data.parties !== undefined;
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'rev';
}

/** Fonts as data: URLs, so the redline is one self-contained file (and prints offline). */
export function embedFonts(html: string): string {
  const assets = loadFonts().assets;
  const byName = new Map(assets.map((a) => [a.name, a] as const));
  const byStem = new Map(assets.map((a) => [a.name.replace(/-[0-9a-f]{10}\.woff2$/, ''), a] as const));
  return html.replace(/url\(([^)]*?)(fonts\/[^)/]+\.woff2)\)/g, (whole, _base: string, name: string) => {
    const asset = byName.get(name) ?? byStem.get(name.replace(/-[0-9a-f]{10}\.woff2$/, ''));
    return asset ? `url(data:font/woff2;base64,${asset.bytes.toString('base64')})` : whole;
  });
}

const run = promisify(execFile);

/** Case files under `paths` that differ between git revision `rev` and the working tree. */
export async function changedCaseFiles(rev: string, paths: readonly string[] = ['cases']): Promise<{ changed: string[]; added: string[] }> {
  const first = paths[0] ?? 'cases';
  const g = await gitFile(existsSync(first) ? first : '.');
  if (!g) throw new DiffError('--changed-since needs a git repository');
  let stdout: string;
  try {
    ({ stdout } = await run('git', ['diff', '--name-status', '--no-renames', rev, '--', ...paths.map((p) => path.resolve(p))], { cwd: g.top, encoding: 'utf8' }));
  } catch (cause) {
    throw new DiffError(`Cannot list the files changed since ${JSON.stringify(rev)}`, { cause, hint: 'Is it a branch, tag or commit of this repository (fetched)?' });
  }
  const changed: string[] = [];
  const added: string[] = [];
  for (const line of stdout.split('\n')) {
    const [status, file] = line.split('\t');
    if (!status || !file || !file.endsWith('.md')) continue;
    const local = path.relative(process.cwd(), path.join(g.top, file));
    if (status.startsWith('M')) changed.push(local);
    else if (status.startsWith('A')) added.push(local);
  }
  return { changed: changed.sort(), added: added.sort() };
}
