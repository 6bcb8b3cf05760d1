import { isSpanContextValid, trace, type Context, type Link, type SpanContext, type TextMapGetter, type TextMapPropagator } from "@opentelemetry/api";
import type { HeaderReader } from "../definitions/context.js";
import { isObject } from "../protocol/jsonrpc.js";
import type { InstrumentedRequest } from "../protocol/instrumentation.js";

const metaGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === "string" ? value : undefined;
  },
};

const headerGetter: TextMapGetter<HeaderReader> = {
  keys: () => [],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * The parent of a request's span, as the convention asks: the trace context in `params._meta`
 * (`traceparent`, `tracestate`, `baggage`), else the HTTP request's headers, else the ambient one
 * (an HTTP server span, say). The ones not chosen are linked: the MCP context and the transport's
 * are independent (one MCP request may take several HTTP requests, retries for instance).
 */
export function parentOf(active: Context, request: InstrumentedRequest, propagator: TextMapPropagator): { parent: Context; links: Link[] } {
  const ambient = trace.getSpanContext(active);
  const meta = request.params._meta;
  const fromMeta = isObject(meta) ? remote(propagator.extract(active, meta, metaGetter), ambient) : undefined;
  const headers = request.channel.headers;
  const fromHeaders = headers ? remote(propagator.extract(active, headers, headerGetter), ambient) : undefined;
  const parent = fromMeta ?? fromHeaders ?? active;
  const links: Link[] = [];
  const parentSpan = trace.getSpanContext(parent);
  for (const candidate of [fromHeaders && trace.getSpanContext(fromHeaders), ambient]) {
    if (candidate && isSpanContextValid(candidate) && !sameSpan(candidate, parentSpan) && !links.some((link) => sameSpan(link.context, candidate))) {
      links.push({ context: candidate });
    }
  }
  return { parent, links };
}

/** The extracted context when it carries a span context of its own (not just the ambient one). */
function remote(extracted: Context, ambient: SpanContext | undefined): Context | undefined {
  const found = trace.getSpanContext(extracted);
  return found && isSpanContextValid(found) && !sameSpan(found, ambient) ? extracted : undefined;
}

function sameSpan(a: SpanContext, b: SpanContext | undefined): boolean {
  return b !== undefined && a.traceId === b.traceId && a.spanId === b.spanId;
}
