// OpenTelemetry (`http-mcp/otel`) through the real SDK, in memory: the SERVER span and the duration
// histogram of the MCP semantic conventions, on every mounting path (node handler, fetch handler,
// 2025-era sessions, stdio), errors as the convention classifies them, the parent context from
// `_meta` and from HTTP headers, tasks, and a server without instrumentation producing nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { context, metrics, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { DataPointType, InMemoryMetricExporter, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { defineTool, definePrompt, MCPServer, McpError, ToolInvocationError } from "http-mcp";
import { openTelemetry } from "http-mcp/otel";
import { defineExtension } from "http-mcp/extensions";
import { legacySessions } from "http-mcp/sessions";
import { tasks } from "http-mcp/tasks";
import { inMemoryStdio, listen, listenFetch, MODERN_META, post, postLegacy, postModern, type Running } from "./helpers.js";
import { request as taskRequest, startTask, waitFor } from "./tasks-helpers.js";

const spans = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
const contextManager = new AsyncLocalStorageContextManager();

// The globals an application (or the Node SDK) sets; openTelemetry() uses them by default.
before(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});
after(async () => {
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  context.disable();
  propagation.disable();
  trace.disable();
  metrics.disable();
});

const PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN = "00f067aa0ba902b7";
const HEADER_TRACE = "0af7651916cd43dd8448eb211c80319c";
const HEADER_SPAN = "b7ad6b7169203331";

const tracer = trace.getTracer("handler");
const tools = [
  defineTool({
    name: "echo",
    input: z.object({ text: z.string() }),
    // A span of the handler's own: a child of the request's span when the context flows through.
    handler: ({ inputs }) => tracer.startActiveSpan("inside echo", (span) => (span.end(), inputs.text)),
  }),
  defineTool({ name: "refuse", handler: () => Promise.reject(new ToolInvocationError("out of paper")) }),
  defineTool({ name: "looks-failed", output: z.object({ isError: z.boolean() }), handler: () => ({ isError: true }) }),
  defineTool({ name: "slow-report", task: "optional", handler: () => new Promise<string>((resolve) => setTimeout(() => resolve("report"), 20)) }),
  defineTool({ name: "failing-report", task: "optional", handler: () => Promise.reject(new ToolInvocationError("no paper")) }),
];
const prompts = [definePrompt({ name: "greet", handler: () => "Hello" })];
const broken = defineExtension({
  id: "com.example/broken",
  withoutClient: "serve",
  methods: { "broken/run": { handler: () => Promise.reject(new Error("database is down")) } },
});

function newServer(name: string, extra: Partial<ConstructorParameters<typeof MCPServer>[0]> = {}) {
  return new MCPServer({ name, version: "1.0.0", tools, prompts, extensions: [broken, tasks({ ttlMs: 60_000, pollIntervalMs: 50 })], instrumentation: openTelemetry(), onError: () => {}, ...extra });
}

/** The finished spans named `name`, once the processor has exported those ended so far (it does so asynchronously). */
async function finished(name: string): Promise<ReadableSpan[]> {
  await tracerProvider.forceFlush();
  return spans.getFinishedSpans().filter((span) => span.name === name);
}

/** The one finished span named `name` (and, with `id`, of that JSON-RPC request id). */
async function only(name: string, id?: string): Promise<ReadableSpan> {
  const found = (await finished(name)).filter((span) => id === undefined || span.attributes["jsonrpc.request.id"] === id);
  assert.equal(found.length, 1, `spans named ${name}: ${spans.getFinishedSpans().map((s) => s.name).join(", ")}`);
  return found[0]!;
}

async function durationPoints(): Promise<{ attributes: Record<string, unknown>; count: number }[]> {
  await reader.forceFlush();
  const exported = metricExporter.getMetrics().at(-1);
  const metric = exported?.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === "mcp.server.operation.duration") as HistogramMetricData | undefined;
  assert.ok(metric, "the duration histogram was exported");
  assert.equal(metric.dataPointType, DataPointType.HISTOGRAM);
  assert.equal(metric.descriptor.unit, "s");
  assert.deepEqual(metric.dataPoints[0]!.value.buckets.boundaries, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]);
  return metric.dataPoints.map((point) => ({ attributes: point.attributes as Record<string, unknown>, count: point.value.count }));
}

describe("openTelemetry over HTTP (node handler)", () => {
  const server = newServer("otel-node");
  let running: Running;
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });

  test("tools/call (2026-07-28): a SERVER span named after the tool, child of _meta's traceparent, with the convention's attributes", async () => {
    const meta = { ...MODERN_META, traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01`, tracestate: "rojo=00f067aa0ba902b7" };
    const reply = await post(running.url, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "echo", arguments: { text: "a private value" }, _meta: meta } }, {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": "echo",
    });
    assert.equal(reply.json.result.content[0].text, "a private value");
    const span = await only("tools/call echo", "7");
    assert.equal(span.kind, SpanKind.SERVER);
    assert.equal(span.spanContext().traceId, PARENT_TRACE);
    assert.equal(span.parentSpanContext?.spanId, PARENT_SPAN);
    assert.equal(span.parentSpanContext?.traceState?.get("rojo"), "00f067aa0ba902b7");
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    const { "client.port": port, ...attributes } = span.attributes;
    assert.equal(typeof port, "number");
    assert.deepEqual(attributes, {
      "mcp.method.name": "tools/call",
      "mcp.protocol.version": "2026-07-28",
      "jsonrpc.request.id": "7",
      "gen_ai.tool.name": "echo",
      "gen_ai.operation.name": "execute_tool",
      "network.transport": "tcp",
      "network.protocol.name": "http",
      "network.protocol.version": "1.1",
      "client.address": "127.0.0.1",
    });
    assert.ok(!JSON.stringify(span.attributes).includes("private"), "no argument values");
    const inside = await only("inside echo");
    assert.equal(inside.parentSpanContext?.spanId, span.spanContext().spanId, "the handler runs in the request's span");
    const points = await durationPoints();
    const point = points.find((p) => p.attributes["gen_ai.tool.name"] === "echo" && p.attributes["mcp.protocol.version"] === "2026-07-28");
    assert.ok(point && point.count >= 1);
    assert.deepEqual(Object.keys(point.attributes).sort(), [
      "gen_ai.operation.name",
      "gen_ai.tool.name",
      "mcp.method.name",
      "mcp.protocol.version",
      "network.protocol.name",
      "network.protocol.version",
      "network.transport",
    ]);
  });

  test("a 2025-era request takes its parent from the HTTP traceparent header; other methods are named by the method alone", async () => {
    const reply = await postLegacy(running.url, "list-1", "tools/list", undefined, { traceparent: `00-${HEADER_TRACE}-${HEADER_SPAN}-01` });
    assert.equal(reply.status, 200);
    const span = await only("tools/list", "list-1");
    assert.equal(span.spanContext().traceId, HEADER_TRACE);
    assert.equal(span.parentSpanContext?.spanId, HEADER_SPAN);
    assert.equal(span.attributes["mcp.protocol.version"], "2025-11-25");
    assert.equal(span.attributes["gen_ai.operation.name"], undefined, "only tool calls are execute_tool");
  });

  test("with both, _meta's context is the parent and the header's is linked; a malformed _meta traceparent falls back to the header", async () => {
    const meta = { ...MODERN_META, traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01` };
    await post(running.url, { jsonrpc: "2.0", id: "both", method: "prompts/get", params: { name: "greet", _meta: meta } }, {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "prompts/get",
      "mcp-name": "greet",
      traceparent: `00-${HEADER_TRACE}-${HEADER_SPAN}-01`,
    });
    const span = await only("prompts/get greet", "both");
    assert.equal(span.attributes["gen_ai.prompt.name"], "greet");
    assert.equal(span.spanContext().traceId, PARENT_TRACE);
    assert.deepEqual(span.links.map((link) => link.context.spanId), [HEADER_SPAN]);

    const bad = { ...MODERN_META, traceparent: "00-not-a-trace-01" };
    await post(running.url, { jsonrpc: "2.0", id: "bad", method: "tools/list", params: { _meta: bad } }, {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/list",
      traceparent: `00-${HEADER_TRACE}-${HEADER_SPAN}-01`,
    });
    assert.equal((await only("tools/list", "bad")).spanContext().traceId, HEADER_TRACE);
  });

  test("a tool error (isError) is error.type tool_error with error status; the same words inside a result are not", async () => {
    const reply = await postModern(running.url, "tool-error", "tools/call", { name: "refuse" });
    assert.equal(reply.json.result.isError, true);
    const span = await only("tools/call refuse");
    assert.equal(span.attributes["error.type"], "tool_error");
    assert.equal(span.attributes["rpc.response.status_code"], undefined, "no JSON-RPC error code in a result");
    assert.equal(span.status.code, SpanStatusCode.ERROR);

    const fine = await postModern(running.url, "looks-failed", "tools/call", { name: "looks-failed" });
    assert.equal(fine.json.result.structuredContent.isError, true);
    const ok = await only("tools/call looks-failed");
    assert.equal(ok.attributes["error.type"], undefined);
    assert.equal(ok.status.code, SpanStatusCode.UNSET);
    const points = await durationPoints();
    assert.ok(points.some((p) => p.attributes["gen_ai.tool.name"] === "refuse" && p.attributes["error.type"] === "tool_error"));
  });

  test("a JSON-RPC error is error.type and rpc.response.status_code = its code, with its message as the status description", async () => {
    const reply = await postModern(running.url, "unknown", "tools/call", { name: "nope" });
    const code = reply.json.error.code as number;
    const span = await only("tools/call nope");
    assert.equal(span.attributes["error.type"], String(code));
    assert.equal(span.attributes["rpc.response.status_code"], String(code));
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: reply.json.error.message });

    await postModern(running.url, "no-method", "no/such", {});
    assert.equal((await only("no/such")).attributes["error.type"], "-32601");
    const points = await durationPoints();
    assert.ok(points.some((p) => p.attributes["mcp.method.name"] === "no/such" && p.attributes["error.type"] === "-32601"));
  });

  test("an internal error records the exception's type and stack frames, not its message", async () => {
    const reply = await postModern(running.url, "broken", "broken/run", {});
    assert.equal(reply.json.error.code, -32603);
    const span = await only("broken/run");
    assert.equal(span.attributes["error.type"], "-32603");
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: "Internal error" });
    const [event] = span.events;
    assert.equal(event?.name, "exception");
    assert.equal(event?.attributes?.["exception.type"], "Error");
    assert.match(String(event?.attributes?.["exception.stacktrace"]), /^ +at /);
    assert.ok(!JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status }).includes("database is down"));
  });

  test("a task: tools/call carries mcp.task.id, its work is an execute_tool span under it, and tasks/get spans carry the id too", async () => {
    const created = await startTask(running.url, "slow-report");
    const done = await waitFor(running.url, created.taskId);
    assert.equal(done.status, "completed");
    const call = (await finished("tools/call slow-report")).at(-1)!;
    assert.equal(call.attributes["mcp.task.id"], created.taskId);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const work = await only("execute_tool slow-report");
    assert.equal(work.kind, SpanKind.INTERNAL);
    assert.equal(work.parentSpanContext?.spanId, call.spanContext().spanId);
    assert.equal(work.spanContext().traceId, call.spanContext().traceId);
    assert.equal(work.attributes["mcp.task.id"], created.taskId);
    assert.equal(work.status.code, SpanStatusCode.UNSET);
    const polls = (await finished("tasks/get")).filter((span) => span.attributes["mcp.task.id"] === created.taskId);
    assert.ok(polls.length >= 1);

    const failing = await startTask(running.url, "failing-report");
    await waitFor(running.url, failing.taskId);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failed = await only("execute_tool failing-report");
    assert.equal(failed.attributes["error.type"], "tool_error");
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    const cancelled = await taskRequest(running.url, "tasks/cancel", { taskId: failing.taskId });
    assert.ok(cancelled.json);
    assert.equal((await finished("tasks/cancel")).at(-1)?.attributes["mcp.task.id"], failing.taskId);
  });
});

describe("openTelemetry on the other mounting paths", () => {
  test("the fetch handler: the same span, without a client address the Request does not carry", async (t) => {
    const server = newServer("otel-fetch");
    const running = await listenFetch(server.fetch);
    t.after(async () => {
      await running.close();
      await server.close();
    });
    await postModern(running.url, "via-fetch", "tools/call", { name: "echo", arguments: { text: "x" } });
    const span = await only("tools/call echo", "via-fetch");
    assert.equal(span.attributes["network.transport"], "tcp");
    assert.equal(span.attributes["network.protocol.name"], "http");
    assert.equal(span.attributes["client.address"], undefined);
    assert.equal(span.attributes["mcp.protocol.version"], "2026-07-28");
  });

  test("2025-era sessions: initialize and the calls in the session carry mcp.session.id", async (t) => {
    const server = newServer("otel-sessions", { sessions: legacySessions() });
    const running = await listen(server.nodeHandler);
    t.after(async () => {
      await running.close();
      await server.close();
    });
    const init = await postLegacy(running.url, "init", "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } });
    const session = init.headers.get("mcp-session-id")!;
    assert.ok(session);
    await postLegacy(running.url, "in-session", "tools/call", { name: "echo", arguments: { text: "x" } }, { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" });
    assert.equal((await only("initialize", "init")).attributes["mcp.session.id"], session);
    assert.equal((await only("initialize", "init")).attributes["mcp.protocol.version"], "2025-06-18");
    const call = await only("tools/call echo", "in-session");
    assert.equal(call.attributes["mcp.session.id"], session);
    assert.equal(call.attributes["mcp.protocol.version"], "2025-06-18");
  });

  test("stdio: network.transport pipe, the peer's negotiated version, and no HTTP attributes", async (t) => {
    const server = newServer("otel-stdio");
    const stdio = inMemoryStdio(server);
    t.after(() => stdio.connection.close());
    stdio.send({ jsonrpc: "2.0", id: "s-init", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
    await stdio.waitFor((line) => line.id === "s-init");
    stdio.send({ jsonrpc: "2.0", id: "s-call", method: "tools/call", params: { name: "echo", arguments: { text: "x" } } });
    await stdio.waitFor((line) => line.id === "s-call");
    const span = await only("tools/call echo", "s-call");
    assert.equal(span.attributes["network.transport"], "pipe");
    assert.equal(span.attributes["network.protocol.name"], undefined);
    assert.equal(span.attributes["client.address"], undefined);
    assert.equal(span.attributes["mcp.session.id"], undefined);
    assert.equal(span.attributes["mcp.protocol.version"], "2025-06-18");
  });

  test("captureResourceUri records mcp.resource.uri on resources/read only when asked", async (t) => {
    const { defineResource } = await import("http-mcp");
    const resources = [defineResource({ uri: "file:///private/notes.txt", name: "notes", read: () => "notes" })];
    const quiet = new MCPServer({ name: "uri-off", version: "1", resources, instrumentation: openTelemetry() });
    const loud = new MCPServer({ name: "uri-on", version: "1", resources, instrumentation: openTelemetry({ captureResourceUri: true }) });
    const off = await listen(quiet.nodeHandler);
    const on = await listen(loud.nodeHandler);
    t.after(async () => {
      await off.close();
      await on.close();
    });
    const read = (url: string, id: string) =>
      post(url, { jsonrpc: "2.0", id, method: "resources/read", params: { uri: "file:///private/notes.txt", _meta: MODERN_META } }, {
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "resources/read",
        "mcp-name": "file:///private/notes.txt",
      });
    assert.equal((await read(off.url, "uri-off")).status, 200);
    assert.equal((await read(on.url, "uri-on")).status, 200);
    assert.equal((await only("resources/read", "uri-off")).attributes["mcp.resource.uri"], undefined);
    assert.equal((await only("resources/read", "uri-on")).attributes["mcp.resource.uri"], "file:///private/notes.txt");
  });

  test("explicit providers take the place of the global ones", async (t) => {
    const own = new InMemorySpanExporter();
    const ownProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: own })] });
    const server = new MCPServer({ name: "own", version: "1", tools, instrumentation: openTelemetry({ tracerProvider: ownProvider }) });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    await postModern(running.url, "own-provider", "tools/list");
    assert.deepEqual(own.getFinishedSpans().map((span) => span.name), ["tools/list"]);
    assert.equal((await finished("tools/list")).filter((span) => span.attributes["jsonrpc.request.id"] === "own-provider").length, 0);
  });
});

describe("without instrumentation", () => {
  test("a server answers as before and records nothing, though the SDK is set up", async (t) => {
    const server = new MCPServer({ name: "plain", version: "1.0.0", tools });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    const before = spans.getFinishedSpans().length;
    const reply = await postModern(running.url, "plain", "tools/call", { name: "refuse" });
    assert.equal(reply.json.result.isError, true);
    await postModern(running.url, "plain-2", "tools/list");
    // Only the handler's own spans would appear; these tools make none.
    assert.equal(spans.getFinishedSpans().length, before);
    assert.equal(
      spans.getFinishedSpans().some((span) => String(span.attributes["jsonrpc.request.id"]).startsWith("plain")),
      false,
    );
  });

  test("McpError from a handler keeps its own code on the span", async (t) => {
    const server = new MCPServer({
      name: "codes",
      version: "1",
      tools: [defineTool({ name: "limited", handler: () => Promise.reject(new McpError("INVALID_PARAMS", "bad size")) })],
      instrumentation: openTelemetry(),
    });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    await postModern(running.url, "limited", "tools/call", { name: "limited" });
    const span = await only("tools/call limited");
    assert.equal(span.attributes["error.type"], "-32602");
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: "bad size" });
  });
});

describe("the guide's example (docs/observability.md)", () => {
  test("reports a span and logs an event for the same call", async (t) => {
    const { createServer } = await import("../docs/examples/observability.ts");
    const logged: object[] = [];
    const record = (object: object) => void logged.push(object);
    const server = createServer({ info: record, warn: record, error: record });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    const reply = await postModern(running.url, "guide", "tools/call", { name: "forecast", arguments: { city: "Oslo" } });
    assert.equal(reply.json.result.content[0].text, "Sunny in Oslo");
    assert.equal((await only("tools/call forecast", "guide")).attributes["gen_ai.tool.name"], "forecast");
    assert.deepEqual(logged.map((event) => (event as { tool?: string }).tool), ["forecast"]);
  });
});
