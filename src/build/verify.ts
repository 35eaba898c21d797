/**
 * Reading the output folder back: whether the files the manifest records are there
 * (cheaply, by size, for the fast path) and intact (by sha256, for issued letters).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '../publish/files.js';

/** Whether every file exists with its recorded size (a cheap check for the fast path). */
export async function filesPresent(out: string, files: readonly { path: string; bytes: number }[]): Promise<boolean> {
  for (const f of files) {
    try {
      if ((await stat(path.join(out, f.path))).size !== f.bytes) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The files that are missing or whose bytes are not the recorded ones. */
export async function brokenFiles(out: string, files: readonly { path: string; sha256: string }[]): Promise<string[]> {
  const broken: string[] = [];
  for (const f of files) {
    try {
      const bytes = await readFile(path.join(out, f.path));
      if (sha256(bytes) !== f.sha256) broken.push(f.path);
    } catch {
      broken.push(f.path);
    }
  }
  return broken;
}
