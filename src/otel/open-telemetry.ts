import {
  context,
  metrics,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Histogram,
  type MeterProvider,
  type Span,
  type TextMapPropagator,
  type TracerProvider,
} from "@opentelemetry/api";
import type { Instrumentation, InstrumentedRequest, TaskEnd } from "../protocol/instrumentation.js";
import type { Outcome } from "../protocol/jsonrpc.js";
import { McpError } from "../errors.js";
import { clientOf, failureOf, networkTransportOf, protocolVersionOf, sessionIdOf, targetOf, type Failure } from "../observe/facts.js";
import { parentOf } from "./parent.js";
import { instrumentation } from "../observe/chain.js";

/** What `openTelemetry()` takes: where spans and the metric go, and what to record beyond the defaults. */
export interface OpenTelemetryOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`, or the Node SDK's). */
  tracerProvider?: TracerProvider;
  /** Where the `mcp.server.operation.duration` histogram goes. Default: the global meter provider, read at the first request. */
  meterProvider?: MeterProvider;
  /** Reads the W3C trace context from `_meta` and HTTP headers. Default: the global propagator. */
  propagator?: TextMapPropagator;
  /**
   * Records `mcp.resource.uri` (resources/read, subscribe, unsubscribe) on spans and on the metric.
   * Off by default: URIs can name private things, and make many distinct values.
   */
  captureResourceUri?: boolean;
}

const SCOPE = "http-mcp";
/** The convention's advice for the operation duration histogram, in seconds. */
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const RESOURCE_METHODS = new Set(["resources/read", "resources/subscribe", "resources/unsubscribe"]);

/**
 * OpenTelemetry for a server (`new MCPServer({ instrumentation: openTelemetry() })`), as the
 * semantic conventions for MCP describe it: a SERVER span per request, named `{mcp.method.name}
 * {target}`, child of the W3C trace context in the request's `_meta` (else its HTTP headers), and
 * the `mcp.server.operation.duration` histogram; an `execute_tool` span for each task's work.
 * See docs/observability.md for every attribute.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Instrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  let duration: Histogram | undefined;
  // Read late: unlike tracers, the global meter provider has no proxy for one registered after this call.
  const histogram = () =>
    (duration ??= (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE).createHistogram("mcp.server.operation.duration", {
      unit: "s",
      description: "MCP request duration as observed on the receiver from the time it was received until the result or ack is sent.",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }));
  const propagator = options.propagator ?? propagation;
  const captureUri = options.captureResourceUri === true;

  /** The request's span, started under its parent, and the attributes it shares with the metric. */
  function startSpan(request: InstrumentedRequest): { span: Span; parent: Context; common: Attributes } {
    const client = clientOf(request);
    const common = commonAttributes(request, captureUri, client?.httpVersion);
    const spanAttributes: Attributes = { ...common, "jsonrpc.request.id": String(request.id) };
    const session = sessionIdOf(request);
    if (session !== undefined) spanAttributes["mcp.session.id"] = session;
    if (client) {
      spanAttributes["client.address"] = client.address;
      if (client.port !== undefined) spanAttributes["client.port"] = client.port;
    }
    const taskId = request.params.taskId;
    if (request.method.startsWith("tasks/") && typeof taskId === "string") spanAttributes["mcp.task.id"] = taskId;
    const target = (common["gen_ai.tool.name"] ?? common["gen_ai.prompt.name"]) as string | undefined;
    const active = context.active();
    const { parent, links } = parentOf(active, request, propagator);
    const span = tracer.startSpan(target === undefined ? request.method : `${request.method} ${target}`, { kind: SpanKind.SERVER, attributes: spanAttributes, links }, parent);
    return { span, parent, common };
  }

  return instrumentation({
    request(request, run) {
      const started = performance.now();
      let begun: ReturnType<typeof startSpan>;
      try {
        begun = startSpan(request);
      } catch {
        return run(); // a propagator or provider that throws must not take the request down
      }
      const { span, parent, common } = begun;
      const end = (failure: Failure | undefined) => {
        try {
          if (failure) markFailed(span, common, failure);
          span.end();
          histogram().record((performance.now() - started) / 1000, common);
        } catch {
          // Telemetry that fails loses this request's figures, never the request.
        }
      };
      const finish = (outcome: Outcome): Outcome => (end(failureOf(request, outcome)), outcome);
      const broke = (error: unknown): never => {
        end({ type: "_OTHER", kind: "INTERNAL_ERROR", cause: error });
        throw error;
      };
      let outcome: ReturnType<typeof run>;
      try {
        outcome = context.with(trace.setSpan(parent, span), run);
      } catch (error) {
        return broke(error);
      }
      return outcome instanceof Promise ? outcome.then(finish, broke) : finish(outcome);
    },

    task(task, work) {
      // Called while the creating tools/call span is current (and still open): the work is its child.
      const active = context.active();
      trace.getSpan(active)?.setAttribute("mcp.task.id", task.taskId);
      const span = tracer.startSpan(
        `execute_tool ${task.tool}`,
        { kind: SpanKind.INTERNAL, attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": task.tool, "mcp.task.id": task.taskId } },
        active,
      );
      return context.with(trace.setSpan(active, span), work).then(
        (end) => (endTask(span, end), end),
        (error: unknown) => (endTask(span, { error }), Promise.reject(error)),
      );
    },
  });
}

/** What both the span and the metric carry (the metric takes nothing of high cardinality beyond these). */
function commonAttributes(request: InstrumentedRequest, captureUri: boolean, httpVersion: string | undefined): Attributes {
  const attributes: Attributes = { "mcp.method.name": request.method, "network.transport": networkTransportOf(request) };
  const version = protocolVersionOf(request);
  if (version !== undefined) attributes["mcp.protocol.version"] = version;
  const { tool, prompt } = targetOf(request);
  if (tool !== undefined) {
    attributes["gen_ai.tool.name"] = tool;
    attributes["gen_ai.operation.name"] = "execute_tool";
  } else if (prompt !== undefined) attributes["gen_ai.prompt.name"] = prompt;
  if (request.exchange.request.transport === "http") {
    attributes["network.protocol.name"] = "http";
    if (httpVersion) attributes["network.protocol.version"] = httpVersion === "2.0" ? "2" : httpVersion;
  }
  const uri = request.params.uri;
  if (captureUri && typeof uri === "string" && RESOURCE_METHODS.has(request.method)) attributes["mcp.resource.uri"] = uri;
  return attributes;
}

/** `error.type` (and the JSON-RPC code) on the span and the metric, error status, and where the code failed. */
function markFailed(span: Span, common: Attributes, failure: Failure): void {
  common["error.type"] = failure.type;
  if (failure.code !== undefined) common["rpc.response.status_code"] = String(failure.code);
  span.setAttributes(common);
  span.setStatus(failure.message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message: failure.message });
  if (failure.cause instanceof Error) recordCause(span, failure.cause);
}

/**
 * The unexpected error behind an internal error, as an `exception` event: its type and stack
 * frames, not its message (which may quote arguments); the server's onError still gets all of it.
 */
function recordCause(span: Span, error: Error): void {
  const frames = error.stack?.match(/^ +at .*/gm)?.join("\n");
  span.addEvent("exception", frames ? { "exception.type": error.name, "exception.stacktrace": frames } : { "exception.type": error.name });
}

function endTask(span: Span, end: TaskEnd): void {
  if (end.isError) {
    span.setAttribute("error.type", "tool_error");
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (end.error !== undefined) {
    const known = end.error instanceof McpError;
    span.setAttribute("error.type", known ? String((end.error as McpError).code) : "_OTHER");
    span.setStatus(known ? { code: SpanStatusCode.ERROR, message: (end.error as McpError).message } : { code: SpanStatusCode.ERROR });
    if (!known && end.error instanceof Error) recordCause(span, end.error);
  }
  span.end();
}

