// Edges a hostile review found: argument keys that are not well-formed Unicode, middleware that
// calls next() twice, and errors thrown by a second copy of the package.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { connect } from "node:net";
import { request as httpRequest } from "node:http";
import express from "express";
import { defineTool, MCPServer, type Middleware } from "http-mcp";
import { legacySessions } from "http-mcp/sessions";
import { createProtectedMCPApp } from "http-mcp/auth";
import { jsonSchemaValidator } from "http-mcp/json-schema";
import { listenFetch, MODERN_META, modernHeaders, post, postLegacy, postModern, serveDuringTest } from "./helpers.js";

describe("argument keys that are not well-formed Unicode", () => {
  test("a lone surrogate in a key of a raw JSON Schema tool's arguments is a validation error, not 500", async () => {
    const strict = defineTool({ name: "strict", input: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, handler: () => "ok" });
    const errors: unknown[] = [];
    const server = new MCPServer({ name: "u", version: "1", tools: [strict], jsonSchemaValidator: jsonSchemaValidator(), onError: (error) => errors.push(error) });
    const url = await serveDuringTest(server.nodeHandler);
    for (const key of ["\\ud800", "x\\udc00y"]) {
      const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"strict","arguments":{"${key}":1},"_meta":${JSON.stringify(MODERN_META)}}}`;
      const reply = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", accept: "application/json", ...modernHeaders("tools/call", "strict") } });
      assert.equal(reply.status, 200);
      const result = (await reply.json()).result;
      assert.equal(result.isError, true);
      assert.match(result.content[0].text, /not well-formed Unicode/);
    }
    assert.deepEqual(errors, [], "nothing reported: it is the client's input, not a bug");
  });
});

describe("next() called twice", () => {
  test("an MCP middleware's second next() rejects; the handler runs once", async () => {
    let runs = 0;
    const seen: string[] = [];
    const twice: Middleware = async (_call, next) => {
      const first = await next();
      await next().catch((error: Error) => seen.push(error.message));
      return first;
    };
    const server = new MCPServer({ name: "m", version: "1", middleware: [twice], tools: [defineTool({ name: "count", handler: () => String(++runs) })] });
    const url = await serveDuringTest(server.nodeHandler);
    const reply = await postModern(url, 1, "tools/call", { name: "count" });
    assert.equal(reply.json.result.content[0].text, "1");
    assert.equal(runs, 1);
    assert.deepEqual(seen, ["next() called more than once"]);
    const again = await postLegacy(url, 2, "tools/call", { name: "count" });
    assert.equal(again.json.result.content[0].text, "2", "a new call gets a fresh next()");
  });

  test("a fetch middleware of the protected app that calls next() twice gets an error; the request runs once", async () => {
    let runs = 0;
    const server = new MCPServer({ name: "m", version: "1", tools: [defineTool({ name: "count", handler: () => String(++runs) })] });
    let second: unknown;
    const app = createProtectedMCPApp({
      server,
      tokenValidator: { validateToken: () => ({ scopes: [] }) },
      resourceMetadata: { resource: "http://127.0.0.1:1/mcp", authorization_servers: ["https://as.example"] },
      middlewares: [
        async (request, next) => {
          const response = await next(request);
          second = await next(request).catch((error: Error) => error.message);
          return response;
        },
      ],
    });
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "count", _meta: MODERN_META } });
    const headers = { authorization: "Bearer t", "content-type": "application/json", accept: "application/json", ...modernHeaders("tools/call", "count") };
    const reply = await app.fetch(new Request("http://127.0.0.1:1/mcp", { method: "POST", body, headers }));
    assert.equal(reply.status, 200);
    assert.equal(second, "next() called more than once");
    assert.equal(runs, 1);
  });
});

describe("two copies of the package in one app", () => {
  const copy = mkdtempSync(join(tmpdir(), "http-mcp-copy-"));
  after(() => rmSync(copy, { recursive: true, force: true }));

  test("an McpError from the other copy keeps its JSON-RPC code and HTTP status", async () => {
    cpSync(new URL("../dist", import.meta.url), join(copy, "dist"), { recursive: true });
    writeFileSync(join(copy, "package.json"), JSON.stringify({ name: "http-mcp-copy", type: "module" }));
    const other = (await import(pathToFileURL(join(copy, "dist/index.js")).href)) as typeof import("http-mcp");
    assert.notEqual(other.McpError, (await import("http-mcp")).McpError, "really another copy");
    const server = new MCPServer({
      name: "two",
      version: "1",
      tools: [
        defineTool({
          name: "refuse",
          handler: () => {
            throw new other.McpError("INSUFFICIENT_SCOPE", "not allowed here", { data: { requiredScopes: ["x"] } });
          },
        }),
      ],
    });
    const url = await serveDuringTest(server.nodeHandler);
    const reply = await postModern(url, 1, "tools/call", { name: "refuse" });
    assert.equal(reply.status, 403);
    assert.deepEqual(reply.json.error, { code: -31403, message: "not allowed here", data: { requiredScopes: ["x"] } });
    assert.equal(new Error("plain") instanceof other.McpError, false);
  });
});

describe("the protected app behind other adapters", () => {
  const reports: string[] = [];
  const protectedApp = (middlewares: boolean) =>
    createProtectedMCPApp({
      server: new MCPServer({
        name: "p",
        version: "1",
        tools: [defineTool({ name: "ping", handler: () => "pong" })],
        sessions: legacySessions(),
        onError: (error, where) => reports.push(`${where}: ${String(error)}`),
      }),
      tokenValidator: { validateToken: (token) => (token === "good" ? { subject: "s", scopes: [] } : null) },
      resourceMetadata: { resource: "http://127.0.0.1:1/mcp", authorization_servers: ["https://as.example"] },
      ...(middlewares ? { middlewares: [(request: Request, next: (request: Request) => Promise<Response>) => next(request)] } : {}),
    });

  test("its fetch handler answers a Host no URL can hold (as a Node adapter passes it on) with 400, not 500", async () => {
    const running = await listenFetch(protectedApp(false).fetch);
    after(() => running.close());
    for (const host of [".0", "x:y:z"]) {
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(running.port, "127.0.0.1", () => socket.write(`POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
        let received = "";
        socket.setEncoding("utf8").on("data", (chunk: string) => (received += chunk)).on("end", () => resolve(received.split("\r\n")[0]!)).on("error", reject);
      });
      assert.equal(head, "HTTP/1.1 400 Bad Request", host);
    }
  });

  test("behind express.json(), fetch middlewares get the body the host already read instead of waiting for it", { timeout: 10_000 }, async () => {
    const app = express();
    app.use(express.json());
    app.all("/mcp", protectedApp(true).nodeHandler);
    const url = await serveDuringTest(app);
    const reply = await postModern(url, 1, "tools/call", { name: "ping" }, { authorization: "Bearer good" });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.result.content[0].text, "pong");
    const refused = await postModern(url, 2, "tools/list", {}, { authorization: "Bearer bad" });
    assert.equal(refused.status, 401);
    assert.deepEqual(reports, ["token refused: InvalidTokenError: invalid: the token validator refused the token"]);
  });

  test("a 2025-era session's GET stream through fetch middlewares sends its head at once", async () => {
    const url = await serveDuringTest(protectedApp(true).nodeHandler);
    const auth = { authorization: "Bearer good" };
    const init = await post(url, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } }, auth);
    const session = init.headers.get("mcp-session-id");
    assert.ok(session);
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: "GET", headers: { ...auth, accept: "text/event-stream", "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on("error", reject).end();
    });
    assert.equal(status, 200);
    assert.ok(performance.now() - started < 1000, "the head came before any event");
  });
});

describe("request headers a handler reads", () => {
  test("any case finds a header; names of Object.prototype's members find nothing, on both handlers", async () => {
    const names = ["x-trace-id", "X-Trace-Id", "X-TRACE-ID", "constructor", "toString", "__proto__", "hasOwnProperty", "x-absent"];
    const echo = defineTool({ name: "echo", handler: ({ request }) => JSON.stringify(names.map((name) => request.headers.get(name))) });
    const server = new MCPServer({ name: "h", version: "1", tools: [echo] });
    for (const url of [await serveDuringTest(server.nodeHandler), await listenFetch(server.fetch).then((running) => (after(() => running.close()), running.url))]) {
      const reply = await postModern(url, 1, "tools/call", { name: "echo" }, { "x-trace-id": "t-1" });
      assert.deepEqual(JSON.parse(reply.json.result.content[0].text), ["t-1", "t-1", "t-1", null, null, null, null, null], url);
    }
    await server.close();
  });
});
