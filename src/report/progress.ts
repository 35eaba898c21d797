/**
 * Progress of a long build: on a terminal, one line that updates in place,
 * `12/150 letters · 3.1/s · 0:38 left`; elsewhere (a pipe, a log file, CI) plain lines,
 * at most one every `intervalMs` or every `everyN` letters, and nothing at all for a
 * build shorter than that.
 *
 * ```ts
 * const progress = createProgress({ stream: process.stderr });
 * await build({ …, onProgress: progress.update, log: progress.wrap((l) => process.stdout.write(`${l}\n`)) });
 * progress.done();
 * ```
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Where the progress goes (default `process.stderr`). */
  stream?: ProgressStream;
  /** What is counted (default `letters`). */
  label?: string;
  /** Update in place (default: the stream is a terminal, `CI` is not set and `TERM` is not `dumb`). */
  tty?: boolean;
  /** Lines mode: the longest time between two lines, in ms (default 10 000). */
  intervalMs?: number;
  /** Lines mode: also a line after this many more letters (default a tenth of the total, at least 100). */
  everyN?: number;
  /** Lines mode: the shortest time between two lines, in ms (default 1000). */
  minGapMs?: number;
  /** Terminal mode: the shortest time between two redraws, in ms (default 100). */
  redrawMs?: number;
  /** The clock, in ms (tests pass their own). */
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

export interface Progress {
  /** `done` of `total` finished. */
  update(done: number, total: number): void;
  /** Wraps a writer of whole lines so they print above the progress line, not through it. */
  wrap(write: (line: string) => void): (line: string) => void;
  /** Clears the progress line (terminal) or prints the last count (lines mode, when it printed any). */
  done(): void;
}

/** Rate over this recent window, so a fast start (unchanged letters) does not skew the estimate. */
const WINDOW_MS = 20_000;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 10) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 0.1) return `${perSecond.toFixed(1)}/s`;
  return `${(perSecond * 60).toFixed(1)}/min`;
}

/** Whether progress should update in place on `stream`. */
export function isInteractive(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci && env.GITHUB_ACTIONS !== 'true' && env.TERM !== 'dumb';
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const label = options.label ?? 'letters';
  const now = options.now ?? (() => performance.now());
  const tty = options.tty ?? isInteractive(stream, options.env);
  const intervalMs = options.intervalMs ?? 10_000;
  const minGapMs = options.minGapMs ?? 1000;
  const redrawMs = options.redrawMs ?? 100;
  const started = now();
  const samples: { at: number; done: number }[] = [{ at: started, done: 0 }];
  let done = 0;
  let total = 0;
  let shown = ''; // the progress line on screen (terminal mode)
  let lastAt = started;
  let lastDone = 0;
  let printed = 0; // lines printed (lines mode)
  let finished = false;

  const rate = (at: number): number | undefined => {
    while (samples.length > 2 && at - samples[1]!.at > WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0.2 && done > first.done ? (done - first.done) / seconds : undefined;
  };

  const line = (at: number): string => {
    const r = rate(at);
    const parts = [`${done}/${total} ${label}`];
    if (r !== undefined) parts.push(formatRate(r));
    if (done >= total) parts.push(`done in ${formatDuration((at - started) / 1000)}`);
    else if (r !== undefined) parts.push(`${formatDuration((total - done) / r)} left`);
    return parts.join(' · ');
  };

  const draw = (text: string) => {
    const width = Math.max(20, (stream.columns || 80) - 1);
    const fitted = text.length > width ? text.slice(0, width) : text;
    stream.write(`\r\x1b[2K${fitted}`);
    shown = fitted;
  };
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = '';
  };

  return {
    update(d, t) {
      if (finished) return;
      done = d;
      total = t;
      const at = now();
      samples.push({ at, done });
      if (tty) {
        if (at - lastAt >= redrawMs || done >= total || !shown) {
          lastAt = at;
          draw(line(at));
        }
        return;
      }
      const everyN = options.everyN ?? Math.max(100, Math.ceil(total / 10));
      const due = at - lastAt >= intervalMs || done - lastDone >= everyN;
      if (due && at - lastAt >= minGapMs && done < total) {
        stream.write(`progress: ${line(at)}\n`);
        printed++;
        lastAt = at;
        lastDone = done;
      }
    },
    wrap(write) {
      return (text) => {
        if (!tty || !shown) return write(text);
        const again = shown;
        clear();
        write(text);
        draw(again);
      };
    },
    done() {
      if (finished) return;
      finished = true;
      if (tty) clear();
      else if (printed > 0) stream.write(`progress: ${line(now())}\n`);
    },
  };
}
