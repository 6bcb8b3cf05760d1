// http-mcp/testing: the in-memory client goes through the same pipeline as HTTP, and is typed
// from the server's own definitions (the type checks below fail `npm run typecheck` when wrong).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { defineResource, defineTool, definePrompt, MCPServer, McpError, ToolInvocationError, type ResourceContents } from "http-mcp";
import { createTestClient, JsonRpcError } from "http-mcp/testing";
import type { Equal, Expect } from "./type-assertions.js";

const add = defineTool({
  name: "add",
  input: z.object({ a: z.number(), b: z.number().default(1) }),
  output: z.object({ sum: z.number() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
});
const ping = defineTool({ name: "ping", handler: () => "pong" });
const divide = defineTool({
  name: "divide",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ quotient: z.number() }),
  returnErrorMessage: true,
  handler: ({ inputs }) => {
    if (inputs.b === 0) throw new ToolInvocationError("Division by zero");
    return { quotient: inputs.a / inputs.b };
  },
});
const purge = defineTool({ name: "purge", scopes: ["admin"], handler: ({ auth }) => `purged by ${auth?.subject}` });
const deploy = defineTool({
  name: "deploy",
  input: z.object({ service: z.string() }),
  handler: async ({ inputs, elicit, progress, meta }) => {
    const answer = await elicit("confirm", { message: `Deploy ${inputs.service}?`, requestedSchema: { type: "object", properties: {} } });
    if (answer.action !== "accept") return "cancelled";
    progress(1, 2, "half");
    progress(2, 2, "done");
    return `${inputs.service} deployed (${String(meta.traceparent ?? "untraced")})`;
  },
});
const brief = definePrompt({
  name: "brief",
  arguments: z.object({ topic: z.string(), words: z.number() }),
  handler: ({ inputs }) => `Brief me on ${inputs.topic} in ${inputs.words} words`,
});

function makeServer() {
  return new MCPServer({
    name: "typed",
    version: "1",
    pageSize: 2,
    tools: [add, ping, divide, purge, deploy],
    prompts: [brief],
    authenticate: (request) => {
      const header = request.headers.get("authorization");
      if (header === null) return null;
      if (header !== "Bearer root") throw new McpError("UNAUTHORIZED", "Unknown token");
      return { scopes: ["admin"], subject: "root" };
    },
  });
}

describe("createTestClient", () => {
  const server = makeServer();
  const client = createTestClient(server);

  test("calls a tool by name: the structured result, typed from the output schema", async () => {
    const result = await client.callTool("add", { a: 2 });
    assert.equal(result.isError, false);
    if (!result.isError) {
      type _sum = Expect<Equal<typeof result.structuredContent, { sum: number }>>;
      assert.deepEqual(result.structuredContent, { sum: 3 });
    }
    assert.deepEqual(result.content, [{ type: "text", text: '{"sum":3}' }]);
  });

  test("a tool without arguments, and a call by definition", async () => {
    const byName = await client.callTool("ping");
    const byDefinition = await client.callTool(ping);
    type _none = Expect<Equal<typeof byName.structuredContent, undefined>>;
    assert.deepEqual(byName.content, [{ type: "text", text: "pong" }]);
    assert.deepEqual(byDefinition.content, byName.content);
  });

  test("invalid arguments and failures are results, as over HTTP", async () => {
    // @ts-expect-error a must be a number
    const invalid = await client.callTool("add", { a: "two" });
    assert.equal(invalid.isError, true);
    assert.match((invalid.content[0] as { text: string }).text, /^Error validating arguments for tool add: \[\{"field":"a"/);
    const failed = await client.callTool("divide", { a: 1, b: 0 });
    assert.equal(failed.isError, false, "returnErrorMessage turns the failure into output");
    type _divide = Expect<Equal<NonNullable<typeof failed.structuredContent>, { quotient: number } | { errorMessage: string }>>;
    assert.deepEqual(failed.structuredContent, { errorMessage: "Error calling tool divide: Division by zero" });
  });

  test("scopes: hidden and refused for an anonymous caller, granted by headers (authenticate) or by auth", async () => {
    assert.deepEqual((await client.listTools()).map((t) => t.name), ["add", "deploy", "divide", "ping"], "all pages, purge hidden");
    await assert.rejects(client.callTool("purge"), (error: JsonRpcError) => {
      assert.ok(error instanceof JsonRpcError);
      assert.deepEqual([error.code, error.status, error.data], [-31403, 403, { requiredScopes: ["admin"] }]);
      return true;
    });
    const root = client.as({ headers: { authorization: "Bearer root" } });
    assert.ok((await root.listTools()).some((t) => t.name === "purge"));
    assert.deepEqual((await root.callTool("purge")).content, [{ type: "text", text: "purged by root" }]);
    const framework = client.as({ auth: { scopes: ["admin"], subject: "ops" } });
    assert.deepEqual((await framework.callTool("purge")).content, [{ type: "text", text: "purged by ops" }]);
    await assert.rejects(client.as({ headers: { authorization: "Bearer guess" } }).listTools(), (error: JsonRpcError) => {
      assert.deepEqual([error.code, error.status, error.message], [-31401, 401, "Unknown token"]);
      return true;
    });
  });

  test("prompts: typed arguments, sent as strings and converted by the server", async () => {
    const prompt = await client.getPrompt("brief", { topic: "tides", words: 50 });
    assert.deepEqual(prompt.messages, [{ role: "user", content: { type: "text", text: "Brief me on tides in 50 words" } }]);
    assert.deepEqual((await client.listPrompts()).map((p) => p.name), ["brief"]);
  });

  test("protocol errors throw JsonRpcError with the spec's code", async () => {
    await assert.rejects(client.request("tools/call", { name: "nope" }), { name: "JsonRpcError", code: -32602, message: "Unknown tool: nope" });
    await assert.rejects(client.request("no/such/method"), { code: -32601, status: 404 });
  });

  test("questions are answered and retried with the server's requestState; progress arrives as notifications", async () => {
    const asked: string[] = [];
    const interactive = createTestClient(server, {
      answers: {
        elicitation: (request) => {
          asked.push(request.message);
          return { action: "accept", content: {} };
        },
      },
    });
    const notes: unknown[] = [];
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const result = await interactive.callTool("deploy", { service: "api" }, { meta: { progressToken: "p", traceparent }, onNotification: (n) => notes.push(n) });
    assert.deepEqual(result.content, [{ type: "text", text: `api deployed (${traceparent})` }]);
    assert.deepEqual(asked, ["Deploy api?"]);
    assert.deepEqual(notes, [
      { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p", progress: 1, total: 2, message: "half" } },
      { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p", progress: 2, total: 2, message: "done" } },
    ]);
    // Without answers the client declares no elicitation capability, and the server refuses (-32021).
    await assert.rejects(client.callTool("deploy", { service: "api" }), { code: -32021 });
  });

  test("readResource: the contents array (text, or bytes as a base64 blob), -32602 for an unknown URI; a non-ASCII URI goes in Mcp-Name base64-encoded", async () => {
    const cafe = defineResource({ uri: "notes://café", read: () => "crème" });
    const withResource = createTestClient(new MCPServer({ name: "r", version: "1", resources: [cafe] }));
    const contents: ResourceContents[] = await withResource.readResource("notes://café");
    assert.deepEqual(contents, [{ uri: "notes://café", text: "crème" }]);
    // What docs/testing.md says of readResource: bytes come as base64 `blob`, an unknown URI rejects with -32602.
    const logo = defineResource({ uri: "images://logo", mimeType: "image/png", read: () => new Uint8Array([137, 80]) });
    const withBytes = createTestClient(new MCPServer({ name: "b", version: "1", resources: [logo] }));
    assert.deepEqual(await withBytes.readResource("images://logo"), [{ uri: "images://logo", mimeType: "image/png", blob: "iVA=" }]);
    await assert.rejects(withBytes.readResource("images://nope"), { name: "JsonRpcError", code: -32602 });
  });

  test("speaks a 2025 revision when asked", async () => {
    const legacy = createTestClient(server, { protocolVersion: "2025-11-25" });
    const result = await legacy.callTool("add", { a: 40, b: 2 });
    assert.deepEqual(result.structuredContent, { sum: 42 });
    await assert.rejects(legacy.request("server/discover"), { code: -32601 });
  });

  test("the HTTP pipeline's checks apply: allowed hosts and the body cap", async () => {
    const strict = new MCPServer({ name: "strict", version: "1", tools: [add], allowedHosts: ["mcp.example.com"], maxBodyBytes: 500 });
    await assert.rejects(createTestClient(strict).callTool("add", { a: 1 }), { status: 403, code: -32600 });
    const allowed = createTestClient(strict, { url: "https://mcp.example.com/mcp" });
    assert.deepEqual((await allowed.callTool("add", { a: 1 })).structuredContent, { sum: 2 });
    await assert.rejects(allowed.callTool("add", { a: 1 }, { meta: { padding: "x".repeat(500) } }), { status: 413 });
  });
});

describe("types", () => {
  test("names, arguments and results are checked at compile time", () => {
    const client = createTestClient(makeServer());
    // Compile-time checks: the calls are never made.
    const never = false as boolean;
    if (never) {
      // @ts-expect-error unknown tool name
      void client.callTool("ad", { a: 1 });
      // @ts-expect-error missing required argument a
      void client.callTool("add", {});
      // @ts-expect-error add needs arguments
      void client.callTool("add");
      // @ts-expect-error unknown prompt name
      void client.getPrompt("brif", { topic: "x", words: 1 });
      // @ts-expect-error words must be a number
      void client.getPrompt("brief", { topic: "x", words: "many" });
    }
    // A tool named after its function has no literal name: call it by definition for full types.
    const hello = defineTool({ input: z.object({ who: z.string() }), handler: function hello({ inputs }) { return `hi ${inputs.who}`; } });
    const loose = createTestClient(new MCPServer({ name: "loose", version: "1", tools: [hello, add] }));
    if (never) {
      void loose.callTool("anything", { any: "thing" }); // by name: any string, loosely typed
      // @ts-expect-error by definition: who is required
      void loose.callTool(hello, {});
      void loose.callTool("add", { a: 1 }).then((r) => {
        type _still = Expect<Equal<typeof r.structuredContent, { sum: number } | undefined>>;
      });
    }
    assert.equal(hello.name, "hello");
  });
});
