// notifications/elicitation/complete (2025-11-25): a handler gets a completion function for a URL
// elicitation, the application calls it when its page sees the interaction done (here a plain HTTP
// route standing for an OAuth callback), and the client that made the call hears it: on its
// session's GET stream (on another replica too, through the bus), or on stdio.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitationCompleteNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { defineTool, MCPServer, McpError } from "http-mcp";
import { memoryBus } from "http-mcp/bus";
import { elicitationCompletion, legacySessions, MemorySessionStore } from "http-mcp/sessions";
import { inMemoryStdio, listen, MODERN, modernHeaders, openStream, post, type Running } from "./helpers.js";

const SESSION = "mcp-session-id";
const URL_CAPABLE = { elicitation: { url: {} } };

/** What the application keeps per pending interaction: the completion function, or why there is none. */
const pending = new Map<string, (() => boolean) | undefined>();
let nextElicitation = 1;

const tools = [
  defineTool({
    name: "needs_login",
    handler: (context) => {
      const elicitationId = `login-${nextElicitation++}`;
      pending.set(elicitationId, elicitationCompletion(context, elicitationId));
      const elicitation = { mode: "url", message: "Sign in first", url: `https://bank.example/connect?state=${elicitationId}`, elicitationId };
      throw new McpError("URL_ELICITATION_REQUIRED", "Sign in first", { data: { elicitations: [elicitation] } });
    },
  }),
];

/** The application's page that sees the interaction finish: `/done?id=…` calls the completion function. */
function withCallbackRoute(mcp: MCPServer<any>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/done") return mcp.nodeHandler(req, res);
    const id = url.searchParams.get("id") ?? "";
    const complete = pending.get(id);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ known: pending.has(id), sent: complete?.() ?? null }));
  };
}

const server = (sessions: ReturnType<typeof legacySessions> | undefined, bus?: ReturnType<typeof memoryBus>) =>
  new MCPServer({ name: "elicitation-complete", version: "1.0.0", tools, ...(sessions ? { sessions } : {}), ...(bus ? { bus } : {}) });

let nextId = 1;
async function initialize(url: string, capabilities: Record<string, unknown>, version = "2025-11-25") {
  const res = await post(url, { jsonrpc: "2.0", id: nextId++, method: "initialize", params: { protocolVersion: version, capabilities, clientInfo: { name: "t", version: "1" } } }, { "mcp-protocol-version": version });
  assert.equal(res.status, 200, res.text);
  return { [SESSION]: res.headers.get(SESSION)!, "mcp-protocol-version": version };
}

/** Calls needs_login (answered -32042) and returns the elicitation id the error names. */
async function login(url: string, headers: Record<string, string>): Promise<string> {
  const res = await post(url, { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name: "needs_login", arguments: {} } }, headers);
  assert.equal(res.json.error?.code, -32042, res.text);
  return res.json.error.data.elicitations[0].elicitationId;
}

async function finish(base: string, id: string): Promise<{ known: boolean; sent: boolean | null }> {
  return (await fetch(`${base}/done?id=${encodeURIComponent(id)}`)).json() as Promise<{ known: boolean; sent: boolean | null }>;
}

describe("HTTP sessions", () => {
  let running: Running;
  let base: string;
  before(async () => {
    running = await listen(withCallbackRoute(server(legacySessions())));
    base = running.url.replace(/\/mcp$/, "");
  });
  after(() => running.close());

  test("the official v1 client hears the completion of the elicitation its call was refused for", async () => {
    const client = new ClientV1({ name: "v1-complete", version: "0.0.1" }, { capabilities: URL_CAPABLE });
    const heard: string[] = [];
    const completed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ElicitationCompleteNotificationSchema, (notification) => {
        heard.push(notification.params.elicitationId);
        resolve();
      }),
    );
    await client.connect(new TransportV1(new URL(running.url)));
    try {
      const refusal = await client.callTool({ name: "needs_login", arguments: {} }).then(
        () => assert.fail("needs_login must answer -32042"),
        (error: { code?: number; data?: any }) => error,
      );
      assert.equal(refusal.code, -32042);
      const id: string = refusal.data.elicitations[0].elicitationId;
      // The client's GET stream opens just after initialize: wait until the notification can reach it.
      let result: { sent: boolean | null } = { sent: null };
      for (let i = 0; i < 50 && heard.length === 0; i++) {
        result = await finish(base, id);
        await Promise.race([completed, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
      assert.equal(result.sent, true);
      assert.deepEqual([...new Set(heard)], [id]);
    } finally {
      await client.close();
    }
  });

  test("on the GET stream, once; after DELETE the function answers false", async () => {
    const headers = await initialize(running.url, URL_CAPABLE);
    const stream = await openStream(running.url, { method: "GET", headers });
    assert.equal(stream.status, 200);
    const id = await login(running.url, headers);
    assert.deepEqual(await finish(base, id), { known: true, sent: true });
    assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/elicitation/complete", params: { elicitationId: id } });
    stream.abort();
    const closed = await fetch(running.url, { method: "DELETE", headers });
    assert.ok(closed.ok, String(closed.status));
    assert.deepEqual(await finish(base, id), { known: true, sent: false });
  });

  test("a 2025-11-25 session that never opened a GET stream: false", async () => {
    const headers = await initialize(running.url, URL_CAPABLE);
    const id = await login(running.url, headers);
    assert.deepEqual(await finish(base, id), { known: true, sent: false });
  });

  test("none where the client cannot receive it: no elicitation.url, a revision before 2025-11-25", async () => {
    for (const [capabilities, version] of [[{ elicitation: {} }, "2025-11-25"], [URL_CAPABLE, "2025-06-18"]] as const) {
      const headers = await initialize(running.url, capabilities, version);
      const id = await login(running.url, headers);
      assert.deepEqual(await finish(base, id), { known: true, sent: null }, `${version} ${JSON.stringify(capabilities)}`);
    }
  });
});

describe("without a session", () => {
  let running: Running;
  let base: string;
  before(async () => {
    running = await listen(withCallbackRoute(server(undefined)));
    base = running.url.replace(/\/mcp$/, "");
  });
  after(() => running.close());

  test("2026-07-28 and stateless 2025-era calls get no completion function (2026-07-28 clients retry instead)", async () => {
    const _meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": URL_CAPABLE };
    const modern = await post(running.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "needs_login", arguments: {}, _meta } }, modernHeaders("tools/call", "needs_login"));
    assert.equal(modern.json.error?.code, -32042, modern.text);
    assert.deepEqual(await finish(base, modern.json.error.data.elicitations[0].elicitationId), { known: true, sent: null });
    const stateless = await login(running.url, { "mcp-protocol-version": "2025-11-25" });
    assert.deepEqual(await finish(base, stateless), { known: true, sent: null });
  });

  test("the elicitation id must be a non-empty string", () => {
    const context = { request: {} } as Parameters<typeof elicitationCompletion>[0];
    assert.throws(() => elicitationCompletion(context, ""), /non-empty string/);
    assert.equal(elicitationCompletion(context, "x"), undefined);
  });
});

test("replicas: the call on one replica, the GET stream on another, the completion from the first", async () => {
  const bus = memoryBus();
  const store = new MemorySessionStore();
  const [a, b] = [server(legacySessions({ store, bus }), bus), server(legacySessions({ store, bus }), bus)];
  const [ra, rb] = await Promise.all([listen(withCallbackRoute(a)), listen(withCallbackRoute(b))]);
  try {
    const headers = await initialize(ra.url, URL_CAPABLE);
    const stream = await openStream(rb.url, { method: "GET", headers });
    assert.equal(stream.status, 200);
    const id = await login(ra.url, headers);
    assert.deepEqual(await finish(ra.url.replace(/\/mcp$/, ""), id), { known: true, sent: true });
    assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/elicitation/complete", params: { elicitationId: id } });
    stream.abort();
  } finally {
    await Promise.all([ra.close(), rb.close()]);
    await Promise.all([a.close(), b.close()]);
  }
});

test("stdio: the completion is a line to the client", async () => {
  const mcp = server(undefined);
  const peer = inMemoryStdio(mcp);
  try {
    peer.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: URL_CAPABLE, clientInfo: { name: "t", version: "1" } } });
    await peer.waitFor((line) => line.id === 1);
    peer.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "needs_login", arguments: {} } });
    const { line } = await peer.waitFor((message) => message.id === 2);
    const id: string = line.error.data.elicitations[0].elicitationId;
    assert.equal(pending.get(id)?.(), true);
    const { line: notification } = await peer.waitFor((message) => message.method === "notifications/elicitation/complete");
    assert.deepEqual(notification.params, { elicitationId: id });
  } finally {
    await peer.connection.close();
    await mcp.close();
  }
});
