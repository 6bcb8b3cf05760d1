// One method table: a method registered through the internal table API (as an extension will)
// is dispatched like a core method on HTTP (both eras) and stdio, and its capability is advertised.
// The table is not public yet, so this test builds the server from src/ (run with tsx).
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { MCPServer, McpError, defineTool } from "../src/index.js";
import { internalsOf } from "../src/server/internals.js";
import { serveStdio } from "../src/stdio/index.js";
import { MODERN_META, listen, post, postLegacy } from "./helpers.js";

const EXTENSION = "com.example/echo";

function serverWithExtension() {
  const server = new MCPServer({ name: "table", version: "1", tools: [defineTool({ name: "noop", handler: () => "ok" })] });
  const { engine } = internalsOf(server).core;
  engine.methods.register("example/echo", {
    nameParam: "word",
    // A per-request check of the entry's own, run before its handler (an extension refusing a client, say).
    check: ({ params }) => {
      if (params.word === "forbidden") throw new McpError("INVALID_PARAMS", "that word is refused");
    },
    capability: { name: "extensions", settings: () => ({ [EXTENSION]: { loud: true } }) },
    // An extension's own result type (a task, say) is kept; the others are `complete`.
    handle: ({ params, call }) => (params.word === "later" ? { resultType: "task", taskId: "t1" } : { echoed: params.word, era: call.era }),
  });
  assert.throws(
    () => engine.methods.register("tools/call", { handle: () => ({}) }),
    (error: any) => error.code === "DUPLICATE_METHOD" && error instanceof TypeError,
    "a taken name is refused",
  );
  server.update({}); // the descriptions (discover, initialize) are made again with the new capability
  return server;
}

test("an extra method entry is dispatched and advertised over HTTP, in both eras", async (t) => {
  const server = serverWithExtension();
  const { url, close } = await listen(server.nodeHandler);
  t.after(close);
  const headers = { "mcp-protocol-version": "2026-07-28", "mcp-method": "example/echo", "mcp-name": "hi" };
  const modern = await post(url, { jsonrpc: "2.0", id: 1, method: "example/echo", params: { word: "hi", _meta: MODERN_META } }, headers);
  assert.equal(modern.status, 200);
  assert.equal(modern.json.result.echoed, "hi");
  assert.equal(modern.json.result.era, "modern");
  assert.equal(modern.json.result.resultType, "complete");
  const task = await post(url, { jsonrpc: "2.0", id: 7, method: "example/echo", params: { word: "later", _meta: MODERN_META } }, { ...headers, "mcp-name": "later" });
  assert.equal(task.json.result.resultType, "task");
  assert.equal(task.json.result.taskId, "t1");
  assert.ok(task.json.result._meta, "with the server's identity, as every 2026-07-28 result");

  // The entry's nameParam makes the Mcp-Name header check apply to it, as to tools/call.
  const mismatch = await post(url, { jsonrpc: "2.0", id: 2, method: "example/echo", params: { word: "hi", _meta: MODERN_META } }, { ...headers, "mcp-name": "other" });
  assert.equal(mismatch.status, 400);

  const refused = await postLegacy(url, 8, "example/echo", { word: "forbidden" });
  assert.equal(refused.json.error.code, -32602);
  assert.equal(refused.json.error.message, "that word is refused");

  const legacy = await postLegacy(url, 3, "example/echo", { word: "yo" });
  assert.deepEqual(legacy.json.result, { echoed: "yo", era: "legacy" });

  const discoverHeaders = { "mcp-protocol-version": "2026-07-28", "mcp-method": "server/discover" };
  const discover = await post(url, { jsonrpc: "2.0", id: 4, method: "server/discover", params: { _meta: MODERN_META } }, discoverHeaders);
  assert.deepEqual(discover.json.result.capabilities.extensions, { [EXTENSION]: { loud: true } });
  assert.deepEqual(discover.json.result.capabilities.tools, { listChanged: true }, "core capabilities stay");

  const initialize = await postLegacy(url, 5, "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } });
  assert.deepEqual(initialize.json.result.capabilities.extensions, { [EXTENSION]: { loud: true } });

  const unknown = await postLegacy(url, 6, "example/other", {});
  assert.equal(unknown.json.error.code, -32601, "a name nobody registered is still not found");
  await server.close();
});

test("an extra method entry is dispatched over stdio", async () => {
  const server = serverWithExtension();
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  const connection = serveStdio(server, { input, output });
  input.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } })}\n`);
  input.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "example/echo", params: { word: "stdio" } })}\n`);
  input.write(`${JSON.stringify({ jsonrpc: "2.0", id: 3, method: "example/echo", params: { word: "new", _meta: MODERN_META } })}\n`);
  const lines = async () => {
    for (let i = 0; i < 400; i++) {
      const parsed = text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
      if (parsed.length >= 3) return parsed;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`too few lines: ${text}`);
  };
  const [init, legacy, modern] = (await lines()).sort((a, b) => a.id - b.id);
  assert.deepEqual(init.result.capabilities.extensions, { [EXTENSION]: { loud: true } });
  assert.deepEqual(legacy.result, { echoed: "stdio", era: "legacy" });
  assert.equal(modern.result.echoed, "new");
  assert.equal(modern.result.era, "modern");
  await connection.close();
});
