const MAX_LOG_LENGTH = 500;

/**
 * Default error sink (server side only: nothing here reaches a client): one console.error entry, a
 * line with where it happened and the error's name and message (newlines folded, capped in length),
 * then the stack's frames, to find the code that failed.
 */
export function defaultErrorReporter(error: unknown, where: string): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = `[http-mcp] ${where}: ${text}`.replace(/[\r\n]+/g, " ");
  // Only the frame lines: the message, which may quote client input, is on the first line alone.
  const frames = (error as Error | undefined)?.stack?.match(/^ +at .*/gm) ?? [];
  console.error([line.length > MAX_LOG_LENGTH ? `${line.slice(0, MAX_LOG_LENGTH)}…` : line, ...frames].join("\n"));
}
