// Answers written on Node's response by the Node entry points outside the core (serve, the
// protected app's handlers, the fetch bridge), and how their connections end when a request's
// body was left unread: `Connection: close`, then a lingering close rather than a reset.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { fail, type Outcome } from "../../protocol/jsonrpc.js";
import { EMPTY_RESPONSE_HEADERS, responseHeaders, type HttpCore } from "./pipeline.js";

const INTERNAL_ERROR = fail("INTERNAL_ERROR", "Internal error");

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
 * answer is written (`Connection: close`) instead of reading the rest of an upload to discard it.
 */
export function answer(req: IncomingMessage, res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body?: string | null): void {
  if (res.headersSent || res.destroyed) return;
  if (bodyUnread(req)) res.setHeader("connection", "close");
  res.writeHead(status, headers).end(body ?? undefined);
}

/** A JSON-RPC outcome, with the security defaults. */
export function answerOutcome(req: IncomingMessage, res: ServerResponse, outcome: Outcome): void {
  answer(req, res, outcome.status, responseHeaders(outcome), outcome.body);
}

const PLAIN_STATUS_HEADERS: Readonly<Record<string, string>> = { ...EMPTY_RESPONSE_HEADERS, "content-length": "0", connection: "close" };

/** A plain status, no body; such a request cannot be trusted to frame its body either, so the connection ends with it. */
export function answerStatus(req: IncomingMessage, res: ServerResponse, status: number): void {
  answer(req, res, status, PLAIN_STATUS_HEADERS);
}

/** An unexpected failure: reported, answered 500 (a JSON-RPC internal error) if nothing was sent yet, else the response is cut short. */
export function internalError(core: HttpCore, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  core.engine.report(error, "http");
  if (res.headersSent) return void res.destroy(); // a truncated body must not pass for a complete one
  try {
    answerOutcome(req, res, INTERNAL_ERROR);
  } catch {
    res.destroy();
  }
}
