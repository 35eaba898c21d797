/**
 * Differences between two sequences: the longest common subsequence, as runs of
 * equal, deleted and inserted entries. Common ends are trimmed first; what remains is
 * compared with a table (at most `MAX_CELLS` cells; beyond that the middle counts as
 * replaced, which for a letter only happens when a whole long section was rewritten).
 */

export type OpKind = 'equal' | 'delete' | 'insert';

/** A run: `a[aStart…aEnd)` and/or `b[bStart…bEnd)` (deletes have an empty b range, inserts an empty a range). */
export interface Op {
  kind: OpKind;
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

export const MAX_CELLS = 4_000_000;

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
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= MAX_CELLS) {
    // lcs[i][j]: length of the LCS of a[start+i…endA) and b[start+j…endB).
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = equal(a[start + i]!, b[start + j]!) ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && equal(a[start + i]!, b[start + j]!)) {
        push('equal', start + i, start + i + 1, start + j, start + j + 1);
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
        // Deletions before insertions within a changed stretch: emit the delete first when tied.
        if (i < n && lcs[(i + 1) * w + j]! === lcs[i * w + j + 1]!) {
          push('delete', start + i, start + i + 1, start + j, start + j);
          i++;
        } else {
          push('insert', start + i, start + i, start + j, start + j + 1);
          j++;
        }
      } else {
        push('delete', start + i, start + i + 1, start + j, start + j);
        i++;
      }
    }
  } else {
    push('delete', start, endA, start, start);
    push('insert', endA, endA, start, endB);
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
