// The demo's long_job over real HTTP: a task for clients that declare the Tasks extension (its
// progress in the status message, stopped by tasks/cancel), an ordinary call for the others.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createDemoServer } from "../examples/demo/server.js";
import { listen, type Running } from "./helpers.js";
import { result, startTask, waitFor, WITHOUT_TASKS } from "./tasks-helpers.js";

describe("demo: long_job", () => {
  let running: Running;
  const server = createDemoServer();
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });

  test("runs as a task: progress shows in its status message, and it completes with its output", async () => {
    const { taskId } = await startTask(running.url, "long_job", { steps: 3, stepMs: 40 });
    const done = await waitFor(running.url, taskId);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result.structuredContent, { steps: 3 });
    assert.match(done.statusMessage, /^step [123] of 3$/);
  });

  test("tasks/cancel stops it", async () => {
    const { taskId } = await startTask(running.url, "long_job", { steps: 60, stepMs: 10_000 });
    const working = await waitFor(running.url, taskId, (task) => task.statusMessage === "step 1 of 60");
    assert.equal(working.status, "working");
    await result(running.url, "tasks/cancel", { taskId });
    assert.equal((await result(running.url, "tasks/get", { taskId })).status, "cancelled");
    const advice = await result(running.url, "prompts/get", { name: "get_advice", arguments: { topic: "tasks" } });
    // Only the first test's job finished: the cancelled one never reached the end of its handler.
    assert.match(advice.messages[0].content.text, /Previously called tools: long_job$/);
  });

  test("a client without the extension waits for the result", async () => {
    const answered = await result(running.url, "tools/call", { name: "long_job", arguments: { steps: 2, stepMs: 1 } }, { capabilities: WITHOUT_TASKS });
    assert.deepEqual(answered.structuredContent, { steps: 2 });
  });
});
