/** Server-Sent Events framing for MCP streams (a POST's reply, a listen stream, a session's GET stream). */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-store",
  "x-accel-buffering": "no",
  "x-content-type-options": "nosniff",
});

/** Comment lines keep idle streams open through proxies. */
const KEEP_ALIVE = ": keep-alive\n\n";
const KEEP_ALIVE_MS = 15_000;

/** Writes a keep-alive comment to the sink every 15 s (never holding the process open); returns the stop. */
export function keepAlive(sink: SseSink): () => void {
  const timer = setInterval(() => sink.write(KEEP_ALIVE), KEEP_ALIVE_MS);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}

export function sseEvent(json: string): string {
  return `event: message\ndata: ${json}\n\n`;
}

/** Whether the client takes an SSE reply (it must list text/event-stream in Accept). */
export function acceptsEventStream(accept: string | null): boolean {
  if (accept === null) return false;
  // A client sends the same Accept on every request: the last verdict is kept.
  if (accept !== lastAccept) {
    lastVerdict = /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept);
    lastAccept = accept;
  }
  return lastVerdict;
}

let lastAccept: string | undefined;
let lastVerdict = false;

/** Where an adapter writes an SSE stream. */
export interface SseSink {
  write(text: string): void;
  end(): void;
}

/**
 * A reply that starts as nothing and becomes an SSE stream on its first event; if no event
 * comes, the adapter sends plain JSON (the fast path). Idle streams get keep-alive comments.
 */
export class LazySse {
  #sink: SseSink | undefined;
  #stopKeepAlive: (() => void) | undefined;

  constructor(private readonly open: () => SseSink) {}

  get started(): boolean {
    return this.#sink !== undefined;
  }

  readonly emit = (json: string): void => {
    if (this.#sink === undefined) {
      this.#sink = this.open();
      this.#stopKeepAlive = keepAlive(this.#sink);
    }
    this.#sink.write(sseEvent(json));
  };

  /** Sends the final message (if any) and ends the stream. */
  finish(json: string | undefined): void {
    this.#stopKeepAlive?.();
    if (json !== undefined) this.#sink?.write(sseEvent(json));
    this.#sink?.end();
  }
}
