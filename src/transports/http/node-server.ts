import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fail } from "../../protocol/jsonrpc.js";
import type { NodeHandler } from "./node-adapter.js";
import { cleanUp, gracePeriod, ownProcess } from "../process-shutdown.js";
import { answerStatus, dropUnreadBody, internalError, lingerOnClose } from "./node-answer.js";
import { malformedRequest } from "./node-request.js";
import { responseHeaders, type HttpCore } from "./pipeline.js";
import { healthProbes, type HealthOptions, type ServingPhase } from "./health.js";

/**
 * Options of `serve` (`http-mcp/node`): the address, the timeouts against slow clients, connection
 * limits and the shutdown.
 */
export interface ServeOptions {
  /** Port to listen on (default 3000; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default "127.0.0.1"; "0.0.0.0" or "::" for every interface). */
  host?: string;
  /**
   * Longest wait for a request's headers (default 10000 ms): slow senders get 408 and are
   * disconnected, and so is a new connection that sends nothing for that long.
   */
  headersTimeoutMs?: number;
  /** Longest wait for a whole request, headers and body (default 30000 ms). Replies may take longer. */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this (default 5000 ms). */
  keepAliveTimeoutMs?: number;
  /** Connections past this many are refused (default 10000). */
  maxConnections?: number;
  /** Requests with more header lines than this get 431 (default 100; Node would drop the rest unseen). */
  maxHeaders?: number;
  /** How long requests in flight may run once shutdown begins (default 10000 ms); then their connections close and their signals fire. */
  gracePeriodMs?: number;
  /** Shut down on SIGINT/SIGTERM (a second signal exits at once) and exit once closed (default true). */
  manageProcess?: boolean;
  /**
   * Once shutdown begins, keep accepting requests this long while readiness answers 503 (default 0),
   * so that a load balancer polling it stops sending new requests before the listener closes.
   */
  drainDelayMs?: number;
  /** The MCP endpoint's path, e.g. "/mcp": other paths get 404, but for /.well-known/ (a protected app's metadata) and the health paths (default: every path is the MCP endpoint). */
  path?: string;
  /** Liveness and readiness endpoints (default `/healthz` and `/readyz`); false: none. */
  health?: HealthOptions | false;
}

/** A server being served by `serve`: where it listens, the Node server, and its shutdown. */
export interface HttpServing {
  /** Where it listens, e.g. "http://127.0.0.1:3000". */
  readonly url: string;
  /** The underlying Node server (its timeouts already set). */
  readonly server: Server;
  /** Settles once shutdown has finished. Never rejects. */
  readonly closed: Promise<void>;
  /** Stops accepting, lets requests in flight finish within the grace period, then closes the app. */
  close(): Promise<void>;
}

/** Told to requests that arrive while the server drains: try again, elsewhere. */
const DRAINING = { ...fail("UNAVAILABLE", "Server is shutting down"), headers: { "retry-after": "1", connection: "close" } };

/**
 * A Node HTTP server for one MCP app, with timeouts against slow clients and an orderly
 * shutdown: stop accepting, end long-lived streams, let requests in flight finish (within the
 * grace period), then run the app's cleanup (its lifespan) and, when managing the process, exit.
 */
export async function serveNode(handler: NodeHandler, core: HttpCore, closeApp: () => Promise<void>, options: ServeOptions = {}): Promise<HttpServing> {
  const graceMs = options.gracePeriodMs ?? 10_000;
  const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
  const manageProcess = options.manageProcess ?? true;
  const drainDelayMs = options.drainDelayMs ?? 0;
  if (!(Number.isSafeInteger(drainDelayMs) && drainDelayMs >= 0)) throw new TypeError("serve: drainDelayMs must be a non-negative integer");
  const mcpPath = options.path;
  if (mcpPath !== undefined && !(typeof mcpPath === "string" && mcpPath.startsWith("/"))) throw new TypeError('serve: path must start with "/"');
  let phase: ServingPhase = "starting";
  const probeFor = healthProbes(options.health, () => phase, (error) => core.engine.report(error, "readiness"));
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
      // How often those timeouts are checked (Node's default, 30 s, would let a slow client linger that long).
      connectionsCheckingInterval: 1_000,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const path = pathOf(req);
      const probe = probeFor(path);
      if (probe) return probe(req, res);
      if (draining) {
        res.writeHead(DRAINING.status, responseHeaders(DRAINING)).end(DRAINING.body);
        return;
      }
      inFlight++;
      res.once("close", () => {
        inFlight--;
        // A body left unread (a refusal, which said Connection: close) is dropped as it arrives.
        dropUnreadBody(req);
        if (draining) server.closeIdleConnections();
        if (inFlight === 0) onIdle?.();
      });
      // Nothing may escape a request listener: it would end the process.
      try {
        const malformed = malformedRequest(req);
        if (malformed !== undefined) return answerStatus(req, res, malformed);
        // /.well-known/ stays the app's: a protected app serves its metadata there.
        if (mcpPath !== undefined && path !== mcpPath && !path.startsWith("/.well-known/")) return void res.writeHead(404, { "content-type": "text/plain" }).end(`Not found: the MCP endpoint is ${mcpPath}\n`);
        handler(req, res);
      } catch (error) {
        internalError(core, req, res, error);
      }
    },
  );
  server.maxConnections = options.maxConnections ?? 10_000;
  // Node reads this many header lines and drops the others; malformedRequest answers 431 when it did.
  server.maxHeadersCount = options.maxHeaders ?? 100;
  // Node's header timeout starts with a request's first byte: a connection that never sends one
  // would hold its slot for ever. The same limit applies to the wait for that first byte.
  server.on("connection", (socket: Socket) => {
    lingerOnClose(socket);
    const timer = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), headersTimeoutMs);
    socket.once("close", () => clearTimeout(timer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Listening first lets liveness answer (and readiness say "starting") while the lifespan starts;
  // MCP requests wait for it. A failing startup (the database is down) still fails `serve`.
  try {
    await core.ready();
  } catch (error) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  phase = "serving";

  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const owned = manageProcess ? ownProcess(() => closing !== undefined, () => void close()) : undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      phase = "draining";
      if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
      draining = true;
      server.close();
      server.closeIdleConnections();
      // Long-lived streams (subscriptions/listen, session GET streams) would never finish by themselves.
      core.engine.close();
      core.sessions?.closeAll();
      if (inFlight > 0) {
        const grace = gracePeriod(graceMs, () => {});
        onIdle = grace.idle;
        await grace.ended;
      }
      server.closeAllConnections(); // past the grace period: handlers' signals fire
      await cleanUp(closeApp, (error, where) => core.engine.report(error, where), owned !== undefined);
      owned?.done();
      resolveClosed();
    })());

  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, server, closed, close };
}

/** The request's path, without its query string. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
