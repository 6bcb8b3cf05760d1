// Who may touch a task, and what ends one besides its handler: tasks/cancel (the handler's signal
// fires), another caller (the task does not exist for them), two servers sharing one store (any of
// them answers; the one running the task hears of answers and cancellation), a worker that stops
// heartbeating (failed with LEASE_EXPIRED), and a server that closes (failed, "shut down").
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { defineTool, MCPServer, type AuthInfo } from "http-mcp";
import { LEASE_EXPIRED, memoryTaskStore, tasks, type TaskStore } from "http-mcp/tasks";
import { listen, type Running } from "./helpers.js";
import { error, gate, request, result, startTask, waitFor } from "./tasks-helpers.js";

const form = { message: "Go on?", requestedSchema: { type: "object" as const, properties: { ok: { type: "boolean" } } } };
const aborted: string[] = [];
let started = 0;

function taskTools() {
  return [
    defineTool({
      name: "long_job",
      task: "optional",
      handler: ({ signal, inputs }) =>
        new Promise<string>((_, reject) => {
          started++;
          signal.addEventListener("abort", () => {
            aborted.push(String((signal.reason as Error).message));
            reject(signal.reason);
          });
          void inputs;
        }),
    }),
    defineTool({
      name: "ask_or_give_up",
      task: "optional",
      handler: async ({ elicit }) => {
        try {
          return String((await elicit("go", form)).action);
        } catch {
          throw new Error("gave up"); // not an McpError: reported, unless the task was cancelled
        }
      },
    }),
    defineTool({ name: "deaf", task: "optional", handler: async () => (await finishLate.opened, "finished anyway") }),
    defineTool({ name: "ask", task: "optional", handler: async ({ elicit }) => `ok: ${String((await elicit("go", form)).content?.ok)}` }),
    defineTool({
      name: "stuck",
      task: "optional",
      handler: async () => {
        // A worker that cannot heartbeat: the event loop is blocked past the lease.
        const until = Date.now() + 400;
        while (Date.now() < until);
        return "too late";
      },
    }),
  ];
}

const people: Record<string, AuthInfo> = { alice: { subject: "alice", scopes: [] }, bob: { subject: "bob", scopes: [] }, app: { clientId: "app-7", scopes: [] } };
const authenticate = (request: { headers: { get(name: string): string | null } }) => people[request.headers.get("authorization")?.slice(7) ?? ""];

const reported: unknown[] = [];
const finishLate = gate();

function serverOn(store: TaskStore, leaseMs = 3000) {
  const onError = (error: unknown) => reported.push(error);
  return new MCPServer({ name: "workers", version: "1.0.0", tools: taskTools(), authenticate, onError, extensions: [tasks({ store, leaseMs })] });
}

describe("tasks: cancellation and owners", () => {
  let running: Running;
  const server = serverOn(memoryTaskStore());
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });

  test("tasks/cancel aborts the handler's signal at once; the task stays cancelled", async () => {
    const before = started;
    const { taskId } = await startTask(running.url, "long_job", {}, { token: "alice" });
    while (started === before) await sleep(1);
    const ack = await result(running.url, "tasks/cancel", { taskId }, { token: "alice" });
    assert.equal(ack.resultType, "complete");
    assert.deepEqual(aborted, ["Cancelled by the client"]);
    const cancelled = await result(running.url, "tasks/get", { taskId }, { token: "alice" });
    assert.equal(cancelled.status, "cancelled");
    await sleep(20);
    assert.equal((await result(running.url, "tasks/get", { taskId }, { token: "alice" })).status, "cancelled");
  });

  test("a handler that ignores its signal: its late result is dropped, the task stays cancelled", async () => {
    const { taskId } = await startTask(running.url, "deaf", {}, { token: "alice" });
    await result(running.url, "tasks/cancel", { taskId }, { token: "alice" });
    finishLate.open();
    await sleep(20);
    const task = await result(running.url, "tasks/get", { taskId }, { token: "alice" });
    assert.equal(task.status, "cancelled");
    assert.equal("result" in task, false);
  });

  test("a task cancelled while it waits for input ends quietly (its handler's failure is not reported)", async () => {
    const { taskId } = await startTask(running.url, "ask_or_give_up", {}, { token: "alice" });
    await waitFor(running.url, taskId, (task) => task.status === "input_required", { token: "alice" });
    await result(running.url, "tasks/cancel", { taskId }, { token: "alice" });
    const cancelled = await result(running.url, "tasks/get", { taskId }, { token: "alice" });
    assert.equal(cancelled.status, "cancelled");
    assert.equal("inputRequests" in cancelled, false);
    await sleep(20);
    assert.deepEqual(reported, []);
  });

  test("a task exists only for its creator: others get -32602, as for an unknown id", async () => {
    const { taskId } = await startTask(running.url, "ask", {}, { token: "alice" });
    await waitFor(running.url, taskId, (task) => task.status === "input_required", { token: "alice" });
    for (const token of ["bob", "app", undefined]) {
      for (const [method, params] of [["tasks/get", { taskId }], ["tasks/update", { taskId, inputResponses: { go: { action: "accept", content: { ok: true } } } }], ["tasks/cancel", { taskId }]] as const) {
        assert.deepEqual(await error(running.url, method, params, { token }), { code: -32602, message: "Task not found" }, `${method} by ${token}`);
      }
    }
    assert.equal((await result(running.url, "tasks/get", { taskId }, { token: "alice" })).status, "input_required");
    await result(running.url, "tasks/update", { taskId, inputResponses: { go: { action: "accept", content: { ok: true } } } }, { token: "alice" });
    assert.deepEqual((await waitFor(running.url, taskId, undefined, { token: "alice" })).result.content, [{ type: "text", text: "ok: true" }]);
  });

  test("without a subject the client id owns the task", async () => {
    const { taskId } = await startTask(running.url, "ask", {}, { token: "app" });
    assert.equal((await result(running.url, "tasks/get", { taskId }, { token: "app" })).taskId, taskId);
    await result(running.url, "tasks/cancel", { taskId }, { token: "app" });
  });
});

describe("tasks: two servers sharing one store", () => {
  const store = memoryTaskStore();
  // Short leases: the worker's heartbeat (every leaseMs / 3) carries news from the other server.
  const first = serverOn(store, 300);
  const second = serverOn(store, 300);
  let a: Running;
  let b: Running;
  before(async () => {
    a = await listen(first.nodeHandler);
    b = await listen(second.nodeHandler);
  });
  after(async () => {
    await a.close();
    await b.close();
    await second.close();
  });

  test("a task created on one server is read, answered and cancelled on the other", async () => {
    const { taskId } = await startTask(a.url, "ask", {}, { token: "alice" });
    await waitFor(b.url, taskId, (task) => task.status === "input_required", { token: "alice" });
    await result(b.url, "tasks/update", { taskId, inputResponses: { go: { action: "accept", content: { ok: false } } } }, { token: "alice" });
    // The worker on the first server finds the answer with its next heartbeat.
    assert.deepEqual((await waitFor(b.url, taskId, undefined, { token: "alice" })).result.content, [{ type: "text", text: "ok: false" }]);

    aborted.length = 0;
    const before = started;
    const long = await startTask(a.url, "long_job", {}, { token: "bob" });
    while (started === before) await sleep(1);
    await result(b.url, "tasks/cancel", { taskId: long.taskId }, { token: "bob" });
    for (let i = 0; i < 100 && aborted.length === 0; i++) await sleep(10);
    assert.deepEqual(aborted, ["The task was cancelled or lost its lease"]);
    assert.equal((await result(a.url, "tasks/get", { taskId: long.taskId }, { token: "bob" })).status, "cancelled");
  });

  test("a worker that stops heartbeating loses its task: failed with LEASE_EXPIRED, its late result dropped", async () => {
    const { taskId } = await startTask(a.url, "stuck", {}, { token: "alice" });
    const lost = await waitFor(b.url, taskId, undefined, { token: "alice" });
    assert.equal(lost.status, "failed");
    assert.deepEqual(lost.error, LEASE_EXPIRED);
    assert.equal(lost.statusMessage, LEASE_EXPIRED.message);
    await sleep(50);
    assert.equal((await result(b.url, "tasks/get", { taskId }, { token: "alice" })).status, "failed");
  });

  test("closing a server fails its running tasks at once; the other server reports them", async () => {
    aborted.length = 0;
    const before = started;
    const { taskId } = await startTask(a.url, "long_job", {}, { token: "alice" });
    while (started === before) await sleep(1);
    await first.close();
    assert.deepEqual(aborted, ["Server shut down before the task finished"]);
    const failed = await waitFor(b.url, taskId, undefined, { token: "alice" });
    assert.equal(failed.status, "failed");
    assert.deepEqual(failed.error, { code: -32603, message: "Server shut down before the task finished" });
  });
});

test("maxRunning caps the tasks a process runs at once: past it, 503 with Retry-After and nothing stored", async (t) => {
  const server = new MCPServer({ name: "capped", version: "1", tools: taskTools(), extensions: [tasks({ maxRunning: 2 })] });
  const running = await listen(server.nodeHandler);
  t.after(async () => {
    await running.close();
    await server.close();
  });
  const first = await startTask(running.url, "long_job");
  await startTask(running.url, "long_job");
  const refused = await request(running.url, "tools/call", { name: "long_job", arguments: {} });
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.deepEqual([refused.json.error.code, refused.json.error.data], [-32603, { retryAfterSeconds: 1 }]);
  await result(running.url, "tasks/cancel", { taskId: first.taskId });
  await waitFor(running.url, first.taskId, (task) => task.status === "cancelled");
  assert.equal((await startTask(running.url, "long_job")).status, "working", "a cancelled task frees its slot");
  assert.throws(() => tasks({ maxRunning: 0 }), /maxRunning must be a positive integer/);
});

test("task ids longer than any this server makes are unknown without a store read", async (t) => {
  const store = memoryTaskStore();
  const read: string[] = [];
  const counting: TaskStore = { ...store, get: (taskId) => (read.push(taskId), store.get(taskId)) };
  const server = new MCPServer({ name: "ids", version: "1", tools: taskTools(), extensions: [tasks({ store: counting })] });
  const running = await listen(server.nodeHandler);
  t.after(async () => {
    await running.close();
    await server.close();
  });
  const long = "x".repeat(129);
  for (const method of ["tasks/get", "tasks/update", "tasks/cancel"]) {
    assert.deepEqual(await error(running.url, method, { taskId: long, inputResponses: {} }), { code: -32602, message: "Task not found" }, method);
  }
  assert.deepEqual(read, [], "no store read for them");
  await error(running.url, "tasks/get", { taskId: "x".repeat(128) });
  assert.equal(read.length, 1, "an id of a plausible length is looked up");
});
