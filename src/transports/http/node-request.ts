// Checks on a Node request before anything routes it, shared by `serve` (http-mcp/node), the
// protected app's Node handlers and the fetch bridge. Not part of the core: the plain
// MCPServer.nodeHandler does none of this per request (it needs none of it to be safe).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { HeaderReader } from "../../definitions/context.js";
import { fail, type Outcome } from "../../protocol/jsonrpc.js";
import { EMPTY_RESPONSE_HEADERS, responseHeaders, type HttpCore } from "./pipeline.js";
import { checkOrigin, isLoopbackAddress } from "./security.js";
import type { NodeHandler } from "./node-adapter.js";

/** Node reads 1,000 header lines by default (`server.maxHeadersCount` null) and silently drops the rest. */
const NODE_DEFAULT_HEADERS = 1000;

/** A Host value as RFC 3986 allows it (reg-name, IPv4 or IP literal, optional port), without percent-encoding. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=]+)(?::[0-9]{0,5})?$/i;

const ABSOLUTE_FORM = /^https?:\/\//i;

/**
 * True when the request had more header lines than its server reads: Node keeps the first
 * `maxHeadersCount` and drops the others without a word, an `Origin` among them. Node collects
 * rawHeaders in batches of 32 lines and stops only past the limit, so more lines than the limit
 * in rawHeaders means some were dropped.
 */
export function headersTruncated(req: IncomingMessage): boolean {
  const count = (req.socket as { server?: { maxHeadersCount?: unknown } } | null)?.server?.maxHeadersCount;
  const limit = typeof count === "number" ? count : NODE_DEFAULT_HEADERS;
  return limit > 0 && req.rawHeaders.length > 2 * limit;
}

/**
 * Where a request goes, as a path and query ("/mcp?x=1"): the origin form as sent, or the path of
 * an absolute-form target (`POST http://host/mcp`, RFC 9112 §3.2.2) whose authority is the Host
 * header's. Undefined for what names no path on this server: `*`, another authority, garbage.
 */
export function requestPath(target: string, host: string): string | undefined {
  if (target.charCodeAt(0) === 47 /* "/" */) return target;
  if (!ABSOLUTE_FORM.test(target)) return undefined;
  try {
    const url = new URL(target);
    return url.host === new URL(`${url.protocol}//${host}`).host ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

/** One Host line, with a value an URL can carry (RFC 9112 §3.2: anything else is a 400). */
function usableHost(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined || !HOST.test(host)) return false;
  const raw = req.rawHeaders;
  let lines = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === "host") lines++;
  if (lines !== 1) return false;
  try {
    new URL(`http://${host}`); // a port past 65535, an IP literal that is not one
    return true;
  } catch {
    return false;
  }
}

/**
 * The plain HTTP status for a request no route should see: 431 when headers were dropped, 400 for
 * a missing, repeated or malformed Host or a target that names no path here. These answers have
 * no JSON-RPC body: no JSON-RPC request could be read from such a message.
 */
export function malformedRequest(req: IncomingMessage): 400 | 431 | undefined {
  if (headersTruncated(req)) return 431;
  if (!usableHost(req) || requestPath(req.url ?? "", req.headers.host!) === undefined) return 400;
  return undefined;
}

const NO_ORIGIN: HeaderReader = { get: () => null };

/**
 * The DNS-rebinding defence on the Host alone, as the pipeline applies it: a loopback socket must
 * be named by a loopback Host (or one of `allowedHosts`). The socket's address is not something a
 * client can forge; the Origin check stays with the pipeline (middlewares may answer CORS preflights).
 */
export function hostRefusal(req: IncomingMessage, core: HttpCore): Outcome | undefined {
  const problem = checkOrigin(core.policy, NO_ORIGIN, req.headers.host ?? "", "http", isLoopbackAddress(req.socket.localAddress));
  return problem === undefined ? undefined : fail("FORBIDDEN_ORIGIN", problem);
}

/** A body is on its way and not read yet: complete requests and bodiless ones have none. */
export function bodyUnread(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** How long a connection closed on an unread upload keeps discarding what still arrives. */
const LINGER_MS = 1_000;

const lingering = new WeakSet<Socket>();

/**
 * Node's close after a `Connection: close` answer ends the socket and destroys it at once: a client
 * still uploading then gets a reset, which can discard the answer before it reads it. This one
 * ends the socket (the answer, then FIN), lets what still arrives be discarded, and destroys it
 * once the client closes its side, or after LINGER_MS (a lingering close).
 */
function lingeringDestroySoon(this: Socket): void {
  if (this.destroyed || lingering.has(this)) return;
  lingering.add(this);
  this.end();
  const timer = setTimeout(() => this.destroy(), LINGER_MS).unref();
  this.once("close", () => clearTimeout(timer));
}

/** Makes Node close this connection with a lingering close whenever an answer says `Connection: close`. */
export function lingerOnClose(socket: Socket): void {
  socket.destroySoon = lingeringDestroySoon;
}

/**
 * Once an answer is written, the rest of a body nobody read is dropped as it arrives (no listener
 * keeps it, and a paused request is resumed) until Node closes a connection answered
 * `Connection: close` or, keeping it, has read past the body.
 */
export function dropUnreadBody(req: IncomingMessage): void {
  if (!req.complete) req.removeAllListeners("data").resume();
}

/**
 * Writes a complete answer. When the request's body was not read, the connection closes once the
 * answer is written (`Connection: close`; Node then destroys the socket) instead of reading the
 * rest of an upload only to discard it.
 */
export function answer(req: IncomingMessage, res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body?: string | null): void {
  if (res.headersSent || res.destroyed) return;
  if (bodyUnread(req)) res.setHeader("connection", "close");
  res.writeHead(status, headers).end(body ?? undefined);
}

/** A plain status with no body (400, 431), or a JSON-RPC outcome, with the security defaults. */
export function answerOutcome(req: IncomingMessage, res: ServerResponse, outcome: Outcome): void {
  answer(req, res, outcome.status, responseHeaders(outcome), outcome.body);
}

export function answerStatus(req: IncomingMessage, res: ServerResponse, status: number): void {
  // Such a request cannot be trusted to frame its body either: the connection ends with it.
  res.setHeader("connection", "close");
  answer(req, res, status, EMPTY_RESPONSE_HEADERS);
}

/**
 * A Node handler for an app's own routes, behind the checks every Node entry point runs (431, 400,
 * and the Host defence, 403) and a guard: anything the handler throws is reported and answered
 * 500, never let out of the request listener (which would end the process). `route` gets the path.
 */
export function guardedNode(core: HttpCore, route: (req: IncomingMessage, res: ServerResponse, path: string) => void): NodeHandler {
  return (req, res) => {
    try {
      lingerOnClose(req.socket);
      res.once("close", () => dropUnreadBody(req));
      const malformed = malformedRequest(req);
      if (malformed !== undefined) return answerStatus(req, res, malformed);
      const refusal = hostRefusal(req, core);
      if (refusal) return answerOutcome(req, res, refusal);
      route(req, res, requestPath(req.url!, req.headers.host!)!);
    } catch (error) {
      internalError(core, req, res, error);
    }
  };
}

/** An unexpected failure: reported, answered 500 (a JSON-RPC internal error) if nothing was sent yet, else the response is cut short. */
export function internalError(core: HttpCore, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  core.engine.report(error, "http");
  if (res.headersSent) return void res.destroy(); // a truncated body must not pass for a complete one
  answerOutcome(req, res, fail("INTERNAL_ERROR", "Internal error"));
}
