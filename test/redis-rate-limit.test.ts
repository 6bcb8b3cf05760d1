// rateLimit with redisRateLimitStore, against a real Redis server (Debian's redis-server, started here
// on a free loopback port): two servers, each with its own connection, share one budget exactly;
// the key expires by itself; prefixes isolate; a Redis that goes away lets calls through (or refuses
// them), is reported, and limits again once it is back, with no restart of the servers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { defineTool, MCPServer } from "http-mcp";
import { rateLimit, type RateLimitOptions } from "http-mcp/limits";
import { redisRateLimitStore, type RedisRateLimitStore } from "http-mcp/redis";
import { createClient } from "redis";
import { freePort } from "../scripts/free-port.mjs";
import { listen, modernHeaders, postModern, type Running } from "./helpers.ts";
import { redisUnavailable, startRedis, type RedisServer } from "./support/redis-server.js";

const echo = defineTool({ name: "echo", handler: () => "ok" });
let id = 0;
const callTool = (url: string) => postModern(url, ++id, "tools/call", { name: "echo" }, modernHeaders("tools/call", "echo"));
const passed = (replies: { status: number }[]) => replies.filter((reply) => reply.status === 200).length;

/** A replica: its own MCPServer on its own HTTP server, with its own Redis connection (a store on the URL). */
async function replica(url: string, options: Omit<RateLimitOptions, "store">, prefix?: string) {
  const store = redisRateLimitStore({ url, ...(prefix === undefined ? {} : { prefix }) });
  const server = new MCPServer({ name: "r", version: "1", tools: [echo], middleware: [rateLimit({ ...options, store })] });
  const http = await listen(server.nodeHandler);
  return { url: http.url, store, close: () => http.close().then(() => store.close()) };
}

describe("rateLimit with redisRateLimitStore", { skip: redisUnavailable() }, () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;
  const open: { close(): Promise<void> }[] = [];
  before(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  after(async () => {
    for (const item of open) await item.close();
    await client?.close();
    await redis?.stop();
  });
  const replicas = async (count: number, options: Omit<RateLimitOptions, "store">, prefix?: string) => {
    const made = await Promise.all(Array.from({ length: count }, () => replica(redis.url, options, prefix)));
    open.push(...made);
    return made;
  };

  test("two replicas share one budget: of 60 concurrent calls across both, exactly limit pass", async () => {
    const [a, b] = await replicas(2, { limit: 17, windowMs: 60_000 }, "mcp:ratelimit:shared:");
    await Promise.all([callTool(a!.url), callTool(b!.url)]); // both connected and the script loaded
    await client.del("mcp:ratelimit:shared:anonymous");
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => callTool((i % 2 ? a : b)!.url)));
    assert.equal(passed(replies), 17);
    const refused = replies.filter((reply) => reply.status === 503);
    assert.equal(refused.length, 43);
    // 60 000 / 17 ms per call: the next one passes in about 3.5 s, rounded up to whole seconds.
    assert.ok(refused.every((reply) => reply.headers.get("retry-after") === "4" && reply.json.error.data.retryAfterSeconds === 4));
  });

  test("the caller's key is one string under the prefix that expires once its allowance has refilled; prefixes isolate", async () => {
    const [a] = await replicas(1, { limit: 3, windowMs: 30_000 }, "tenant-a:");
    const [b] = await replicas(1, { limit: 3, windowMs: 30_000 }, "tenant-b:");
    assert.equal(passed(await Promise.all([1, 2, 3, 4].map(() => callTool(a!.url)))), 3);
    assert.equal(passed(await Promise.all([1, 2, 3, 4].map(() => callTool(b!.url)))), 3, "tenant-a's calls took nothing from tenant-b");
    const ttl = Number(await client.sendCommand(["PTTL", "tenant-a:anonymous"]));
    assert.ok(ttl > 29_000 && ttl <= 30_000, `PTTL ${ttl}`);
    assert.equal(await client.type("tenant-a:anonymous"), "string");
  });

  test("the allowance refills on the Redis server's clock, and the key goes away by itself", async () => {
    const [a] = await replicas(1, { limit: 2, windowMs: 1000 }, "refill:");
    assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(a!.url)))), 2);
    await sleep(550); // one call's worth (500 ms) has refilled
    assert.equal(passed(await Promise.all([callTool(a!.url), callTool(a!.url)])), 1);
    await sleep(1050);
    assert.equal(await client.exists("refill:anonymous"), 0, "expired (PX), nothing to sweep");
    assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(a!.url)))), 2);
  });

  test("the script is sent again when Redis lost it (SCRIPT FLUSH)", async () => {
    const store = redisRateLimitStore({ client });
    const rule = { limit: 1, windowMs: 1000 };
    assert.deepEqual(await store.take("flushed", rule), { allowed: true, retryAfterMs: 0, remaining: 0 });
    assert.deepEqual(await store.take("five", { limit: 5, windowMs: 1000 }), { allowed: true, retryAfterMs: 0, remaining: 4 });
    await client.sendCommand(["SCRIPT", "FLUSH"]);
    assert.deepEqual({ ...(await store.take("flushed", rule)), retryAfterMs: 0 }, { allowed: false, retryAfterMs: 0, remaining: 0 });
    assert.throws(() => redisRateLimitStore({}), /either client or url/);
  });

  test("a Redis that hangs (CLIENT PAUSE): calls wait timeoutMs at most, then pass, reported once", async () => {
    const reports: string[] = [];
    const [a] = await replicas(1, { limit: 5, windowMs: 60_000, timeoutMs: 200, onError: (error) => reports.push((error as Error).message) }, "paused:");
    assert.equal((await callTool(a!.url)).status, 200); // connected, script loaded
    await client.sendCommand(["CLIENT", "PAUSE", "1500", "ALL"]);
    const started = Date.now();
    const during = await Promise.all([1, 2, 3].map(() => callTool(a!.url)));
    const waited = Date.now() - started;
    assert.equal(passed(during), 3);
    assert.ok(waited >= 190 && waited < 1200, `answered after ${waited} ms (the pause lasts 1500)`);
    assert.deepEqual(reports, ["the rate limit store failed: no answer within 200 ms"]);
    await sleep(1500); // the pause is over
    assert.equal(passed(await Promise.all([1, 2, 3, 4, 5, 6].map(() => callTool(a!.url)))), 1, "the 4 calls of before counted when Redis ran them");
  });

  test("the docs example: two replicas share each caller's 30 calls", async () => {
    const { createReplica } = await import("../docs/examples/rate-limit.ts");
    const servers = [createReplica(redis.url), createReplica(redis.url)];
    const urls: string[] = [];
    for (const server of servers) {
      const http = await listen(server.nodeHandler);
      open.push({ close: () => http.close().then(() => server.close()) });
      urls.push(http.url);
    }
    const search = (url: string) => postModern(url, ++id, "tools/call", { name: "search", arguments: { query: "maps" } }, modernHeaders("tools/call", "search"));
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => search(urls[i % 2]!)));
    assert.equal(passed(replies), 30);
    assert.equal(replies.find((reply) => reply.status === 200)!.json.result.content[0].text, "No results for maps.");
    assert.equal(replies.find((reply) => reply.status === 503)!.headers.get("retry-after"), "2");
    assert.equal(await client.exists("search:ratelimit:anonymous"), 1);
  });

  for (const whenUnavailable of ["allow", "refuse"] as const) {
    test(`Redis stopped, whenUnavailable "${whenUnavailable}": reported, ${whenUnavailable === "allow" ? "calls pass" : "calls get 503"}; limited again once Redis is back`, async () => {
      const port = await freePort();
      let own = await startRedis({ port });
      const reports: string[] = [];
      const store: RedisRateLimitStore = redisRateLimitStore({ url: own.url });
      const server = new MCPServer({
        name: "r",
        version: "1",
        tools: [echo],
        middleware: [rateLimit({ limit: 2, windowMs: 60_000, store, whenUnavailable, onError: (error, where) => reports.push(`${where}: ${(error as Error).message}`) })],
      });
      const http: Running = await listen(server.nodeHandler);
      try {
        assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(http.url)))), 2);
        await own.stop();
        const during = await Promise.all([1, 2, 3, 4].map(() => callTool(http.url)));
        if (whenUnavailable === "allow") assert.equal(passed(during), 4);
        else {
          assert.ok(during.every((reply) => reply.status === 503 && reply.headers.get("retry-after") === "1"));
          assert.equal(during[0]!.json.error.message, "The rate limit cannot be checked right now: retry later");
        }
        assert.equal(reports.length, 1, "one report for the outage, not one per call");
        assert.match(reports[0]!, /^rate limit store: the rate limit store failed: Redis rate limit store: /);
        own = await startRedis({ port }); // empty: the budget starts afresh
        // The store's client reconnects in the background (backoff up to 2 s): no restart of anything.
        const deadline = Date.now() + 10_000;
        while (!(await store.take("probe", { limit: 1000, windowMs: 1000 }).then(() => true, () => false))) {
          assert.ok(Date.now() < deadline, "the store did not reconnect");
          await sleep(50);
        }
        assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(http.url)))), 2, "limited again");
      } finally {
        await http.close();
        await store.close();
        await own.stop();
      }
    });
  }
});
