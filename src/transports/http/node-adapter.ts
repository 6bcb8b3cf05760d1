import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo, HeaderReader, McpRequest } from "../../definitions/context.js";
import type { NodeHandler } from "./handler-types.js";
import { bodyBytes, INTERNAL_ERROR_BODY } from "../../protocol/jsonrpc.js";
import type { Exchange } from "../../protocol/request-context.js";
import type { Awaitable } from "../../protocol/awaitable.js";
import { admit } from "../admission.js";
import { afterBody, beforeBody, BodyTooLarge, decodeUtf8, readAndHandle, responseHeaders, unreadable, withLength, type HttpCore, type HttpInput, type HttpOutcome } from "./pipeline.js";
import { acceptsEventStream, keepAlive, LazySse, SSE_HEADERS, type SseSink } from "./sse.js";

/** A Node request as Express and friends leave it: maybe parsed already, maybe with `auth` set. */
type HostRequest = IncomingMessage & { body?: unknown; auth?: AuthInfo };

export type { NodeHandler };

export class NodeHeaders implements HeaderReader {
  constructor(private readonly req: IncomingMessage) {}
  get(name: string): string | null {
    // Node keys headers in lowercase, as the library asks for them: the name is lowered only when not found.
    const { headers } = this.req;
    const value = headers[name] ?? headers[name.toLowerCase()];
    return typeof value === "string" ? value : Array.isArray(value) ? value.join(", ") : null;
  }
}

/**
 * Reads the body with plain callbacks, capped while streaming: `callback` gets, once, the body or
 * the error that stopped it. A body a host parser (express.json()) already read is handed over as parsed.
 */
function readBody(req: HostRequest, limit: number, callback: (body: { text: string } | { parsed: unknown } | Error) => void): void {
  // `complete` first: an own field, where `body` is a load most requests miss.
  if (req.complete && req.body !== undefined && req.readableEnded) return callback({ parsed: req.body });
  let settled = false;
  const done = (result: { text: string } | Error) => {
    if (settled) return;
    settled = true;
    callback(result);
  };
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.off("data", onData);
      req.pause();
      done(new BodyTooLarge());
    } else chunks.push(chunk);
  };
  const onEnd = () => {
    let text: string;
    try {
      text = bodyText(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    } catch (error) {
      return done(error as Error);
    }
    done({ text });
  };
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", done); // kept for the request's life: a late "aborted" error must not go unhandled
}

/**
 * The body as text, refusing invalid UTF-8 as the strict decoder does (a leading BOM dropped).
 * Buffer's decoder is the fast one but replaces bad bytes with U+FFFD, so only a text showing
 * one (or a BOM) is decoded again, strictly: ASCII bodies are never scanned twice.
 */
function bodyText(bytes: Buffer): string {
  const text = bytes.toString();
  return text.charCodeAt(0) === 0xfeff || text.includes("\uFFFD") ? decodeUtf8(bytes) : text;
}

function lazySignal(res: ServerResponse): () => AbortSignal {
  return () => {
    const controller = new AbortController();
    if (res.closed && !res.writableFinished) controller.abort();
    else res.once("close", () => res.writableFinished || controller.abort());
    return controller.signal;
  };
}

/** Serves MCP on a Node `IncomingMessage`/`ServerResponse` pair without building Web Request/Response objects. */
export function createNodeHandler(core: HttpCore): NodeHandler {
  return (req, res) => {
    const host = req as HostRequest;
    const headers = new NodeHeaders(req);
    // A server request always has both (only a client's response lacks them).
    const request: McpRequest = { transport: "http", method: req.method!, url: req.url!, headers, raw: req };
    // The SSE machinery is built on the first message a call sends: most replies are plain JSON.
    let sse: LazySse | undefined;
    const emit = acceptsEventStream(headers.get("accept"))
      ? (json: string) => (sse ??= new LazySse(() => (res.writeHead(200, SSE_HEADERS), sinkOf(res)))).emit(json)
      : undefined;
    const exchange: Exchange = { request, auth: host.auth, signal: lazySignal(res), emit };
    const input: HttpInput = {
      method: request.method,
      headers,
      host: req.headers.host ?? "",
      socket: req.socket,
      contentLength: req.headers["content-length"] ?? null,
      readBody: (limit) => new Promise((resolve, reject) => readBody(host, limit, (body) => (body instanceof Error ? reject(body) : resolve(body)))),
    };
    const send = (outcome: HttpOutcome) => {
      // Finishing also stops the stream's keep-alive timer, including when the client already left.
      if (sse?.started) return sse.finish(res.destroyed ? undefined : outcome.body);
      if (res.destroyed || res.headersSent) return;
      if (outcome.attach) return stream(res, outcome, sinkOf(res));
      const headers = responseHeaders(outcome);
      // Answered before the body was read (a refusal): the connection closes rather than read the
      // rest of an upload to discard it (serve() closes lingering, so the client still reads this).
      req.complete || res.setHeader("connection", "close");
      // A known length lets Node send headers and body in one write (no chunked encoding).
      const body = bodyBytes(outcome);
      res.writeHead(outcome.status, body === undefined ? headers : withLength(headers, String(Buffer.byteLength(body))));
      res.end(body);
    };
    const failed = (error: unknown) => {
      core.engine.report(error, "http");
      if (sse?.started) return sse.finish(undefined);
      send({ status: 500, body: INTERNAL_ERROR_BODY });
    };
    const reply = (outcome: Awaitable<HttpOutcome>) => (outcome instanceof Promise ? void outcome.then(send).catch(failed) : send(outcome));
    // The common case runs without a promise: checks, then the body by callback, then a synchronous
    // dispatch, so the reply is written in the same turn as the body's end (measurably faster).
    // Nothing may throw out of a request listener: that would take the process down.
    try {
      const early = beforeBody(core, input, exchange);
      if (early !== undefined) return reply(early);
      const admitting = admit(core, exchange);
      if (admitting) return reply(admitting.then((refusal) => refusal ?? readAndHandle(core, input, exchange)));
      readBody(host, core.maxBodyBytes, (body) => {
        try {
          reply(body instanceof Error ? unreadable(body) : afterBody(core, body, exchange, input));
        } catch (error) {
          failed(error);
        }
      });
    } catch (error) {
      failed(error);
    }
  };
}

function sinkOf(res: ServerResponse): SseSink {
  return { write: (text) => void res.write(text), end: () => res.end() };
}

/** A long-lived SSE stream: open until the client leaves. */
function stream(res: ServerResponse, outcome: HttpOutcome, sink: SseSink): void {
  res.writeHead(200, { ...SSE_HEADERS, ...outcome.headers });
  res.flushHeaders();
  const detach = outcome.attach!(sink);
  const stopKeepAlive = keepAlive(sink);
  res.once("close", () => {
    stopKeepAlive();
    detach();
  });
}
