// http-mcp through `server.nodeHandler` with OpenTelemetry on (`openTelemetry()` from http-mcp/otel):
// the real SDK as an application sets it up (AsyncLocalStorage context, W3C propagator, batch span
// processor, periodic metric reader), its exporters dropping what they get, so the figure is the
// cost of making the spans and recording the histogram, not of shipping them.
import { createServer } from "node:http";
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { openTelemetry } from "../../dist/otel/index.js";
import { createBenchServer } from "./http-mcp.mjs";
import { HOST, port, ready } from "./shared.mjs";

const dropped = { export: (_items, done) => done({ code: 0 }), forceFlush: async () => {}, shutdown: async () => {} };
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: dropped })] }));
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: dropped, exportIntervalMillis: 1000 })] }));

const server = createBenchServer({ instrumentation: openTelemetry() });
const http = createServer(server.nodeHandler).listen(port, HOST, () => ready(http.address().port));
