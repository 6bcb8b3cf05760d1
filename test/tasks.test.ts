// The Tasks extension (SEP-2663) over real HTTP: which calls become tasks, the CreateTaskResult and
// DetailedTask shapes, outcomes (result, tool error, JSON-RPC error), and every refusal: -32021 for
// clients without the extension, -32602 for unknown tasks, -32601 for removed methods, and the
// Mcp-Name check.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool, MCPServer, McpError, text, ToolInvocationError, toolResult } from "http-mcp";
import { TASKS_ID, tasks } from "http-mcp/tasks";
import { listen, postLegacy, type Running } from "./helpers.js";
import { error, gate, request, result, startTask, waitFor, WITHOUT_TASKS } from "./tasks-helpers.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const release = gate();

const tools = [
  defineTool({ name: "plain", input: z.object({ who: z.string() }), handler: ({ inputs }) => `Hi ${inputs.who}` }),
  defineTool({
    name: "report",
    task: "optional",
    input: z.object({ rows: z.number().int() }),
    output: z.object({ rows: z.number() }),
    handler: async ({ inputs }) => {
      await release.opened;
      return { rows: inputs.rows };
    },
  }),
  defineTool({ name: "instant", task: "optional", handler: () => "done at once" }),
  defineTool({
    name: "chart",
    task: "optional",
    output: z.object({ points: z.array(z.number()) }),
    handler: () => toolResult({ content: [text("3 points, rising")], structured: { points: [1, 2, 3] }, meta: { "com.example/view": { color: "teal" } } }),
  }),
  defineTool({
    name: "bad_chart",
    task: "optional",
    output: z.object({ points: z.array(z.number()) }),
    handler: () => toolResult({ content: [text("oops")], structured: { points: ["x"] } as unknown as { points: number[] }, meta: { "com.example/view": {} } }),
  }),
  defineTool({ name: "broken", task: "required", handler: () => Promise.reject(new ToolInvocationError("out of paper")) }),
  defineTool({ name: "refused", task: "optional", handler: () => Promise.reject(new McpError("INVALID_PARAMS", "no such printer", { data: { printer: 7 } })) }),
  defineTool({ name: "crashing", task: "optional", handler: () => Promise.reject(new Error("secret detail")) }),
];

describe("tasks: creation and outcomes", () => {
  let running: Running;
  const reported: string[] = [];
  const server = new MCPServer({ name: "tasks", version: "1.0.0", tools, extensions: [tasks({ ttlMs: 60_000, pollIntervalMs: 250 })], onError: (e) => reported.push(String(e)) });
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    release.open();
    await running.close();
    await server.close();
  });

  test("the server declares the extension in server/discover, not to 2025-era clients (SEP-2663 defines it for 2026-07-28 only)", async () => {
    const discovered = await result(running.url, "server/discover");
    assert.deepEqual(discovered.capabilities.extensions, { [TASKS_ID]: {} });
    assert.equal(discovered.capabilities.tasks, undefined);
    const init = await postLegacy(running.url, 1, "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
    assert.ok(init.json.result.capabilities.tools);
    assert.equal(init.json.result.capabilities.extensions, undefined);
    assert.equal(init.json.result.capabilities.tasks, undefined, "nor the 2025-11-25 experimental tasks capability");
  });

  test("a task tool answers a CreateTaskResult, stored before it is returned", async () => {
    const created = await startTask(running.url, "report", { rows: 3 });
    assert.deepEqual(Object.keys(created).sort(), ["_meta", "createdAt", "lastUpdatedAt", "pollIntervalMs", "resultType", "status", "taskId", "ttlMs"]);
    assert.match(created.taskId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.status, "working");
    assert.match(created.createdAt, ISO);
    assert.match(created.lastUpdatedAt, ISO);
    assert.equal(created.ttlMs, 60_000);
    assert.equal(created.pollIntervalMs, 250);
    const working = await result(running.url, "tasks/get", { taskId: created.taskId });
    assert.equal(working.resultType, "complete");
    assert.equal(working.status, "working");
    assert.equal("result" in working || "error" in working || "inputRequests" in working, false);
    release.open();
    const done = await waitFor(running.url, created.taskId);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result, { content: [{ type: "text", text: '{"rows":3}' }], structuredContent: { rows: 3 } });
    assert.equal(done.createdAt, created.createdAt);
  });

  test("toolResult in a task: tasks/get carries its content, structuredContent and result _meta", async () => {
    const done = await waitFor(running.url, (await startTask(running.url, "chart")).taskId);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result.content, [{ type: "text", text: "3 points, rising" }]);
    assert.deepEqual(done.result.structuredContent, { points: [1, 2, 3] });
    assert.deepEqual(done.result._meta?.["com.example/view"], { color: "teal" });
    // The output schema still holds: a structured value that breaks it is an error result, without the meta.
    const bad = await waitFor(running.url, (await startTask(running.url, "bad_chart")).taskId);
    assert.equal(bad.result.isError, true);
    assert.equal(bad.result.structuredContent, undefined);
    assert.equal(bad.result._meta?.["com.example/view"], undefined);
  });

  test("a tool error completes the task with isError; an McpError fails it with the JSON-RPC error", async () => {
    const broken = await waitFor(running.url, (await startTask(running.url, "broken")).taskId);
    assert.equal(broken.status, "completed");
    assert.deepEqual(broken.result, { content: [{ type: "text", text: "Error calling tool broken: out of paper" }], isError: true });
    const refused = await waitFor(running.url, (await startTask(running.url, "refused")).taskId);
    assert.equal(refused.status, "failed");
    assert.deepEqual(refused.error, { code: -32602, message: "no such printer", data: { printer: 7 } });
    assert.equal(refused.statusMessage, "no such printer");
    assert.equal("result" in refused, false);
  });

  test("an unexpected failure completes the task as the call would have (reported, not shown)", async () => {
    const crashed = await waitFor(running.url, (await startTask(running.url, "crashing")).taskId);
    assert.equal(crashed.status, "completed");
    assert.deepEqual(crashed.result, { content: [{ type: "text", text: "Error calling tool crashing: Internal error" }], isError: true });
    assert.ok(reported.some((line) => line.includes("secret detail")));
  });

  test("tools without task, and calls with invalid arguments, are answered as ordinary calls", async () => {
    const plain = await result(running.url, "tools/call", { name: "plain", arguments: { who: "Ada" }, task: { ttl: 1000 } });
    assert.deepEqual(plain.content, [{ type: "text", text: "Hi Ada" }]);
    assert.equal(plain.resultType, "complete");
    const invalid = await result(running.url, "tools/call", { name: "report", arguments: { rows: "many" } });
    assert.equal(invalid.resultType, "complete");
    assert.equal(invalid.isError, true);
  });

  test("a client without the extension gets an ordinary result from an optional tool, -32021 from a required one", async () => {
    const ordinary = await result(running.url, "tools/call", { name: "instant" }, { capabilities: WITHOUT_TASKS });
    assert.deepEqual(ordinary.content, [{ type: "text", text: "done at once" }]);
    const refused = await error(running.url, "tools/call", { name: "broken" }, { capabilities: WITHOUT_TASKS });
    assert.equal(refused.code, -32021);
    assert.deepEqual(refused.data, { requiredCapabilities: { extensions: { [TASKS_ID]: {} } } });
  });

  test("2025-era calls never become tasks: a required tool answers -32021, an optional one runs", async () => {
    const refused = await postLegacy(running.url, 1, "tools/call", { name: "broken", arguments: {} });
    assert.equal(refused.json.error.code, -32021);
    assert.deepEqual(refused.json.error.data, { requiredCapabilities: { extensions: { [TASKS_ID]: {} } } });
    const ran = await postLegacy(running.url, 2, "tools/call", { name: "instant", arguments: {} });
    assert.deepEqual(ran.json.result.content, [{ type: "text", text: "done at once" }]);
  });

  test("tasks/get, tasks/update and tasks/cancel answer -32021 to a client without the extension", async () => {
    const { taskId } = await startTask(running.url, "instant");
    for (const [method, params] of [["tasks/get", { taskId }], ["tasks/update", { taskId, inputResponses: {} }], ["tasks/cancel", { taskId }]] as const) {
      const refused = await error(running.url, method, params, { capabilities: WITHOUT_TASKS });
      assert.equal(refused.code, -32021, method);
      assert.deepEqual(refused.data, { requiredCapabilities: { extensions: { [TASKS_ID]: {} } } });
    }
  });

  test("unknown task ids answer -32602 Task not found; tasks/result and tasks/list do not exist", async () => {
    for (const method of ["tasks/get", "tasks/cancel", "tasks/update"]) {
      const unknown = await error(running.url, method, { taskId: "no-such-task", inputResponses: {} });
      assert.deepEqual(unknown, { code: -32602, message: "Task not found" }, method);
    }
    assert.equal((await error(running.url, "tasks/get", { taskId: 42 })).code, -32602);
    assert.deepEqual(await error(running.url, "tasks/get", { taskId: "x".repeat(129) }), { code: -32602, message: "Task not found" });
    assert.equal((await error(running.url, "tasks/update", { taskId: "x", inputResponses: [] })).code, -32602);
    for (const method of ["tasks/result", "tasks/list"]) assert.equal((await error(running.url, method, { taskId: "x" })).code, -32601, method);
    const legacy = await postLegacy(running.url, 3, "tasks/get", { taskId: "x" });
    assert.equal(legacy.json.error.code, -32601);
  });

  test("Mcp-Name must repeat params.taskId: a mismatch is 400 with -32020", async () => {
    const { taskId } = await startTask(running.url, "instant");
    const mismatch = await request(running.url, "tasks/get", { taskId }, { headers: { "mcp-name": "another-task" } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.error.code, -32020);
    const cancelled = await request(running.url, "tasks/cancel", { taskId }, { headers: { "mcp-name": `${taskId}x` } });
    assert.equal(cancelled.status, 400);
    assert.equal(cancelled.json.error.code, -32020);
  });

  test("tasks/cancel of an ended task is an empty ack; tasks/update of a task not waiting is one too", async () => {
    const { taskId } = await startTask(running.url, "instant");
    await waitFor(running.url, taskId);
    const ack = await result(running.url, "tasks/cancel", { taskId });
    assert.deepEqual(Object.keys(ack).sort(), ["_meta", "resultType"]);
    assert.equal(ack.resultType, "complete");
    assert.deepEqual(Object.keys(await result(running.url, "tasks/update", { taskId, inputResponses: { stray: { action: "accept" } } })).sort(), ["_meta", "resultType"]);
    assert.equal((await result(running.url, "tasks/get", { taskId })).status, "completed");
  });
});

describe("tasks: options", () => {
  test("tasks() refuses invalid settings and serves one server only", () => {
    assert.throws(() => tasks({ ttlMs: 0 }), /ttlMs must be a positive integer/);
    assert.throws(() => tasks({ pollIntervalMs: 1.5 }), /pollIntervalMs/);
    assert.throws(() => tasks({ leaseMs: -1 }), /leaseMs/);
    const extension = tasks({ ttlMs: null });
    const first = new MCPServer({ name: "a", version: "1", tools, extensions: [extension] });
    assert.throws(() => new MCPServer({ name: "b", version: "1", tools, extensions: [extension] }), /one server/);
    void first.close();
  });

  test("ttlMs: null is unlimited, on the wire too", async () => {
    const server = new MCPServer({ name: "t", version: "1", tools, extensions: [tasks({ ttlMs: null })] });
    const running = await listen(server.nodeHandler);
    try {
      const created = await startTask(running.url, "instant");
      assert.equal(created.ttlMs, null);
      assert.equal(created.pollIntervalMs, 1000);
    } finally {
      await running.close();
      await server.close();
    }
  });
});
