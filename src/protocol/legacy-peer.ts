import { isObject, isValidId } from "./jsonrpc.js";

/**
 * A 2025-era peer that outlives one request: a stdio process after `initialize`, or an HTTP
 * session. It remembers what the handshake and `logging/setLevel` said, the resources it
 * subscribed to, and the server→client requests waiting for an answer.
 */
export class LegacyPeer {
  protocolVersion: string | undefined;
  clientCapabilities: Record<string, unknown> | undefined;
  logLevel: string | undefined;
  readonly subscriptions = new Set<string>();
  /**
   * Sends a notification outside any call (stdio: a line; an HTTP session: its GET stream, on
   * whichever replica holds it); false when it surely cannot arrive. Set by the transport.
   */
  notice: ((json: string) => boolean) | undefined;
  /** Calls in flight that `notifications/cancelled` may stop (HTTP sessions; stdio keeps its own). */
  readonly running = new Map<string | number, AbortController>();
  readonly #waiting = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 0;

  /** Sends a request with `send` (the call's stream) and resolves with the client's result. */
  ask(method: string, params: unknown, send: (json: string) => void, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const id = `s-${++this.#nextId}`;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const done = () => signal.removeEventListener("abort", onAbort);
      this.#waiting.set(id, {
        resolve: (value) => (done(), resolve(value)),
        reject: (error) => (done(), reject(error)),
      });
      send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /** Routes a client's response to the request waiting for it; false when nothing was. */
  settle(message: Record<string, unknown>): boolean {
    const id = message.id;
    const waiting = isValidId(id) ? this.#waiting.get(String(id)) : undefined;
    if (!waiting) return false;
    this.#waiting.delete(String(id));
    if (Object.hasOwn(message, "result")) waiting.resolve(message.result);
    else {
      const error = isObject(message.error) ? message.error : {};
      const text = typeof error.message === "string" ? error.message.slice(0, 200) : "error";
      waiting.reject(new Error(`The client answered with an error (${String(error.code)}): ${text}`));
    }
    return true;
  }

  /** Fails every waiting request (the connection is gone). */
  close(reason: Error): void {
    for (const waiting of this.#waiting.values()) waiting.reject(reason);
    this.#waiting.clear();
  }
}

/** What a 2025-era `notifications/cancelled` asks for: the request to stop, and why. Undefined when malformed. */
export function cancelTarget(params: unknown): { requestId: string | number; reason: string } | undefined {
  if (!isObject(params) || !isValidId(params.requestId)) return undefined;
  const reason = typeof params.reason === "string" ? params.reason.slice(0, 200) : "Request cancelled";
  return { requestId: params.requestId, reason };
}

/** The error a cancelled call's signal carries. */
export function cancellation(reason: string): DOMException {
  return new DOMException(reason, "AbortError");
}
