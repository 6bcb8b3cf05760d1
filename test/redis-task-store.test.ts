// redisTaskStore's own options and failure behaviour, against a real Redis server (Debian's
// redis-server, started here on a free loopback port): a given client or a URL, prefixes, close(),
// the key expiry that implements the TTL, and a Redis that goes away and comes back.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { redisTaskStore } from "http-mcp/redis";
import { freePort } from "../scripts/free-port.mjs";
import { redisDuringSuite, redisUnavailable, startRedis, type RedisClient, type RedisServer } from "./support/redis-server.js";
import { newTask } from "./support/task-store-contract.js";


/** Retries `call` until it resolves (Redis coming back), within `ms`. */
async function eventually<T>(call: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

const clientCount = async (client: RedisClient) => String(await client.sendCommand(["CLIENT", "LIST"])).trim().split("\n").length;

describe("redisTaskStore", { skip: redisUnavailable() }, () => {
  let server: RedisServer;
  let client: RedisClient;
  redisDuringSuite((started, connected) => ((server = started), (client = connected)));

  test("takes a client or a URL, not both nor neither", () => {
    assert.throws(() => redisTaskStore({}), /either client or url/);
    assert.throws(() => redisTaskStore({ client, url: server.url }), /either client or url/);
    assert.throws(() => redisTaskStore({ client: {} as never }), /client needs a sendCommand method/);
  });

  test("a store on a URL and one on a given client share the tasks", async () => {
    const own = redisTaskStore({ url: server.url });
    const given = redisTaskStore({ client });
    const task = newTask();
    const created = await own.create(task);
    assert.deepEqual(await given.get(task.taskId), created);
    await own.close();
  });

  test("a task is one hash under the prefix, whose key expires with the TTL (nothing to sweep)", async () => {
    const store = redisTaskStore({ client });
    const timed = newTask({ ttlMs: 60_000 });
    const created = await store.create(timed);
    assert.equal(Number(await client.sendCommand(["PEXPIRETIME", `mcp:task:${timed.taskId}`])), created.createdAt + 60_000);
    const kept = newTask({ ttlMs: null });
    await store.create(kept);
    assert.equal(Number(await client.sendCommand(["PTTL", `mcp:task:${kept.taskId}`])), -1, "no TTL: no expiry");
    await store.work(kept.taskId, "replica-a", { status: "completed", result: {} }, 30_000);
    assert.equal(Number(await client.sendCommand(["PTTL", `mcp:task:${kept.taskId}`])), -1, "a write keeps the expiry as it is");
  });

  test("stores with different prefixes never meet", async () => {
    const a = redisTaskStore({ client, prefix: "tenant-a:" });
    const b = redisTaskStore({ client, prefix: "tenant-b:" });
    const task = newTask();
    await a.create(task);
    assert.equal(await b.get(task.taskId), undefined);
    assert.equal(await b.cancel(task.taskId, "alice"), false);
    const other = await b.create({ ...task, owner: "bob" }); // the same id is free under the other prefix
    assert.equal(other.owner, "bob");
    assert.equal((await a.get(task.taskId))!.owner, "alice");
    assert.equal(await client.exists(`tenant-a:${task.taskId}`), 1);
    assert.equal(await client.exists(`mcp:task:${task.taskId}`), 0);
  });

  test("values come back exactly as written: empty arrays, big numbers, odd keys, an empty inputRequests", async () => {
    const store = redisTaskStore({ client });
    const plain = await store.create(newTask());
    for (const field of ["statusMessage", "inputRequests", "answers", "result", "error"]) assert.equal(field in plain, false, `${field} is absent`);
    const task = newTask({ statusMessage: "" });
    assert.equal((await store.create(task)).statusMessage, "");
    const questions = { "with:colon": { list: [] }, "i:a:": { n: 2 ** 53 - 1 }, "ünï": { s: "é\n\"" } };
    const asking = await store.work(task.taskId, "replica-a", { status: "input_required", inputRequests: questions }, 30_000);
    assert.deepEqual(asking!.inputRequests, questions);
    await store.answer(task.taskId, "alice", { "with:colon": [], "i:a:": { empty: {} } });
    const partly = await store.get(task.taskId);
    assert.deepEqual(partly!.answers, { "with:colon": [], "i:a:": { empty: {} } });
    assert.deepEqual(partly!.inputRequests, { "ünï": { s: "é\n\"" } });
    const empty = await store.work(task.taskId, "replica-a", { inputRequests: {} }, 30_000);
    assert.deepEqual(empty!.inputRequests, {}, "an empty inputRequests is kept, not dropped");
    const done = await store.work(task.taskId, "replica-a", { status: "completed", inputRequests: null, result: { content: [], structuredContent: { big: 1e300, nested: [[]] } } }, 30_000);
    assert.deepEqual(done!.result, { content: [], structuredContent: { big: 1e300, nested: [[]] } });
    assert.equal("inputRequests" in done!, false, "absent fields are absent, not null");
    assert.equal("error" in done!, false);
  });

  test("the scripts are sent again when the server lost them (SCRIPT FLUSH)", async () => {
    const store = redisTaskStore({ client });
    const task = newTask();
    await store.create(task);
    await client.sendCommand(["SCRIPT", "FLUSH"]);
    assert.equal((await store.get(task.taskId))!.taskId, task.taskId);
  });

  test("close() closes the client the store created, never a given one", async () => {
    const given = redisTaskStore({ client });
    await given.get("x");
    await given.close();
    assert.equal(await client.ping(), "PONG", "the given client still works");
    const before = await clientCount(client);
    const own = redisTaskStore({ url: server.url });
    await own.get("x");
    assert.equal(await clientCount(client), before + 1);
    await own.close();
    await eventually(async () => assert.equal(await clientCount(client), before), 2000);
    await assert.rejects(own.get("x"), /Redis task store: get failed: the store is closed/);
  });

  test("a Redis that goes away makes calls reject with a clear error; the store recovers when it is back", async () => {
    const port = await freePort();
    let redis = await startRedis({ port });
    const store = redisTaskStore({ url: redis.url });
    try {
      const task = newTask();
      await store.create(task);
      await redis.stop();
      const started = Date.now();
      await assert.rejects(store.get(task.taskId), /^Error: Redis task store: get failed: /);
      await assert.rejects(store.create(newTask()), /Redis task store: create failed: /);
      assert.ok(Date.now() - started < 2000, "rejected at once, not queued until Redis returns");
      redis = await startRedis({ port }); // an empty server: the data did not persist, the scripts are gone
      const again = newTask();
      await eventually(() => store.create(again));
      assert.equal((await store.get(again.taskId))!.status, "working");
    } finally {
      await store.close();
      await redis.stop();
    }
  });

  test("a first connection that fails rejects the call; the next call connects once Redis is up", async () => {
    const port = await freePort();
    const store = redisTaskStore({ url: `redis://127.0.0.1:${port}` });
    await assert.rejects(store.get("x"), /Redis task store: get failed: .*ECONNREFUSED/);
    const redis = await startRedis({ port });
    try {
      assert.equal(await store.get("x"), undefined);
    } finally {
      await store.close();
      await redis.stop();
    }
  });
});
