// redisSessionStore (http-mcp/redis) against a real Redis server: records round-trip as JSON under
// the prefix, each read and write pushes the idle expiry back (a sliding window), an unused record
// lapses, a value that does not parse counts as absent, and the store closes only the client it made.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { redisSessionStore } from "http-mcp/redis";
import type { SessionRecord } from "http-mcp/sessions";
import { redisDuringSuite, redisUnavailable, startRedis, type RedisClient, type RedisServer } from "./support/redis-server.js";

const record: SessionRecord = {
  protocolVersion: "2025-11-25",
  clientCapabilities: { elicitation: {} },
  logLevel: "error",
  subscriptions: ["test://a", "test://b"],
  subject: "alice",
};

describe("redisSessionStore", { skip: redisUnavailable() }, () => {
  let redis: RedisServer;
  let client: RedisClient;
  redisDuringSuite((started, connected) => ((redis = started), (client = connected)));

  test("bad options are refused when the store is made", () => {
    assert.throws(() => redisSessionStore({}), /either client or url/);
    assert.throws(() => redisSessionStore({ url: redis.url, client }), /either client or url/);
    assert.throws(() => redisSessionStore({ client: {} as never }), /sendCommand/);
    assert.throws(() => redisSessionStore({ client, idleTimeoutMs: 0 }), /idleTimeoutMs/);
    assert.throws(() => redisSessionStore({ client, idleTimeoutMs: 1.5 }), /idleTimeoutMs/);
    assert.throws(() => redisSessionStore({ client, prefix: 7 as never }), /prefix/);
  });

  test("a record round-trips under the prefix; delete removes it; an unknown id is undefined", async () => {
    const store = redisSessionStore({ client, prefix: "t1:" });
    await store.set("s1", record);
    assert.deepEqual(await store.get("s1"), record);
    assert.equal(await client.exists("t1:s1"), 1);
    const fresh: SessionRecord = { protocolVersion: "2025-06-18", clientCapabilities: undefined, logLevel: undefined, subscriptions: [], subject: undefined };
    await store.set("s2", fresh);
    const read = await store.get("s2");
    assert.deepEqual(read?.subscriptions, []);
    assert.equal(read?.logLevel, undefined);
    await store.delete("s1");
    assert.equal(await store.get("s1"), undefined);
    assert.equal(await store.get("never"), undefined);
    const other = redisSessionStore({ client, prefix: "t2:" });
    assert.equal(await other.get("s2"), undefined, "another prefix sees nothing");
  });

  test("each read and write pushes the idle expiry back; an unused record lapses", async () => {
    const store = redisSessionStore({ client, prefix: "t3:", idleTimeoutMs: 400 });
    await store.set("s", record);
    const ttl = await client.pTTL("t3:s");
    assert.ok(ttl > 300 && ttl <= 400, `PX on write: ${ttl}`);
    for (let i = 0; i < 4; i++) {
      await sleep(250);
      assert.deepEqual(await store.get("s"), record, `still there after ${(i + 1) * 250} ms of use`);
    }
    await sleep(550);
    assert.equal(await store.get("s"), undefined, "gone after the idle timeout");
  });

  test("a value that does not parse as a record counts as absent", async () => {
    const store = redisSessionStore({ client, prefix: "t4:" });
    await client.set("t4:bad", "{not json");
    await client.set("t4:shape", '{"subscriptions":"no"}');
    await client.set("t4:null", "null");
    for (const id of ["bad", "shape", "null"]) assert.equal(await store.get(id), undefined, id);
  });

  test("close() closes the client made from a url, never a given one", async () => {
    const given = redisSessionStore({ client, prefix: "t5:" });
    await given.close();
    await given.set("s", record);
    assert.deepEqual(await given.get("s"), record, "the given client still works");
    const owned = redisSessionStore({ url: redis.url, prefix: "t5:" });
    assert.deepEqual(await owned.get("s"), record);
    await owned.close();
    await assert.rejects(owned.get("s"), /closed/);
  });
});
