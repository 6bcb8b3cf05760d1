import type { Instrumentation } from "../protocol/instrumentation.js";
import type { Outcome } from "../protocol/jsonrpc.js";
import { failureOf, protocolVersionOf, targetOf } from "../observe/facts.js";
import { instrumentation } from "../observe/chain.js";

/**
 * One finished request. Only what the protocol and the server define: never arguments, results,
 * credentials or session ids. `cause` (server side only) is the unexpected error behind an
 * internal error, with its stack.
 */
export interface RequestEvent {
  readonly method: string;
  /** The JSON-RPC id the client chose. */
  readonly id: string | number;
  /** The tool (`tools/call`) or prompt (`prompts/get`) it names. */
  readonly tool?: string;
  readonly prompt?: string;
  /** From the request's arrival at the dispatcher to its outcome, in milliseconds. */
  readonly durationMs: number;
  readonly outcome: "ok" | "error";
  /**
   * How it failed: `kind` is the error kind (`INVALID_PARAMS`, `INTERNAL_ERROR`, …) with its
   * JSON-RPC `code` and the `message` the client got, or `tool_error` for a tool result with `isError`.
   */
  readonly error?: { readonly kind: string; readonly code?: number; readonly message?: string };
  /** The authenticated caller's `subject` (and `clientId`), when there is one. */
  readonly subject?: string;
  readonly clientId?: string;
  /** The MCP revision the request was served in. */
  readonly protocolVersion?: string;
  readonly transport: "http" | "stdio";
  readonly cause?: unknown;
}

/** What `logEvents` needs of a logger: pino's, and anything shaped like it (`(object, message)`). */
export interface EventLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/**
 * Calls `onEvent` once per finished request, on every transport:
 * `new MCPServer({ instrumentation: requestEvents((event) => …) })`. A throwing `onEvent` is ignored.
 */
export function requestEvents(onEvent: (event: RequestEvent) => void): Instrumentation {
  return instrumentation({
    request(request, run) {
      const started = performance.now();
      const finish = (outcome: Outcome): Outcome => {
        const failure = failureOf(request, outcome);
        const { auth } = request.exchange;
        const event: { -readonly [K in keyof RequestEvent]: RequestEvent[K] } = {
          method: request.method,
          id: request.id,
          ...targetOf(request),
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
          outcome: failure ? "error" : "ok",
          transport: request.exchange.request.transport,
        };
        if (failure) {
          event.error = failure.code === undefined ? { kind: failure.kind } : { kind: failure.kind, code: failure.code, message: failure.message };
          if (failure.cause !== undefined) event.cause = failure.cause;
        }
        if (auth?.subject !== undefined) event.subject = auth.subject;
        if (auth?.clientId !== undefined) event.clientId = auth.clientId;
        const version = protocolVersionOf(request);
        if (version !== undefined) event.protocolVersion = version;
        try {
          onEvent(event);
        } catch {
          // A failing logger must not take a request down with it.
        }
        return outcome;
      };
      const outcome = run();
      return outcome instanceof Promise ? outcome.then(finish) : finish(outcome);
    },
    task: (_task, work) => work(),
  });
}

/**
 * One log entry per finished request, for pino and loggers shaped like it:
 * `instrumentation: logEvents(logger)`. Successes at `info`; client errors and tool errors at
 * `warn`; internal errors at `error`, with the error under `err` (pino prints its stack). The
 * server's `onError` still reports unexpected errors as before.
 */
export function logEvents(logger: EventLogger): Instrumentation {
  return requestEvents(({ cause, ...event }) => {
    const what = event.tool ?? event.prompt;
    const name = what === undefined ? event.method : `${event.method} ${what}`;
    if (!event.error) return logger.info(event, `${name} ok`);
    const message = `${name} failed: ${event.error.kind}`;
    if (event.error.kind === "INTERNAL_ERROR") logger.error(cause === undefined ? event : { ...event, err: cause }, message);
    else logger.warn(event, message);
  });
}
