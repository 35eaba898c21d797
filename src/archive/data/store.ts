/**
 * The open data's cache (`out/.cache/archive-data/` in a build), an accelerator only: a
 * missing, damaged or stale entry is made again, and the bytes published are the same
 * with or without it.
 *
 *   chunks/<key>.bin        a chunk of letters' gzip members, statistics and API entries
 *                           (see chunks.ts), under the hash of its letters and the code
 *   checked-<key>.txt       the texts the leak check found clean under a check's key (the
 *                           confidential values, the matcher's options, the check's code):
 *                           one hash a line, of the text and how it was read
 *
 * A chunk file is its entry as one line of JSON, then its members' bytes. Entries not
 * used by a build are removed at its end (`save`), and so are the verdicts of other keys.
 * Files are written to a temporary name and renamed, so a build that stops leaves no
 * half-written entry.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tally } from './stats.js';

/** A bulk file's part of a chunk: one gzip member. */
export interface Member {
  bytes: Buffer;
  /** Size of its text. */
  textBytes: number;
  rows: number;
  /** The hash of its text as the leak check reads it (see `textId` in chunks.ts). */
  id: string;
}

export interface ChunkEntry {
  members: Member[];
  tally: Tally;
  entries: string;
  letters: number;
  current: number;
}

export interface Store {
  chunk(key: string): Promise<ChunkEntry | undefined>;
  putChunk(key: string, entry: ChunkEntry): Promise<void>;
  /** Whether the text `id` was found clean under the check's key (by this build or one before). */
  isClean(id: string): boolean;
  markClean(id: string): void;
  /** Drops a verdict (the text was found to hold a value added since). */
  forget(id: string): void;
  /** Writes the verdicts, removes unused entries. */
  save(): Promise<void>;
}

async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

function parseChunk(bytes: Buffer): ChunkEntry | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  const head = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as Omit<ChunkEntry, 'members'> & { members: Omit<Member, 'bytes'>[]; sizes: number[] };
  let at = nl + 1;
  const members: Member[] = head.members.map((m, k) => {
    // A copy: the file's buffer (and its JSON head) is not kept alive by the member.
    const b = Buffer.from(bytes.subarray(at, (at += head.sizes[k]!)));
    return { ...m, bytes: b };
  });
  if (at !== bytes.length || members.some((m) => m.bytes.length < 18 || m.bytes[0] !== 0x1f || m.bytes[1] !== 0x8b)) return undefined;
  return { members, tally: head.tally, entries: head.entries, letters: head.letters, current: head.current };
}

/**
 * The cache in `dir` (none: nothing is kept, everything is made and checked), with the
 * verdicts of the leak check `checkKey` (none: no verdict is kept).
 */
export async function openStore(dir: string | undefined, checkKey: string | undefined): Promise<Store> {
  const usedChunks = new Set<string>();
  const checkedFile = dir && checkKey ? path.join(dir, `checked-${checkKey.slice(0, 32)}.txt`) : undefined;
  const before = new Set(checkedFile ? (await readFile(checkedFile, 'utf8').catch(() => '')).split('\n').filter((l) => /^[0-9a-f]{32}$/.test(l)) : []);
  const clean = new Set<string>();
  const chunkFile = (key: string) => path.join(dir!, 'chunks', `${key}.bin`);
  return {
    async chunk(key) {
      if (!dir) return undefined;
      usedChunks.add(key);
      const bytes = await readFile(chunkFile(key)).catch(() => undefined);
      try {
        return bytes ? parseChunk(bytes) : undefined;
      } catch {
        return undefined;
      }
    },
    async putChunk(key, entry) {
      if (!dir) return;
      usedChunks.add(key);
      const head = { members: entry.members.map(({ textBytes, rows, id }) => ({ textBytes, rows, id })), sizes: entry.members.map((m) => m.bytes.length), tally: entry.tally, entries: entry.entries, letters: entry.letters, current: entry.current };
      await writeFileAtomic(chunkFile(key), Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), ...entry.members.map((m) => m.bytes)]));
    },
    isClean(id) {
      if (clean.has(id)) return true;
      if (!before.has(id)) return false;
      clean.add(id);
      return true;
    },
    markClean(id) {
      if (checkedFile) clean.add(id);
    },
    forget(id) {
      clean.delete(id);
      before.delete(id);
    },
    async save() {
      if (!dir) return;
      // Verdicts: those of this build (found clean again or anew); other keys' go.
      if (checkedFile) await writeFileAtomic(checkedFile, [...clean].sort().join('\n') + (clean.size ? '\n' : ''));
      for (const n of await readdir(dir).catch(() => [] as string[])) {
        if ((n.startsWith('checked-') && path.join(dir, n) !== checkedFile) || n.endsWith('.gz')) await rm(path.join(dir, n), { force: true });
      }
      for (const n of await readdir(path.join(dir, 'chunks')).catch(() => [] as string[])) {
        if (!n.endsWith('.bin') || !usedChunks.has(n.slice(0, -'.bin'.length))) await rm(path.join(dir, 'chunks', n), { force: true });
      }
    },
  };
}
