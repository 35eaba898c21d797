/**
 * Build progress: one updating line on a terminal, quiet plain lines elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, formatRate, isInteractive } from '../src/report/progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (s: string) => chunks.push(s) } };
}

describe('progress', () => {
  it('formats durations and rates', () => {
    expect(formatDuration(38)).toBe('0:38');
    expect(formatDuration(61.4)).toBe('1:01');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatRate(3.14)).toBe('3.1/s');
    expect(formatRate(250)).toBe('250/s');
    expect(formatRate(0.05)).toBe('3.0/min');
  });

  it('updates one line in place on a terminal: done/total, rate, time left', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(true);
    const p = createProgress({ stream, tty: true, now: () => now, redrawMs: 100 });
    for (let done = 1; done <= 12; done++) {
      now += 320; // 3.1 letters a second
      p.update(done, 150);
    }
    const last = chunks[chunks.length - 1]!;
    expect(last.startsWith('\r\x1b[2K')).toBe(true);
    expect(last).toBe('\r\x1b[2K12/150 letters · 3.1/s · 0:44 left');
    expect(chunks.join('')).not.toContain('\n'); // never a new line
    // A log line goes above the progress line, which is drawn again after it.
    const logged: string[] = [];
    p.wrap((l) => logged.push(l))('built     CM16-0229336 v1 final');
    expect(logged).toEqual(['built     CM16-0229336 v1 final']);
    expect(chunks.slice(-2)).toEqual(['\r\x1b[2K', '\r\x1b[2K12/150 letters · 3.1/s · 0:44 left']);
    p.done();
    expect(chunks[chunks.length - 1]).toBe('\r\x1b[2K'); // cleared at the end
  });

  it('redraws at most every redrawMs', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(true);
    const p = createProgress({ stream, tty: true, now: () => now, redrawMs: 100 });
    for (let done = 1; done <= 100; done++) {
      now += 10;
      p.update(done, 1000);
    }
    expect(chunks.length).toBeLessThanOrEqual(11);
  });

  it('is quiet and line-oriented when not on a terminal: nothing for a short build', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(false);
    const p = createProgress({ stream, now: () => now, env: {} });
    for (let done = 1; done <= 6; done++) {
      now += 500;
      p.update(done, 6);
    }
    p.done();
    expect(chunks).toEqual([]);
  });

  it('prints a plain line every intervalMs or everyN letters, never more than one a second', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(false);
    const p = createProgress({ stream, now: () => now, env: {}, intervalMs: 10_000, everyN: 100 });
    for (let done = 1; done <= 600; done++) {
      now += 50; // 20 letters a second: everyN (100) comes first, every 5 s
      p.update(done, 600);
    }
    p.done();
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r') && !c.includes('\x1b'))).toBe(true);
    expect(chunks[0]).toBe('progress: 100/600 letters · 20/s · 0:25 left\n');
    expect(chunks.length).toBe(6); // 100, 200, 300, 400, 500, then the closing line
    expect(chunks[chunks.length - 1]).toBe('progress: 600/600 letters · 20/s · done in 0:30\n');
  });

  it('uses lines in CI and on dumb terminals even when the stream is a TTY', () => {
    expect(isInteractive({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(isInteractive({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(isInteractive({ isTTY: true, write: () => true }, { GITHUB_ACTIONS: 'true' })).toBe(false);
    expect(isInteractive({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
    expect(isInteractive({ isTTY: false, write: () => true }, {})).toBe(false);
  });
});
