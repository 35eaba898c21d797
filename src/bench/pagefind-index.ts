/**
 * The bench's comparison (issue 13): today's Pagefind build, the archive's search before
 * the SQLite shards. A Pagefind index of the listed letters, built with Pagefind's Node
 * API (one custom record per letter: its text, its filters, and what a result shows),
 * returned in memory so the archive checks it for confidential values as it writes it.
 *
 * Records are added in the order given: Pagefind numbers pages in that order, and
 * results without words come back in it. Only the files the search page uses are
 * kept: `pagefind.js` (and its worker), the entry, the metadata, the English
 * WebAssembly, and the index, filter and fragment chunks; Pagefind's own UI bundles
 * are left out.
 */
import * as pagefind from 'pagefind';
import { ArchiveError } from '../errors.js';

export interface SearchRecord {
  /** Relative to the archive's root, e.g. `letters/CM16-0213037/v1/`. */
  url: string;
  content: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

export interface BundleFile {
  /** Relative to the bundle folder, `/`-separated. */
  path: string;
  bytes: Uint8Array;
}

export interface SearchIndex {
  /** Queues a record (added in call order, while the caller goes on). */
  add(record: SearchRecord): void;
  /** Waits for every record, then returns the bundle's files, sorted by path. */
  finish(): Promise<BundleFile[]>;
  /** Stops Pagefind without a bundle. */
  abort(): Promise<void>;
}

const KEEP = [/^pagefind\.js$/, /^pagefind-worker\.js$/, /^pagefind-entry\.json$/, /^pagefind\.[a-z_0-9-]+\.pf_meta$/, /^wasm\.en\.pagefind$/, /^(index|filter|fragment)\/[^/]+\.pf_(index|filter|fragment)$/];

/** Records sent to Pagefind before waiting for its answers: enough to keep it busy while pages are rendered. */
const IN_FLIGHT = 16;

/** Ends Pagefind's service (after every index is finished). */
export async function closePagefind(): Promise<void> {
  await pagefind.close().catch(() => undefined);
}

export async function openSearchIndex(): Promise<SearchIndex> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  if (!index) throw new ArchiveError(`Pagefind could not start: ${errors.join('; ')}`);
  // Pagefind's service reads its requests in order and numbers pages as it reads them,
  // so several in flight keep the order (and the bundle's bytes) of one at a time.
  const inFlight = new Set<Promise<void>>();
  const queue: SearchRecord[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const send = (r: SearchRecord) => {
    const p: Promise<void> = index
      .addCustomRecord({ url: r.url, content: r.content, language: 'en', meta: r.meta, filters: r.filters })
      .then((added) => {
        if (added.errors.length) failure ??= new ArchiveError(`Pagefind refused ${r.url}: ${added.errors.join('; ')}`);
      })
      .catch((error: unknown) => {
        failure ??= error as Error;
      })
      .finally(() => {
        inFlight.delete(p);
        pump();
        wake?.();
      });
    inFlight.add(p);
  };
  const pump = () => {
    while (inFlight.size < IN_FLIGHT && queue.length) send(queue.shift()!);
  };
  const drain = async () => {
    while (queue.length || inFlight.size) await new Promise<void>((resolve) => (wake = resolve));
  };
  // The index only: other indexes of the service go on (one per year); `closePagefind` ends it.
  const close = async () => {
    await index.deleteIndex().catch(() => undefined);
  };
  return {
    add(r) {
      queue.push(r);
      pump();
    },
    async finish() {
      try {
        await drain();
        if (failure) throw failure;
        const got = await index.getFiles();
        if (got.errors.length) throw new ArchiveError(`Pagefind could not build the index: ${got.errors.join('; ')}`);
        return got.files
          .map((f) => ({ path: f.path.split('\\').join('/').replace(/^\/+/, ''), bytes: f.content }))
          .filter((f) => KEEP.some((k) => k.test(f.path)))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      } finally {
        await close();
      }
    },
    async abort() {
      queue.length = 0;
      await Promise.all(inFlight);
      await close();
    },
  };
}
