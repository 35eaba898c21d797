/**
 * Comparing two renderings of a letter, block by block and then word by word.
 *
 * Blocks are aligned on their exact text (longest common subsequence). In each stretch
 * where they differ, a deleted block and an inserted one are paired as "the same
 * paragraph, changed" when the stretch deletes as many as it inserts, or when their
 * words are similar enough; a paired block is then compared word by word. What is left
 * is a whole block deleted or inserted.
 */
import { diffSequences } from './sequence.js';
import type { Block, Token } from './blocks.js';

export type PieceKind = 'equal' | 'delete' | 'insert';

/** A run of words: equal in both (`b` holds the new side's tokens), deleted (`a`) or inserted (`b`). */
export interface Piece {
  kind: PieceKind;
  a: Token[];
  b: Token[];
}

export type Entry =
  | { kind: 'equal'; a: Block; b: Block }
  | { kind: 'changed'; a: Block; b: Block; pieces: Piece[] }
  | { kind: 'deleted'; a: Block }
  | { kind: 'inserted'; b: Block };

export interface Comparison {
  /** Every block of both sides in reading order, deleted blocks where they stood. */
  entries: Entry[];
  stats: { changed: number; inserted: number; deleted: number; wordsInserted: number; wordsDeleted: number };
}

/** Two blocks this similar (Dice coefficient of their words) are one paragraph, changed. */
const PAIR_SIMILARITY = 0.4;

export function compareBlocks(a: readonly Block[], b: readonly Block[]): Comparison {
  const entries: Entry[] = [];
  const ops = diffSequences(a, b, (x, y) => x.key === y.key);
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op.kind === 'equal') {
      for (let i = 0; i < op.aEnd - op.aStart; i++) entries.push({ kind: 'equal', a: a[op.aStart + i]!, b: b[op.bStart + i]! });
      continue;
    }
    // A changed stretch: the delete (if any) and the insert (if any) that follow each other.
    const del = op.kind === 'delete' ? op : undefined;
    const ins = op.kind === 'insert' ? op : ops[k + 1]?.kind === 'insert' ? ops[++k] : undefined;
    const deleted = del ? a.slice(del.aStart, del.aEnd) : [];
    const inserted = ins ? b.slice(ins.bStart, ins.bEnd) : [];
    entries.push(...stretch(deleted, inserted));
  }
  const stats = { changed: 0, inserted: 0, deleted: 0, wordsInserted: 0, wordsDeleted: 0 };
  for (const e of entries) {
    if (e.kind === 'changed') {
      stats.changed++;
      for (const p of e.pieces) {
        if (p.kind === 'insert') stats.wordsInserted += words(p.b);
        if (p.kind === 'delete') stats.wordsDeleted += words(p.a);
      }
    } else if (e.kind === 'inserted') {
      stats.inserted++;
      stats.wordsInserted += words(e.b.tokens);
    } else if (e.kind === 'deleted') {
      stats.deleted++;
      stats.wordsDeleted += words(e.a.tokens);
    }
  }
  return { entries, stats };
}

function words(tokens: readonly Token[]): number {
  return tokens.filter((t) => /[\p{L}\p{N}]/u.test(t.text)).length;
}

/** Pairs the deleted and inserted blocks of one changed stretch, keeping both orders. */
function stretch(deleted: readonly Block[], inserted: readonly Block[]): Entry[] {
  const pairs: [number, number][] = [];
  if (deleted.length === inserted.length) {
    // As many out as in: the same blocks, changed, when they are alike (or short, like a table cell's date).
    for (let i = 0; i < deleted.length; i++) {
      const x = deleted[i]!;
      const y = inserted[i]!;
      const short = x.tokens.length <= 3 && y.tokens.length <= 3 && x.element.tagName === y.element.tagName;
      if (short || similarity(x, y) >= PAIR_SIMILARITY) pairs.push([i, i]);
    }
  } else {
    let from = 0;
    for (let i = 0; i < deleted.length; i++) {
      let best = -1;
      let bestScore = PAIR_SIMILARITY;
      for (let j = from; j < inserted.length; j++) {
        const s = similarity(deleted[i]!, inserted[j]!);
        if (s >= bestScore) {
          best = j;
          bestScore = s;
        }
      }
      if (best !== -1) {
        pairs.push([i, best]);
        from = best + 1;
      }
    }
  }
  const out: Entry[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [deleted.length, inserted.length] as [number, number]]) {
    for (; i < pi; i++) out.push({ kind: 'deleted', a: deleted[i]! });
    for (; j < pj; j++) out.push({ kind: 'inserted', b: inserted[j]! });
    if (pi < deleted.length && pj < inserted.length) {
      out.push({ kind: 'changed', a: deleted[pi]!, b: inserted[pj]!, pieces: compareWords(deleted[pi]!.tokens, inserted[pj]!.tokens) });
      i = pi + 1;
      j = pj + 1;
    }
  }
  return out;
}

function similarity(x: Block, y: Block): number {
  const count = (tokens: readonly Token[]) => {
    const m = new Map<string, number>();
    for (const t of tokens) m.set(t.text, (m.get(t.text) ?? 0) + 1);
    return m;
  };
  const cx = count(x.tokens);
  const cy = count(y.tokens);
  let common = 0;
  for (const [k, n] of cx) common += Math.min(n, cy.get(k) ?? 0);
  const total = x.tokens.length + y.tokens.length;
  return total === 0 ? 1 : (2 * common) / total;
}

/** Word by word, with short equal runs between two changes folded into them (easier to read). */
export function compareWords(a: readonly Token[], b: readonly Token[]): Piece[] {
  const ops = diffSequences(a, b, (x, y) => x.key === y.key);
  let pieces: Piece[] = ops.map((op) => ({
    kind: op.kind,
    a: a.slice(op.aStart, op.aEnd),
    b: b.slice(op.bStart, op.bEnd),
  }));
  // `[-a-]{+x+} of [-b-]{+y+}` reads better as `[-a of b-]{+x of y+}`.
  for (let k = 1; k < pieces.length - 1; k++) {
    const p = pieces[k]!;
    if (p.kind !== 'equal' || pieces[k - 1]!.kind === 'equal' || pieces[k + 1]!.kind === 'equal') continue;
    const chars = p.b.reduce((n, t) => n + t.text.length, 0);
    if (p.b.length <= 2 && chars <= 4) {
      pieces[k] = { kind: 'delete', a: p.a, b: [] };
      pieces.splice(k + 1, 0, { kind: 'insert', a: [], b: p.b });
    }
  }
  // Merge each changed stretch into one delete and one insert.
  const merged: Piece[] = [];
  for (let k = 0; k < pieces.length; ) {
    if (pieces[k]!.kind === 'equal') {
      merged.push(pieces[k]!);
      k++;
      continue;
    }
    const del: Token[] = [];
    const ins: Token[] = [];
    for (; k < pieces.length && pieces[k]!.kind !== 'equal'; k++) {
      del.push(...pieces[k]!.a.filter(() => pieces[k]!.kind === 'delete'));
      ins.push(...pieces[k]!.b.filter(() => pieces[k]!.kind === 'insert'));
    }
    if (del.length) merged.push({ kind: 'delete', a: del, b: [] });
    if (ins.length) merged.push({ kind: 'insert', a: [], b: ins });
  }
  pieces = merged;
  return pieces;
}
