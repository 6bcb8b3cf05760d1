import type { Awaitable } from "./awaitable.js";
import type { Channel } from "./channel.js";
import type { Outcome, RequestId } from "./jsonrpc.js";
import type { Exchange } from "./request-context.js";

/** One request as instrumentation sees it, before it runs: valid JSON-RPC, with an id and a method. */
export interface InstrumentedRequest {
  readonly method: string;
  readonly id: RequestId;
  readonly params: Readonly<Record<string, unknown>>;
  readonly exchange: Exchange;
  readonly channel: Channel;
}

/** A task a `tools/call` just created (the Tasks extension), whose handler runs on after the call. */
export interface InstrumentedTask {
  readonly taskId: string;
  readonly tool: string;
  readonly exchange: Exchange;
}

/** How a task's handler ended: `isError` for a tool error result, `error` for what it threw. */
export interface TaskEnd {
  readonly isError?: boolean;
  readonly error?: unknown;
}

/**
 * What `openTelemetry()` (`http-mcp/otel`) and `logEvents()` / `requestEvents()` (`http-mcp/events`)
 * plug into a server's `instrumentation`: wrappers around every request the server answers,
 * whatever its transport, and around the work of the tasks it creates. A server without any runs
 * no instrumentation code at all.
 */
export interface Instrumentation {
  /** Runs one request (`run`) and returns its outcome; called in the request's own async context. */
  request(request: InstrumentedRequest, run: () => Awaitable<Outcome>): Awaitable<Outcome>;
  /** This instrumentation around `inner`: what a server given several runs (its code lives with theirs, not in the core). */
  and(inner: Instrumentation): Instrumentation;
  /** Runs the work of a task just created (`work()` when it has nothing to add); called in the creating request's async context. */
  task(task: InstrumentedTask, work: () => Promise<TaskEnd>): Promise<TaskEnd>;
}
