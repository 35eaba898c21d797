/**
 * Diagnostics: the problems `check` finds, as data.
 *
 * Every problem a caller can recover from (a bad case file, a letter that cannot be
 * printed) is a `Diagnostic` returned beside the result, never a throw. Positions are
 * 1-based lines and columns of the case file, as an editor shows them; `end*` is the
 * position just after the offending text.
 */

export type Severity = 'error' | 'warning';

export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  /** The file, as given on the command line (relative paths stay relative). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  /** Stable rule id, e.g. `bad-enum`; see README "Check rules". */
  rule: string;
  /** What was found and what was expected; never repeats the position. */
  message: string;
  /**
   * A correction the check is sure of (a "did you mean", a value to quote): put `text` in
   * place of `span`. Editors offer it as a quick fix; reports leave it out.
   */
  suggestion?: Suggestion;
}

export interface Suggestion {
  span: Span;
  text: string;
}

export interface Span {
  start: Position;
  end: Position;
}

export const FILE_START: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

export function diagnostic(file: string, span: Span, severity: Severity, rule: string, message: string, suggestion?: Suggestion): Diagnostic {
  const d: Diagnostic = {
    file,
    line: span.start.line,
    column: span.start.column,
    endLine: span.end.line,
    endColumn: span.end.column,
    severity,
    rule,
    message,
  };
  if (suggestion) d.suggestion = suggestion;
  return d;
}

/** Sorts diagnostics by file, then position, then rule, so output is deterministic. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** Formats a code span for a message: `value`, shortened when long. */
export function code(value: unknown, max = 60): string {
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (s === undefined) s = String(value);
  s = s.replace(/\n/g, '\\n');
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return `\`${s}\``;
}

/** "`a`, `b` or `c`". */
export function oneOf(values: readonly string[], max = 6): string {
  const shown = values.slice(0, max).map((v) => code(v));
  if (values.length > max) return `${shown.join(', ')}, …`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest candidate to `value`, when it is close enough to be a likely typo. */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = lc === v ? 0 : distance(v, lc);
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(v.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}
