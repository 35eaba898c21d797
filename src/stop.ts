/**
 * Ctrl-C and SIGTERM, at the edge: the commands hand the work an `AbortSignal`, and the
 * process ends the way the signal says once the work has let go of what it holds.
 */

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `work` with a signal that SIGINT or SIGTERM abort. When one arrives, `work`
 * stops and cleans up (closes the browser and threads), then the signal is raised
 * again with no handler left, so the process ends as it would have.
 */
export async function stoppable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received = signal;
    controller.abort();
  };
  for (const s of SIGNALS) process.once(s, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    if (received) process.kill(process.pid, received);
  }
}

/** Resolves on Ctrl-C or SIGTERM, for the commands that serve until stopped. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const s of SIGNALS) process.removeListener(s, done);
      resolve();
    };
    for (const s of SIGNALS) process.once(s, done);
  });
}
