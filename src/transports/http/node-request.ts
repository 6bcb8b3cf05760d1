// Checks on a Node request before anything routes it, shared by `serve` (http-mcp/node), the
// protected app's Node handlers and the fetch bridge. Not part of the core: the plain
// MCPServer.nodeHandler does none of this per request (it needs none of it to be safe).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HeaderReader } from "../../definitions/context.js";
import { fail, type Outcome } from "../../protocol/jsonrpc.js";
import type { NodeHandler } from "./node-adapter.js";
import { answerOutcome, answerStatus, dropUnreadBody, internalError, lingerOnClose } from "./node-answer.js";
import type { HttpCore } from "./pipeline.js";
import { checkOrigin } from "./security.js";

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

/** The authority the client named: its Host header, or HTTP/2's `:authority` (Node's compatibility API sets no Host). */
export function authorityOf(req: IncomingMessage): string | undefined {
  return req.headers.host ?? (req.headers[":authority"] as string | undefined);
}

/** The last authority found usable: a server hears the same few names, so most requests skip the parse. */
let lastUsable: string | undefined;

/** One authority, with a value an URL can carry (RFC 9112 §3.2: anything else, or two Host lines, is a 400). */
function usableHost(req: IncomingMessage): boolean {
  const host = authorityOf(req);
  if (host === undefined) return false;
  const raw = req.rawHeaders;
  let lines = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === "host") lines++;
  if (lines > 1) return false;
  if (host === lastUsable) return true;
  if (!HOST.test(host)) return false;
  try {
    new URL(`http://${host}`); // a port past 65535, an IP literal that is not one
  } catch {
    return false;
  }
  lastUsable = host;
  return true;
}

/**
 * The plain HTTP status for a request no route should see: 431 when headers were dropped, 400 for
 * a missing, repeated or malformed Host or a target that names no path here. These answers have
 * no JSON-RPC body: no JSON-RPC request could be read from such a message.
 */
export function malformedRequest(req: IncomingMessage): 400 | 431 | undefined {
  if (headersTruncated(req)) return 431;
  if (!usableHost(req) || requestPath(req.url ?? "", authorityOf(req)!) === undefined) return 400;
  return undefined;
}

const NO_ORIGIN: HeaderReader = { get: () => null };

/**
 * The DNS-rebinding defence on the Host alone, as the pipeline applies it: a loopback socket must
 * be named by a loopback Host (or one of `allowedHosts`). The socket's address is not something a
 * client can forge; the Origin check stays with the pipeline (middlewares may answer CORS preflights).
 */
export function hostRefusal(req: IncomingMessage, core: HttpCore): Outcome | undefined {
  const problem = checkOrigin(core.policy, { headers: NO_ORIGIN, host: authorityOf(req) ?? "", socket: req.socket });
  return problem === undefined ? undefined : fail("FORBIDDEN_ORIGIN", problem);
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
      route(req, res, requestPath(req.url!, authorityOf(req)!)!);
    } catch (error) {
      internalError(core, req, res, error);
    }
  };
}
