// Task status notifications (SEP-2663): `subscriptions/listen` with `notifications.taskIds` is
// refused (-32021) to clients without the extension, honours only the caller's own tasks, and
// carries `notifications/tasks` with the DetailedTask on every change, never progress or log
// notifications.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { defineTool, MCPServer, type AuthInfo } from "http-mcp";
import { TASKS_ID, tasks } from "http-mcp/tasks";
import { listen, MODERN, modernHeaders, openStream, type Running } from "./helpers.js";
import { error, gate, result, startTask, WITH_TASKS, WITHOUT_TASKS } from "./tasks-helpers.js";

const SUBSCRIPTION = "io.modelcontextprotocol/subscriptionId";
const form = { message: "Sure?", requestedSchema: { type: "object" as const, properties: { sure: { type: "boolean" } } } };
const begin = gate();
const pairBegin = gate();
const go = gate();

const tools = [
  defineTool({
    name: "careful",
    task: "optional",
    handler: async ({ elicit, progress, log }) => {
      await begin.opened;
      const answer = await elicit("sure", form);
      progress(1, 2, "halfway");
      log("info", "not on the stream");
      await go.opened;
      return `sure: ${String(answer.content?.sure)}`;
    },
  }),
  defineTool({
    name: "pair",
    task: "optional",
    handler: async ({ elicit }) => {
      await pairBegin.opened;
      await Promise.all([elicit("first", form), elicit("second", form)]);
      return "both";
    },
  }),
];
const people: Record<string, AuthInfo> = { alice: { subject: "alice", scopes: [] }, bob: { subject: "bob", scopes: [] } };

function listenTo(url: string, taskIds: unknown, capabilities: Record<string, unknown> = WITH_TASKS, token = "alice") {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": capabilities };
  return openStream(url, {
    body: { jsonrpc: "2.0", id: "watch", method: "subscriptions/listen", params: { notifications: { taskIds }, _meta: meta } },
    headers: { ...modernHeaders("subscriptions/listen"), authorization: `Bearer ${token}` },
  });
}

describe("tasks: status notifications on subscriptions/listen", () => {
  let running: Running;
  const server = new MCPServer({
    name: "notify",
    version: "1.0.0",
    tools,
    authenticate: (request) => people[request.headers.get("authorization")?.slice(7) ?? ""],
    extensions: [tasks({ leaseMs: 3000 })],
  });
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    begin.open();
    pairBegin.open();
    go.open();
    await running.close();
    await server.close();
  });

  test("a client without the extension asking for task notifications gets -32021", async () => {
    const stream = await listenTo(running.url, [], WITHOUT_TASKS);
    const reply = await stream.next();
    assert.equal(reply.error.code, -32021);
    assert.deepEqual(reply.error.data, { requiredCapabilities: { extensions: { [TASKS_ID]: {} } } });
  });

  test("malformed taskIds are invalid params", async () => {
    const stream = await listenTo(running.url, "not-a-list");
    assert.equal((await stream.next()).error.code, -32602);
  });

  test("the caller's own tasks are honoured, and each change comes as notifications/tasks", async () => {
    const own = await startTask(running.url, "careful", {}, { token: "alice" });
    const someoneElses = await startTask(running.url, "careful", {}, { token: "bob" });
    const stream = await listenTo(running.url, [own.taskId, someoneElses.taskId, "unknown-task"]);
    const ack = await stream.next();
    assert.equal(ack.method, "notifications/subscriptions/acknowledged");
    assert.deepEqual(ack.params.notifications, { taskIds: [own.taskId] });
    begin.open();

    const waiting = await stream.next();
    assert.equal(waiting.method, "notifications/tasks");
    assert.equal(waiting.params._meta[SUBSCRIPTION], "watch");
    assert.equal(waiting.params.taskId, own.taskId);
    assert.equal(waiting.params.status, "input_required");
    assert.deepEqual(waiting.params.inputRequests, { sure: { method: "elicitation/create", params: form } });

    await result(running.url, "tasks/update", { taskId: own.taskId, inputResponses: { sure: { action: "accept", content: { sure: true } } } }, { token: "alice" });
    const resumed = await stream.next();
    assert.equal(resumed.params.status, "working");
    assert.equal("inputRequests" in resumed.params, false);
    const halfway = await stream.next();
    assert.equal(halfway.params.statusMessage, "halfway");

    go.open();
    const done = await stream.next();
    assert.equal(done.params.status, "completed");
    assert.deepEqual(done.params.result, { content: [{ type: "text", text: "sure: true" }] });
    // Identical to what tasks/get returns at that moment.
    const { resultType, _meta, ...got } = await result(running.url, "tasks/get", { taskId: own.taskId }, { token: "alice" });
    assert.equal(resultType, "complete");
    const { _meta: tag, ...notified } = done.params;
    assert.deepEqual(notified, got);
    assert.ok(tag && _meta);

    await result(running.url, "tasks/cancel", { taskId: someoneElses.taskId }, { token: "bob" });
    stream.abort();
    for (const { message } of stream.received) assert.ok(["notifications/subscriptions/acknowledged", "notifications/tasks"].includes(message.method), message.method);
    assert.equal(stream.received.filter(({ message }) => message.params?.taskId === someoneElses.taskId).length, 0);
  });

  test("questions asked together are one change: one notification names them all", async () => {
    const task = await startTask(running.url, "pair", {}, { token: "bob" });
    const stream = await listenTo(running.url, [task.taskId], WITH_TASKS, "bob");
    await stream.next();
    pairBegin.open();
    const waiting = await stream.next();
    assert.deepEqual(Object.keys(waiting.params.inputRequests).sort(), ["first", "second"]);
    await result(running.url, "tasks/cancel", { taskId: task.taskId }, { token: "bob" });
    stream.abort();
  });

  test("tasks/cancel is notified as cancelled", async () => {
    const task = await startTask(running.url, "careful", {}, { token: "bob" });
    const stream = await listenTo(running.url, [task.taskId], WITH_TASKS, "bob");
    assert.deepEqual((await stream.next()).params.notifications, { taskIds: [task.taskId] });
    await result(running.url, "tasks/cancel", { taskId: task.taskId }, { token: "bob" });
    const statuses: string[] = [];
    while (!statuses.includes("cancelled")) statuses.push((await stream.next()).params.status);
    assert.equal(statuses.at(-1), "cancelled");
    stream.abort();
  });

  test("listening needs no tasks: an empty list is acknowledged as empty", async () => {
    const stream = await listenTo(running.url, []);
    assert.deepEqual((await stream.next()).params.notifications, { taskIds: [] });
    stream.abort();
    assert.equal((await error(running.url, "tasks/get", { taskId: "x" })).code, -32602);
  });

  test("a listen request names at most 100 task ids (each is a store read)", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `task-${i}`);
    const refused = await listenTo(running.url, many);
    assert.equal((await refused.next()).error.code, -32602);
    const created = await startTask(running.url, "careful", {}, { token: "alice" });
    const stream = await listenTo(running.url, [created.taskId, ...many.slice(0, 99)]);
    assert.deepEqual((await stream.next()).params.notifications, { taskIds: [created.taskId] });
    stream.abort();
  });
});
