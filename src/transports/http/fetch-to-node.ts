import type { IncomingMessage, ServerResponse } from "node:http";
import { fail, type Outcome } from "../../protocol/jsonrpc.js";
import type { NodeHandler } from "./node-adapter.js";
import { answerOutcome, answerStatus, bodyUnread, internalError } from "./node-answer.js";
import { authorityOf, guardedNode } from "./node-request.js";
import { BodyTooLarge, type HttpCore } from "./pipeline.js";

/** Methods a Web `Request` cannot carry (its constructor throws); Node's parser accepts TRACE. */
const UNREPRESENTABLE = new Set(["CONNECT", "TRACE", "TRACK"]);

const TOO_LARGE: Outcome = { ...fail("PAYLOAD_TOO_LARGE", "Request body too large"), headers: { connection: "close" } };

/**
 * The body as a pull-based stream: the request is read only as fast as the app reads it (paused in
 * between, so TCP holds the sender back) and not at all if the app never does. Past `limit` bytes
 * the stream errors with BodyTooLarge and `overflow` runs.
 */
function bodyStream(req: IncomingMessage, limit: number, overflow: () => void): ReadableStream<Uint8Array> {
  let size = 0;
  let listening = false;
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!listening) {
          listening = true;
          req.on("data", (chunk: Buffer) => {
            if (settled) return;
            size += chunk.length;
            if (size > limit) {
              settled = true;
              req.pause();
              controller.error(new BodyTooLarge());
              return overflow();
            }
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once("end", () => settled || ((settled = true), controller.close()));
          // Kept for the request's life: a late "aborted" error must not go unhandled.
          req.on("error", (error) => settled || ((settled = true), controller.error(error)));
        }
        req.resume();
      },
      cancel() {
        settled = true;
        req.pause();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The request's body for a Request: streamed as the app reads it, or, when a host framework read
 * it first (express.json() leaves the parsed value in `req.body` and the stream ended), that value.
 */
function bodyOf(req: IncomingMessage, headers: Headers, limit: number, overflow: () => void): BodyInit {
  if (!req.readableEnded) return bodyStream(req, limit, overflow);
  headers.delete("content-length"); // what was sent, not what is handed on
  const parsed = (req as { body?: unknown }).body;
  if (parsed === undefined) return "";
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed); // express.raw(): a Buffer
  return typeof parsed === "string" ? parsed : JSON.stringify(parsed);
}

function webRequest(req: IncomingMessage, path: string, limit: number, overflow: () => void, signal: AbortSignal): Request {
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  // From the raw headers: `req.headers` keeps only the first of some repeated ones (Authorization
  // among them), and HTTP/2 pseudo-headers are not headers.
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (!raw[i]!.startsWith(":")) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method!;
  const body = method === "GET" || method === "HEAD" ? undefined : bodyOf(req, headers, limit, overflow);
  // The Host was checked by then; the path is always origin-form ("/..."), so the authority stays the Host's.
  return new Request(`${scheme}://${authorityOf(req)}${path}`, { method, headers, body, signal, duplex: "half" } as RequestInit);
}

/** Resolves once the response takes more data, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

async function send(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Already answered (the body crossed the cap), or the client left: nothing more to send.
  if (res.headersSent || res.destroyed) return void response.body?.cancel().catch(() => {});
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  // The app answered without reading the upload (a 401, say): do not read the rest of it.
  if (bodyUnread(req)) res.setHeader("connection", "close");
  res.writeHead(response.status);
  if (!response.body) return void res.end();
  // A stream (SSE) may not send its first event for a while: the client gets the head now.
  res.flushHeaders();
  const reader = response.body.getReader();
  res.once("close", () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return void res.end();
      if (!res.write(value)) await drained(res);
    }
  } catch {
    res.destroy(); // a body that failed part way must not pass for a complete one
  }
}

/**
 * Serves a Web fetch handler on Node's request/response pair (used when fetch middlewares are
 * configured), with the protections the plain Node handler has: the checks of `guardedNode` (431,
 * 400, the Host defence), the body cap (413) while reading on demand, no unread upload kept or
 * read to the end, and no failure let out of the request listener. A request a `Request` cannot
 * carry (TRACE) goes to `fallback`, the app's handler without middlewares.
 */
export function fetchToNode(handler: (request: Request) => Promise<Response>, core: HttpCore, fallback: NodeHandler): NodeHandler {
  return guardedNode(core, (req, res, path) => {
    if (UNREPRESENTABLE.has(req.method!)) return fallback(req, res);
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > core.maxBodyBytes) return answerOutcome(req, res, TOO_LARGE);
    const aborted = new AbortController();
    res.once("close", () => res.writableFinished || aborted.abort());
    // Runs in the request's "data" listener, where nothing may throw either.
    const overflow = () => {
      try {
        answerOutcome(req, res, TOO_LARGE);
      } catch (error) {
        internalError(core, req, res, error);
      }
    };
    let request: Request;
    try {
      request = webRequest(req, path, core.maxBodyBytes, overflow, aborted.signal);
    } catch {
      return answerStatus(req, res, 400); // a header value a Request refuses
    }
    handler(request)
      .then((response) => send(response, req, res))
      .catch((error: unknown) => internalError(core, req, res, error));
  });
}
