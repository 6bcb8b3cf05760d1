// The migration pages' examples: the official-SDK server and its http-mcp rewrite answer an official
// client alike (docs/migration-sdk.md), and the Python http_mcp server's rewrite behaves as the
// Python one did (docs/migration-python.md).
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { postLegacy, postModern } from "./helpers.ts";

async function urlOf(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** What an official client sees of a server: its tools, one call, one prompt. */
async function seenByClient(url: string) {
  const client = new Client({ name: "migration", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { "x-caller": "ada" } } }));
  try {
    // The JSON Schemas compared without the dialect the SDK names (http-mcp leaves 2020-12 implicit).
    const schema = (json: Record<string, unknown> | undefined) => json && Object.fromEntries(Object.entries(json).filter(([key]) => key !== "$schema"));
    const tools = (await client.listTools()).tools.map(({ name, title, inputSchema, outputSchema }) => ({
      name,
      title,
      inputSchema: schema(inputSchema),
      outputSchema: schema(outputSchema),
    }));
    const call = await client.callTool({ name: "forecast", arguments: { city: "Oslo" } });
    const prompt = await client.getPrompt({ name: "plan_trip", arguments: { city: "Lima" } });
    return { tools, structured: call.structuredContent, messages: prompt.messages };
  } finally {
    await client.close();
  }
}

test("the official SDK server and its http-mcp rewrite look the same to an official client", async () => {
  const before = await import("../docs/examples/migration-sdk-before.ts");
  const afterMigration = await import("../docs/examples/migration-sdk-after.ts");
  const [was, is] = [await seenByClient(await urlOf(before.httpServer)), await seenByClient(await urlOf(afterMigration.httpServer))];
  assert.deepEqual(is, was);
  assert.deepEqual(is.structured, { city: "Oslo", days: 3, summary: "Sunny in Oslo for 3 days (asked by ada)" });
  // The same JSON Schemas too: the rewrite keeps the SDK's raw shapes, which stand for z.object() of them.
  assert.deepEqual(is.tools.map(({ name, title, inputSchema }) => ({ name, title, required: inputSchema?.required })), [{ name: "forecast", title: "Forecast", required: ["city"] }]);
});

test("the Python http_mcp server, rewritten: state, returnErrorMessage, scopes from authenticate", async () => {
  const { httpServer } = await import("../docs/examples/migration-python.ts");
  const url = await urlOf(httpServer);
  const greeted = await postModern(url, 1, "tools/call", { name: "greet", arguments: { question: "how are you?" } });
  assert.deepEqual(greeted.json.result.structuredContent, { answer: "Hello, how are you?!" });
  const risky = await postModern(url, 2, "tools/call", { name: "risky_tool", arguments: { value: -1 } });
  assert.deepEqual(risky.json.result.structuredContent, { errorMessage: "Error calling tool risky_tool: Value must be positive" });
  const anonymous = await postLegacy(url, 3, "tools/list");
  assert.deepEqual(anonymous.json.result.tools.map((t: { name: string }) => t.name), ["greet", "risky_tool"]);
  const alice = { authorization: "Bearer let-me-in" };
  const secret = await postModern(url, 4, "tools/call", { name: "private_tool" }, alice);
  assert.deepEqual(secret.json.result.structuredContent, { message: "This is private data (tools called so far: greet)" });
  const refused = await postModern(url, 5, "tools/call", { name: "private_tool" });
  assert.equal(refused.status, 403);
});
