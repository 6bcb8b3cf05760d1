// The TaskStore contract as tests, run against every store (test/task-store.test.ts). A backend
// opens a store and a `twin`: a second store object on the same data (another pool, as a second
// replica would have), so what one writes the other must read.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { LEASE_EXPIRED, type NewTask, type TaskRecord, type TaskStore } from "http-mcp/tasks";

export interface OpenedStore {
  store: TaskStore;
  twin: TaskStore;
  close(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  /** Why this backend cannot run here (the suite is skipped with it). */
  skip?: string | undefined;
  open(): Promise<OpenedStore>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function newTask(fields: Partial<NewTask> = {}): NewTask {
  return { taskId: randomUUID(), owner: "alice", worker: "replica-a", ttlMs: 60_000, pollIntervalMs: 500, leaseMs: 30_000, ...fields };
}

/** Defines the contract's tests for `backend` (at the top level of a test file). */
export function taskStoreContract(backend: StoreBackend): void {
  describe(`TaskStore contract: ${backend.name}`, { skip: backend.skip }, () => {
    let opened: OpenedStore;
    before(async () => void (opened = await backend.open()));
    after(() => opened?.close());
    const store = () => opened.store;

    test("create returns the stored task and any replica's get reads it back", async () => {
      const task = newTask({ statusMessage: "Starting" });
      const created = await store().create(task);
      assert.equal(created.status, "working");
      assert.equal(created.statusMessage, "Starting");
      assert.equal(created.lastUpdatedAt, created.createdAt);
      assert.equal(created.leaseUntil - created.createdAt, 30_000);
      const read = await opened.twin.get(task.taskId);
      assert.deepEqual(read, created);
      assert.deepEqual(
        { owner: read!.owner, worker: read!.worker, ttlMs: read!.ttlMs, pollIntervalMs: read!.pollIntervalMs },
        { owner: "alice", worker: "replica-a", ttlMs: 60_000, pollIntervalMs: 500 },
      );
      assert.equal(await store().get(randomUUID()), undefined);
    });

    test("a task without TTL keeps ttlMs null", async () => {
      const task = newTask({ ttlMs: null });
      await store().create(task);
      assert.equal((await opened.twin.get(task.taskId))!.ttlMs, null);
    });

    test("a second create with the same id is refused and changes nothing", async () => {
      const task = newTask();
      await store().create(task);
      await assert.rejects(opened.twin.create({ ...task, owner: "mallory", worker: "replica-b" }));
      const read = await store().get(task.taskId);
      assert.equal(read!.owner, "alice");
      assert.equal(read!.worker, "replica-a");
    });

    test("work() applies only for the task's worker, and only until the task ends", async () => {
      const task = newTask();
      await store().create(task);
      assert.equal(await opened.twin.work(task.taskId, "replica-b", { status: "completed", result: { stolen: true } }, 30_000), undefined);
      assert.equal((await store().get(task.taskId))!.status, "working");
      const progress = await opened.twin.work(task.taskId, "replica-a", { statusMessage: "Half way" }, 30_000);
      assert.equal(progress?.statusMessage, "Half way");
      assert.equal(progress?.status, "working");
      const done = await store().work(task.taskId, "replica-a", { status: "completed", result: { content: [] } }, 30_000);
      assert.deepEqual(done?.result, { content: [] });
      assert.equal(await store().work(task.taskId, "replica-a", { status: "failed", error: { code: 1, message: "late" } }, 30_000), undefined);
      const read = await opened.twin.get(task.taskId);
      assert.equal(read!.status, "completed");
      assert.equal(read!.error, undefined);
      assert.equal(await store().work(randomUUID(), "replica-a", { statusMessage: "?" }, 30_000), undefined);
    });

    test("work() with inputRequests: null clears them; absent fields stay as they were", async () => {
      const task = newTask();
      await store().create(task);
      await store().work(task.taskId, "replica-a", { status: "input_required", statusMessage: "Asking", inputRequests: { q: { method: "elicitation/create" } } }, 30_000);
      const kept = await store().work(task.taskId, "replica-a", {}, 30_000);
      assert.deepEqual(kept?.inputRequests, { q: { method: "elicitation/create" } });
      assert.equal(kept?.statusMessage, "Asking");
      assert.equal(kept?.status, "input_required");
      const cleared = await store().work(task.taskId, "replica-a", { status: "working", inputRequests: null }, 30_000);
      assert.equal(cleared?.inputRequests, undefined);
      assert.equal((await opened.twin.get(task.taskId))!.inputRequests, undefined);
    });

    test("work() is the heartbeat: it renews the lease, so a task outlives its first lease", async () => {
      const task = newTask({ leaseMs: 400 });
      const created = await store().create(task);
      await sleep(250);
      const beat = await store().work(task.taskId, "replica-a", {}, 400);
      assert.ok(beat && beat.leaseUntil >= created.leaseUntil + 200, "the lease moved forward");
      assert.equal(beat.lastUpdatedAt, created.lastUpdatedAt, "a heartbeat alone is no update of the task");
      await sleep(250); // past the first lease, within the renewed one
      assert.equal((await opened.twin.get(task.taskId))!.status, "working");
      const written = await store().work(task.taskId, "replica-a", { statusMessage: "half way" }, 400);
      assert.ok(written && written.lastUpdatedAt > created.lastUpdatedAt, "a change moves lastUpdatedAt");
    });

    test("a lapsed lease fails the task once, even when two replicas read it at the same moment", async () => {
      const task = newTask({ leaseMs: 100 });
      await store().create(task);
      await store().work(task.taskId, "replica-a", { status: "input_required", inputRequests: { q: {} } }, 100);
      await sleep(250);
      const reads = await Promise.all([store().get(task.taskId), opened.twin.get(task.taskId), store().get(task.taskId), opened.twin.get(task.taskId)]);
      for (const read of reads) {
        assert.equal(read!.status, "failed");
        assert.deepEqual(read!.error, LEASE_EXPIRED);
        assert.equal(read!.statusMessage, LEASE_EXPIRED.message);
        assert.equal(read!.inputRequests, undefined);
        assert.equal(read!.lastUpdatedAt, reads[0]!.lastUpdatedAt, "one transition, seen alike by all");
      }
      await sleep(20);
      assert.equal((await store().get(task.taskId))!.lastUpdatedAt, reads[0]!.lastUpdatedAt, "a later read does not fail it again");
      assert.equal(await store().work(task.taskId, "replica-a", { status: "completed", result: {} }, 30_000), undefined);
    });

    test("a worker whose lease lapsed cannot write, even before anyone read the task", async () => {
      const task = newTask({ leaseMs: 100 });
      await store().create(task);
      await sleep(250);
      assert.equal(await store().work(task.taskId, "replica-a", { status: "completed", result: {} }, 30_000), undefined);
      assert.equal((await opened.twin.get(task.taskId))!.status, "failed");
    });

    test("answer() records only outstanding keys; a partial answer keeps input_required", async () => {
      const task = newTask();
      await store().create(task);
      await store().work(task.taskId, "replica-a", { status: "input_required", inputRequests: { first: { n: 1 }, second: { n: 2 } } }, 30_000);
      assert.equal(await opened.twin.answer(task.taskId, "alice", { first: { action: "accept" }, stray: 1 }), true);
      const partly = await store().get(task.taskId);
      assert.equal(partly!.status, "input_required");
      assert.deepEqual(partly!.inputRequests, { second: { n: 2 } });
      assert.deepEqual(partly!.answers, { first: { action: "accept" } });
      assert.equal(await opened.twin.answer(task.taskId, "alice", { first: "again" }), true);
      assert.deepEqual((await store().get(task.taskId))!.answers, { first: { action: "accept" } }, "an answered key is no longer outstanding");
      assert.equal(await store().answer(task.taskId, "alice", { second: [1, 2] }), true);
      const all = await opened.twin.get(task.taskId);
      assert.equal(all!.status, "working");
      assert.equal(all!.inputRequests, undefined);
      assert.deepEqual(all!.answers, { first: { action: "accept" }, second: [1, 2] });
      assert.equal(await store().answer(randomUUID(), "alice", { first: 1 }), false);
    });

    test("answer() and cancel() refuse another owner and change nothing", async () => {
      const task = newTask();
      await store().create(task);
      await store().work(task.taskId, "replica-a", { status: "input_required", inputRequests: { q: {} } }, 30_000);
      const before = await store().get(task.taskId);
      assert.equal(await opened.twin.answer(task.taskId, "mallory", { q: "mine" }), false);
      assert.equal(await opened.twin.cancel(task.taskId, "mallory"), false);
      assert.deepEqual(await store().get(task.taskId), before);
    });

    test("cancel() ends an open task; cancelling an ended task changes nothing", async () => {
      const open = newTask();
      await store().create(open);
      assert.equal(await opened.twin.cancel(open.taskId, "alice", "Stop"), true);
      const cancelled = await store().get(open.taskId);
      assert.equal(cancelled!.status, "cancelled");
      assert.equal(cancelled!.statusMessage, "Stop");
      assert.equal(await store().work(open.taskId, "replica-a", { statusMessage: "still going?" }, 30_000), undefined, "the worker learns it stopped");
      const ended = newTask();
      await store().create(ended);
      const done = await store().work(ended.taskId, "replica-a", { status: "completed", result: { ok: 1 } }, 30_000);
      await sleep(5);
      assert.equal(await opened.twin.cancel(ended.taskId, "alice"), true);
      assert.deepEqual(await store().get(ended.taskId), done);
    });

    test("a task whose lease ran out is failed whichever call reaches it first: answering or cancelling it finds it lost", async () => {
      const asked = newTask({ leaseMs: 100 });
      await store().create(asked);
      await store().work(asked.taskId, "replica-a", { status: "input_required", inputRequests: { q: {} } }, 100);
      const cancelled = newTask({ leaseMs: 100 });
      await store().create(cancelled);
      await sleep(200);
      assert.equal(await opened.twin.answer(asked.taskId, "alice", { q: "late" }), true, "the task exists");
      assert.equal(await opened.twin.cancel(cancelled.taskId, "alice"), true, "the task exists");
      for (const task of [asked, cancelled]) {
        const read = await store().get(task.taskId);
        assert.equal(read!.status, "failed", task.taskId);
        assert.deepEqual(read!.error, LEASE_EXPIRED);
        assert.equal(read!.answers, undefined, "a lost task takes no answers");
      }
    });

    test("a task past its TTL is gone for every method, and its id can be used again", async () => {
      const task = newTask({ ttlMs: 150 });
      await store().create(task);
      await sleep(300);
      assert.equal(await opened.twin.get(task.taskId), undefined);
      assert.equal(await store().work(task.taskId, "replica-a", { statusMessage: "?" }, 30_000), undefined);
      assert.equal(await store().answer(task.taskId, "alice", {}), false);
      assert.equal(await store().cancel(task.taskId, "alice"), false);
      const again = await store().create({ ...task, ttlMs: 60_000, owner: "bob" });
      assert.equal(again.owner, "bob");
      assert.equal(again.answers, undefined);
    });

    test("racing work() and cancel() end every task in exactly one terminal state", async () => {
      const tasks = Array.from({ length: 24 }, () => newTask());
      await Promise.all(tasks.map((task) => store().create(task)));
      const outcomes = await Promise.all(
        tasks.map(async (task, i) => {
          const [completed, failed, cancelled] = await Promise.all([
            store().work(task.taskId, "replica-a", { status: "completed", result: { i } }, 30_000),
            opened.twin.work(task.taskId, "replica-a", { status: "failed", error: { code: -1, message: "boom" } }, 30_000),
            (i % 2 ? opened.twin : store()).cancel(task.taskId, "alice"),
          ]);
          return { completed, failed, cancelled, final: await store().get(task.taskId) };
        }),
      );
      for (const { completed, failed, cancelled, final } of outcomes) {
        assert.equal(cancelled, true);
        const winners = [completed, failed].filter((record): record is TaskRecord => record !== undefined);
        assert.ok(winners.length <= 1, "at most one worker write ends the task");
        if (winners.length === 1) assert.deepEqual(final, winners[0]);
        else assert.equal(final!.status, "cancelled");
        assert.equal(final!.result !== undefined, final!.status === "completed");
        assert.equal(final!.error !== undefined, final!.status === "failed");
      }
    });
  });
}
