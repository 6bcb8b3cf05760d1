/**
 * While the protocol owns process.stdout, anything else written there (a stray console.log, a
 * chatty dependency) is sent to stderr instead: stdout must carry JSON-RPC messages only.
 * Returns the original writer for the protocol's own output, and a function that undoes the guard.
 */
export function guardStdout(): { write: (text: string) => boolean; release: () => void } {
  const stdout = process.stdout;
  const original = stdout.write;
  const toStderr = ((chunk: unknown, ...rest: unknown[]) => (process.stderr.write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof original;
  stdout.write = toStderr;
  return {
    write: (text) => original.call(stdout, text),
    release: () => {
      if (stdout.write === toStderr) stdout.write = original;
    },
  };
}
