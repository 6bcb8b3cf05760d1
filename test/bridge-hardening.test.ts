// Hostile input on every Node mounting path: a plain MCPServer, a protected app, and a protected app
// with fetch middlewares (whose Node handler is the fetch bridge), each served by serve() and by a
// plain node:http server, in child processes (a crash must be seen as one), over raw sockets (Node's
// client refuses to send most of this).
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { connect as connectHttp2, createServer as createHttp2Server } from "node:http2";
import { connect, type AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { startChild } from "./helpers.ts";

const APPS = ["server", "protected", "middleware"] as const;
const MOUNTS = ["serve", "node"] as const;
type App = (typeof APPS)[number];
type Mount = (typeof MOUNTS)[number];

interface Child {
  app: App;
  mount: Mount;
  child: ChildProcess;
  port: number;
  status: string;
  output(): string;
}

const children: Child[] = [];

async function start(app: App, mount: Mount): Promise<Child> {
  const { child, url } = await startChild([process.execPath, "--import", "tsx", "test/fixtures/bridge-child.ts"], /listening on (\S+ status \S+)/, { env: { APP: app, MOUNT: mount } });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => void (output += chunk));
  const [mcp, status] = url.split(" status ") as [string, string];
  return { app, mount, child, port: Number(new URL(mcp).port), status, output: () => output };
}

before(async () => {
  children.push(...(await Promise.all(APPS.flatMap((app) => MOUNTS.map((mount) => start(app, mount))))));
});
after(() => {
  for (const { child } of children) child.kill("SIGKILL");
});

type Mounted = Child & { name: string };
const all = () => true;

/** One test per app and mount that `which` keeps, each against its own child process. */
function eachMount(title: string, which: (c: { app: App; mount: Mount }) => boolean, check: (c: Mounted) => Promise<void>): void {
  describe(title, () => {
    for (const app of APPS) {
      for (const mount of MOUNTS) {
        if (!which({ app, mount })) continue;
        test(`${app} on ${mount}`, () => {
          const c = children.find((c) => c.app === app && c.mount === mount)!;
          return check({ ...c, name: `${app} on ${mount}` });
        });
      }
    }
  });
}

/** Sends `text` on a new connection and reads until the server closes it. */
function exchange(port: number, text: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no close within 5 s; received ${JSON.stringify(received.slice(0, 200))}`))), 5_000);
    socket.on("data", (chunk) => void (received += chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status) resolve({ status: Number(status[1]), text: received });
      else reject(new Error(`no HTTP answer: ${JSON.stringify(received.slice(0, 200))}`));
    });
    socket.write(text);
  });
}

const JSON_HEADERS = "content-type: application/json\r\naccept: application/json, text/event-stream\r\nmcp-protocol-version: 2026-07-28\r\nmcp-method: tools/list\r\n";
const LIST = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } });

/** A complete request: `head` is the request line and any headers beyond Host, framing and Connection: close. */
function request(port: number, head: string, options: { host?: string; body?: string; headers?: string } = {}): string {
  const body = options.body ?? "";
  const host = options.host ?? `127.0.0.1:${port}`;
  return `${head}\r\nhost: ${host}\r\n${options.headers ?? ""}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** What a well-formed tools/list gets: 200 from the plain server, 401 without a token from the protected apps. */
const normalStatus = (app: App) => (app === "server" ? 200 : 401);

async function assertAlive(c: Child & { name: string }) {
  assert.equal(c.child.exitCode, null, `${c.name} exited: ${c.output()}`);
  const answer = await exchange(c.port, request(c.port, "POST /mcp HTTP/1.1", { headers: JSON_HEADERS, body: LIST }));
  assert.equal(answer.status, normalStatus(c.app), `${c.name} still answers`);
}

describe("no input ends the process", () => {
  eachMount("TRACE, an unusable Host, odd targets and a throwing middleware get their documented status", all, async (c) => {
    const send = (head: string, options?: Parameters<typeof request>[2]) => exchange(c.port, request(c.port, head, options));
    const guarded = c.mount === "serve" || c.app !== "server"; // the plain handler on its own server checks only what it needs
    // A Web Request cannot carry TRACE: the bridge hands it to the app's handler without middlewares.
    const trace = await send("TRACE /mcp HTTP/1.1");
    assert.equal(trace.status, 405, `${c.name}: TRACE`);
    assert.match(trace.text, /allow: POST/i);
    assert.match(trace.text, /"code":-32600/);
    const metadataTrace = await send("TRACE /.well-known/oauth-protected-resource HTTP/1.1");
    assert.equal(metadataTrace.status, 405, `${c.name}: TRACE on the metadata`);
    // RFC 9112 §3.2: a Host that is not a valid authority is a 400 (no JSON-RPC body: no request was read).
    const badHost = await send("POST /mcp HTTP/1.1", { host: "a b", headers: JSON_HEADERS, body: LIST });
    assert.equal(badHost.status, guarded ? 400 : 403, `${c.name}: Host "a b"`);
    // The plain handler alone checks only that a loopback socket is named by a loopback host name.
    for (const [host, unguarded] of [["a@b", 403], ["x/.well-known/oauth-protected-resource?", 403], ["[::1", 403], ["localhost:99999", 200]] as const) {
      assert.equal((await send("POST /mcp HTTP/1.1", { host, headers: JSON_HEADERS, body: LIST })).status, guarded ? 400 : unguarded, `${c.name}: Host ${host}`);
    }
    const twoHosts = await send("POST /mcp HTTP/1.1", { headers: `host: localhost\r\n${JSON_HEADERS}`, body: LIST });
    assert.equal(twoHosts.status, guarded ? 400 : 200, `${c.name}: two Host lines`);
    // Asterisk-form and an absolute form naming another authority name no path here.
    assert.equal((await send("OPTIONS * HTTP/1.1")).status, guarded ? 400 : 405, `${c.name}: OPTIONS *`);
    assert.equal((await send("POST http://other.example/mcp HTTP/1.1", { headers: JSON_HEADERS, body: LIST })).status, guarded ? 400 : 200, `${c.name}: foreign absolute form`);
    // Odd but valid origin-form targets are just paths: off the MCP path a protected app answers 404.
    const offPath = c.app === "server" ? 200 : 404;
    for (const target of ["//x", "/%zz", "/\\evil", `/${"a".repeat(8_000)}`]) {
      assert.equal((await send(`POST ${target} HTTP/1.1`, { headers: JSON_HEADERS, body: LIST })).status, offPath, `${c.name}: ${target.slice(0, 20)}`);
    }
    if (c.app === "middleware") {
      const thrown = await send("POST /throw HTTP/1.1", { headers: JSON_HEADERS, body: LIST });
      assert.equal(thrown.status, 500, `${c.name}: a middleware that throws`);
      assert.match(thrown.text, /"code":-32603,"message":"Internal error"/);
      assert.doesNotMatch(thrown.text, /middleware failed/);
      assert.match(c.output(), /reported http: middleware failed/);
    }
    await assertAlive(c);
  });
});

describe("DNS rebinding", () => {
  eachMount("a loopback connection naming a foreign Host is refused with 403 on every mounting path", all, async (c) => {
    for (const host of ["evil.example", `evil.example:${c.port}`]) {
      const answer = await exchange(c.port, request(c.port, "POST /mcp HTTP/1.1", { host, headers: JSON_HEADERS, body: LIST }));
      assert.equal(answer.status, 403, `${c.name}: Host ${host}`);
      assert.match(answer.text, /"code":-32600,"message":"Host not allowed \(add it to the server.s allowedHosts\)"/);
    }
    for (const host of [`localhost:${c.port}`, `127.0.0.1:${c.port}`, "[::1]"]) {
      const answer = await exchange(c.port, request(c.port, "POST /mcp HTTP/1.1", { host, headers: JSON_HEADERS, body: LIST }));
      assert.equal(answer.status, normalStatus(c.app), `${c.name}: Host ${host}`);
    }
  });
});

describe("header lines past what the server reads", () => {
  const withHeaders = (port: number, count: number) =>
    request(port, "POST /mcp HTTP/1.1", { headers: `${"x-filler: 1\r\n".repeat(count)}${JSON_HEADERS}origin: https://evil.example\r\n`, body: LIST });

  // The plain handler on its own server is left to Node's limit (docs/security.md).
  const guarded = (c: { app: App; mount: Mount }) => c.mount === "serve" || c.app !== "server";
  eachMount("an Origin after Node's 1,000th header line is not skipped: 431 instead", guarded, async (c) => {
    const answer = await exchange(c.port, withHeaders(c.port, 1_100));
    assert.equal(answer.status, 431, c.name);
    assert.doesNotMatch(answer.text, /jsonrpc/, "a plain status: no JSON-RPC request was read");
  });

  eachMount("serve reads 100 header lines: 431 past them, the Origin check below them", (c) => c.mount === "serve", async (c) => {
    // Host, 4 JSON headers, Origin, Content-Length and Connection: 8 lines besides the fillers.
    assert.equal((await exchange(c.port, withHeaders(c.port, 93))).status, 431, `${c.name}: 101 lines`);
    const within = await exchange(c.port, withHeaders(c.port, 92));
    assert.equal(within.status, 403, `${c.name}: 100 lines`);
    assert.match(within.text, /"message":"Origin not allowed \(add it to the server.s allowedOrigins\)"/);
  });
});

describe("absolute-form targets (RFC 9112 §3.2.2)", () => {
  eachMount("are routed by their path", all, async (c) => {
    const authority = `127.0.0.1:${c.port}`;
    const mcp = await exchange(c.port, request(c.port, `POST http://${authority}/mcp HTTP/1.1`, { headers: JSON_HEADERS, body: LIST }));
    assert.equal(mcp.status, normalStatus(c.app), `${c.name}: the MCP path`);
    if (c.app === "server") return;
    const metadata = await exchange(c.port, request(c.port, `GET http://${authority}/.well-known/oauth-protected-resource/mcp?x=1 HTTP/1.1`));
    assert.equal(metadata.status, 200, `${c.name}: the metadata`);
    assert.match(metadata.text, /"resource":"https:\/\/mcp\.example\.com\/mcp"/);
    assert.equal((await exchange(c.port, request(c.port, `GET http://${authority}/elsewhere HTTP/1.1`))).status, 404, `${c.name}: elsewhere`);
  });
});

interface Upload {
  /** The answer's status line, once it came. */
  status: number | undefined;
  /** Body bytes the server let us write before it closed the connection. */
  written: number;
  /** How long after the answer the server closed the connection (undefined: it did not, within 5 s of the upload's end). */
  closedAfterMs: number | undefined;
  /** The server closed the connection (with or without an answer the client could read). */
  closed: boolean;
  text: string;
}

/**
 * Streams `total` bytes of body after `head` (chunked unless it declares a length) as fast as the
 * server takes them: until the connection ends, or, with `polite`, until an answer comes (as
 * RFC 9112 §9.5 asks of clients; a hostile one keeps sending).
 */
async function upload(port: number, head: string, total: number, polite = false): Promise<Upload> {
  const chunked = !/content-length:/i.test(head);
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => {});
  let text = "";
  let answeredAt: number | undefined;
  let closedAt: number | undefined;
  socket.on("data", (chunk) => {
    text += chunk;
    answeredAt ??= Date.now();
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve(void (closedAt = Date.now()))));
  await once(socket, "connect");
  socket.write(`${head}${chunked ? "transfer-encoding: chunked\r\n" : ""}\r\n`);
  const piece = Buffer.alloc(64 * 1024, 0x20);
  const frame = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
  let written = 0;
  while (written < total && closedAt === undefined && !socket.destroyed && !(polite && answeredAt !== undefined)) {
    written += piece.length;
    if (!socket.write(frame)) await Promise.race([once(socket, "drain").catch(() => {}), closed]);
  }
  if (closedAt === undefined && chunked && written >= total) socket.write("0\r\n\r\n");
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  socket.destroy();
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return { status: status ? Number(status[1]) : undefined, written, closed: closedAt !== undefined, closedAfterMs: closedAt === undefined || answeredAt === undefined ? undefined : closedAt - answeredAt, text };
}

async function rss(c: Child): Promise<number> {
  return ((await (await fetch(c.status)).json()) as { rss: number }).rss;
}

/** Runs `work` while sampling the child's RSS; resolves with its result and the peak growth. */
async function peakGrowth<T>(c: Child, work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const base = await rss(c);
  let peak = base;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rss(c));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let result: T;
  try {
    result = await work();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    sampling = false;
    await sampler;
  }
  peak = Math.max(peak, await rss(c));
  return { result, growth: peak - base };
}

const MB = 1024 * 1024;

describe("uploads the app does not read", () => {
  eachMount("a 96 MB upload refused before its body is read: the answer, then the connection closes; memory stays flat", all, async (c) => {
    // The protected apps refuse it for want of a token (401), the plain server for its Content-Type (415).
    const contentType = c.app === "server" ? "text/plain" : "application/json";
    const head = `POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:${c.port}\r\ncontent-type: ${contentType}\r\naccept: application/json\r\nmcp-protocol-version: 2026-07-28\r\nmcp-method: tools/list\r\n`;
    const refused = c.app === "server" ? 415 : 401;
    // The plain handler on its own server is closed by Node, at once: a client still sending then
    // gets a reset, which can cost it the answer. serve() and the protected app's handlers close
    // lingering (the answer, FIN, then what still arrives is discarded for a moment).
    const lingering = !(c.app === "server" && c.mount === "node");
    const check = (upload: Upload, what: string) => {
      assert.ok(upload.closed, `${c.name}, ${what}: the connection stayed open`);
      assert.ok(upload.written < 32 * MB, `${c.name}, ${what}: ${upload.written} bytes were taken`);
      if (!lingering && upload.status === undefined) return;
      assert.equal(upload.status, refused, `${c.name}, ${what}: ${upload.text.slice(0, 200)}`);
      assert.match(upload.text, /connection: close/i, `${c.name}, ${what}`);
      assert.ok(upload.closedAfterMs! < 2_000, `${c.name}, ${what}: closed ${upload.closedAfterMs} ms after the answer`);
    };
    // A hostile client keeps sending: the server answers, reads no more than a few buffers, and hangs up.
    const { result, growth } = await peakGrowth(c, () => upload(c.port, head, 96 * MB));
    console.log(`${c.name}: ${result.status}, ${(result.written / MB).toFixed(1)} MB taken, closed ${result.closedAfterMs} ms after the answer, RSS +${(growth / MB).toFixed(1)} MB`);
    check(result, "hostile client");
    assert.ok(growth < 32 * MB, `${c.name}: RSS grew by ${growth} bytes`);
    // A client that stops sending when the answer comes (RFC 9112 §9.5).
    check(await upload(c.port, head, 96 * MB, true), "polite client");
    await assertAlive(c);
  });

  eachMount("the bridge reads a body only as the app does: one it never reads stays in the client", (c) => c.app === "middleware", async (c) => {
    const head = `POST /ignore HTTP/1.1\r\nhost: 127.0.0.1:${c.port}\r\ncontent-type: application/octet-stream\r\n`;
    const { result, growth } = await peakGrowth(c, () => upload(c.port, head, 64 * MB));
    // Read ahead of the app, this body would have crossed the 1 MiB cap (413) while the app waited.
    assert.equal(result.status, 200, `${c.name}: ${result.text.slice(0, 200)}`);
    assert.match(result.text, /connection: close[\s\S]*\r\nignored\r\n/i);
    assert.ok(result.closedAfterMs !== undefined && result.closedAfterMs < 2_000, `${c.name}: closed ${result.closedAfterMs} ms after the answer`);
    assert.ok(result.written < 32 * MB, `${c.name}: ${result.written} bytes were taken`);
    assert.ok(growth < 32 * MB, `${c.name}: RSS grew by ${growth} bytes`);
    await assertAlive(c);
  });

  eachMount("the bridge caps a body a middleware reads: 413 once past maxBodyBytes, then the connection closes", (c) => c.app === "middleware", async (c) => {
    const head = `POST /upload HTTP/1.1\r\nhost: 127.0.0.1:${c.port}\r\ncontent-type: application/octet-stream\r\n`;
    const { result, growth } = await peakGrowth(c, () => upload(c.port, head, 64 * MB));
    assert.equal(result.status, 413, `${c.name}: ${result.text.slice(0, 200)}`);
    assert.match(result.text, /"code":-32600,"message":"Request body too large"/);
    assert.ok(result.closedAfterMs !== undefined && result.closedAfterMs < 2_000, `${c.name}: closed ${result.closedAfterMs} ms after the answer`);
    assert.ok(result.written < 32 * MB, `${c.name}: ${result.written} bytes were taken`);
    assert.ok(growth < 32 * MB, `${c.name}: RSS grew by ${growth} bytes`);
    // A declared length past the cap is refused before anything is read.
    const declared = await upload(c.port, `${head}content-length: ${8 * MB}\r\n`, 8 * MB);
    assert.equal(declared.status, 413, c.name);
    // Within the cap, the middleware gets the whole body.
    const small = await exchange(c.port, request(c.port, "POST /upload HTTP/1.1", { body: "x".repeat(100_000) }));
    assert.equal(small.status, 200);
    assert.match(small.text, /\{"bytes":100000\}/);
    await assertAlive(c);
  });
});

test("HTTP/2 (Node's compatibility API, no Host header): the authority is :authority, pseudo-headers stay out of the bridge's Request", async () => {
  const { createProtectedMCPApp } = await import("http-mcp/auth");
  const { MCPServer } = await import("http-mcp");
  for (const middlewares of [undefined, [(request: Request, next: (request: Request) => Promise<Response>) => next(request)]]) {
    const app = createProtectedMCPApp({
      server: new MCPServer({ name: "h2", version: "1" }),
      tokenValidator: { validateToken: () => null },
      resourceMetadata: { resource: "https://mcp.example.com/mcp", authorization_servers: ["https://as.example.com"] },
      middlewares,
    });
    // The compatibility API's request and response stand in for Node's HTTP/1 pair.
    const server = createHttp2Server((req, res) => app.nodeHandler(req as unknown as IncomingMessage, res as unknown as ServerResponse));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = connectHttp2(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const stream = client.request({ ":path": "/.well-known/oauth-protected-resource/mcp" });
      const [headers] = (await once(stream, "response")) as [Record<string, unknown>];
      let body = "";
      for await (const chunk of stream) body += chunk;
      assert.equal(headers[":status"], 200, `${middlewares ? "bridge" : "plain"}: ${body}`);
      assert.match(body, /"resource":"https:\/\/mcp\.example\.com\/mcp"/);
    } finally {
      client.close();
      server.close();
    }
  }
});
