// Deeply nested JSON is refused up front (400, -32600) on every transport, instead of overflowing
// the stack of a schema validator or a handler further on (which used to answer 500).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import express from "express";
import { z } from "zod";
import { defineTool, MCPServer } from "http-mcp";
import { inMemoryStdio, listen, listenFetch, MODERN_META, modernHeaders, post, type Running } from "./helpers.ts";

const echo = defineTool({ name: "echo", input: z.object({ v: z.any() }), output: z.object({ v: z.any() }), handler: ({ inputs }) => ({ v: inputs.v }) });
const server = new MCPServer({ name: "deep", version: "1", tools: [echo], maxBodyBytes: 8 * 1024 * 1024 });
const running: Running[] = [];
after(() => Promise.all(running.map((r) => r.close())));

/** A tools/call whose argument holds `levels` nested arrays: the whole message nests `levels + 3` deep. */
function call(levels: number, id = 1) {
  const deep = "[".repeat(levels) + "]".repeat(levels);
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"v":${deep}},"_meta":${JSON.stringify(MODERN_META)}}}`;
}
const TOO_DEEP = { code: -32600, message: "Invalid request: nested deeper than 512 levels" };

test("HTTP (node and fetch adapters, and a body Express parsed): 512 levels pass, deeper is a 400", async () => {
  const app = express();
  app.use(express.json({ limit: "8mb" }));
  app.post("/mcp", server.nodeHandler);
  for (const target of [await listen(server.nodeHandler), await listenFetch(server.fetch), await listen(app)]) {
    running.push(target);
    const headers = modernHeaders("tools/call", "echo");
    const deepest = await post(target.url, call(509), headers);
    assert.equal(deepest.status, 200);
    assert.equal(JSON.stringify(deepest.json.result.structuredContent.v).length, 2 * 509);
    for (const levels of [510, 10_000, 1_000_000]) {
      const refused = await post(target.url, call(levels), headers);
      assert.equal(refused.status, 400, `${levels} levels`);
      assert.deepEqual(refused.json.error, TOO_DEEP);
    }
    const objects = '{"a":'.repeat(600) + "1" + "}".repeat(600);
    const refused = await post(target.url, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"v":${objects}},"_meta":${JSON.stringify(MODERN_META)}}}`, headers);
    assert.deepEqual(refused.json.error, TOO_DEEP, "objects count as arrays do");
  }
});

test("stdio: the deep line gets the same error and the next line is served", async () => {
  const stdio = inMemoryStdio(server);
  stdio.input.write(`${call(100_000, 1)}\n`);
  stdio.send({ jsonrpc: "2.0", id: 2, method: "ping" });
  const { line: refused } = await stdio.waitFor((line) => line.error !== undefined);
  assert.deepEqual(refused.error, TOO_DEEP);
  await stdio.waitFor((line) => line.id === 2 && line.result !== undefined);
  await stdio.connection.close();
});
