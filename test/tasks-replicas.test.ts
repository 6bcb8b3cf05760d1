// Tasks across replicas: two server processes (test/fixtures/task-replica.ts) keep their tasks in
// one shared store: a PostgreSQL server through postgresTaskStore, then a Redis server through
// redisTaskStore (Debian's binaries each, started here on a free loopback port).
// A task created on A is read, answered and cancelled on B; when A is killed in the middle of a
// task, B reports it failed with LEASE_EXPIRED once A's lease has run out, and not before.
// Joined by a redisBus too, with a 30 s lease (a heartbeat each second), a cancel or an answer sent
// to B reaches the handler running on A at once, not at A's next heartbeat.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { LEASE_EXPIRED } from "http-mcp/tasks";
import { startChild } from "./helpers.js";
import { postgresUnavailable, startPostgres } from "./support/postgres-server.js";
import { redisUnavailable, startRedis } from "./support/redis-server.js";
import { result, startTask, waitFor } from "./tasks-helpers.js";

const LEASE_MS = 1000;
const alice = { token: "alice" };

interface Replica {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Resolves when the replica prints `line`. */
  printed(line: string): Promise<void>;
  /** When the replica printed `line` (its wall-clock time, in ms). */
  stamp(line: string): Promise<number>;
}

/** A running shared store, and the environment that points a replica at it. */
interface SharedStore {
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function replica(name: string, store: SharedStore, env: Record<string, string> = {}): Promise<Replica> {
  const started = await startChild([process.execPath, "--import", "tsx", "test/fixtures/task-replica.ts"], /replica \S+ on (\S+)/, {
    env: { NAME: name, ...store.env, LEASE_MS: String(LEASE_MS), ...env },
  });
  let output = "";
  const waiting = new Set<() => void>();
  started.child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk;
    for (const check of waiting) check();
  });
  /** The first line printed that `matches`, once there is one. */
  const line = (matches: (printed: string) => boolean, what: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica ${name} never printed ${what}: ${output}`)), 10_000);
      const check = () => {
        const found = output.split("\n").find(matches);
        if (found === undefined) return;
        clearTimeout(timer);
        waiting.delete(check);
        resolve(found);
      };
      waiting.add(check);
      check();
    });
  const printed = async (expected: string) => void (await line((printed) => printed === expected, `"${expected}"`));
  const stamp = async (event: string) => {
    const prefix = `at ${event}: `; // the fixture prints it right after the line itself
    return Number((await line((printed) => printed.startsWith(prefix), `"${prefix}…"`)).slice(prefix.length));
  };
  return { ...started, printed, stamp };
}

const stores: { name: string; skip: string | undefined; start(): Promise<SharedStore> }[] = [
  {
    name: "PostgreSQL",
    skip: postgresUnavailable(),
    async start() {
      const server = await startPostgres();
      return { env: { DATABASE_URL: server.url }, stop: () => server.stop() };
    },
  },
  {
    name: "Redis",
    skip: redisUnavailable(),
    async start() {
      const server = await startRedis();
      return { env: { REDIS_URL: server.url }, stop: () => server.stop() };
    },
  },
];

for (const kind of stores) describe(`tasks on two server processes sharing one ${kind.name}`, { skip: kind.skip }, () => {
  let database: SharedStore;
  let a: Replica;
  let b: Replica;
  before(async () => {
    database = await kind.start();
    [a, b] = await Promise.all([replica("A", database), replica("B", database)]);
  });
  after(async () => {
    for (const running of [a, b]) {
      if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGTERM");
      await running?.exited;
    }
    await database?.stop();
  });

  test("a task created on A is read and answered on B; A's handler gets the answer", async () => {
    const { taskId } = await startTask(a.url, "ask", {}, alice);
    const waiting = await waitFor(b.url, taskId, (task) => task.status === "input_required", alice);
    assert.deepEqual(Object.keys(waiting.inputRequests), ["go"]);
    await result(b.url, "tasks/update", { taskId, inputResponses: { go: { action: "accept", content: { ok: true } } } }, alice);
    const done = await waitFor(b.url, taskId, undefined, alice);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result.content, [{ type: "text", text: "ok: true (answered on A)" }]);
    assert.deepEqual((await result(a.url, "tasks/get", { taskId }, alice)).result, done.result);
  });

  test("a task running on A is cancelled on B; A's handler sees its signal fire", async () => {
    const { taskId } = await startTask(a.url, "long_job", { label: "to-cancel" }, alice);
    await a.printed("started to-cancel");
    assert.equal((await result(b.url, "tasks/get", { taskId }, alice)).status, "working");
    await result(b.url, "tasks/cancel", { taskId }, alice);
    assert.equal((await result(b.url, "tasks/get", { taskId }, alice)).status, "cancelled");
    await a.printed("aborted to-cancel"); // A's next heartbeat finds the task ended
    assert.equal((await result(a.url, "tasks/get", { taskId }, alice)).status, "cancelled");
  });

  test("A is killed in the middle of a task: B shows it failed with LEASE_EXPIRED once the lease has passed", async () => {
    const { taskId } = await startTask(a.url, "long_job", { label: "to-kill" }, alice);
    await a.printed("started to-kill");
    await sleep(LEASE_MS); // heartbeats have renewed the lease since creation
    assert.equal((await result(b.url, "tasks/get", { taskId }, alice)).status, "working", "alive past its first lease");
    a.child.kill("SIGKILL");
    await a.exited;
    const killedAt = Date.now();
    assert.equal((await result(b.url, "tasks/get", { taskId }, alice)).status, "working", "the lease has not run out yet");
    const lost = await waitFor(b.url, taskId, undefined, alice, LEASE_MS + 5000);
    const after = Date.now() - killedAt;
    assert.equal(lost.status, "failed");
    assert.deepEqual(lost.error, LEASE_EXPIRED);
    assert.equal(lost.statusMessage, LEASE_EXPIRED.message);
    assert.ok(after <= LEASE_MS + 2000, `failed ${after} ms after the kill`);
    await sleep(50);
    const again = await result(b.url, "tasks/get", { taskId }, alice);
    assert.equal(again.lastUpdatedAt, lost.lastUpdatedAt, "failed once");
  });
});

describe("tasks on two server processes sharing one Redis and a redisBus", { skip: redisUnavailable() }, () => {
  // A heartbeat each second (leaseMs / 3, at most 1 s): without the bus, A would notice in up to 1 s.
  const HEARTBEAT_MS = 1000;
  const QUICK_MS = 300;
  let database: SharedStore;
  let a: Replica;
  let b: Replica;
  before(async () => {
    const server = await startRedis();
    database = { env: { REDIS_URL: server.url }, stop: () => server.stop() };
    const env = { LEASE_MS: "30000", BUS: "1" };
    [a, b] = await Promise.all([replica("A", database, env), replica("B", database, env)]);
  });
  after(async () => {
    for (const running of [a, b]) {
      if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGTERM");
      await running?.exited;
    }
    await database?.stop();
  });

  /** Waits until `since` plus a heartbeat and a fifth: A's last heartbeat is well behind, its next one ~800 ms ahead. */
  const afterAHeartbeat = (since: number) => sleep(Math.max(0, since + HEARTBEAT_MS * 1.2 - Date.now()));

  test("a cancel sent to B aborts the handler running on A at once", async (t) => {
    const { taskId } = await startTask(a.url, "long_job", { label: "cancel-quick" }, alice);
    const started = await a.stamp("started cancel-quick");
    assert.equal((await result(b.url, "tasks/get", { taskId }, alice)).status, "working");
    await afterAHeartbeat(started);
    const sent = Date.now();
    await result(b.url, "tasks/cancel", { taskId }, alice);
    const took = (await a.stamp("aborted cancel-quick")) - sent;
    t.diagnostic(`cancel through B to abort on A: ${took.toFixed(1)} ms`);
    assert.ok(took < QUICK_MS, `A's handler was aborted ${took.toFixed(0)} ms after the cancel was sent to B`);
    assert.equal((await result(a.url, "tasks/get", { taskId }, alice)).status, "cancelled");
  });

  test("an answer sent to B resumes the handler waiting on A at once", async (t) => {
    const { taskId } = await startTask(a.url, "ask", { label: "answer-quick" }, alice);
    const asked = await a.stamp("asked answer-quick");
    await waitFor(b.url, taskId, (task) => task.status === "input_required", alice);
    await afterAHeartbeat(asked);
    const sent = Date.now();
    await result(b.url, "tasks/update", { taskId, inputResponses: { go: { action: "accept", content: { ok: true } } } }, alice);
    const took = (await a.stamp("answered answer-quick")) - sent;
    t.diagnostic(`answer through B to handler on A: ${took.toFixed(1)} ms`);
    assert.ok(took < QUICK_MS, `A's handler got the answer ${took.toFixed(0)} ms after it was sent to B`);
    const done = await waitFor(b.url, taskId, undefined, alice);
    assert.deepEqual(done.result.content, [{ type: "text", text: "ok: true (answered on A)" }]);
  });
});
