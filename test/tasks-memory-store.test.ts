// The memory task store when full: expired tasks make room first (whatever their TTLs), then the
// oldest ended one; a store full of running tasks refuses new ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { memoryTaskStore, TaskStoreFullError } from "http-mcp/tasks";

const task = (taskId: string, ttlMs: number | null) => ({ taskId, owner: "", worker: "w", ttlMs, pollIntervalMs: 100, leaseMs: 60_000 });

test("one TTL for all: the expired make room, ended tasks within their TTL stay", async () => {
  const store = memoryTaskStore({ maxTasks: 3 });
  await store.create(task("a", 20));
  await store.create(task("b", 20));
  await sleep(30);
  await store.create(task("c", 20));
  await store.work("c", "w", { status: "completed", result: { content: [] } }, 60_000);
  await store.create(task("d", 20));
  await store.create(task("e", 20));
  assert.equal(await store.get("a"), undefined);
  assert.equal((await store.get("c"))?.status, "completed");
  assert.ok(await store.get("e"));
});

test("mixed TTLs: a short-lived task behind a long-lived one is still swept before an ended task is dropped", async () => {
  const store = memoryTaskStore({ maxTasks: 3 });
  await store.create(task("long", null));
  await store.create(task("ended", null));
  await store.work("ended", "w", { status: "completed", result: { content: [] } }, 60_000);
  await store.create(task("short", 10));
  await sleep(20);
  await store.create(task("new", null));
  assert.equal((await store.get("ended"))?.status, "completed");
  assert.ok(await store.get("new"));
});

test("full of running tasks: the oldest ended one goes, and with none ended creation fails", async () => {
  const store = memoryTaskStore({ maxTasks: 2 });
  await store.create(task("x", null));
  await store.create(task("y", null));
  await assert.rejects(store.create(task("z", null)), TaskStoreFullError);
  await store.cancel("x", "");
  await store.create(task("z", null));
  assert.equal(await store.get("x"), undefined);
});
