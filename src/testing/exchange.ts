import type { AuthInfo } from "../definitions/context.js";
import type { FetchHandler } from "../transports/http/fetch-adapter.js";

/** A JSON-RPC error response, with the HTTP status and headers it came with. */
export class JsonRpcError extends Error {
  override readonly name = "JsonRpcError";

  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown,
    readonly status: number,
    readonly headers: Headers,
  ) {
    super(message);
  }
}

/** One JSON-RPC request as the HTTP request a client would send. */
export interface Outgoing {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly message: { readonly id: number; readonly method: string; readonly params?: Record<string, unknown> };
  readonly auth: AuthInfo | undefined;
  readonly signal: AbortSignal | undefined;
  /** Messages the server sends before its response (progress, logs) on an SSE reply. */
  readonly onNotification: ((notification: { method: string; params?: unknown }) => void) | undefined;
}

/**
 * Sends the request through the server's fetch handler (the whole HTTP pipeline: Origin and Host
 * checks, body limits, authentication, header checks) and returns its result, reading an SSE reply
 * event by event. Throws JsonRpcError for an error response, Error for anything that is not JSON-RPC.
 */
export async function exchange(fetch: FetchHandler, outgoing: Outgoing): Promise<Record<string, unknown>> {
  const request = new Request(outgoing.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...outgoing.headers },
    body: JSON.stringify({ jsonrpc: "2.0", ...outgoing.message }),
    signal: outgoing.signal,
  });
  const response = await fetch(request, outgoing.auth ? { auth: outgoing.auth } : undefined);
  const messages = response.headers.get("content-type")?.startsWith("text/event-stream")
    ? events(response.body!)
    : single(await response.text());
  for await (const message of messages) {
    // Errors found before the body was read (401, 403, 413…) cannot name the request: their id is null.
    if (message.id !== outgoing.message.id && !(message.id === null && message.error)) {
      if (typeof message.method === "string") outgoing.onNotification?.(message as { method: string; params?: unknown });
      continue;
    }
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if (error) throw new JsonRpcError(Number(error.code), String(error.message), error.data, response.status, response.headers);
    return message.result as Record<string, unknown>;
  }
  throw new Error(`No JSON-RPC response to ${outgoing.message.method} (HTTP ${response.status})`);
}

type Message = Record<string, unknown>;

async function* single(text: string): AsyncGenerator<Message> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new Error(`Not a JSON-RPC response: ${text.slice(0, 200)}`);
  }
  yield message as Message;
}

/** The `data` of each server-sent event, parsed. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<Message> {
  let buffer = "";
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5))
          .join("\n");
        if (data) yield JSON.parse(data) as Message;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
