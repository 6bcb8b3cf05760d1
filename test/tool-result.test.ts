// toolResult(): content, structured value and result `_meta` together, over HTTP (both eras) and
// stdio, read by the official v2 client; validation, odd input from plain JavaScript, and types.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { defineTool, image, MCPServer, text, toolResult } from "http-mcp";
import { server as example } from "../docs/examples/tool-results.ts";
import { listen, MODERN, postLegacy, postModern, type Running } from "./helpers.js";
import { ROOT } from "./stdio-child.js";

const SERVER_INFO = "io.modelcontextprotocol/serverInfo";
const CHART = { "com.example/chart": { palette: "warm", highlight: "growth" } };
const SALES_CONTENT = [
  { type: "text", text: "Sales rose 12% this week, to 48,200." },
  { type: "image", data: "iVBORw==", mimeType: "image/png" },
];

/** What every transport must give for the example's three tools; `serverMeta` is the 2026-07-28 era's own `_meta`. */
async function expectExampleResults(client: Client, serverMeta: boolean): Promise<void> {
  const withServer = (meta: Record<string, unknown>) => (serverMeta ? { ...meta, [SERVER_INFO]: { name: "tool-results", version: "1.0.0" } } : meta);
  const report = await client.callTool({ name: "sales_report", arguments: {} });
  assert.deepEqual(report.content, SALES_CONTENT);
  assert.deepEqual(report.structuredContent, { total: 48_200, growthPercent: 12 });
  assert.deepEqual(report._meta, withServer(CHART));
  assert.notEqual(report.isError, true);

  const exported = await client.callTool({ name: "export_sales", arguments: {} });
  assert.deepEqual(exported.content, [{ type: "resource_link", uri: "reports://sales/this-week.csv", name: "this-week.csv", mimeType: "text/csv" }]);
  assert.equal(exported.structuredContent, undefined);
  assert.deepEqual(exported._meta, withServer({ "com.example/rows": 1_024 }));

  const total = await client.callTool({ name: "sales_total", arguments: {} });
  assert.deepEqual(total.content, [{ type: "text", text: '{"total":48200}' }]);
  assert.deepEqual(total.structuredContent, { total: 48_200 });
  assert.deepEqual(total._meta, withServer({ "com.example/currency": "EUR" }));
}

describe("toolResult over HTTP and stdio, read by the official v2 client", () => {
  let running: Running;
  before(async () => {
    running = await listen(example.nodeHandler);
  });
  after(async () => {
    await running.close();
    await example.close();
  });

  test("2026-07-28 over HTTP: content, structuredContent and _meta merged with the server's", async () => {
    const client = new Client({ name: "v2", version: "0.0.1" }, { versionNegotiation: { mode: { pin: MODERN } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      await expectExampleResults(client, true);
    } finally {
      await client.close();
    }
  });

  test("2025-era over HTTP: the same result, the tool's _meta alone", async () => {
    const client = new Client({ name: "v2-legacy", version: "0.0.1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2025-11-25");
      await expectExampleResults(client, false);
    } finally {
      await client.close();
    }
  });

  for (const [era, options] of [
    ["2026-07-28", { versionNegotiation: { mode: { pin: MODERN } } }],
    ["2025-era", {}],
  ] as const) {
    test(`stdio (${era}), a real child process: the same result`, async () => {
      const transport = new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", "test/fixtures/tool-results-stdio.ts"], cwd: ROOT });
      const client = new Client({ name: "v2-stdio", version: "0.0.1" }, options);
      await client.connect(transport);
      try {
        await expectExampleResults(client, era === "2026-07-28");
      } finally {
        await client.close();
      }
    });
  }
});

describe("toolResult on the wire: meta merge, validation, odd input", () => {
  const reported: Array<{ error: unknown; where: string }> = [];
  const tools = [
    defineTool({
      name: "claims_server_keys",
      handler: () => toolResult({ content: [text("hi")], meta: { [SERVER_INFO]: "forged", "com.example/x": 1 } }),
    }),
    defineTool({
      name: "wrong_structured",
      output: z.object({ count: z.number() }),
      handler: () => toolResult({ content: [text("n")], structured: { count: "three" } as unknown as { count: number }, meta: { a: 1 } }),
    }),
    defineTool({
      name: "content_key",
      output: z.object({ content: z.string(), meta: z.number() }),
      handler: () => ({ content: "a structured value, not parts", meta: 1 }),
    }),
    defineTool({ name: "plain_js", input: z.object({ parts: z.unknown() }), handler: ({ inputs }) => toolResult(inputs.parts as never) }),
    defineTool({ name: "structured_no_schema", handler: () => toolResult({ content: [], structured: { a: 1 } } as never) }),
    defineTool({
      name: "error_message",
      output: z.object({ ok: z.boolean() }),
      returnErrorMessage: true,
      handler: () => toolResult({ content: [text("fine"), image("AAAA", "image/png")], structured: { ok: true } }),
    }),
  ];
  const server = new MCPServer({ name: "wire", version: "1.0.0", tools, onError: (error, where) => reported.push({ error, where }) });
  let running: Running;
  before(async () => {
    running = await listen(server.nodeHandler);
  });
  after(async () => {
    await running.close();
    await server.close();
  });
  const call = async (era: "modern" | "legacy", name: string, args: Record<string, unknown> = {}) => {
    const response = era === "modern" ? await postModern(running.url, 1, "tools/call", { name, arguments: args }) : await postLegacy(running.url, 1, "tools/call", { name, arguments: args });
    assert.equal(response.status, 200);
    return (response.json as { result: Record<string, any> }).result;
  };

  test("the server's own _meta keys win over the tool's; 2025-era results carry the tool's as given", async () => {
    const modern = await call("modern", "claims_server_keys");
    assert.equal(modern.resultType, "complete");
    assert.deepEqual(modern._meta, { [SERVER_INFO]: { name: "wire", version: "1.0.0" }, "com.example/x": 1 });
    const legacy = await call("legacy", "claims_server_keys");
    assert.deepEqual(legacy, { content: [{ type: "text", text: "hi" }], _meta: { [SERVER_INFO]: "forged", "com.example/x": 1 } });
  });

  test("structured is validated by the output schema: the same error result as a returned value, no meta", async () => {
    reported.length = 0;
    const result = await call("legacy", "wrong_structured");
    assert.deepEqual(result, {
      content: [{ type: "text", text: "Error calling tool wrong_structured: the tool returned output that does not match its output schema" }],
      isError: true,
    });
    assert.match(String((reported[0]?.error as Error).message), /output does not match the output schema/);
  });

  test("a structured value with content and meta keys, returned alone, stays a structured value", async () => {
    const result = await call("modern", "content_key");
    assert.deepEqual(result.structuredContent, { content: "a structured value, not parts", meta: 1 });
    assert.deepEqual(result.content, [{ type: "text", text: '{"content":"a structured value, not parts","meta":1}' }]);
  });

  test("returnErrorMessage tools: content and structured sent together", async () => {
    const result = await call("modern", "error_message");
    assert.deepEqual(result.content, [{ type: "text", text: "fine" }, { type: "image", data: "AAAA", mimeType: "image/png" }]);
    assert.deepEqual(result.structuredContent, { ok: true });
  });

  for (const [parts, message] of [
    [null, /expected an object/],
    [{ content: "text" }, /content must be an array of content blocks/],
    [{ content: [{ text: "no type" }] }, /every content block needs a type/],
    [{ content: [], meta: "x" }, /meta must be a plain object/],
    [{ content: [], meta: [1] }, /meta must be a plain object/],
  ] as const) {
    test(`plain JavaScript: toolResult(${JSON.stringify(parts)}) throws a TypeError saying what is wrong`, async () => {
      assert.throws(() => toolResult(parts as never), (error: unknown) => error instanceof TypeError && message.test(error.message));
      reported.length = 0;
      const result = await call("modern", "plain_js", { parts });
      assert.equal(result.isError, true);
      assert.deepEqual(result.content, [{ type: "text", text: "Error calling tool plain_js: Internal error" }]);
      assert.match(String((reported[0]?.error as Error).message), message);
    });
  }

  test("plain JavaScript: a structured value without an output schema is an error result, reported", async () => {
    reported.length = 0;
    const result = await call("legacy", "structured_no_schema");
    assert.deepEqual(result, { content: [{ type: "text", text: "Error calling tool structured_no_schema: the tool returned a structured value but has no output schema" }], isError: true });
    assert.match(String((reported[0]?.error as Error).message), /needs an output schema/);
  });
});

// ---------------------------------------------------------------- types (checked by `npm run typecheck`)
const Count = z.object({ count: z.number() });
defineTool({ name: "t1", output: Count, handler: () => toolResult({ structured: { count: 1 }, meta: { a: 1 } }) });
defineTool({ name: "t2", output: Count, handler: async () => toolResult({ content: [text("one")], structured: { count: 1 } }) });
// @ts-expect-error the structured value must have the output schema's type
defineTool({ name: "t3", output: Count, handler: () => toolResult({ structured: { count: "one" } }) });
// @ts-expect-error a tool with an output schema must give a structured value
defineTool({ name: "t4", output: Count, handler: () => toolResult({ content: [text("one")] }) });
defineTool({ name: "t5", handler: () => toolResult({ content: [text("one")], meta: { a: 1 } }) });
// @ts-expect-error a tool without an output schema has no structured value
defineTool({ name: "t6", handler: () => toolResult({ content: [text("one")], structured: { count: 1 } }) });
// @ts-expect-error without an output schema, content is required
defineTool({ name: "t7", handler: () => toolResult({ meta: { a: 1 } }) });
// Never run (they would throw): checked by the compiler only.
export const neverRun = [
  // @ts-expect-error content is an array of content blocks
  () => toolResult({ content: text("one"), structured: 1 }),
  // @ts-expect-error meta is an object
  () => toolResult({ content: [], meta: "view data" }),
];
