// http-mcp/auth end to end: a real authorization server (oidc-provider) issuing JWT and opaque
// access tokens, the protected app over real HTTP, the official SDK client with a bearer token.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { z } from "zod";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { definePrompt, defineTool, MCPServer } from "http-mcp";
import { serveStdio } from "http-mcp/stdio";
import { bearerChallenge, createProtectedMCPApp, introspectionValidator, jwtValidator, type ProtectedMCPApp, type TokenValidator } from "http-mcp/auth";
import { startAuthorizationServer, type AuthorizationServer } from "./fixtures/authorization-server.js";
import { listen, MODERN_META, type Running } from "./helpers.js";

const echo = defineTool({ name: "echo", input: z.object({ text: z.string() }), handler: ({ inputs }) => inputs.text });
const privateTool = defineTool({ name: "private_tool", scopes: ["private"], handler: ({ auth }) => `private data for ${auth?.subject}` });
const adminTool = defineTool({ name: "admin_tool", scopes: ["admin", "superuser"], handler: () => "admin data" });
const privatePrompt = definePrompt({ name: "private_prompt", scopes: ["private"], handler: () => "secret prompt" });

function mcpServer(reports: string[] = []) {
  return new MCPServer({
    name: "protected",
    version: "1.0.0",
    tools: [echo, privateTool, adminTool],
    prompts: [privatePrompt],
    onError: (error, where) => reports.push(`${where}: ${String(error)}`),
  });
}

/** A JSON-RPC POST to the MCP endpoint (2026-07-28 shape), with an optional Authorization header. */
async function call(url: string, method: string, params: Record<string, unknown> = {}, authorization?: string) {
  const headers: Record<string, string> = { "content-type": "application/json", "mcp-protocol-version": "2026-07-28", "mcp-method": method };
  if (typeof params.name === "string") headers["mcp-name"] = params.name;
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: MODERN_META } }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** One request to an app's Node handler over real HTTP on 127.0.0.1 (the server lives for this request only). */
async function overHttp(app: ProtectedMCPApp, init: { method?: string; path?: string; authorization?: string; body?: unknown } = {}) {
  const running = await listen(app.nodeHandler);
  try {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (init.authorization !== undefined) headers.authorization = init.authorization;
    const response = await fetch(`http://127.0.0.1:${running.port}${init.path ?? "/mcp"}`, {
      method: init.method ?? "POST",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  } finally {
    await running.close();
  }
}

const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list" };

const names = (reply: { json: any }) => reply.json.result.tools.map((tool: { name: string }) => tool.name);

function assertSecurityHeaders(headers: Headers, cacheControl = "no-store") {
  assert.equal(headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains");
  assert.equal(headers.get("x-content-type-options"), "nosniff");
  assert.equal(headers.get("cache-control"), cacheControl);
}

describe("http-mcp/auth against a real authorization server", () => {
  let as: AuthorizationServer;
  let running: Running;
  let app: ProtectedMCPApp;
  let resource: string;
  let metadataUrl: string;
  let validatorCalls = 0;
  const reports: string[] = [];
  const OTHER_RESOURCE = "http://127.0.0.1:1/another-mcp";

  before(async () => {
    as = await startAuthorizationServer();
    running = await listen((req, res) => app.nodeHandler(req, res));
    resource = running.url; // http://127.0.0.1:PORT/mcp
    metadataUrl = `http://127.0.0.1:${running.port}/.well-known/oauth-protected-resource/mcp`;
    as.resources.set(resource, { format: "jwt", scopes: "private admin", ttlSec: 300 });
    as.resources.set(OTHER_RESOURCE, { format: "jwt", scopes: "private admin", ttlSec: 300 });
    const jwt = jwtValidator({ issuer: as.issuer, jwksUrl: as.jwksUrl, typ: "at+jwt" });
    const counting: TokenValidator = { validateToken: (token, res) => (validatorCalls++, jwt.validateToken(token, res)) };
    app = createProtectedMCPApp({
      server: mcpServer(reports),
      tokenValidator: counting,
      resourceMetadata: { resource, authorization_servers: [as.issuer], resource_name: "Test MCP" },
      realm: "mcp",
    });
  });
  after(async () => {
    await running.close();
    await as.close();
  });

  test("metadata at the path-inserted and the root well-known URL: GET/HEAD, cacheable, resource exactly as configured", async () => {
    const root = `http://127.0.0.1:${running.port}/.well-known/oauth-protected-resource`;
    for (const url of [metadataUrl, root, `${metadataUrl}/`]) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      assert.deepEqual(await response.json(), {
        resource,
        authorization_servers: [as.issuer],
        resource_name: "Test MCP",
        scopes_supported: ["admin", "private", "superuser"], // the union of the tools' and prompts' scopes
      });
      assertSecurityHeaders(response.headers, "public, max-age=3600");
      assert.equal(response.headers.get("content-type"), "application/json");
      const head = await fetch(url, { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), "");
      for (const method of ["POST", "PUT", "DELETE"]) {
        const refused = await fetch(url, { method });
        assert.equal(refused.status, 405, `${method} ${url}`);
        assert.equal(refused.headers.get("allow"), "GET, HEAD");
      }
    }
    const elsewhere = await fetch(`http://127.0.0.1:${running.port}/nothing-here`);
    assert.equal(elsewhere.status, 404);
    assertSecurityHeaders(elsewhere.headers);
    assert.equal(app.metadataUrl, metadataUrl);
  });

  test("no token: 401 with realm and resource_metadata, no error code (RFC 6750 §3.1), generic body", async () => {
    validatorCalls = 0;
    for (const authorization of [undefined, "", "Basic dXNlcjpwYXNz", "Negotiate abc"]) {
      const reply = await call(resource, "tools/list", {}, authorization);
      assert.equal(reply.status, 401, String(authorization));
      assert.equal(reply.headers.get("www-authenticate"), `Bearer realm="mcp", resource_metadata="${metadataUrl}"`);
      assert.deepEqual(reply.json, { jsonrpc: "2.0", id: null, error: { code: -31401, message: "Authentication required" } });
      assertSecurityHeaders(reply.headers);
    }
    assert.equal(validatorCalls, 0);
  });

  test("malformed bearer tokens are refused before the validator runs: 401 invalid_token", async () => {
    validatorCalls = 0;
    for (const authorization of ["Bearer", "Bearer ", "Bearer abc$def", "Bearer a b", "Bearer é", `Bearer ${"a".repeat(2049)}`, "Bearer ==abc"]) {
      const reply = await call(resource, "tools/list", {}, authorization);
      assert.equal(reply.status, 401, authorization.slice(0, 20));
      assert.equal(reply.headers.get("www-authenticate"), `Bearer realm="mcp", resource_metadata="${metadataUrl}", error="invalid_token"`);
      assert.deepEqual(reply.json.error, { code: -31401, message: "Invalid or expired token" });
    }
    assert.equal(validatorCalls, 0);
  });

  test("a token for this resource lists and calls what its scopes allow; 403 challenges name a minimal set that would suffice", async () => {
    const token = await as.token(resource, "private");
    for (const scheme of ["Bearer", "bearer", "BEARER"]) {
      assert.deepEqual(names(await call(resource, "tools/list", {}, `${scheme} ${token}`)), ["echo", "private_tool"]);
    }
    const bearer = `Bearer ${token}`;
    const secret = await call(resource, "tools/call", { name: "private_tool", arguments: {} }, bearer);
    assert.equal(secret.status, 200);
    assert.deepEqual(secret.json.result.content, [{ type: "text", text: "private data for agent" }]);
    assertSecurityHeaders(secret.headers);
    const refused = await call(resource, "tools/call", { name: "admin_tool", arguments: {} }, bearer);
    assert.equal(refused.status, 403);
    assert.equal(
      refused.headers.get("www-authenticate"),
      `Bearer realm="mcp", resource_metadata="${metadataUrl}", scope="admin", error="insufficient_scope"`,
    );
    assert.deepEqual(refused.json.error.data, { requiredScopes: ["admin"] }, "either alternative suffices: the first declared is named, not both");
    assert.equal(refused.json.error.code, -31403);
    const admin = `Bearer ${await as.token(resource, "admin")}`;
    assert.deepEqual(names(await call(resource, "tools/list", {}, admin)), ["admin_tool", "echo"]);
    assert.equal((await call(resource, "prompts/get", { name: "private_prompt" }, admin)).status, 403);
  });

  test("wrong audience, tampered and unknown tokens get 401 invalid_token; the JWKS is fetched once and cached", async () => {
    const challenge = `Bearer realm="mcp", resource_metadata="${metadataUrl}", error="invalid_token"`;
    const forOther = await as.token(OTHER_RESOURCE, "private admin");
    const good = await as.token(resource, "private");
    const [header, payload, signature] = good.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, scope: "private admin" })).toString("base64url"), signature].join(".");
    for (const token of [forOther, tampered, "not.a.jwt", "opaque-random-token-value"]) {
      const reply = await call(resource, "tools/list", {}, `Bearer ${token}`);
      assert.equal(reply.status, 401);
      assert.equal(reply.headers.get("www-authenticate"), challenge);
      assert.equal(reply.json.error.message, "Invalid or expired token");
    }
    assert.equal(as.jwksRequests, 1);
  });

  test("an expired token gets 401 invalid_token", async () => {
    const shortResource = "http://127.0.0.1:2/short-lived";
    // exp = iat + 2 with iat in whole seconds: valid for at least one more second after issuance.
    as.resources.set(shortResource, { format: "jwt", scopes: "private", ttlSec: 2 });
    const strict = createProtectedMCPApp({
      server: mcpServer(),
      tokenValidator: jwtValidator({ issuer: as.issuer, jwksUrl: as.jwksUrl, clockToleranceSec: 0 }),
      resourceMetadata: { resource: shortResource, authorization_servers: [as.issuer] },
      mcpPath: "/short-lived",
      clockToleranceSec: 0,
    });
    const token = await as.token(shortResource, "private");
    const request = () => overHttp(strict, { path: "/short-lived", authorization: `Bearer ${token}`, body: LIST });
    assert.equal((await request()).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const expired = await request();
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get("www-authenticate")!, /error="invalid_token"$/);
  });

  test("the official SDK client connects with a bearer token", async () => {
    const token = await as.token(resource, "private");
    const client = new Client({ name: "auth-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    try {
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), ["echo", "private_tool"]);
      const result = await client.callTool({ name: "private_tool", arguments: {} });
      assert.deepEqual(result.content, [{ type: "text", text: "private data for agent" }]);
    } finally {
      await client.close();
    }
  });
});

describe("validator outages are 503, not invalid tokens", () => {
  test("JWKS unreachable and introspection endpoint down: 503 with Retry-After, reported without the token", async () => {
    const as = await startAuthorizationServer();
    const resource = "http://127.0.0.1:3/mcp";
    as.resources.set(resource, { format: "jwt", scopes: "private", ttlSec: 300 });
    const token = await as.token(resource, "private");
    as.setDown(true);
    try {
      const validators = [
        jwtValidator({ issuer: as.issuer, jwksUrl: as.jwksUrl }),
        introspectionValidator({ endpoint: as.introspectionEndpoint, ...as.resourceServerClient }),
      ];
      for (const tokenValidator of validators) {
        const reports: string[] = [];
        const server = new MCPServer({ name: "s", version: "1", tools: [privateTool], onError: (error) => reports.push(String(error)) });
        const app = createProtectedMCPApp({ server, tokenValidator, resourceMetadata: { resource, authorization_servers: [as.issuer] } });
        const response = await overHttp(app, { authorization: `Bearer ${token}`, body: LIST });
        assert.equal(response.status, 503);
        assert.equal(response.headers.get("retry-after"), "5");
        assert.equal(response.headers.get("www-authenticate"), null);
        assertSecurityHeaders(response.headers);
        assert.deepEqual(response.json.error, { code: -32603, message: "Authorization is temporarily unavailable" });
        assert.equal(reports.length, 1);
        assert.ok(!reports[0]!.includes(token));
      }
    } finally {
      await as.close();
    }
  });
});

describe("RFC 7662 introspection validator against the same authorization server", () => {
  test("opaque tokens: active and for this resource → scopes; inactive or for another resource → 401", async () => {
    const as = await startAuthorizationServer();
    const running = await listen((req, res) => app.nodeHandler(req, res));
    const resource = running.url;
    as.resources.set(resource, { format: "opaque", scopes: "private", ttlSec: 300 });
    as.resources.set("http://127.0.0.1:4/elsewhere", { format: "opaque", scopes: "private", ttlSec: 300 });
    const app = createProtectedMCPApp({
      server: mcpServer(),
      tokenValidator: introspectionValidator({ endpoint: as.introspectionEndpoint, ...as.resourceServerClient }),
      resourceMetadata: { resource, authorization_servers: [as.issuer] },
    });
    try {
      const token = await as.token(resource, "private");
      assert.equal(token.split(".").length, 1, "an opaque token");
      const ok = await call(resource, "tools/call", { name: "private_tool", arguments: {} }, `Bearer ${token}`);
      assert.deepEqual(ok.json.result.content, [{ type: "text", text: "private data for agent" }]);
      for (const bad of [await as.token("http://127.0.0.1:4/elsewhere", "private"), "never-issued-token"]) {
        const reply = await call(resource, "tools/list", {}, `Bearer ${bad}`);
        assert.equal(reply.status, 401);
        assert.match(reply.headers.get("www-authenticate")!, /error="invalid_token"$/);
      }
    } finally {
      await running.close();
      await as.close();
    }
  });
});

describe("protected app options", () => {
  const validator: TokenValidator = {
    validateToken: (token, resource) =>
      token === "good-token" ? { subject: "u", scopes: ["private"], audience: resource, expiresAt: Date.now() / 1000 + 60 } : null,
  };
  const resource = "http://127.0.0.1:5/mcp";
  const post = (app: ProtectedMCPApp, authorization?: string) => overHttp(app, { authorization, body: LIST });

  test("WWW-Authenticate parameters cannot inject headers: a realm with control characters is refused up front, quotes and backslashes escaped", async () => {
    const config = { server: mcpServer(), tokenValidator: validator, resourceMetadata: { resource, authorization_servers: ["https://as.example"] } };
    for (const realm of ['evil"\r\nSet-Cookie: stolen=1', "tab\there", "nul\u0000", "del\u007f", "é"]) {
      assert.throws(() => createProtectedMCPApp({ ...config, realm }), /realm must be printable ASCII/);
    }
    const app = createProtectedMCPApp({ ...config, realm: 'evil"Set-Cookie: stolen=1\\' });
    const response = await post(app);
    assert.equal(response.headers.get("set-cookie"), null);
    assert.equal(
      response.headers.get("www-authenticate"),
      `Bearer realm="evil\\"Set-Cookie: stolen=1\\\\", resource_metadata="http://127.0.0.1:5/.well-known/oauth-protected-resource/mcp"`,
    );
    assert.equal(bearerChallenge({ error: "invalid_token", errorDescription: 'foo", evil="injected\n' }), 'Bearer error="invalid_token", error_description="foo\\", evil=\\"injected"');
    assert.equal(bearerChallenge({}), "Bearer");
  });

  test("a validator that fails quoting the token: 503, and the report shows [redacted] instead of the token", async () => {
    const reports: string[] = [];
    const server = new MCPServer({ name: "s", version: "1", tools: [echo], onError: (error, where) => reports.push(`${where}: ${String(error)}`) });
    const leaky: TokenValidator = {
      validateToken: (token) => {
        throw new Error(`token store refused ${token}`);
      },
    };
    const app = createProtectedMCPApp({ server, tokenValidator: leaky, resourceMetadata: { resource, authorization_servers: ["https://as.example"] } });
    const response = await post(app, "Bearer s3cret-token-value");
    assert.equal(response.status, 503);
    assert.ok(!response.text.includes("s3cret"));
    assert.deepEqual(reports, ["token validation: Error: token store refused [redacted]"]);
  });

  test("requireAuthentication: false serves anonymous callers, but a bad token is still 401", async () => {
    const app = createProtectedMCPApp({
      server: mcpServer(),
      tokenValidator: validator,
      resourceMetadata: { resource, authorization_servers: ["https://as.example"] },
      requireAuthentication: false,
    });
    const anonymous = await post(app);
    assert.equal(anonymous.status, 200);
    assert.deepEqual(names(anonymous), ["echo"]);
    assert.equal((await post(app, "Bearer wrong-token")).status, 401);
    assert.deepEqual(names(await post(app, "Bearer good-token")), ["echo", "private_tool"]);
  });

  test("a bare-origin resource is kept exactly (no trailing slash); its metadata URL is the root form", async () => {
    const app = createProtectedMCPApp({
      server: mcpServer(),
      tokenValidator: validator,
      resourceMetadata: { resource: "http://127.0.0.1:5", authorization_servers: ["https://as.example"], scopes_supported: ["private"] },
    });
    assert.equal(app.metadataUrl, "http://127.0.0.1:5/.well-known/oauth-protected-resource");
    const document = (await overHttp(app, { method: "GET", path: "/.well-known/oauth-protected-resource/mcp" })).json;
    assert.deepEqual(document, { resource: "http://127.0.0.1:5", authorization_servers: ["https://as.example"], scopes_supported: ["private"] });
    assert.throws(() => createProtectedMCPApp({ server: mcpServer(), tokenValidator: validator, resourceMetadata: { resource: "https://x/mcp#frag", authorization_servers: ["https://as"] } }), /fragment/);
    assert.throws(() => createProtectedMCPApp({ server: mcpServer(), tokenValidator: validator, resourceMetadata: { resource: "https://x/mcp", authorization_servers: [] } }), /at least one/);
  });

  test("middlewares wrap every route, on the fetch and the Node handler alike", async () => {
    const seen: string[] = [];
    const app = createProtectedMCPApp({
      server: mcpServer(),
      tokenValidator: validator,
      resourceMetadata: { resource, authorization_servers: ["https://as.example"] },
      middlewares: [
        async (request, next) => {
          seen.push(new URL(request.url).pathname);
          const response = await next(request);
          response.headers.set("x-request-id", "r-1");
          return response;
        },
      ],
    });
    const running = await listen(app.nodeHandler);
    try {
      for (const url of [running.url, `http://127.0.0.1:${running.port}/.well-known/oauth-protected-resource`]) {
        const response = await fetch(url, {
          method: url.endsWith("/mcp") ? "POST" : "GET",
          headers: { "content-type": "application/json", authorization: "Bearer good-token" },
          body: url.endsWith("/mcp") ? JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) : undefined,
        });
        assert.equal(response.status, 200, url);
        assert.equal(response.headers.get("x-request-id"), "r-1");
        assert.equal(response.headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains");
      }
      assert.deepEqual(seen, ["/mcp", "/.well-known/oauth-protected-resource"]);
    } finally {
      await running.close();
    }
  });

  test("stdio: the token comes from requestHeaders and is checked the same way", async () => {
    const run = async (requestHeaders: Record<string, string>) => {
      // A stdio connection closes its server when its input ends: one app per run.
      const app = createProtectedMCPApp({ server: mcpServer(), tokenValidator: validator, resourceMetadata: { resource, authorization_servers: ["https://as.example"] } });
      const input = new PassThrough();
      const output = new PassThrough();
      let text = "";
      output.on("data", (chunk: Buffer) => (text += chunk.toString()));
      const connection = serveStdio(app, { input, output, requestHeaders });
      input.end('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"private_tool"}}\n');
      await connection.closed;
      return JSON.parse(text);
    };
    assert.deepEqual((await run({ authorization: "Bearer good-token" })).result.content, [{ type: "text", text: "private data for u" }]);
    assert.deepEqual((await run({})).error, { code: -31401, message: "Authentication required" });
    assert.deepEqual((await run({ authorization: "Bearer nope" })).error, { code: -31401, message: "Invalid or expired token" });
  });
});
