const MAX_LOG_LENGTH = 500;

/** Default error sink: one console.error line with the error's name and message, no stack, capped in length. */
export function defaultErrorReporter(error: unknown, where: string): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = `[http-mcp] ${where}: ${text}`.replace(/[\r\n]+/g, " ");
  console.error(line.length > MAX_LOG_LENGTH ? `${line.slice(0, MAX_LOG_LENGTH)}…` : line);
}
