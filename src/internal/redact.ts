import type { HeaderReader, McpRequest } from "../definitions/context.js";

const REDACTED = "[redacted]";

/** The credential a request carries (its Authorization header and the token in it): never to be logged. */
function credentialsOf(headers: HeaderReader): string[] {
  const value = headers.get("authorization")?.trim();
  if (!value) return [];
  const token = value.slice(value.indexOf(" ") + 1).trim();
  return token.length >= 4 && token !== value ? [value, token] : [value];
}

function redact(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) text = text.split(secret).join(REDACTED);
  return text;
}

/**
 * The error with the request's credential replaced by "[redacted]" in its message and stack, for
 * reporting failures of code that saw it (an `authenticate` hook or a handler that echoes the token).
 * Returns the error itself when the credential does not occur in it (the usual case), else a copy of the same class.
 */
export function redactCredentials(error: unknown, request: McpRequest): unknown {
  const secrets = credentialsOf(request.headers);
  if (secrets.length === 0) return error;
  if (!(error instanceof Error)) {
    const text = String(error);
    return secrets.some((s) => text.includes(s)) ? redact(text, secrets) : error;
  }
  const { message, stack } = error;
  if (!secrets.some((s) => message.includes(s) || (stack?.includes(s) ?? false))) return error;
  // Own, non-enumerable properties, like the original's: logs print the copy as they would the error.
  const own = (value: string | undefined) => ({ value, writable: true, configurable: true });
  return Object.create(Object.getPrototypeOf(error) as object, {
    name: own(error.name),
    message: own(redact(message, secrets)),
    stack: own(stack && redact(stack, secrets)),
  }) as Error;
}
