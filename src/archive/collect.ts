/**
 * Which letters go into the archive: the final revisions of `out/manifest.json` that
 * have a public edition. Drafts never do. The latest final revision of a case is the
 * one search lists; earlier final revisions get a page too, marked superseded. Pure.
 */
import type { Manifest, ManifestLetter } from '../publish/manifest.js';
import type { PublicFacts } from '../render/facts.js';
import { CASE_NUMBER } from '../schema/case.js';
import { ArchiveError } from '../errors.js';

export interface ArchiveRevision {
  revision: number;
  decisionDate: string;
  outcome: string;
}

export interface ArchiveLetter {
  case: string;
  revision: number;
  decisionDate: string;
  outcome: string;
  amends: string | null;
  /** The latest final revision of its case: listed by search. */
  current: boolean;
  /** The next final revision, for a superseded one. */
  supersededBy: number | null;
  /** Every final revision of the case, oldest first (this one included). */
  revisions: ArchiveRevision[];
  /** The public edition's HTML, relative to the output folder. */
  html: string;
  /** Its sha256 as `out/manifest.json` records it (part of the key of the letter's archive page). */
  htmlSha256?: string;
  /** The public edition's PDF, when it was printed. */
  pdf: { path: string; bytes: number; pages: number | null; signed: boolean; sha256?: string } | null;
  /** The public facts JSON beside the edition, when the build wrote one. */
  factsPath: string | null;
  /** The public facts, from the JSON or from the case file (see `archive`). */
  facts: PublicFacts | undefined;
}

/** `letters/CM16-0213037/v1/`: a letter's page in the archive, by case number and revision only. */
export function letterUrl(caseNumber: string, revision: number): string {
  if (!CASE_NUMBER.test(caseNumber) || !Number.isInteger(revision) || revision < 1) {
    throw new ArchiveError(`Not a letter: case ${JSON.stringify(caseNumber)} revision ${revision}`);
  }
  return `letters/${caseNumber}/v${revision}/`;
}

export const byCaseAndRevision = (a: { case: string; revision: number }, b: { case: string; revision: number }): number =>
  a.case < b.case ? -1 : a.case > b.case ? 1 : a.revision - b.revision;

/**
 * The final, public letters of a manifest, sorted by case and revision. `factsOf` gives
 * the public facts of a revision when they are known (from its JSON or its case file).
 */
export function collectLetters(manifest: Manifest, factsOf: (l: ManifestLetter) => PublicFacts | undefined = () => undefined): ArchiveLetter[] {
  const finals = manifest.letters
    .filter((l) => l.status === 'final' && CASE_NUMBER.test(l.case) && l.files.some((f) => f.edition === 'public' && f.format === 'html'))
    .sort(byCaseAndRevision);
  const byCase = new Map<string, ManifestLetter[]>();
  for (const l of finals) byCase.set(l.case, [...(byCase.get(l.case) ?? []), l]);
  return finals.map((l) => {
    const family = byCase.get(l.case)!;
    const latest = family[family.length - 1]!;
    const next = family.find((o) => o.revision > l.revision);
    const html = l.files.find((f) => f.edition === 'public' && f.format === 'html')!;
    const pdf = l.files.find((f) => f.edition === 'public' && f.format === 'pdf');
    const json = l.files.find((f) => f.edition === 'public' && f.format === 'json');
    return {
      case: l.case,
      revision: l.revision,
      decisionDate: l.decisionDate,
      outcome: l.outcome,
      amends: l.amends,
      current: l === latest,
      supersededBy: next ? next.revision : null,
      revisions: family.map((o) => ({ revision: o.revision, decisionDate: o.decisionDate, outcome: o.outcome })),
      html: html.path,
      htmlSha256: html.sha256,
      pdf: pdf ? { path: pdf.path, bytes: pdf.bytes, pages: pdf.pages, signed: pdf.signed === true, sha256: pdf.sha256 } : null,
      factsPath: json ? json.path : null,
      facts: factsOf(l),
    };
  });
}

/** The letters search lists, newest decision first (then by case number). */
export function listedLetters(letters: readonly ArchiveLetter[]): ArchiveLetter[] {
  return letters
    .filter((l) => l.current)
    .sort((a, b) => (a.decisionDate !== b.decisionDate ? (a.decisionDate < b.decisionDate ? 1 : -1) : a.case < b.case ? -1 : a.case > b.case ? 1 : 0));
}
