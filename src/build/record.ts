/**
 * Stage 5 of a build, **record**: the manifest ledger. Pure: no file is read or written
 * here. The ledger indexes the manifest's letters by case, puts each built letter in
 * (`upsert`), and marks superseded revisions (`markSuperseded`) before the manifest is
 * written, last, by the build.
 */
import path from 'node:path';
import type { Manifest, ManifestFile, ManifestLetter } from '../publish/manifest.js';
import type { CaseInfo } from './compile.js';

/** The manifest's letters by case, so lookups do not scan 10,000 entries per letter. */
export class Ledger {
  private readonly byCase = new Map<string, ManifestLetter[]>();
  private readonly bySource = new Map<string, ManifestLetter[]>();

  constructor(letters: readonly ManifestLetter[]) {
    for (const l of letters) {
      this.byCase.set(l.case, [...(this.byCase.get(l.case) ?? []), l]);
      this.bySource.set(l.source, [...(this.bySource.get(l.source) ?? []), l]);
    }
  }

  ofCase(caseNumber: string): readonly ManifestLetter[] {
    return this.byCase.get(caseNumber) ?? [];
  }

  /** The entries recorded from the case file `source` (as the manifest writes it) when the build began. */
  ofSource(source: string): readonly ManifestLetter[] {
    return this.bySource.get(source) ?? [];
  }

  get(caseNumber: string, revision: number): ManifestLetter | undefined {
    return this.ofCase(caseNumber).find((l) => l.revision === revision);
  }

  /** Replaces (or adds) the entry of `entry.case` and `entry.revision`. */
  set(entry: ManifestLetter): void {
    const list = [...this.ofCase(entry.case).filter((l) => l.revision !== entry.revision), entry].sort((a, b) => a.revision - b.revision);
    this.byCase.set(entry.case, list);
  }

  /** Every letter, by case. */
  letters(): ManifestLetter[] {
    return [...this.byCase.values()].flat();
  }

  cases(): IterableIterator<ManifestLetter[]> {
    return this.byCase.values();
  }
}

/**
 * Puts a built letter into the ledger and returns the files no longer listed, to delete.
 * An issued (final) entry keeps every file it had and only gains editions; a draft's
 * files are replaced, except editions not built this time from the same content.
 */
export function upsert(ledger: Ledger, entry: ManifestLetter): string[] {
  const old = ledger.get(entry.case, entry.revision);
  if (!old) {
    ledger.set(entry);
    return [];
  }
  const keep = old.status === 'final' || (old.contentHash === entry.contentHash && old.inputsHash === entry.inputsHash);
  const kept = keep ? old.files.filter((f) => !entry.files.some((n) => n.path === f.path)) : [];
  const files = [...kept, ...entry.files];
  ledger.set(old.status === 'final' ? { ...old, contentHash: entry.contentHash, sourceSha256: entry.sourceSha256, hasParties: entry.hasParties, files } : { ...entry, files });
  return old.files.map((f) => f.path).filter((p) => !files.some((f) => f.path === p));
}

/** Sets `supersededBy` of each revision: the next issued (final) revision of its case, or null. */
export function markSuperseded(ledger: Ledger): void {
  for (const list of ledger.cases()) {
    for (const l of list) {
      const next = list.filter((o) => o.revision > l.revision && o.status === 'final').map((o) => o.revision);
      l.supersededBy = next.length ? Math.min(...next) : null;
    }
  }
}

/** The manifest with the ledger's letters, superseded revisions marked. */
export function recordLetters(manifest: Manifest, ledger: Ledger): Manifest {
  markSuperseded(ledger);
  manifest.letters = ledger.letters();
  return manifest;
}

/** A case file's path as the manifest records it: relative to the working folder, with `/`. */
export function sourcePath(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
}

export interface Made {
  /** The outcome the templates printed. */
  outcome: string;
  files: ManifestFile[];
  /** sha256 of the case file's bytes. */
  sourceSha256: string;
  inputsHash: string;
}

/** The manifest entry of a letter revision just built. */
export function letterEntry(c: CaseInfo, made: Made): ManifestLetter {
  const d = c.data;
  return {
    case: d.case,
    revision: d.revision,
    status: d.status,
    outcome: made.outcome,
    decisionDate: d.dates.decision,
    supersedes: d.revision > 1 ? d.revision - 1 : null,
    supersededBy: null,
    amends: d.amends ?? null,
    source: sourcePath(c.file),
    contentHash: c.contentHash,
    publicHash: c.publicHash,
    sourceSha256: made.sourceSha256,
    hasParties: d.parties !== undefined,
    inputsHash: made.inputsHash,
    files: made.files,
  };
}
