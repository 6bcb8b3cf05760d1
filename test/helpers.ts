// Shared test plumbing: real HTTP servers on 127.0.0.1 and raw JSON-RPC requests.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request as httpRequest, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { PassThrough } from "node:stream";
import { serve } from "@hono/node-server";
import type { MCPServer } from "http-mcp";
import { serveStdio } from "http-mcp/stdio";

export const MODERN = "2026-07-28";
export const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientCapabilities": {},
} as const;

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with an ephemeral port. */
export async function listen(handler: RequestListener): Promise<Running> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return runningOn(server);
}

/** Listens like `listen` and closes the server when the calling test (or, at top level, the file) ends; resolves with its URL. */
export async function serveDuringTest(handler: RequestListener): Promise<string> {
  const running = await listen(handler);
  after(() => running.close());
  return running.url;
}

/** Serves a Web fetch handler (a server's `fetch`, a Hono app) on @hono/node-server, 127.0.0.1. */
export async function listenFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Running> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server)) as Server;
  });
  return runningOn(server);
}

/** A server mounted by one of its handlers; `running` is set once the enclosing suite's `before` has run. */
export interface Mount {
  name: string;
  start: () => Promise<Running>;
  running?: Running;
}

/**
 * Serves `server` by its node handler and by its fetch handler (on @hono/node-server) for the
 * enclosing suite: started in its `before`, closed (and the server with them) in its `after`.
 */
export function mountBothHandlers(server: Pick<MCPServer<any>, "nodeHandler" | "fetch" | "close">): Mount[] {
  const mounts: Mount[] = [
    { name: "node handler", start: () => listen(server.nodeHandler) },
    { name: "fetch handler", start: () => listenFetch(server.fetch) },
  ];
  before(async () => {
    for (const mount of mounts) mount.running = await mount.start();
  });
  after(async () => {
    for (const mount of mounts) await mount.running?.close();
    await server.close();
  });
  return mounts;
}

function runningOn(server: Server): Running {
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    // Strings and raw bytes go as they are (malformed bodies included); anything else as JSON.
    body: typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: jsonOrUndefined(text) };
}

function jsonOrUndefined(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POSTs with node:http on a connection of its own (no keep-alive, so a connection balancer may pick
 * another worker), with any headers, `Host` included (fetch would not send one of ours).
 */
export function postOnNewConnection(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const options = { method: "POST", agent: false, headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } };
    const req = httpRequest(url, options, (res) => {
      let reply = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (reply += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), text: reply, json: jsonOrUndefined(reply) }));
    });
    req.on("error", reject).end(text);
  });
}

/** Headers a 2026-07-28 client sends for `method` (and `name` for tools/call, prompts/get). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return { "mcp-protocol-version": MODERN, "mcp-method": method, ...(name === undefined ? {} : { "mcp-name": name }) };
}

/** POSTs a well-formed 2026-07-28 request. */
export function postModern(url: string, id: number | string, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const name = typeof params.name === "string" ? params.name : undefined;
  return post(url, { jsonrpc: "2.0", id, method, params: { ...params, _meta: MODERN_META } }, { ...modernHeaders(method, name), ...headers });
}

/** POSTs a 2025-era request (no _meta; MCP-Protocol-Version header as sent after initialize). */
export function postLegacy(url: string, id: number | string, method: string, params?: Record<string, unknown>, headers: Record<string, string> = {}) {
  return post(url, { jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }, { "mcp-protocol-version": "2025-11-25", ...headers });
}

/** A response read message by message as it arrives: listen streams, session GET streams, streamed calls. */
export interface EventStream {
  readonly status: number;
  readonly headers: Headers;
  /** Every JSON message received so far, in order, with its arrival time (`performance.now()`). */
  readonly received: Array<{ message: any; at: number }>;
  /** The next message not taken yet; rejects if the stream ends first or nothing comes within `timeoutMs`. */
  next(timeoutMs?: number): Promise<any>;
  /** Waits for the server to end the stream; resolves with the messages not taken yet. */
  rest(timeoutMs?: number): Promise<any[]>;
  /** Drops the connection, as a client that goes away. */
  abort(): void;
}

/**
 * Sends a request and reads its reply as it streams: each SSE `data:` line is one JSON message
 * (comments such as keep-alives are skipped); a non-SSE body counts as one message.
 */
export async function openStream(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<EventStream> {
  const controller = new AbortController();
  const method = init.method ?? "POST";
  const response = await (init.fetch ?? fetch)(url, {
    method,
    signal: controller.signal,
    headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), accept: "application/json, text/event-stream", ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
  const received: Array<{ message: any; at: number }> = [];
  let taken = 0;
  let ended = false;
  let wake: Array<() => void> = [];
  const notify = () => {
    const waiting = wake;
    wake = [];
    for (const resolve of waiting) resolve();
  };
  const changed = (deadline: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing within the time limit; received: ${JSON.stringify(received.map((r) => r.message))}`)), Math.max(0, deadline - Date.now()));
      wake.push(() => (clearTimeout(timer), resolve()));
    });
  const pump = async () => {
    try {
      if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
        const text = await response.text();
        if (text) received.push({ message: JSON.parse(text), at: performance.now() });
        return;
      }
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart());
          // An event without data (a priming event: an id and `retry:` only) carries no message, as in EventSource.
          if (data.length > 0 && data.join("\n") !== "") received.push({ message: JSON.parse(data.join("\n")), at: performance.now() });
        }
        notify();
      }
    } catch {
      // aborted by the test, or the connection dropped: the stream simply ends
    } finally {
      ended = true;
      notify();
    }
  };
  void pump();
  return {
    status: response.status,
    headers: response.headers,
    received,
    async next(timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= received.length) {
        if (ended) throw new Error(`the stream ended; received: ${JSON.stringify(received.map((r) => r.message))}`);
        await changed(deadline);
      }
      return received[taken++]!.message;
    },
    async rest(timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!ended) await changed(deadline);
      const left = received.slice(taken).map((r) => r.message);
      taken = received.length;
      return left;
    },
    abort: () => controller.abort(),
  };
}

/** `serveStdio` on in-memory streams: every output line is parsed (and must be JSON). */
export function inMemoryStdio(server: MCPServer<any>) {
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: any[] = [];
  let partial = "";
  output.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    lines.push(...parts.map((line) => JSON.parse(line)));
  });
  const connection = serveStdio(server, { input, output });
  const send = (message: unknown) => input.write(`${JSON.stringify(message)}\n`);
  /** The first line (from `from` on) that matches; fails after about 2 s. */
  const waitFor = async (match: (message: any) => boolean, from = 0) => {
    for (let i = 0; i < 400; i++) {
      const index = lines.findIndex((line, at) => at >= from && match(line));
      if (index !== -1) return { index, line: lines[index] };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no such line in ${JSON.stringify(lines)}`);
  };
  return { input, output, lines, connection, send, waitFor };
}

/**
 * Spawns a server process and resolves with it and the URL its output names (the first capture
 * of `ready`) once it prints that line; rejects if it exits first or stays silent for 30 s.
 * `exited` resolves with its exit code (used by the tests, the fuzzer and the scale-out script).
 */
export function startChild(
  argv: readonly string[],
  ready: RegExp,
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 30 s: ${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = ready.exec((output += chunk));
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, exited });
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => void (output += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before listening: ${output}`));
    });
  });
}
