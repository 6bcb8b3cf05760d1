// What the Node transports (stdio, and `serve` from http-mcp/node) share about ending: signals,
// the grace period for calls in flight, the app's cleanup, and the exit.
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * For a transport that owns the process: SIGINT/SIGTERM start `shutdown`; a second signal, once
 * shutdown is under way, exits at once (1). `done()` stops listening and exits after this turn,
 * with the exit code set so far.
 */
export function ownProcess(shuttingDown: () => boolean, shutdown: () => void): { done(): void } {
  const signal = () => {
    if (shuttingDown()) process.exit(1); // a second signal: stop waiting
    shutdown();
  };
  for (const name of SIGNALS) process.on(name, signal);
  return {
    done: () => {
      for (const name of SIGNALS) process.off(name, signal);
      setImmediate(() => process.exit());
    },
  };
}

/** A wait for the calls in flight: it ends when `idle()` is called, or after `graceMs` (`expired` runs then). */
export function gracePeriod(graceMs: number, expired: () => void): { ended: Promise<void>; idle(): void } {
  let idle!: () => void;
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      expired();
      resolve();
    }, graceMs);
    idle = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { ended, idle };
}

/** Runs the app's cleanup (its lifespan). A failure is reported and, for an owned process, makes the exit code 1. */
export async function cleanUp(close: () => Promise<void>, report: (error: unknown, where: string) => void, ownsProcess: boolean): Promise<void> {
  try {
    await close();
  } catch (error) {
    report(error, "lifespan");
    if (ownsProcess) process.exitCode = 1;
  }
}
