// A task's handler keeps the shape of any handler: its questions park the task in input_required
// (several at once, answered in parts by tasks/update), progress becomes the status message, and a
// tool with `start: "handler"` gathers input in MRTR rounds before it turns into a task.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool, MCPServer } from "http-mcp";
import { startTask as becomeTask, tasks } from "http-mcp/tasks";
import { listen, type Running } from "./helpers.js";
import { error, gate, result, startTask, waitFor, WITHOUT_TASKS } from "./tasks-helpers.js";

const form = (field: string) => ({ message: `${field}?`, requestedSchema: { type: "object" as const, properties: { [field]: { type: "string" } } } });
const accept = (field: string, value: string) => ({ action: "accept", content: { [field]: value } });
const SAMPLED = { role: "assistant", content: { type: "text", text: "Bonjour" }, model: "m" };
const step = gate();
const progressed = gate();

const tools = [
  defineTool({
    name: "interview",
    task: "optional",
    handler: async ({ elicit, sample, listRoots }) => {
      const [name, greeting, roots] = await Promise.all([
        elicit("name", form("name")),
        sample("greeting", { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 }),
        listRoots("roots"),
      ]);
      // Asked again: an answer already delivered returns at once.
      const again = await elicit("name", form("name"));
      const text = Array.isArray(greeting.content) ? "" : greeting.content.type === "text" ? greeting.content.text : "";
      return `${String(name.content?.name)}/${String(again.content?.name)}: ${text}, ${roots.roots.length} roots`;
    },
  }),
  defineTool({
    name: "counter",
    task: "optional",
    handler: async ({ progress, log }) => {
      log("info", "never sent");
      progress(1, 4, "one of four");
      progressed.open();
      await step.opened;
      return "counted";
    },
  }),
  defineTool({
    name: "onboard",
    task: { support: "required", start: "handler" },
    input: z.object({ fast: z.boolean().default(false) }),
    handler: async (context) => {
      const name = String((await context.elicit("user_name", form("name"))).content?.name);
      if (context.inputs.fast) return `Quick hello, ${name}`;
      await becomeTask(context);
      await becomeTask(context); // a second call changes nothing
      const color = String((await context.elicit("color", form("color"))).content?.color);
      return `Welcome ${name}, who likes ${color}`;
    },
  }),
  defineTool({ name: "no_start", task: { support: "optional", start: "handler" }, handler: async (context) => (await becomeTask(context), "ran") }),
];

describe("tasks: input, progress, MRTR then task", () => {
  let running: Running;
  const server = new MCPServer({ name: "tasks-input", version: "1.0.0", tools, extensions: [tasks({ leaseMs: 3000 })] });
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    step.open();
    await running.close();
    await server.close();
  });

  test("parallel questions are outstanding together; a partial tasks/update leaves the others", async () => {
    const { taskId } = await startTask(running.url, "interview");
    const waiting = await waitFor(running.url, taskId, (task) => task.status === "input_required");
    assert.deepEqual(Object.keys(waiting.inputRequests).sort(), ["greeting", "name", "roots"]);
    assert.deepEqual(waiting.inputRequests.name, { method: "elicitation/create", params: form("name") });
    assert.equal(waiting.inputRequests.greeting.method, "sampling/createMessage");
    assert.deepEqual(waiting.inputRequests.roots, { method: "roots/list", params: {} });

    // One answer, one malformed answer (ignored: its question stays open), one unknown key.
    const ack = await result(running.url, "tasks/update", { taskId, inputResponses: { name: accept("name", "Ada"), greeting: { nope: 1 }, other: accept("x", "y") } });
    assert.equal(ack.resultType, "complete");
    const partial = await result(running.url, "tasks/get", { taskId });
    assert.equal(partial.status, "input_required");
    assert.deepEqual(Object.keys(partial.inputRequests).sort(), ["greeting", "roots"]);

    await result(running.url, "tasks/update", { taskId, inputResponses: { greeting: SAMPLED, roots: { roots: [{ uri: "file:///a" }] } } });
    const done = await waitFor(running.url, taskId);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result.content, [{ type: "text", text: "Ada/Ada: Bonjour, 1 roots" }]);
  });

  test("a question the client cannot answer (capability not declared) fails the task with -32021", async () => {
    const capabilities = { extensions: { "io.modelcontextprotocol/tasks": {} }, elicitation: {} };
    const { taskId } = await startTask(running.url, "interview", {}, { capabilities });
    const failed = await waitFor(running.url, taskId, undefined, { capabilities });
    assert.equal(failed.status, "failed");
    assert.equal(failed.error.code, -32021);
    assert.deepEqual(failed.error.data, { requiredCapabilities: { sampling: {} } });
  });

  test("progress becomes the status message; log messages are dropped", async () => {
    const created = await startTask(running.url, "counter");
    await progressed.opened;
    const working = await waitFor(running.url, created.taskId, (task) => task.statusMessage !== undefined);
    assert.equal(working.status, "working");
    assert.equal(working.statusMessage, "one of four");
    step.open();
    assert.equal((await waitFor(running.url, created.taskId)).status, "completed");
  });

  test("start: handler: MRTR rounds first, then startTask turns the call into a task", async () => {
    const round1 = await result(running.url, "tools/call", { name: "onboard", arguments: {} });
    assert.equal(round1.resultType, "input_required");
    assert.equal("taskId" in round1, false);
    assert.deepEqual(Object.keys(round1.inputRequests), ["user_name"]);
    const round2 = await result(running.url, "tools/call", {
      name: "onboard",
      arguments: {},
      inputResponses: { user_name: accept("name", "Alice") },
      requestState: round1.requestState,
    });
    assert.equal(round2.resultType, "task");
    assert.equal("requestState" in round2 || "inputRequests" in round2, false);
    // The task has its own questions, answered with tasks/update.
    const waiting = await waitFor(running.url, round2.taskId, (task) => task.status === "input_required");
    assert.deepEqual(Object.keys(waiting.inputRequests), ["color"]);
    await result(running.url, "tasks/update", { taskId: round2.taskId, inputResponses: { color: accept("color", "green") } });
    const done = await waitFor(running.url, round2.taskId);
    assert.deepEqual(done.result.content, [{ type: "text", text: "Welcome Alice, who likes green" }]);
  });

  test("start: handler: a handler that returns before startTask answers as an ordinary call", async () => {
    const round1 = await result(running.url, "tools/call", { name: "onboard", arguments: { fast: true } });
    const answered = await result(running.url, "tools/call", {
      name: "onboard",
      arguments: { fast: true },
      inputResponses: { user_name: accept("name", "Bo") },
      requestState: round1.requestState,
    });
    assert.equal(answered.resultType, "complete");
    assert.deepEqual(answered.content, [{ type: "text", text: "Quick hello, Bo" }]);
  });

  test("start: handler: required without the extension is -32021; optional runs, startTask a no-op", async () => {
    assert.equal((await error(running.url, "tools/call", { name: "onboard", arguments: {} }, { capabilities: WITHOUT_TASKS })).code, -32021);
    const ran = await result(running.url, "tools/call", { name: "no_start" }, { capabilities: WITHOUT_TASKS });
    assert.deepEqual(ran.content, [{ type: "text", text: "ran" }]);
    const task = await result(running.url, "tools/call", { name: "no_start" });
    assert.equal(task.resultType, "task");
    assert.deepEqual((await waitFor(running.url, task.taskId)).result.content, [{ type: "text", text: "ran" }]);
  });
});
