import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo, HeaderReader, McpRequest } from "../../definitions/context.js";
import { INTERNAL_ERROR_BODY } from "../../protocol/jsonrpc.js";
import type { Exchange } from "../../protocol/request-context.js";
import { BodyTooLarge, decodeUtf8, handleHttp, responseHeaders, type HttpCore, type HttpInput, type HttpOutcome } from "./pipeline.js";
import { acceptsEventStream, keepAlive, LazySse, SSE_HEADERS, type SseSink } from "./sse.js";
import { isLoopbackAddress } from "./security.js";

/** A Node request as Express and friends leave it: maybe parsed already, maybe with `auth` set. */
type HostRequest = IncomingMessage & { body?: unknown; auth?: AuthInfo };

/** Node's handler type: `(req, res) => void`, also accepted by Express as `(req, res, next)`. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

class NodeHeaders implements HeaderReader {
  constructor(private readonly req: IncomingMessage) {}
  get(name: string): string | null {
    const value = this.req.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
}

function readBody(req: HostRequest, limit: number): Promise<{ text: string } | { parsed: unknown }> {
  // A body parser (express.json()) got there first: use its result, the stream is spent.
  if (req.body !== undefined && req.readableEnded) return Promise.resolve({ parsed: req.body });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("error", reject); // kept for the request's life: a late "aborted" error must not go unhandled
    req.once("end", () => {
      try {
        resolve({ text: decodeUtf8(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)) });
      } catch (error) {
        reject(error);
      }
    });
  });
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
    const request: McpRequest = { transport: "http", method: req.method ?? "GET", url: req.url ?? "/", headers, raw: req };
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
      scheme: (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http",
      loopbackSocket: isLoopbackAddress(req.socket.localAddress),
      readBody: (limit) => readBody(host, limit),
    };
    handleHttp(core, input, exchange).then(
      (outcome) => {
        // Finishing also stops the stream's keep-alive timer, including when the client already left.
        if (sse?.started) return sse.finish(res.destroyed ? undefined : outcome.body);
        if (res.destroyed) return;
        if (res.headersSent) return;
        if (outcome.attach) return stream(res, outcome, sinkOf(res));
        const headers = responseHeaders(outcome);
        // A known length lets Node send headers and body in one write (no chunked encoding).
        res.writeHead(outcome.status, outcome.body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(outcome.body)) });
        res.end(outcome.body);
      },
      (error: unknown) => {
        core.engine.report(error, "http");
        if (sse?.started) return sse.finish(undefined);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, responseHeaders({ status: 500, body: "" }));
          res.end(INTERNAL_ERROR_BODY);
        }
      },
    );
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
