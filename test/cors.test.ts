// Opt-in CORS (http-mcp/cors) over real HTTP on 127.0.0.1: preflights granted and refused, the
// grant on every kind of response (JSON, SSE, 202, 401, 403, 413), Vary, both adapters and the
// protected app's three handlers alike; and with CORS off, nothing changes (OPTIONS is 405).
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { defineTool, MCPServer, type MCPServerSettings } from "http-mcp";
import { createProtectedMCPApp, type ProtectedMCPApp, type TokenValidator } from "http-mcp/auth";
import { cors } from "http-mcp/cors";
import { legacySessions } from "http-mcp/sessions";
import { listen, listenFetch, MODERN_META, modernHeaders, openStream, type Running } from "./helpers.js";

const ALLOWED = "https://inspector.example";
const EVIL = "https://evil.example";
const EXPOSED = "WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version";

const echo = defineTool({ name: "echo", input: z.object({ text: z.string() }), handler: ({ inputs }) => inputs.text });
const steps = defineTool({
  name: "steps",
  description: "Reports progress, so the reply is an SSE stream.",
  handler: (context) => {
    context.progress(1, 2);
    return "done";
  },
});
const admin = defineTool({ name: "admin", scopes: ["admin"], handler: () => "admin data" });

function corsServer(options: Partial<MCPServerSettings<undefined>> = {}) {
  return new MCPServer({ name: "cors", version: "1.0.0", tools: [echo, steps, admin], allowedOrigins: [ALLOWED], maxBodyBytes: 2048, cors: cors({ maxAgeSec: 900 }), ...options });
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** One request with node:http (it sends any Host and Origin), on a fresh connection. */
function send(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const item of Array.isArray(value) ? value : [value ?? ""]) replyHeaders.append(name, item);
        }
        resolve({ status: res.statusCode!, headers: replyHeaders, text });
      });
    });
    req.on("error", reject).end(body);
  });
}

function preflight(url: string, origin: string, requestHeaders?: string, extra: Record<string, string> = {}, method = "POST") {
  const headers: Record<string, string> = { origin, "access-control-request-method": method, ...extra };
  if (requestHeaders !== undefined) headers["access-control-request-headers"] = requestHeaders;
  return send(url, "OPTIONS", headers);
}

function callTool(url: string, name: string, args: Record<string, unknown> = {}, headers: Record<string, string> = {}, meta: Record<string, unknown> = {}) {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta: { ...MODERN_META, ...meta } } });
  return send(url, "POST", { "content-type": "application/json", accept: "application/json, text/event-stream", ...modernHeaders("tools/call", name), ...headers }, body);
}

/** Every `access-control-*` header of a reply. */
function corsHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => name.startsWith("access-control-")));
}

function assertGranted(reply: Reply, origin = ALLOWED) {
  assert.equal(reply.headers.get("access-control-allow-origin"), origin, reply.text);
  assert.equal(reply.headers.get("access-control-expose-headers"), EXPOSED);
  assert.equal(reply.headers.get("access-control-allow-credentials"), null, "credentials are never allowed");
  assert.equal(reply.headers.get("vary"), "Origin");
}

function assertNotGranted(reply: Reply) {
  assert.deepEqual(corsHeaders(reply.headers), {}, reply.text);
  assert.equal(reply.headers.get("vary"), "Origin", "the answer depends on Origin, for caches");
}

const adapters: Array<[string, (server: MCPServer<any>) => Promise<Running>]> = [
  ["nodeHandler", (server) => listen(server.nodeHandler)],
  ["fetch", (server) => listenFetch(server.fetch)],
];

for (const [adapter, start] of adapters) {
  describe(`CORS on the MCP endpoint (${adapter})`, () => {
    let running: Running;
    let url: string;
    before(async () => void ({ url } = running = await start(corsServer())));
    after(() => running.close());

    test("a preflight from an allowed origin: 204, the origin by name, POST, the requested MCP headers, max-age", async () => {
      const requested = "authorization, content-type, mcp-method, mcp-name, mcp-param-region, mcp-protocol-version, x-unknown";
      const reply = await preflight(url, ALLOWED, requested);
      assert.equal(reply.status, 204);
      assert.equal(reply.text, "");
      assert.deepEqual(corsHeaders(reply.headers), {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "POST",
        // Named back one by one: `Mcp-Param-*` has no pattern form, and `*` would not cover Authorization.
        "access-control-allow-headers": "authorization, content-type, mcp-method, mcp-name, mcp-param-region, mcp-protocol-version",
        "access-control-max-age": "900",
      });
      assert.equal(reply.headers.get("vary"), "Origin, Access-Control-Request-Headers");
      const bare = await preflight(url, ALLOWED);
      assert.equal(bare.status, 204);
      assert.equal(bare.headers.get("access-control-allow-headers"), null, "nothing requested, nothing listed");
      const oddName = await preflight(url, ALLOWED, "mcp-param-, mcp-param-a b, mcp-paramx");
      assert.equal(oddName.headers.get("access-control-allow-headers"), null, "only real Mcp-Param-<name> headers");
    });

    test("a preflight from an origin the server refuses: 403 without any grant", async () => {
      for (const origin of [EVIL, "null", "https://inspector.example.evil"]) {
        const reply = await preflight(url, origin, "content-type");
        assert.equal(reply.status, 403, origin);
        assert.deepEqual(corsHeaders(reply.headers), {});
        assert.equal(reply.headers.get("vary"), "Origin, Access-Control-Request-Headers");
        assert.equal(JSON.parse(reply.text).error.message, "Origin not allowed (add it to the server's allowedOrigins)");
      }
    });

    test("localhost origins are allowed for a localhost server, as by the Origin check", async () => {
      const reply = await preflight(url, "http://localhost:6274", "content-type");
      assert.equal(reply.status, 204);
      assert.equal(reply.headers.get("access-control-allow-origin"), "http://localhost:6274");
      assertGranted(await callTool(url, "echo", { text: "hi" }, { origin: "http://localhost:6274" }), "http://localhost:6274");
    });

    test("a preflight naming a Host the server does not answer to is refused, like the request would be", async () => {
      const pinned = await start(corsServer({ allowedHosts: ["mcp.example.com"] }));
      try {
        assert.equal((await preflight(pinned.url, ALLOWED, "content-type", { host: "attacker.example" })).status, 403);
        assert.equal((await preflight(pinned.url, ALLOWED, "content-type", { host: "mcp.example.com" })).status, 204);
      } finally {
        await pinned.close();
      }
    });

    test("OPTIONS that is no preflight (no Access-Control-Request-Method, or no Origin) is the endpoint's 405", async () => {
      const plain = await send(url, "OPTIONS", { origin: ALLOWED });
      assert.equal(plain.status, 405);
      assert.equal(plain.headers.get("allow"), "POST");
      assertGranted(plain);
      const noOrigin = await send(url, "OPTIONS", { "access-control-request-method": "POST" });
      assert.equal(noOrigin.status, 405);
      assertNotGranted(noOrigin);
    });

    test("JSON replies, SSE streams and 202 carry the grant for an allowed origin", async () => {
      const json = await callTool(url, "echo", { text: "hi" }, { origin: ALLOWED });
      assert.equal(json.status, 200);
      assert.equal(JSON.parse(json.text).result.content[0].text, "hi");
      assertGranted(json);

      const sse = await callTool(url, "steps", {}, { origin: ALLOWED }, { progressToken: "p" });
      assert.equal(sse.status, 200);
      assert.equal(sse.headers.get("content-type"), "text/event-stream");
      assert.match(sse.text, /notifications\/progress/);
      assertGranted(sse);

      const notification = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
      const accepted = await send(url, "POST", { "content-type": "application/json", origin: ALLOWED }, notification);
      assert.equal(accepted.status, 202);
      assertGranted(accepted);
    });

    test("errors carry the grant too: 400, 413, 415, and 405", async () => {
      const badParams = await callTool(url, "echo", { text: 42 }, { origin: ALLOWED });
      assert.equal(JSON.parse(badParams.text).result.isError, true);
      assertGranted(badParams);
      const tooLarge = await send(url, "POST", { "content-type": "application/json", origin: ALLOWED }, JSON.stringify({ big: "x".repeat(4096) }));
      assert.equal(tooLarge.status, 413);
      assertGranted(tooLarge);
      const wrongType = await send(url, "POST", { "content-type": "text/plain", origin: ALLOWED }, "{}");
      assert.equal(wrongType.status, 415);
      assertGranted(wrongType);
      const get = await send(url, "GET", { origin: ALLOWED });
      assert.equal(get.status, 405);
      assertGranted(get);
    });

    test("an origin the server refuses gets its 403 and no grant; a request without Origin gets only Vary", async () => {
      const refused = await callTool(url, "echo", { text: "hi" }, { origin: EVIL });
      assert.equal(refused.status, 403);
      assertNotGranted(refused);
      const serverToServer = await callTool(url, "echo", { text: "hi" });
      assert.equal(serverToServer.status, 200);
      assertNotGranted(serverToServer);
    });
  });
}

describe("CORS with 2025-era sessions", () => {
  for (const [adapter, start] of adapters) {
    test(`preflights allow GET and DELETE; the session id is exposed; the GET stream is granted (${adapter})`, async () => {
      const running = await start(corsServer({ sessions: legacySessions() }));
      try {
        const reply = await preflight(running.url, ALLOWED, "mcp-session-id, last-event-id", {}, "GET");
        assert.equal(reply.status, 204);
        assert.equal(reply.headers.get("access-control-allow-methods"), "GET, POST, DELETE");
        assert.equal(reply.headers.get("access-control-allow-headers"), "mcp-session-id, last-event-id");
        const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
        const opened = await send(running.url, "POST", { "content-type": "application/json", accept: "application/json, text/event-stream", origin: ALLOWED }, JSON.stringify(initialize));
        assert.equal(opened.status, 200, opened.text);
        assertGranted(opened);
        const session = opened.headers.get("mcp-session-id")!;
        assert.ok(session);
        const stream = await openStream(running.url, { method: "GET", headers: { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25", origin: ALLOWED } });
        try {
          assert.equal(stream.status, 200);
          assert.equal(stream.headers.get("content-type"), "text/event-stream");
          assert.equal(stream.headers.get("access-control-allow-origin"), ALLOWED);
          assert.equal(stream.headers.get("vary"), "Origin");
        } finally {
          stream.abort();
        }
        const ended = await send(running.url, "DELETE", { "mcp-session-id": session, origin: ALLOWED });
        assert.ok(ended.status < 300, String(ended.status));
        assertGranted(ended);
      } finally {
        await running.close();
      }
    });
  }
});

describe("CORS on the protected app (http-mcp/auth)", () => {
  const RESOURCE = "https://mcp.example/mcp";
  const METADATA_PATH = "/.well-known/oauth-protected-resource/mcp";
  const tokenValidator: TokenValidator = {
    validateToken: (token) => (token === "reader" ? { subject: "r", scopes: [] } : token === "admin" ? { subject: "a", scopes: ["admin"] } : null),
  };
  const protectedApp = (server: MCPServer<any>, middlewares = false) =>
    createProtectedMCPApp({
      server,
      tokenValidator,
      resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] },
      ...(middlewares ? { middlewares: [(request: Request, next: (request: Request) => Promise<Response>) => next(request)] } : {}),
    });
  const handlers: Array<[string, (app: ProtectedMCPApp) => Promise<Running>]> = [
    ["fetch", (app) => listenFetch(app.fetch)],
    ["nodeHandler", (app) => listen(app.nodeHandler)],
  ];

  for (const [name, start, middlewares] of [...handlers.map(([n, s]) => [n, s, false] as const), ["nodeHandler through middlewares", handlers[1]![1], true] as const]) {
    describe(name, () => {
      let running: Running;
      let url: string;
      let origin: string;
      before(async () => {
        running = await start(protectedApp(corsServer(), middlewares));
        url = running.url;
        origin = `http://127.0.0.1:${running.port}`;
      });
      after(() => running.close());

      test("preflights on the MCP path and the metadata URLs: granted for allowed origins, 403 for others", async () => {
        const mcp = await preflight(url, ALLOWED, "authorization, content-type, mcp-protocol-version");
        assert.equal(mcp.status, 204);
        assert.equal(mcp.headers.get("access-control-allow-headers"), "authorization, content-type, mcp-protocol-version");
        assert.equal(mcp.headers.get("access-control-allow-methods"), "POST");
        assert.equal(mcp.headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains");
        for (const path of [METADATA_PATH, "/.well-known/oauth-protected-resource"]) {
          const metadata = await preflight(`${origin}${path}`, ALLOWED, "mcp-protocol-version", {}, "GET");
          assert.equal(metadata.status, 204, path);
          assert.equal(metadata.headers.get("access-control-allow-origin"), ALLOWED);
          assert.equal(metadata.headers.get("access-control-allow-methods"), "GET, HEAD");
          assert.equal(metadata.headers.get("access-control-allow-headers"), "mcp-protocol-version");
          assert.equal(metadata.headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains");
          assert.equal((await preflight(`${origin}${path}`, EVIL, "mcp-protocol-version", {}, "GET")).status, 403);
        }
        const refused = await preflight(url, EVIL, "authorization");
        assert.equal(refused.status, 403);
        assert.equal(refused.headers.get("access-control-allow-origin"), null);
        const elsewhere = await preflight(`${origin}/other`, ALLOWED);
        assert.equal(elsewhere.status, 404, "other paths are not CORS endpoints");
        assert.deepEqual(corsHeaders(elsewhere.headers), {});
      });

      test("the 401 challenge, the 403 insufficient_scope and the 200 carry the grant, WWW-Authenticate exposed", async () => {
        const challenged = await callTool(url, "echo", { text: "hi" }, { origin: ALLOWED });
        assert.equal(challenged.status, 401);
        assert.match(challenged.headers.get("www-authenticate") ?? "", /^Bearer resource_metadata=/);
        assertGranted(challenged);
        const scoped = await callTool(url, "admin", {}, { origin: ALLOWED, authorization: "Bearer reader" });
        assert.equal(scoped.status, 403);
        assert.match(scoped.headers.get("www-authenticate") ?? "", /error="insufficient_scope"/);
        assertGranted(scoped);
        const allowed = await callTool(url, "admin", {}, { origin: ALLOWED, authorization: "Bearer admin" });
        assert.equal(allowed.status, 200);
        assertGranted(allowed);
        assert.equal(allowed.headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains");
        const evil = await callTool(url, "admin", {}, { origin: EVIL, authorization: "Bearer admin" });
        assert.equal(evil.status, 403);
        assertNotGranted(evil);
      });

      test("the metadata document stays public (`*`) for every origin", async () => {
        for (const from of [ALLOWED, EVIL]) {
          const document = await send(`${origin}${METADATA_PATH}`, "GET", { origin: from });
          assert.equal(document.status, 200);
          assert.equal(document.headers.get("access-control-allow-origin"), "*");
          assert.equal(JSON.parse(document.text).resource, RESOURCE);
        }
      });
    });
  }
});

describe("CORS off (the default)", () => {
  const plain = () => new MCPServer({ name: "plain", version: "1.0.0", tools: [echo], allowedOrigins: [ALLOWED] });

  for (const [adapter, start] of adapters) {
    test(`a preflight is the endpoint's 405, and no response carries CORS headers or Vary (${adapter})`, async () => {
      const running = await start(plain());
      try {
        const reply = await preflight(running.url, ALLOWED, "content-type");
        assert.equal(reply.status, 405);
        assert.equal(reply.headers.get("allow"), "POST");
        const json = await callTool(running.url, "echo", { text: "hi" }, { origin: ALLOWED });
        assert.equal(json.status, 200);
        for (const answer of [reply, json]) {
          assert.deepEqual(corsHeaders(answer.headers), {});
          assert.equal(answer.headers.get("vary"), null);
        }
      } finally {
        await running.close();
      }
    });
  }

  test("the protected app: OPTIONS is 405 on the MCP path and the metadata URL; the document keeps `*`", async () => {
    const app = createProtectedMCPApp({
      server: plain(),
      tokenValidator: { validateToken: () => null },
      resourceMetadata: { resource: "https://mcp.example/mcp", authorization_servers: ["https://as.example"] },
    });
    const running = await listen(app.nodeHandler);
    try {
      const origin = `http://127.0.0.1:${running.port}`;
      for (const target of [running.url, `${origin}/.well-known/oauth-protected-resource/mcp`]) {
        const reply = await preflight(target, ALLOWED, "content-type");
        assert.equal(reply.status, 405, target);
        assert.deepEqual(corsHeaders(reply.headers), {});
        assert.equal(reply.headers.get("vary"), null);
      }
      const document = await send(`${origin}/.well-known/oauth-protected-resource/mcp`, "GET", { origin: ALLOWED });
      assert.equal(document.headers.get("access-control-allow-origin"), "*");
    } finally {
      await running.close();
    }
  });
});

test("docs example: a browser client on the allowed origin gets its preflight and a readable reply", async () => {
  const { server } = await import("../docs/examples/cors.ts");
  const running = await listen(server.nodeHandler);
  try {
    const reply = await preflight(running.url, ALLOWED, "content-type, mcp-method, mcp-name, mcp-protocol-version");
    assert.equal(reply.status, 204);
    assert.equal(reply.headers.get("access-control-max-age"), "600");
    const pong = await callTool(running.url, "ping", {}, { origin: ALLOWED });
    assert.equal(JSON.parse(pong.text).result.content[0].text, "pong");
    assertGranted(pong);
    assert.equal((await preflight(running.url, EVIL, "content-type")).status, 403);
  } finally {
    await running.close();
  }
});

describe("cors() options", () => {
  test("extra allowed request headers are named back in preflights", async () => {
    const running = await listen(corsServer({ cors: cors({ allowHeaders: ["X-Api-Key"] }) }).nodeHandler);
    try {
      const reply = await preflight(running.url, ALLOWED, "content-type, x-api-key, x-other");
      assert.equal(reply.headers.get("access-control-allow-headers"), "content-type, x-api-key");
      assert.equal(reply.headers.get("access-control-max-age"), "600", "the default");
    } finally {
      await running.close();
    }
  });

  test("bad options are refused when the layer is made", () => {
    assert.throws(() => cors({ maxAgeSec: -1 }), /maxAgeSec/);
    assert.throws(() => cors({ maxAgeSec: 1.5 }), /maxAgeSec/);
    assert.throws(() => cors({ allowHeaders: ["x-ok", "bad header"] }), /allowHeaders/);
    assert.throws(() => cors({ allowHeaders: ["x\r\ninjected: 1"] }), /allowHeaders/);
    // From JavaScript, `cors: true` fails loudly rather than leaving CORS silently off.
    // @ts-expect-error the option takes the layer from http-mcp/cors (the core does not carry its code)
    assert.throws(() => new MCPServer({ name: "js", version: "1.0.0", cors: true }), TypeError);
  });
});
