// The MCP protocol over real HTTP against the demo server: 2026-07-28 (modern) and 2025-era (legacy) clients.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { definePrompt, defineTool, MCPServer, McpError, PromptInvocationError, type AuthInfo } from "http-mcp";
import { createDemoServer } from "../examples/demo/server.js";
import { listen, MODERN, MODERN_META, modernHeaders, post, postLegacy, postModern, type RawResponse, type Running } from "./helpers.js";

const SERVER_INFO = "io.modelcontextprotocol/serverInfo";
const PRIVATE = { authorization: "Bearer demo-private" };
const ADMIN = { authorization: "Bearer demo-admin" };
let nextId = 1;

function assertError(res: RawResponse, status: number, code: number): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json?.error?.code, code, res.text);
  assert.equal(Object.hasOwn(res.json, "result"), false);
}

/** A modern result: complete, with the server's identity in `_meta`. */
function modernResult(res: RawResponse, name = "http-mcp-demo"): any {
  assert.equal(res.status, 200, res.text);
  const { result } = res.json;
  assert.equal(result.resultType, "complete");
  assert.equal(result._meta[SERVER_INFO].name, name);
  assert.equal(typeof result._meta[SERVER_INFO].version, "string");
  return result;
}

/** POSTs a modern request with hand-made `_meta` and headers (for the envelope checks). */
const rawModern = (url: string, method: string, meta: Record<string, unknown>, headers: Record<string, string>, params: Record<string, unknown> = {}) =>
  post(url, { jsonrpc: "2.0", id: nextId++, method, params: { ...params, _meta: meta } }, headers);

let demo: Running, url: string;
const modern = (method: string, params?: Record<string, unknown>, headers?: Record<string, string>) => postModern(url, nextId++, method, params, headers);
const legacy = (method: string, params?: Record<string, unknown>, headers?: Record<string, string>) => postLegacy(url, nextId++, method, params, headers);
const callTool = (name: string, args?: unknown, headers?: Record<string, string>) => modern("tools/call", args === undefined ? { name } : { name, arguments: args }, headers);
const names = (items: Array<{ name: string }>) => items.map((item) => item.name);

before(async () => void ({ url } = demo = await listen(createDemoServer().nodeHandler)));
after(() => demo.close());

describe("2026-07-28", () => {
  test("server/discover", async () => {
    const result = modernResult(await modern("server/discover"));
    assert.deepEqual(result.supportedVersions, [MODERN]);
    assert.deepEqual(result.capabilities, {
      tools: { listChanged: true },
      prompts: { listChanged: true },
      resources: { listChanged: true, subscribe: true },
      completions: {},
      logging: {},
      extensions: { "io.modelcontextprotocol/tasks": {}, "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } },
    });
    assert.match(result.instructions, /^Demo server/);
    assert.equal(result.ttlMs, 300_000);
    assert.equal(result.cacheScope, "public");
    assert.deepEqual(result._meta[SERVER_INFO], { name: "http-mcp-demo", version: "1.0.0" });
  });

  test("every result is complete and names the server", async () => {
    for (const res of [
      await modern("tools/list"),
      await modern("prompts/list"),
      await callTool("greet", { question: "x" }),
      await modern("prompts/get", { name: "help_prompt" }),
    ]) modernResult(res);
  });

  test("tools/list: sorted, cache hints, private because some tools are scoped", async () => {
    const result = modernResult(await modern("tools/list"));
    assert.deepEqual(names(result.tools), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
    assert.equal(result.ttlMs, 300_000);
    assert.equal(result.cacheScope, "private");
    assert.equal(result.nextCursor, undefined);
    const greet = result.tools.find((tool: { name: string }) => tool.name === "greet");
    assert.equal(greet.inputSchema.type, "object");
    assert.deepEqual(greet.outputSchema.required, ["answer"]);
  });

  test("envelope: MCP-Protocol-Version header and _meta", async () => {
    const meta = { ...MODERN_META };
    assertError(await rawModern(url, "tools/list", meta, { "mcp-method": "tools/list" }), 400, -32020);
    assertError(await rawModern(url, "tools/list", { ...meta, "io.modelcontextprotocol/protocolVersion": "v999.0.0" }, modernHeaders("tools/list")), 400, -32020);
    assertError(await rawModern(url, "tools/list", { "io.modelcontextprotocol/protocolVersion": MODERN }, modernHeaders("tools/list")), 400, -32602);
    const withInfo = { ...meta, "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" } };
    modernResult(await rawModern(url, "tools/list", withInfo, modernHeaders("tools/list")));
    modernResult(await rawModern(url, "tools/list", meta, modernHeaders("tools/list")));
  });

  test("unsupported version in header and _meta → -32022 with the supported list", async () => {
    const { supportedVersions } = modernResult(await modern("server/discover"));
    const old = "1999-01-01";
    const headers = { ...modernHeaders("tools/list"), "mcp-protocol-version": old };
    const res = await rawModern(url, "tools/list", { ...MODERN_META, "io.modelcontextprotocol/protocolVersion": old }, headers);
    assertError(res, 400, -32022);
    assert.equal(res.json.error.data.requested, old);
    assert.ok(res.json.error.data.supported.length > 0);
    for (const version of res.json.error.data.supported) assert.ok(supportedVersions.includes(version), version);
  });

  test("Mcp-Method and Mcp-Name headers must mirror the body", async () => {
    const greet = { name: "greet", arguments: { question: "q" } };
    const send = (headers: Record<string, string>) => rawModern(url, "tools/call", MODERN_META, { "mcp-protocol-version": MODERN, ...headers }, greet);
    assertError(await send({ "mcp-name": "greet" }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/list", "mcp-name": "greet" }), 400, -32020);
    assertError(await send({ "mcp-method": "TOOLS/CALL", "mcp-name": "greet" }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/call" }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/call", "mcp-name": "get_time" }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/call", "mcp-name": "=?base64?!!!?=" }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/call", "mcp-name": "=?base64?Z?=" }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/call", "mcp-name": `=?base64?${btoa("get_time")}?=` }), 400, -32020);
    // Base64 is canonical and padded (SEP-2243): "greet" unpadded is refused, not read leniently.
    assertError(await send({ "mcp-method": "tools/call", "mcp-name": `=?base64?${btoa("greet").replace(/=+$/, "")}?=` }), 400, -32020);
    assertError(await send({ "mcp-method": "tools/call", "mcp-name": `=?base64?${btoa("\xff")}?=` }), 400, -32020); // not UTF-8
    // Only the exact lowercase sentinel with both markers is decoded; anything else is a literal name.
    for (const literal of [`=?BASE64?${btoa("greet")}?=`, `=?base64?${btoa("greet")}`]) {
      assertError(await send({ "mcp-method": "tools/call", "mcp-name": literal }), 400, -32020);
    }
    // The markers may not share a character: "=?base64?=" is a literal method name (unknown: -32601);
    // "=?base64??=" encodes the empty string, which this method is not (-32020).
    const echoed = (method: string) => rawModern(url, method, MODERN_META, { "mcp-protocol-version": MODERN, "mcp-method": method });
    assertError(await echoed("=?base64?="), 404, -32601);
    assertError(await echoed("=?base64??="), 400, -32020);
    for (const name of [" greet ", "\tgreet", `=?base64?${btoa("greet")}?=`]) {
      assert.deepEqual(modernResult(await send({ "mcp-method": "tools/call", "mcp-name": name })).structuredContent, { answer: "Hello, q!" }, name);
    }
  });

  test("unknown methods, and 2025-only methods, are 404 -32601", async () => {
    for (const method of ["foo/bar", "initialize", "ping", "resources/subscribe"]) assertError(await modern(method), 404, -32601);
  });

  test("invalid tools/call params → -32602 with HTTP 200", async () => {
    assertError(await callTool("no_such_tool", {}), 200, -32602);
    assertError(await modern("tools/call", {}), 200, -32602);
    assertError(await modern("tools/call", { name: 42 }), 200, -32602);
    assertError(await callTool("greet", "question"), 200, -32602);
    assertError(await callTool("greet", ["world"]), 200, -32602);
    assertError(await modern("tools/list", { cursor: "garbage" }), 200, -32602);
    assertError(await modern("prompts/list", { cursor: 3 }), 200, -32602);
  });
});

describe("pagination", () => {
  const tool = (name: string) => defineTool({ name, handler: () => name });
  const server = (count: number) => new MCPServer({ name: "pages", version: "1", pageSize: 3, tools: Array.from({ length: count }, (_, i) => tool(`t${count - i}`)) });
  let seven: Running, ten: Running;
  before(async () => ([seven, ten] = await Promise.all([listen(server(7).nodeHandler), listen(server(10).nodeHandler)])));
  after(() => Promise.all([seven.close(), ten.close()]));

  async function walk(target: string, send = postModern): Promise<{ pages: any[]; cursors: string[] }> {
    const pages: any[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await send(target, nextId++, "tools/list", cursor === undefined ? {} : { cursor });
      assert.equal(res.status, 200, res.text);
      pages.push(res.json.result);
      cursor = res.json.result.nextCursor;
      if (cursor !== undefined) cursors.push(cursor);
    } while (cursor !== undefined && pages.length < 10);
    return { pages, cursors };
  }

  test("7 tools with pageSize 3: three pages, each tool once, sorted", async () => {
    const { pages, cursors } = await walk(seven.url);
    assert.deepEqual(pages.map((page) => page.tools.length), [3, 3, 1]);
    assert.deepEqual(pages.flatMap((page) => names(page.tools)), ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
    assert.equal(cursors.length, 2);
    for (const cursor of cursors) assert.ok(typeof cursor === "string" && cursor.length > 0 && !/^\d+$/.test(cursor));
    assert.equal(Object.hasOwn(pages[2], "nextCursor"), false);
    for (const page of pages) assert.equal(page.cacheScope, "public");
    const legacyWalk = await walk(seven.url, (target, id, method, params) => postLegacy(target, id, method, params));
    assert.deepEqual(legacyWalk.pages.flatMap((page) => names(page.tools)), ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
  });

  test("garbage cursors and cursors past the end are -32602", async () => {
    const { cursors } = await walk(ten.url);
    assert.equal(cursors.length, 3);
    const beyond = cursors[2]!; // offset 9 on a 10-item list, past the end of the 7-item one
    for (const cursor of [beyond, "garbage!!", "", "bzox", cursors[0]!.slice(0, -1)]) {
      assertError(await postModern(seven.url, nextId++, "tools/list", { cursor }), 200, -32602);
    }
  });
});

describe("2025-era clients", () => {
  const init = (protocolVersion: string, extra: Record<string, unknown> = {}) =>
    legacy("initialize", { protocolVersion, capabilities: {}, clientInfo: { name: "t", version: "1" }, ...extra });

  test("initialize echoes a supported version and counter-offers otherwise", async () => {
    for (const version of ["2025-11-25", "2025-06-18", "2025-03-26"]) {
      const reply = await init(version);
      const { result } = reply.json;
      assert.equal(result.protocolVersion, version);
      assert.deepEqual(result.serverInfo, { name: "http-mcp-demo", version: "1.0.0" });
      // The demo serves 2025-era clients with sessions: list changes can reach them on the session's GET stream.
      assert.ok(reply.headers.get("mcp-session-id"), "a session id");
      // Tasks (SEP-2663) are a 2026-07-28 extension: 2025-era clients are not told of them; MCP Apps serves both eras.
      assert.deepEqual(result.capabilities, {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        completions: {},
        logging: {},
        extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } },
      });
      assert.match(result.instructions, /^Demo server/);
    }
    for (const version of ["2024-01-01", MODERN]) assert.equal((await init(version)).json.result.protocolVersion, "2025-11-25");
    assertError(await legacy("initialize", { protocolVersion: "2025-11-25", capabilities: {} }), 200, -32602);
  });

  test("ping, notifications and unknown methods", async () => {
    assert.deepEqual((await legacy("ping")).json.result, {});
    const note = await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, { "mcp-protocol-version": "2025-11-25" });
    assert.equal(note.status, 202);
    assert.equal(note.text, "");
    assertError(await legacy("foo/bar"), 200, -32601);
  });

  test("tools/list has no 2026 fields", async () => {
    const { result } = (await legacy("tools/list")).json;
    assert.deepEqual(names(result.tools), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
    for (const key of ["resultType", "ttlMs", "cacheScope", "_meta"]) assert.equal(Object.hasOwn(result, key), false, key);
  });

  test("version header: absent means 2025-03-26, 2026-07-28 needs _meta", async () => {
    const res = await post(url, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    assert.equal(res.status, 200);
    assert.equal(res.json.result.tools.length, 7);
    assertError(await legacy("tools/list", undefined, { "mcp-protocol-version": MODERN }), 400, -32602);
    assertError(await legacy("tools/list", undefined, { "mcp-protocol-version": "1999-01-01" }), 400, -32022);
  });
});

describe("demo tools", () => {
  test("greet returns structured content and its JSON as text", async () => {
    const result = modernResult(await callTool("greet", { question: "world" }));
    assert.deepEqual(result.structuredContent, { answer: "Hello, world!" });
    assert.deepEqual(result.content, [{ type: "text", text: JSON.stringify({ answer: "Hello, world!" }) }]);
    assert.equal(result.isError, undefined);
  });

  test("get_time needs no arguments", async () => {
    for (const args of [undefined, {}]) assert.match(modernResult(await callTool("get_time", args)).structuredContent.time, /^\d\d:\d\d:\d\d$/);
  });

  test("risky_tool reports refusals as errorMessage output, not isError", async () => {
    const refused = modernResult(await callTool("risky_tool", { value: -1 }));
    assert.equal(refused.isError, undefined);
    assert.deepEqual(refused.structuredContent, { errorMessage: "Error calling tool risky_tool: Value must be positive" });
    assert.deepEqual(modernResult(await callTool("risky_tool", { value: 5 })).structuredContent, { result: "Success: 5" });
    for (const args of [{ value: "5" }, { value: 1.5 }, {}]) {
      const invalid = modernResult(await callTool("risky_tool", args));
      assert.equal(invalid.isError, true);
      assert.match(invalid.content[0].text, /^Error validating arguments for tool risky_tool: .*value/);
    }
  });

  test("scopes hide tools and prompts from lists", async () => {
    const list = async (method: string, key: string, headers = {}) => names(modernResult(await modern(method, {}, headers))[key]);
    assert.deepEqual(await list("tools/list", "tools"), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
    assert.deepEqual(await list("tools/list", "tools", PRIVATE), ["activity_snapshot", "get_time", "greet", "long_job", "private_tool", "risky_tool", "show_activity", "wait"]);
    assert.deepEqual(await list("tools/list", "tools", ADMIN), ["activity_snapshot", "admin_tool", "get_time", "greet", "long_job", "private_tool", "risky_tool", "show_activity", "wait"]);
    assert.deepEqual(await list("prompts/list", "prompts"), ["get_advice", "help_prompt"]);
    assert.deepEqual(await list("prompts/list", "prompts", PRIVATE), ["get_advice", "help_prompt", "private_prompt"]);
    assert.deepEqual(await list("tools/list", "tools", { authorization: "Bearer wrong" }), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
  });

  test("scoped calls are refused with 403 unless the caller has a scope", async () => {
    assertError(await callTool("private_tool"), 403, -31403);
    assertError(await callTool("admin_tool", {}, PRIVATE), 403, -31403);
    assertError(await modern("prompts/get", { name: "private_prompt" }), 403, -31403);
    assertError(await legacy("tools/call", { name: "private_tool" }), 403, -31403);
    assert.deepEqual(modernResult(await callTool("private_tool", {}, PRIVATE)).structuredContent, { message: "This is private data" });
    assert.deepEqual(modernResult(await callTool("admin_tool", {}, ADMIN)).structuredContent, { message: "This is admin data for demo-admin" });
    assert.equal(modernResult(await modern("prompts/get", { name: "private_prompt" }, PRIVATE)).messages[0].content.text, "This is a private prompt.");
  });
});

describe("demo prompts and lifespan state", () => {
  const getPrompt = (name: string, args?: Record<string, string>) => modern("prompts/get", args === undefined ? { name } : { name, arguments: args });

  test("get_advice converts string arguments and validates them", async () => {
    const steps = modernResult(await getPrompt("get_advice", { topic: "testing", include_actionable_steps: "true" }));
    assert.equal(steps.messages[0].role, "user");
    assert.match(steps.messages[0].content.text, /advice on testing\. The advice should include actionable steps\./);
    const plain = modernResult(await getPrompt("get_advice", { topic: "testing", include_actionable_steps: "false" }));
    assert.doesNotMatch(plain.messages[0].content.text, /actionable/);
    assertError(await getPrompt("get_advice", { include_actionable_steps: "true" }), 200, -32602);
    assertError(await getPrompt("get_advice", { topic: "t", include_actionable_steps: "maybe" }), 200, -32602);
    assertError(await getPrompt("no_such_prompt"), 200, -32602);
  });

  test("help_prompt needs no arguments and carries its description", async () => {
    const result = modernResult(await getPrompt("help_prompt"));
    assert.equal(result.description, "Use this prompt to get general help.");
    assert.deepEqual(result.messages, [{ role: "user", content: { type: "text", text: "You are a helpful assistant. Help the user with their task." } }]);
  });

  test("prompts/list describes arguments", async () => {
    const { prompts } = modernResult(await modern("prompts/list"));
    const advice = prompts.find((prompt: { name: string }) => prompt.name === "get_advice");
    assert.deepEqual(advice.arguments, [
      { name: "topic", description: "The topic to get advice on", required: true },
      { name: "include_actionable_steps", description: "Whether to include actionable steps in the advice", required: false },
    ]);
    assert.deepEqual(prompts.find((prompt: { name: string }) => prompt.name === "help_prompt").arguments, []);
  });

  test("the lifespan state is shared across requests and cleaned up on close", async () => {
    let stopped = 0;
    const mcp = createDemoServer({ onStop: () => stopped++ });
    const fresh = await listen(mcp.nodeHandler);
    try {
      const advice = async () => modernResult(await postModern(fresh.url, nextId++, "prompts/get", { name: "get_advice", arguments: { topic: "x" } })).messages[0].content.text;
      assert.match(await advice(), /Previously called tools: none$/);
      modernResult(await postModern(fresh.url, nextId++, "tools/call", { name: "greet", arguments: { question: "q" } }));
      modernResult(await postModern(fresh.url, nextId++, "tools/call", { name: "risky_tool", arguments: { value: 1 } }));
      assert.match(await advice(), /Previously called tools: greet, risky_tool$/);
    } finally {
      await fresh.close();
      await mcp.close();
    }
    assert.equal(stopped, 1);
  });
});

describe("custom tools: errors, output schemas, host-supplied auth", () => {
  const reports: Array<{ error: unknown; where: string }> = [];
  let runs = 0;
  const tools = [
    defineTool({ name: "leaky", handler: () => { throw new Error("db password is hunter2"); } }),
    defineTool({ name: "picky", handler: () => { throw new McpError("INVALID_PARAMS", "bad thing"); } }),
    defineTool({ name: "liar", output: z.object({ n: z.number() }), handler: () => ({ n: "not a number" }) as any }),
    defineTool({ name: "guarded", scopes: ["vip"], handler: () => void runs++ }),
    defineTool({ name: "tags", output: z.array(z.string()), handler: () => ["a", "b"] }),
    defineTool({ name: "version", handler: ({ protocolVersion }) => protocolVersion }),
  ];
  const prompts = [definePrompt({ name: "grumpy", handler: () => { throw new PromptInvocationError("nope"); } })];
  const server = new MCPServer({ name: "custom", version: "2", tools, prompts, onError: (error, where) => reports.push({ error, where }) });
  let custom: Running, withAuth: Running;
  before(async () => {
    custom = await listen(server.nodeHandler);
    const mcp = createDemoServer();
    withAuth = await listen((req, res) => {
      (req as IncomingMessage & { auth?: AuthInfo }).auth = { scopes: ["private"], subject: "middleware" };
      mcp.nodeHandler(req, res);
    });
  });
  after(() => Promise.all([custom.close(), withAuth.close()]));
  const call = (name: string, era: "modern" | "legacy" = "modern", headers?: Record<string, string>) =>
    (era === "modern" ? postModern : postLegacy)(custom.url, nextId++, "tools/call", { name }, headers);

  test("an unexpected throw is reported to onError and hidden from the client", async () => {
    const res = await call("leaky");
    const result = modernResult(res, "custom");
    assert.equal(result.isError, true);
    assert.deepEqual(result.content, [{ type: "text", text: "Error calling tool leaky: Internal error" }]);
    assert.ok(!res.text.includes("hunter2"));
    const report = reports.find((r) => r.where.includes("leaky"));
    assert.ok(report?.error instanceof Error && report.error.message === "db password is hunter2");
  });

  test("McpError from a handler becomes a JSON-RPC error", async () => {
    const res = await call("picky");
    assertError(res, 200, -32602);
    assert.equal(res.json.error.message, "bad thing");
  });

  test("output that breaks the output schema is an isError result, reported", async () => {
    const result = modernResult(await call("liar"), "custom");
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent, undefined);
    assert.match(result.content[0].text, /^Error calling tool liar: /);
    assert.ok(reports.some((r) => r.where.includes("liar") && /output schema/.test(String((r.error as Error).message))));
  });

  test("a refused scoped call never runs the handler", async () => {
    assertError(await call("guarded"), 403, -31403);
    assertError(await call("guarded", "legacy"), 403, -31403);
    assert.equal(runs, 0);
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "guarded" } });
    const allowed = await server.fetch(new Request("http://localhost/mcp", { method: "POST", headers: { "content-type": "application/json" }, body }), { auth: { scopes: ["vip"] } });
    assert.equal(allowed.status, 200);
    assert.equal(runs, 1);
  });

  test("non-object output schemas are modern-only", async () => {
    const modernTags = modernResult(await postModern(custom.url, nextId++, "tools/list"), "custom").tools.find((t: { name: string }) => t.name === "tags");
    assert.deepEqual(modernTags.outputSchema, { $schema: "https://json-schema.org/draft/2020-12/schema", type: "array", items: { type: "string" } });
    const legacyTags = (await postLegacy(custom.url, nextId++, "tools/list")).json.result.tools.find((t: { name: string }) => t.name === "tags");
    assert.equal(Object.hasOwn(legacyTags, "outputSchema"), false);
    assert.deepEqual(modernResult(await call("tags"), "custom").structuredContent, ["a", "b"]);
    const legacyResult = (await call("tags", "legacy")).json.result;
    assert.equal(Object.hasOwn(legacyResult, "structuredContent"), false);
    assert.deepEqual(legacyResult.content, [{ type: "text", text: '["a","b"]' }]);
  });

  test("handlers see the negotiated protocol version", async () => {
    const text = (res: RawResponse) => res.json.result.content[0].text;
    assert.equal(text(await call("version")), MODERN);
    assert.equal(text(await call("version", "legacy", { "mcp-protocol-version": "2025-06-18" })), "2025-06-18");
    assert.equal(text(await post(custom.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "version" } })), "2025-03-26");
  });

  test("PromptInvocationError → -32603 with its message", async () => {
    const res = await postModern(custom.url, nextId++, "prompts/get", { name: "grumpy" });
    assertError(res, 500, -32603);
    assert.equal(res.json.error.message, "Error getting prompt grumpy: nope");
  });

  test("auth handed in by the host: fetch options and Node req.auth", async () => {
    const mcp = createDemoServer();
    const request = () =>
      new Request("http://127.0.0.1/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", ...modernHeaders("tools/call", "private_tool") },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "private_tool", _meta: MODERN_META } }),
      });
    assert.equal((await mcp.fetch(request())).status, 403);
    // Workers call fetch(request, env, ctx): a binding named `auth` is not an identity.
    for (const env of [{ auth: "a-secret-binding" }, { auth: { get: () => null } }, { auth: { scopes: "private" } }]) {
      assert.equal((await mcp.fetch(request(), env as never)).status, 403, JSON.stringify(env));
    }
    const response = await mcp.fetch(request(), { auth: { scopes: ["private"] } });
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).result.structuredContent, { message: "This is private data" });
    await mcp.close();
    const viaNode = await postModern(withAuth.url, nextId++, "tools/call", { name: "private_tool" });
    assert.deepEqual(modernResult(viaNode).structuredContent, { message: "This is private data" });
    assertError(await postModern(withAuth.url, nextId++, "tools/call", { name: "admin_tool" }, ADMIN), 403, -31403);
    // express-jwt leaves the token's claims in req.auth: not an AuthInfo, so the server's own authenticate decides.
    const claims = await listen((req, res) => {
      (req as IncomingMessage & { auth?: unknown }).auth = { sub: "mallory", scope: "private" };
      mcp2.nodeHandler(req, res);
    });
    const mcp2 = createDemoServer();
    try {
      assertError(await postModern(claims.url, nextId++, "tools/call", { name: "private_tool" }), 403, -31403);
      const token = await postModern(claims.url, nextId++, "tools/call", { name: "private_tool" }, { authorization: "Bearer demo-private" });
      assert.deepEqual(modernResult(token).structuredContent, { message: "This is private data" });
    } finally {
      await claims.close();
      await mcp2.close();
    }
  });
});
