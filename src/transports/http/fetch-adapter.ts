import type { McpRequest } from "../../definitions/context.js";
import type { FetchHandler, FetchOptions } from "./handler-types.js";
import { INTERNAL_ERROR_BODY } from "../../protocol/jsonrpc.js";
import type { Exchange } from "../../protocol/request-context.js";
import { BodyTooLarge, decodeUtf8, handleHttp, responseHeaders, type HttpCore, type HttpInput, type HttpOutcome } from "./pipeline.js";
import { acceptsEventStream, keepAlive, LazySse, SSE_HEADERS, type SseSink } from "./sse.js";

const encoder = new TextEncoder();

type EventStream = { body: ReadableStream<Uint8Array>; sink: SseSink; gone: AbortSignal };

/** An SSE body: a ReadableStream fed through a sink; `gone` fires when the client cancels it. */
function eventStream(gone: AbortController): EventStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => gone.abort(),
  });
  const sink: SseSink = {
    write: (text) => {
      if (!gone.signal.aborted) controller.enqueue(encoder.encode(text));
    },
    end: () => {
      if (gone.signal.aborted) return;
      gone.abort();
      controller.close();
    },
  };
  return { body, sink, gone: gone.signal };
}

export type { FetchHandler, FetchOptions };

function readBody(request: Request, limit: number): Promise<{ text: string }> {
  // With a declared length (already checked against the cap, and enforced by the runtime's
  // framing) one arrayBuffer() read is much faster than a reader loop on some adapters, which
  // also build a full Request as soon as `body` is touched.
  if (request.headers.get("content-length") !== null) {
    return request.arrayBuffer().then((buffer) => {
      if (buffer.byteLength > limit) throw new BodyTooLarge();
      return { text: decodeUtf8(new Uint8Array(buffer)) };
    });
  }
  return readStream(request, limit);
}

async function readStream(request: Request, limit: number): Promise<{ text: string }> {
  if (!request.body) return { text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { text: decodeUtf8(chunks[0]!) };
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: decodeUtf8(joined) };
}

/** Serves MCP as a Web-standard `(Request) => Promise<Response>` handler (Bun, Deno, Workers, Hono…). */
export function createFetchHandler(core: HttpCore): FetchHandler {
  // Not async: the Response promise is returned as is, without another promise wrapped around it.
  return (request, options) => {
    const mcpRequest: McpRequest = { transport: "http", method: request.method, url: request.url, headers: request.headers, raw: request };
    // Streams are built only when a reply turns out to need one: most replies are plain JSON.
    const streams = acceptsEventStream(request.headers.get("accept"));
    let gone: AbortController | undefined;
    let events: EventStream | undefined;
    const openEvents = () => (events ??= eventStream((gone ??= new AbortController())));
    let respond!: (response: Response) => void;
    const response = new Promise<Response>((resolve) => (respond = resolve));
    let sse: LazySse | undefined;
    const emit = streams
      ? (json: string) => (sse ??= new LazySse(() => (respond(new Response(openEvents().body, { status: 200, headers: SSE_HEADERS })), openEvents().sink))).emit(json)
      : undefined;
    const signal = () => (streams ? AbortSignal.any([request.signal, (gone ??= new AbortController()).signal]) : request.signal);
    const exchange: Exchange = { request: mcpRequest, auth: options?.auth, signal, emit };
    const input = requestInput(request);
    handleHttp(core, input, exchange).then(
      (outcome) => {
        if (sse?.started) sse.finish(outcome.body);
        else if (outcome.attach && streams) respond(stream(outcome, openEvents()));
        else respond(new Response(outcome.body ?? null, { status: outcome.status, headers: responseHeaders(outcome) }));
      },
      (error: unknown) => {
        core.engine.report(error, "http");
        if (sse?.started) sse.finish(undefined);
        else respond(new Response(INTERNAL_ERROR_BODY, { status: 500, headers: responseHeaders({ status: 500, body: "" }) }));
      },
    );
    return response;
  };
}

/** A long-lived SSE stream (a session's GET stream): open until the client cancels it. */
function stream(outcome: HttpOutcome, events: EventStream): Response {
  const detach = outcome.attach!(events.sink);
  const stopKeepAlive = keepAlive(events.sink);
  events.gone.addEventListener("abort", () => {
    stopKeepAlive();
    detach();
  });
  return new Response(events.body, { status: 200, headers: { ...SSE_HEADERS, ...outcome.headers } });
}

/** What the pipeline (and the CORS layer's Origin check) reads of a Web request. */
export function requestInput(request: Request): HttpInput {
  // The Host header names the authority the client used; the URL is parsed only without one.
  const host = request.headers.get("host");
  return {
    method: request.method,
    headers: request.headers,
    host: host ?? new URL(request.url).host,
    scheme: request.url.startsWith("https:") ? "https" : "http",
    loopbackSocket: false,
    readBody: (limit) => readBody(request, limit),
  };
}
