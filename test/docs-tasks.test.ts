// The Tasks page's example, driven as a client that declares the extension would: a task polled to
// input_required, answered with tasks/update, completed; an ordinary call for a client that did not
// declare it; the MRTR round before a task; a cancelled task.
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import type { MCPServer } from "http-mcp";
import { server } from "../docs/examples/tasks.ts";
import { listen } from "./helpers.js";
import { redisUnavailable, startRedis } from "./support/redis-server.js";
import { WITHOUT_TASKS, result, startTask, waitFor } from "./tasks-helpers.js";

test("the tasks example: poll, answer, complete; ordinary call without the extension; MRTR then task; cancel", async (t) => {
  const running = await listen(server.nodeHandler);
  t.after(() => running.close());
  const { url } = running;

  const created = await startTask(url, "export_report", { year: 2026 });
  assert.equal(created.status, "working");
  assert.deepEqual([created.ttlMs, created.pollIntervalMs], [3_600_000, 1000]);
  const waiting = await waitFor(url, created.taskId, (task) => task.status === "input_required");
  assert.equal(waiting.inputRequests.publish.method, "elicitation/create");
  assert.equal(waiting.statusMessage, "month 12 of 12");
  assert.deepEqual(await result(url, "tasks/update", { taskId: created.taskId, inputResponses: { publish: { action: "accept", content: { publish: true } } } }), { resultType: "complete", _meta: created._meta });
  const done = await waitFor(url, created.taskId);
  assert.equal(done.status, "completed");
  assert.deepEqual(done.result.content, [{ type: "text", text: "Published the 2026 report." }]);

  const plain = await result(url, "tools/call", { name: "export_report", arguments: { year: 2025 } }, { capabilities: WITHOUT_TASKS });
  assert.equal(plain.resultType, "input_required", "an ordinary call asks with MRTR instead");

  const round1 = await result(url, "tools/call", { name: "migrate", arguments: {} });
  assert.equal(round1.resultType, "input_required");
  const round2 = await result(url, "tools/call", {
    name: "migrate",
    arguments: {},
    inputResponses: { database: { action: "accept", content: { name: "orders" } } },
    requestState: round1.requestState,
  });
  assert.equal(round2.resultType, "task");
  assert.equal(round2.requestState, undefined);
  assert.deepEqual((await waitFor(url, round2.taskId)).result.content, [{ type: "text", text: "Migrated orders." }]);

  const cancelled = await startTask(url, "export_report", { year: 2024 });
  await result(url, "tasks/cancel", { taskId: cancelled.taskId });
  assert.equal((await waitFor(url, cancelled.taskId)).status, "cancelled");
});

/** Serves two replicas for the test and returns their URLs; when it ends they close, then `release` frees what they share. */
async function serveReplicas(t: TestContext, replicas: [MCPServer, MCPServer], release: () => Promise<void>): Promise<[string, string]> {
  const running = await Promise.all(replicas.map((replica) => listen(replica.nodeHandler)));
  t.after(async () => {
    await Promise.all(running.map((served) => served.close()));
    await Promise.all(replicas.map((replica) => replica.close()));
    await release();
  });
  return [running[0]!.url, running[1]!.url];
}

test("the Postgres example: two replicas on one database (PGlite) share a task", async (t) => {
  const { PGlite } = await import("@electric-sql/pglite");
  const { createReplica } = await import("../docs/examples/tasks-postgres.ts");
  const db = new PGlite();
  const [onA, onB] = await serveReplicas(t, [createReplica(db), createReplica(db)], () => db.close());
  const created = await startTask(onA, "reindex", { collection: "docs" });
  const done = await waitFor(onB, created.taskId);
  assert.equal(done.status, "completed", "polled on the replica that did not create it");
  assert.deepEqual(done.result.content, [{ type: "text", text: "Reindexed docs." }]);
});

test("the Redis example: two replicas on one Redis server share a task", { skip: redisUnavailable() }, async (t) => {
  const { createReplica } = await import("../docs/examples/tasks-redis.ts");
  const redis = await startRedis();
  const [onA, onB] = await serveReplicas(t, [createReplica(redis.url), createReplica(redis.url)], () => redis.stop());
  const created = await startTask(onA, "transcode", { video: "intro.mov" });
  const done = await waitFor(onB, created.taskId);
  assert.equal(done.status, "completed", "polled on the replica that did not create it");
  assert.deepEqual(done.result.content, [{ type: "text", text: "Transcoded intro.mov." }]);
});
