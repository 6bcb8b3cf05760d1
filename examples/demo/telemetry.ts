// OpenTelemetry for the demo, on when OTEL_EXPORTER_OTLP_ENDPOINT is set: traces and metrics sent
// over OTLP/HTTP (OTEL_EXPORTER_OTLP_PROTOCOL `http/protobuf`, the default, or `http/json`), under
// OTEL_SERVICE_NAME, every OTEL_BSP_SCHEDULE_DELAY ms (spans) and OTEL_METRIC_EXPORT_INTERVAL ms
// (metrics). The SDK is loaded only then, so the demo starts as fast as ever without it.
import type { Instrumentation } from "http-mcp";

export interface Telemetry {
  readonly instrumentation: Instrumentation;
  /** Sends what is still buffered; call it before the process exits. */
  shutdown(): Promise<void>;
}

const PROTOCOLS = ["http/protobuf", "http/json"];

/** The demo's telemetry, or undefined when OTEL_EXPORTER_OTLP_ENDPOINT is not set (or asks for what it cannot do). */
export async function startTelemetry(env: NodeJS.ProcessEnv = process.env): Promise<Telemetry | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
  if (!PROTOCOLS.includes(protocol)) {
    console.error(`http-mcp demo: OTEL_EXPORTER_OTLP_PROTOCOL must be ${PROTOCOLS.join(" or ")}, not "${protocol}"; telemetry is off`);
    return undefined;
  }
  const json = protocol === "http/json";
  const [api, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }, traceSdk, metricsSdk, traceExporter, metricExporter, { openTelemetry }] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/context-async-hooks"),
      import("@opentelemetry/core"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/sdk-trace"),
      import("@opentelemetry/sdk-metrics"),
      json ? import("@opentelemetry/exporter-trace-otlp-http") : import("@opentelemetry/exporter-trace-otlp-proto"),
      json ? import("@opentelemetry/exporter-metrics-otlp-http") : import("@opentelemetry/exporter-metrics-otlp-proto"),
      import("http-mcp/otel"),
    ]);
  // The exporters read the endpoint (and OTEL_EXPORTER_OTLP_HEADERS, …) from the environment themselves.
  const resource = resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "http-mcp-demo" });
  const tracerProvider = new traceSdk.TracerProvider({
    resource,
    spanProcessors: [new traceSdk.BatchSpanProcessor({ exporter: new traceExporter.OTLPTraceExporter(), scheduledDelayMillis: milliseconds(env.OTEL_BSP_SCHEDULE_DELAY, 5000) })],
  });
  const meterProvider = new metricsSdk.MeterProvider({
    resource,
    readers: [
      new metricsSdk.PeriodicExportingMetricReader({
        exporter: new metricExporter.OTLPMetricExporter(),
        exportIntervalMillis: milliseconds(env.OTEL_METRIC_EXPORT_INTERVAL, 60_000),
      }),
    ],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(tracerProvider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  return {
    instrumentation: openTelemetry(),
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

function milliseconds(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}
