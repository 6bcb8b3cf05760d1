import type { HandlerContext } from "./context.js";

/** What a middleware sees of a call: the handler's context, plus which tool or prompt is called. */
export interface CallContext<State = unknown> extends HandlerContext<unknown, State> {
  readonly kind: "tool" | "prompt";
  readonly name: string;
}

/**
 * Wraps every tool and prompt call, outermost first (`MCPServer({ middleware })`). It runs once the
 * arguments are valid and the caller may call; `next()` runs the rest of the chain and the handler,
 * resolving to what the handler returned (checked against the output schema afterwards) and
 * rejecting with what it threw. Return a value without calling `next` to answer instead of the
 * handler; throw to fail the call as the handler would (a ToolInvocationError becomes an `isError`
 * result, an McpError a JSON-RPC error).
 */
export type Middleware<State = unknown> = (call: CallContext<State>, next: () => Promise<unknown>) => unknown;

type Handler = (context: never) => unknown;

/** `next` for one call: calling it again is a bug in the middleware, never a second run of the handler. */
export function once<A extends unknown[], T>(next: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let called = false;
  return (...args) => {
    if (called) return Promise.reject(new Error("next() called more than once"));
    called = true;
    return next(...args);
  };
}

/** The handler wrapped in the middleware chain, composed once at registration. */
export function withMiddleware(handler: Handler, middleware: readonly Middleware<any>[] | undefined, kind: "tool" | "prompt", name: string): Handler {
  if (!middleware?.length) return handler;
  const chain = middleware.reduceRight<Handler>((next, wrap) => (call) => wrap(call, once(async () => next(call))), handler);
  // The handler's own context object gains `kind` and `name`: one object per call, as without middleware.
  return (context) => chain(Object.assign(context, { kind, name }) as never);
}
