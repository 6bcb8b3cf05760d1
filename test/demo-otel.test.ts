// End to end over OTLP/HTTP: the built demo (a child process) with OTEL_EXPORTER_OTLP_ENDPOINT set
// sends its spans and the duration histogram to a small OTLP receiver here, in `http/json` (decoded
// and checked field by field) and in `http/protobuf` (content type, and the names in the bytes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { MODERN_META, post, startChild } from "./helpers.js";
import { ROOT } from "./stdio-child.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";

interface Received {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

/** An OTLP/HTTP receiver on 127.0.0.1: records every POST (to /v1/traces, /v1/metrics) and answers 200. */
async function otlpReceiver() {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", contentType: req.headers["content-type"], body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/json" }).end(req.headers["content-type"]?.includes("json") ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { received, endpoint: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts the built demo exporting to `endpoint`, calls `greet` (with a parent trace in _meta), and stops it. */
async function demoRound(endpoint: string, protocol: string, until: () => boolean): Promise<void> {
  const { child, url, exited } = await startChild([process.execPath, "examples/demo/dist/main.js"], /serving MCP at (\S+)/, {
    cwd: ROOT,
    env: {
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: "demo-under-test",
      OTEL_BSP_SCHEDULE_DELAY: "50",
      OTEL_METRIC_EXPORT_INTERVAL: "200",
    },
  });
  try {
    const meta = { ...MODERN_META, traceparent: `00-${TRACE}-${PARENT}-01` };
    const reply = await post(url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "greet", arguments: { question: "how are you" }, _meta: meta } }, {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": "greet",
    });
    assert.equal(reply.json?.result?.structuredContent?.answer, "Hello, how are you!", reply.text);
    for (let i = 0; i < 200 && !until(); i++) await sleep(50);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const attribute = (attributes: { key: string; value: Record<string, unknown> }[], key: string) => {
  const value = attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

test("http/json: the tools/call span (child of _meta's trace, under OTEL_SERVICE_NAME) and the duration histogram reach the collector", async (t) => {
  const receiver = await otlpReceiver();
  t.after(() => receiver.close());
  const spansOf = () =>
    receiver.received
      .filter((r) => r.path === "/v1/traces")
      .flatMap((r) => JSON.parse(r.body.toString()).resourceSpans as any[])
      .flatMap((rs) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((span: any) => ({ span, resource: rs.resource }))));
  const histogramsOf = () =>
    receiver.received
      .filter((r) => r.path === "/v1/metrics")
      .flatMap((r) => JSON.parse(r.body.toString()).resourceMetrics as any[])
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm: any) => sm.metrics))
      .filter((metric: any) => metric.name === "mcp.server.operation.duration");
  await demoRound(receiver.endpoint, "http/json", () => spansOf().length > 0 && histogramsOf().length > 0);

  assert.ok(receiver.received.every((r) => r.contentType?.startsWith("application/json")), "JSON bodies");
  const found = spansOf().find(({ span }) => span.name === "tools/call greet");
  assert.ok(found, `spans: ${spansOf().map(({ span }) => span.name)}`);
  const { span, resource } = found;
  assert.equal(attribute(resource.attributes, "service.name"), "demo-under-test");
  assert.equal(span.kind, 2, "SERVER");
  assert.equal(span.traceId, TRACE);
  assert.equal(span.parentSpanId, PARENT);
  assert.equal(attribute(span.attributes, "mcp.method.name"), "tools/call");
  assert.equal(attribute(span.attributes, "gen_ai.tool.name"), "greet");
  assert.equal(attribute(span.attributes, "mcp.protocol.version"), "2026-07-28");
  assert.equal(attribute(span.attributes, "network.transport"), "tcp");
  const [metric] = histogramsOf();
  assert.equal(metric.unit, "s");
  const point = metric.histogram.dataPoints.find((p: any) => attribute(p.attributes, "gen_ai.tool.name") === "greet");
  assert.ok(point, "a data point for the greet call");
  assert.ok(Number(point.count) >= 1);
  assert.deepEqual(point.explicitBounds, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]);
});

test("http/protobuf (the default protocol): protobuf bodies carrying the span and the metric", async (t) => {
  const receiver = await otlpReceiver();
  t.after(() => receiver.close());
  const has = (path: string, text: string) => receiver.received.some((r) => r.path === path && r.body.includes(Buffer.from(text)));
  await demoRound(receiver.endpoint, "http/protobuf", () => has("/v1/traces", "tools/call greet") && has("/v1/metrics", "mcp.server.operation.duration"));
  assert.ok(receiver.received.length > 0);
  assert.ok(receiver.received.every((r) => r.contentType === "application/x-protobuf"), receiver.received.map((r) => r.contentType).join());
  assert.ok(has("/v1/traces", "tools/call greet"), "the span's name");
  assert.ok(has("/v1/traces", "demo-under-test"), "the service name");
  assert.ok(has("/v1/traces", "gen_ai.tool.name"));
  assert.ok(receiver.received.some((r) => r.path === "/v1/traces" && r.body.includes(Buffer.from(TRACE, "hex"))), "the parent's trace id, as bytes");
  assert.ok(has("/v1/metrics", "mcp.server.operation.duration"));
});
