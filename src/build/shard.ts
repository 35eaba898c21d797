/** Sharding a build (`--shard k/n`): disjoint, stable parts of the case files, for a CI matrix. */
import { createHash } from 'node:crypto';
import { sourcePath } from './record.js';

export interface Shard {
  index: number;
  count: number;
}

/** Which shard (0-based) a case file belongs to: a hash of its path, so shards are disjoint and stable. */
export function shardOf(file: string, count: number): number {
  return Number.parseInt(createHash('sha256').update(sourcePath(file)).digest('hex').slice(0, 8), 16) % count;
}

/** `2/4` → `{ index: 2, count: 4 }`; undefined when malformed. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}
