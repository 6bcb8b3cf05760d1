import type { McpRequest } from "../../definitions/context.js";
import type { FetchHandler, FetchOptions } from "./handler-types.js";
import { bodyBytes, INTERNAL_ERROR_BODY } from "../../protocol/jsonrpc.js";
import type { Exchange } from "../../protocol/request-context.js";
import type { Awaitable } from "../../protocol/awaitable.js";
import { admit } from "../admission.js";
import {
  afterBody,
  beforeBody,
  BodyTooLarge,
  decodeUtf8,
  JSON_RESPONSE_HEADERS,
  readAndHandle,
  responseHeaders,
  unreadable,
  type HttpCore,
  type HttpInput,
  type HttpOutcome,
} from "./pipeline.js";
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

/** The body's bytes, capped (BodyTooLarge past `limit`); decoded by the caller, in the same turn as the rest. */
function readBody(request: Request, contentLength: string | null, limit: number): Promise<ArrayBuffer | Uint8Array> {
  // With a declared length (already checked against the cap, and enforced by the runtime's
  // framing) one arrayBuffer() read is much faster than a reader loop on some adapters, which
  // also build a full Request as soon as `body` is touched.
  return contentLength !== null ? request.arrayBuffer() : readStream(request, limit);
}

async function readStream(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
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
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/** The body as text: BodyTooLarge past the cap (a declared length can understate it), a TypeError for bytes that are not UTF-8. */
function bodyText(bytes: ArrayBuffer | Uint8Array, limit: number): { text: string } {
  if (bytes.byteLength > limit) throw new BodyTooLarge();
  return { text: decodeUtf8(bytes) };
}

/** Serves MCP as a Web-standard `(Request) => Promise<Response>` handler (Bun, Deno, Workers, Hono…). */
export function createFetchHandler(core: HttpCore): FetchHandler {
  // Not async: the common case is one `then` on the body read, which returns the Response itself;
  // a deferred Response is made only when the dispatch goes async (it may open an SSE stream first).
  return (request, options) => {
    const mcpRequest: McpRequest = { transport: "http", method: request.method, url: request.url, headers: request.headers, raw: request };
    // Streams are built only when a reply turns out to need one: most replies are plain JSON.
    const streams = acceptsEventStream(request.headers.get("accept"));
    let gone: AbortController | undefined;
    let events: EventStream | undefined;
    const openEvents = () => (events ??= eventStream((gone ??= new AbortController())));
    /** The SSE response, once the first message opened it; `respond` hands it out early when the dispatch is still running. */
    let opened: Response | undefined;
    let respond: ((response: Response) => void) | undefined;
    let sse: LazySse | undefined;
    const emit = streams
      ? (json: string) =>
          (sse ??= new LazySse(() => {
            opened = new Response(openEvents().body, { status: 200, headers: SSE_HEADERS });
            respond?.(opened);
            return openEvents().sink;
          })).emit(json)
      : undefined;
    const signal = () => (streams ? AbortSignal.any([request.signal, (gone ??= new AbortController()).signal]) : request.signal);
    const exchange: Exchange = { request: mcpRequest, auth: options?.auth, signal, emit };
    const input = requestInput(request);
    const toResponse = (outcome: HttpOutcome): Response => {
      if (sse?.started) return sse.finish(outcome.body), opened!;
      if (outcome.attach && streams) return stream(outcome, openEvents());
      return new Response((bodyBytes(outcome) as BodyInit | undefined) ?? null, { status: outcome.status, headers: responseHeaders(outcome) });
    };
    const failed = (error: unknown): Response => {
      core.engine.report(error, "http");
      if (sse?.started) return sse.finish(undefined), opened!;
      return new Response(INTERNAL_ERROR_BODY, { status: 500, headers: JSON_RESPONSE_HEADERS });
    };
    const settle = (outcome: Awaitable<HttpOutcome>): Response | Promise<Response> => {
      if (!(outcome instanceof Promise)) return toResponse(outcome);
      return new Promise<Response>((resolve) => {
        if (opened) resolve(opened);
        else respond = resolve;
        outcome.then((done) => resolve(toResponse(done)), (error: unknown) => resolve(failed(error)));
      });
    };
    try {
      const early = beforeBody(core, input, exchange);
      if (early !== undefined) return Promise.resolve(settle(early));
      const admitting = admit(core, exchange);
      if (admitting) return Promise.resolve(settle(admitting.then((refusal) => refusal ?? readAndHandle(core, input, exchange))));
      return readBody(request, input.contentLength, core.maxBodyBytes).then(
        (bytes) => {
          let body: { text: string };
          try {
            body = bodyText(bytes, core.maxBodyBytes);
          } catch (error) {
            return settle(unreadable(error));
          }
          try {
            return settle(afterBody(core, body, exchange, input));
          } catch (error) {
            return failed(error);
          }
        },
        (error: unknown) => settle(unreadable(error)),
      );
    } catch (error) {
      return Promise.resolve(failed(error));
    }
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
  const input: HttpInput = {
    method: request.method,
    headers: request.headers,
    // Read by the Host and Origin checks only when needed (most requests have no Origin): on some
    // adapters a Host header read is a scan of the raw headers.
    host: undefined,
    url: request.url,
    contentLength: request.headers.get("content-length"),
    readBody: (limit) => readBody(request, input.contentLength, limit).then((bytes) => bodyText(bytes, limit)),
  };
  return input;
}
