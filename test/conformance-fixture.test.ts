// The conformance fixture, checked directly: the suite passes some scenarios without the behaviour
// happening (a missing tool, an empty list, progress that never streams), so these assert it did.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { MCPServer } from "http-mcp";
import { PNG_BASE64, WAV_BASE64 } from "../examples/conformance-server/content.js";
import { conformanceServer } from "../examples/conformance-server/server.js";
import { JSON_SCHEMA_2020_12_INPUT } from "../examples/conformance-server/spec-tools.js";
import { listen, MODERN_META, modernHeaders, openStream, post, postLegacy, postModern, type RawResponse, type Running } from "./helpers.js";

const SIMPLE_TEXT = "This is a simple text response for testing.";
const ERROR_TEXT = "Error calling tool test_error_handling: This tool intentionally returns an error for testing";

/** Names the suite's scenarios call. */
const FIXTURE_TOOLS = [
  "test_simple_text",
  "test_image_content",
  "test_audio_content",
  "test_embedded_resource",
  "test_multiple_content_types",
  "test_error_handling",
  "test_tool_with_progress",
  "test_tool_with_logging",
  "test_sampling",
  "test_elicitation",
  "test_elicitation_sep1034_defaults",
  "test_elicitation_sep1330_enums",
  "test_missing_capability",
  "test_input_required_result_elicitation",
  "test_input_required_result_sampling",
  "test_input_required_result_list_roots",
  "test_input_required_result_request_state",
  "test_input_required_result_multiple_inputs",
  "test_input_required_result_multi_round",
  "test_input_required_result_tampered_state",
  "test_input_required_result_capabilities",
  "greet",
  "json_schema_2020_12_tool",
  "test_mcp_param_header",
  "test_reconnection",
];
const FIXTURE_PROMPTS = [
  "test_simple_prompt",
  "test_prompt_with_arguments",
  "test_prompt_with_embedded_resource",
  "test_prompt_with_image",
  "test_input_required_result_prompt",
];
const FIXTURE_RESOURCES = ["test://static-text", "test://static-binary", "test://watched-resource"];

let server: MCPServer, running: Running, url: string;
let nextId = 1;
before(async () => {
  server = conformanceServer();
  running = await listen(server.nodeHandler);
  url = running.url;
});
after(async () => {
  await running.close();
  await server.close();
});

const modern = (method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) => postModern(url, nextId++, method, params, headers);
const legacy = (method: string, params?: Record<string, unknown>) => postLegacy(url, nextId++, method, params);
const callModern = (name: string, args: Record<string, unknown> = {}) => modern("tools/call", { name, arguments: args });
const callLegacy = (name: string, args: Record<string, unknown> = {}) => legacy("tools/call", { name, arguments: args });

function resultOf(res: RawResponse): any {
  assert.equal(res.status, 200, res.text);
  assert.ok(res.json?.result, res.text);
  return res.json.result;
}

function assertIncludes(listed: string[], expected: string[], what: string): void {
  assert.ok(listed.length > 0, `${what} is empty`);
  const missing = expected.filter((name) => !listed.includes(name));
  assert.deepEqual(missing, [], `${what} lacks ${missing.join(", ")}`);
}

describe("conformance fixture", () => {
  test("tools, prompts, resources and templates are listed in both eras", async () => {
    for (const send of [modern, legacy]) {
      const tools = resultOf(await send("tools/list")).tools as Array<{ name: string; description?: string }>;
      assertIncludes(tools.map((tool) => tool.name), FIXTURE_TOOLS, "tools/list");
      for (const tool of tools) assert.ok(tool.description, `${tool.name} has a description`);
      assertIncludes(resultOf(await send("prompts/list")).prompts.map((prompt: { name: string }) => prompt.name), FIXTURE_PROMPTS, "prompts/list");
      assertIncludes(resultOf(await send("resources/list")).resources.map((resource: { uri: string }) => resource.uri), FIXTURE_RESOURCES, "resources/list");
      const templates = resultOf(await send("resources/templates/list")).resourceTemplates;
      assert.deepEqual(templates.map((template: { uriTemplate: string }) => template.uriTemplate), ["test://template/{id}/data"]);
    }
    const args = resultOf(await modern("prompts/list")).prompts.find((prompt: { name: string }) => prompt.name === "test_prompt_with_arguments").arguments;
    assert.deepEqual(args.map((arg: { name: string; required: boolean }) => [arg.name, arg.required]), [["arg1", true], ["arg2", true]]);
  });

  test("test_simple_text returns exactly its text", async () => {
    for (const res of [await callModern("test_simple_text"), await callLegacy("test_simple_text")]) {
      const result = resultOf(res);
      assert.deepEqual(result.content, [{ type: "text", text: SIMPLE_TEXT }]);
      assert.equal(result.isError, undefined);
    }
    assert.equal(resultOf(await callModern("test_simple_text")).resultType, "complete");
  });

  test("test_error_handling is an isError result with its message", async () => {
    for (const res of [await callModern("test_error_handling"), await callLegacy("test_error_handling")]) {
      const result = resultOf(res);
      assert.equal(result.isError, true);
      assert.deepEqual(result.content, [{ type: "text", text: ERROR_TEXT }]);
    }
  });

  test("test_tool_with_progress streams progress 0, 50, 100 before its result", async () => {
    const eras = [
      { params: { name: "test_tool_with_progress", arguments: {}, _meta: { ...MODERN_META, progressToken: "progress-test-1" } }, headers: modernHeaders("tools/call", "test_tool_with_progress") },
      { params: { name: "test_tool_with_progress", arguments: {}, _meta: { progressToken: "progress-test-1" } }, headers: { "mcp-protocol-version": "2025-11-25" } },
    ];
    for (const { params, headers } of eras) {
      const stream = await openStream(url, { body: { jsonrpc: "2.0", id: nextId++, method: "tools/call", params }, headers });
      assert.equal(stream.headers.get("content-type"), "text/event-stream");
      await stream.rest();
      const messages = stream.received.map((entry) => entry.message);
      assert.deepEqual(
        messages.slice(0, 3),
        [0, 50, 100].map((progress) => ({
          jsonrpc: "2.0",
          method: "notifications/progress",
          params: { progressToken: "progress-test-1", progress, total: 100, message: `Completed step ${progress} of 100` },
        })),
      );
      assert.equal(messages.length, 4);
      assert.deepEqual(messages[3].result.content, [{ type: "text", text: "Progress reported: 0, 50, 100" }]);
      // Streamed, not buffered: the first notification arrived well before the result (two 50 ms steps).
      const [first, , , last] = stream.received;
      assert.ok(last!.at - first!.at >= 60, `progress 0 came only ${Math.round(last!.at - first!.at)} ms before the result`);
    }
    // Without a progress token: a plain JSON reply, no notifications.
    const plain = await callModern("test_tool_with_progress");
    assert.equal(plain.headers.get("content-type"), "application/json");
    assert.deepEqual(resultOf(plain).content, [{ type: "text", text: "Progress reported: 0, 50, 100" }]);
  });

  test("the v1 client sees the progress and the texts", async () => {
    const client = new ClientV1({ name: "fixture-check", version: "0.0.1" });
    await client.connect(new TransportV1(new URL(url)));
    try {
      const progress: number[] = [];
      const result = await client.callTool({ name: "test_tool_with_progress", arguments: {} }, undefined, { onprogress: (p) => void progress.push(p.progress) });
      assert.deepEqual(progress, [0, 50, 100]);
      assert.deepEqual(result.content, [{ type: "text", text: "Progress reported: 0, 50, 100" }]);
      assert.deepEqual((await client.callTool({ name: "test_simple_text", arguments: {} })).content, [{ type: "text", text: SIMPLE_TEXT }]);
      const failed = await client.callTool({ name: "test_error_handling", arguments: {} });
      assert.equal(failed.isError, true);
      assert.deepEqual(failed.content, [{ type: "text", text: ERROR_TEXT }]);
    } finally {
      await client.close();
    }
  });

  test("test_tool_with_logging logs three messages when asked to", async () => {
    const asked = await openStream(url, {
      body: { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name: "test_tool_with_logging", _meta: { ...MODERN_META, "io.modelcontextprotocol/logLevel": "info" } } },
      headers: modernHeaders("tools/call", "test_tool_with_logging"),
    });
    const messages = [await asked.next(), ...(await asked.rest())];
    assert.deepEqual(messages.slice(0, 3).map((message) => [message.method, message.params.level, message.params.data]), [
      ["notifications/message", "info", "Tool execution started"],
      ["notifications/message", "info", "Tool processing data"],
      ["notifications/message", "info", "Tool execution completed"],
    ]);
    assert.deepEqual(messages[3].result.content, [{ type: "text", text: "Tool with logging executed successfully" }]);
    const quiet = await callModern("test_tool_with_logging");
    assert.equal(quiet.headers.get("content-type"), "application/json", "2026-07-28 clients opt in to logs per request");
  });

  test("content tools return the fixture's exact content", async () => {
    assert.deepEqual(resultOf(await callModern("test_image_content")).content, [{ type: "image", data: PNG_BASE64, mimeType: "image/png" }]);
    assert.deepEqual(resultOf(await callModern("test_audio_content")).content, [{ type: "audio", data: WAV_BASE64, mimeType: "audio/wav" }]);
    assert.deepEqual(resultOf(await callModern("test_embedded_resource")).content, [
      { type: "resource", resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." } },
    ]);
    const mixed = resultOf(await callModern("test_multiple_content_types")).content;
    assert.deepEqual(mixed.map((block: { type: string }) => block.type), ["text", "image", "resource"]);
    assert.deepEqual(JSON.parse(mixed[2].resource.text), { test: "data", value: 123 });
  });

  test("resources and prompts return the fixture's exact contents", async () => {
    const read = (uri: string) => modern("resources/read", { uri }, { "mcp-name": uri });
    assert.deepEqual(resultOf(await read("test://static-text")).contents, [
      { uri: "test://static-text", mimeType: "text/plain", text: "This is the content of the static text resource." },
    ]);
    assert.deepEqual(resultOf(await read("test://static-binary")).contents, [{ uri: "test://static-binary", mimeType: "image/png", blob: PNG_BASE64 }]);
    const templated = resultOf(await read("test://template/123/data")).contents[0];
    assert.deepEqual(JSON.parse(templated.text), { id: "123", templateTest: true, data: "Data for ID: 123" });
    const prompt = resultOf(await modern("prompts/get", { name: "test_prompt_with_arguments", arguments: { arg1: "a", arg2: "b" } }));
    assert.deepEqual(prompt.messages, [{ role: "user", content: { type: "text", text: "Prompt with arguments: arg1='a', arg2='b'" } }]);
  });

  test("the MRTR fixtures really ask, and really use the answer", async () => {
    const call = (name: string, capabilities: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const meta = { ...MODERN_META, "io.modelcontextprotocol/clientCapabilities": capabilities };
      return post(url, { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: {}, ...extra, _meta: meta } }, modernHeaders("tools/call", name));
    };
    const missing = await call("test_missing_capability", {});
    assert.deepEqual([missing.status, missing.json.error.code], [400, -32021]);
    const asked = resultOf(await call("test_input_required_result_elicitation", { elicitation: {} }));
    assert.equal(asked.resultType, "input_required");
    assert.equal(asked.inputRequests.user_name.method, "elicitation/create");
    const answered = resultOf(
      await call("test_input_required_result_elicitation", { elicitation: {} }, {
        inputResponses: { user_name: { action: "accept", content: { name: "Ada" } } },
        requestState: asked.requestState,
      }),
    );
    assert.deepEqual(answered.content, [{ type: "text", text: "Hello, Ada!" }]);
    const both = resultOf(await call("test_input_required_result_capabilities", { elicitation: {}, sampling: {} }));
    assert.deepEqual(Object.keys(both.inputRequests).sort(), ["elicit_input", "sample_input"]);
    const none = resultOf(await call("test_input_required_result_capabilities", {}));
    assert.deepEqual(none.content, [{ type: "text", text: "No supported capabilities declared" }]);
  });

  test("greet answers synchronously in both eras", async () => {
    for (const res of [await callModern("greet", { name: "World" }), await callLegacy("greet", { name: "World" })]) {
      const result = resultOf(res);
      assert.deepEqual(result.content, [{ type: "text", text: "Hello, World!" }]);
      assert.equal(result.taskId, undefined);
    }
    assert.equal(resultOf(await callModern("greet", { name: "World" })).resultType, "complete");
    assert.equal(resultOf(await callModern("greet", {})).isError, true, "name is required");
  });

  test("json_schema_2020_12_tool publishes the suite's 2020-12 schema and validates with it", async () => {
    // $schema aside (whether it is published is the library's concern), every keyword is listed as declared.
    const { $schema: _dialect, ...declared } = JSON_SCHEMA_2020_12_INPUT;
    for (const send of [modern, legacy]) {
      const tool = resultOf(await send("tools/list")).tools.find((t: { name: string }) => t.name === "json_schema_2020_12_tool");
      const { $schema: _listed, ...listed } = tool.inputSchema;
      assert.deepEqual(listed, declared);
    }
    const ok = resultOf(await callModern("json_schema_2020_12_tool", { name: "Ada", contactMethod: "email", email: "ada@example.org" }));
    assert.equal(ok.isError, undefined);
    assert.deepEqual(ok.content, [{ type: "text", text: 'JSON Schema 2020-12 tool called with: {"name":"Ada","contactMethod":"email","email":"ada@example.org"}' }]);
    // if/then: contactMethod "phone" requires phone; additionalProperties: false refuses extras.
    for (const args of [{ contactMethod: "phone", email: "ada@example.org" }, { email: "ada@example.org", extra: 1 }, { name: "Ada" }]) {
      const res = await callModern("json_schema_2020_12_tool", args);
      assert.ok(res.json?.error?.code === -32602 || res.json?.result?.isError === true, `${JSON.stringify(args)} is refused: ${res.text}`);
    }
  });

  test("test_mcp_param_header lists its x-mcp-header parameter and answers a call that mirrors it", async () => {
    const tool = resultOf(await modern("tools/list")).tools.find((t: { name: string }) => t.name === "test_mcp_param_header");
    assert.deepEqual(tool.inputSchema.properties.region, { type: "string", description: "Region to report", "x-mcp-header": "Region" });
    assert.deepEqual(tool.inputSchema.required, ["region"]);
    const res = await modern("tools/call", { name: "test_mcp_param_header", arguments: { region: "eu-west-1" } }, { "mcp-param-region": "eu-west-1" });
    assert.deepEqual(resultOf(res).content, [{ type: "text", text: "Region: eu-west-1" }]);
  });
});
