// Middleware around every tool and prompt call: logging, a rate limit, a guard, and tracing.
import { z } from "zod";
import { MCPServer, McpError, ToolInvocationError, defineTool, type Middleware } from "http-mcp";

/** One line per call: what ran, for how long, and how it ended (the handler's error, stack included, is seen here). */
export function logCalls(write: (line: string) => void): Middleware {
  return async (call, next) => {
    const started = performance.now();
    const took = () => `${(performance.now() - started).toFixed(1)} ms`;
    try {
      const value = await next();
      write(`${call.kind} ${call.name} ok in ${took()}`);
      return value;
    } catch (error) {
      write(`${call.kind} ${call.name} failed in ${took()}: ${error instanceof Error ? error.message : String(error)}`);
      throw error; // the server still turns it into the result or error the client gets
    }
  };
}

/** At most `limit` tool calls per caller and minute; past it, the model gets an error result. */
export function rateLimit(limit: number): Middleware {
  const windows = new Map<string, { start: number; calls: number }>();
  return (call, next) => {
    if (call.kind !== "tool") return next();
    const caller = call.auth?.subject ?? "anonymous";
    const now = Date.now();
    const window = windows.get(caller);
    if (window === undefined || now - window.start >= 60_000) windows.set(caller, { start: now, calls: 1 });
    else if (++window.calls > limit) throw new ToolInvocationError(`rate limit of ${limit} calls per minute reached`);
    return next();
  };
}

/** A guard that needs the validated inputs: only the owner may delete a document. */
const ownersOnly: Middleware = (call, next) => {
  const { owner } = call.inputs as { owner?: string };
  if (call.name === "delete_document" && owner !== call.auth?.subject) {
    throw new McpError("INSUFFICIENT_SCOPE", "Only the owner may delete a document");
  }
  return next();
};

/** Spans that continue the client's trace: the W3C `traceparent` from the request's `_meta`. */
export interface Span {
  name: string;
  parent: string | undefined;
  ok: boolean;
}
export function tracing(finished: (span: Span) => void): Middleware {
  return async (call, next) => {
    const span: Span = { name: `${call.kind} ${call.name}`, parent: call.traceparent, ok: false };
    try {
      const value = await next();
      span.ok = true;
      return value;
    } finally {
      finished(span);
    }
  };
}

const deleteDocument = defineTool({
  name: "delete_document",
  input: z.object({ owner: z.string(), id: z.string() }),
  handler: ({ inputs }) => `deleted ${inputs.id}`,
});

export const lines: string[] = [];
export const spans: Span[] = [];

export const server = new MCPServer({
  name: "documents",
  version: "1.0.0",
  tools: [deleteDocument],
  // Outermost first: tracing sees everything, including calls the rate limit refuses.
  middleware: [tracing((span) => spans.push(span)), logCalls((line) => lines.push(line)), rateLimit(3), ownersOnly],
  authenticate: (request) => {
    const user = request.headers.get("x-user"); // stands in for real authentication
    return user ? { scopes: [], subject: user } : null;
  },
});
