/**
 * Differences between two sequences, as runs of equal, deleted and inserted entries:
 * jsdiff's Myers diff (`diffArrays`, O((n+m)·d) for d differences), so a long letter
 * with a few changes is compared quickly and exactly, whatever its length. Common ends
 * are trimmed first. Between two equal runs there is one delete, then one insert, at most.
 */
import { diffArrays } from 'diff';

export type OpKind = 'equal' | 'delete' | 'insert';

/** A run: `a[aStart…aEnd)` and/or `b[bStart…bEnd)` (deletes have an empty b range, inserts an empty a range). */
export interface Op {
  kind: OpKind;
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

export function diffSequences<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean = Object.is): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && equal(a[start]!, b[start]!)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && equal(a[endA - 1]!, b[endB - 1]!)) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  const push = (kind: OpKind, aStart: number, aEnd: number, bStart: number, bEnd: number) => {
    if (aStart === aEnd && bStart === bEnd) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind && last.aEnd === aStart && last.bEnd === bStart) {
      last.aEnd = aEnd;
      last.bEnd = bEnd;
    } else ops.push({ kind, aStart, aEnd, bStart, bEnd });
  };
  push('equal', 0, start, 0, start);
  let i = start;
  let j = start;
  for (const change of diffArrays(a.slice(start, endA), b.slice(start, endB), { comparator: equal })) {
    const n = change.count;
    if (change.removed) {
      push('delete', i, i + n, j, j);
      i += n;
    } else if (change.added) {
      push('insert', i, i, j, j + n);
      j += n;
    } else {
      push('equal', i, i + n, j, j + n);
      i += n;
      j += n;
    }
  }
  push('equal', endA, a.length, endB, b.length);
  return grouped(ops);
}

/** Between two equal runs, one delete then one insert at most. */
function grouped(ops: readonly Op[]): Op[] {
  const out: Op[] = [];
  let k = 0;
  while (k < ops.length) {
    const op = ops[k]!;
    if (op.kind === 'equal') {
      out.push(op);
      k++;
      continue;
    }
    let aEnd = op.aStart;
    let bEnd = op.bStart;
    const aStart = op.aStart;
    const bStart = op.bStart;
    while (k < ops.length && ops[k]!.kind !== 'equal') {
      aEnd = Math.max(aEnd, ops[k]!.aEnd);
      bEnd = Math.max(bEnd, ops[k]!.bEnd);
      k++;
    }
    if (aEnd > aStart) out.push({ kind: 'delete', aStart, aEnd, bStart, bEnd: bStart });
    if (bEnd > bStart) out.push({ kind: 'insert', aStart: aEnd, aEnd, bStart, bEnd });
  }
  return out;
}
