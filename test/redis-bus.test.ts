// redisBus against a real Redis server (Debian's redis-server on a free loopback port): messages
// cross between buses, a given client or a URL, prefixes, close(), big and malformed messages, and a
// Redis that is restarted under the bus: publishing fails at once and is reported while it is down,
// delivery resumes once it is back, with nothing restarted.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { defineTool, MCPServer } from "http-mcp";
import { redisBus } from "http-mcp/redis";
import { createClient } from "redis";
import { listen, MODERN_META, modernHeaders, openStream } from "./helpers.js";
import { redisDuringSuite, redisUnavailable, startRedis, type RedisClient, type RedisServer } from "./support/redis-server.js";
import { collect, unexpected } from "./support/bus-collector.js";



const clientCount = async (client: RedisClient) => String(await client.sendCommand(["CLIENT", "LIST"])).trim().split("\n").length;
/** Waits (2 s at most) until Redis lists `expected` connections. */
async function counted(client: RedisClient, expected: number): Promise<void> {
  const deadline = Date.now() + 2000;
  let count: number;
  while ((count = await clientCount(client)) !== expected) {
    if (Date.now() > deadline) assert.equal(count, expected, "connections");
    await sleep(10);
  }
}

describe("redisBus", { skip: redisUnavailable() }, () => {
  let server: RedisServer;
  let client: RedisClient;
  redisDuringSuite((started, connected) => ((server = started), (client = connected)));

  test("takes a client or a URL, not both nor neither, and a non-empty string prefix", () => {
    assert.throws(() => redisBus({}), /either client or url/);
    assert.throws(() => redisBus({ client, url: server.url }), /either client or url/);
    assert.throws(() => redisBus({ client: { sendCommand: async () => 1 } as never }), /client needs sendCommand and duplicate/);
    assert.throws(() => redisBus({ url: server.url, prefix: "" }), /prefix must be a non-empty string/);
    assert.throws(() => redisBus({ url: server.url, prefix: 7 as never }), /prefix must be a non-empty string/);
    assert.throws(() => redisBus({ url: 6379 as never }), /url must be a string/);
  });

  test("a message sent on one bus reaches the listeners of every bus on the same Redis and prefix, and no other", async () => {
    const [a, b, other] = [redisBus({ url: server.url }), redisBus({ client }), redisBus({ url: server.url, prefix: "elsewhere:" })];
    const [onA, onB, onOther] = [collect(a), collect(b), collect(other)];
    try {
      await Promise.all([a.ready(), b.ready(), other.ready()]);
      a.send("test", "from a", unexpected);
      b.send("test", "from b", unexpected);
      for (const heard of [onA, onB]) assert.deepEqual([...(await heard.arrived(2))].sort(), ["from a", "from b"]);
      await sleep(50);
      assert.deepEqual(onOther.messages, []);
      assert.deepEqual([onA.reported, onB.reported], [[], []]);
    } finally {
      for (const bus of [a, b, other]) await bus.close();
    }
  });

  test("a message of 1 MB crosses whole; a stopped listener hears nothing more", async () => {
    const [a, b] = [redisBus({ url: server.url }), redisBus({ url: server.url })];
    const heard = collect(b);
    try {
      await b.ready();
      const big = "é".repeat(512 * 1024);
      a.send("test", big, unexpected);
      assert.equal((await heard.arrived(1))[0], big);
      heard.stop();
      await sleep(50);
      a.send("test", "late", unexpected);
      await sleep(100);
      assert.equal(heard.messages.length, 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("close() closes the connections the bus made (its client's duplicate too), never the given client; twice is fine", async () => {
    // Connections closed by earlier tests may linger for a moment in CLIENT LIST.
    await counted(client, 1);
    const before = 1;
    const own = redisBus({ url: server.url });
    const given = redisBus({ client });
    collect(own);
    collect(given);
    await Promise.all([own.ready(), given.ready()]);
    own.send("test", "x", unexpected);
    await sleep(50);
    await counted(client, before + 3); // a publisher and a subscriber for the URL, a duplicate for the client
    await own.close();
    await given.close();
    await own.close();
    await given.close();
    await counted(client, before);
    assert.equal(String(await client.sendCommand(["PING"])), "PONG");
    await assert.rejects(own.transport.publish("x", "y"), /Redis bus: publish failed: the bus is closed/);
    await assert.rejects(own.transport.subscribe("x", () => {}), /the bus is closed/);
  });

  test("malformed messages on the changes channel are ignored by servers; good ones still arrive", async () => {
    const bus = redisBus({ url: server.url, prefix: "junk:" });
    const mcp = new MCPServer({ name: "s", version: "1.0.0", tools: [defineTool({ name: "t", handler: () => "" })], bus });
    const running = await listen(mcp.nodeHandler);
    try {
      await bus.ready();
      const stream = await openStream(running.url, {
        body: { jsonrpc: "2.0", id: 1, method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: MODERN_META } },
        headers: modernHeaders("subscriptions/listen"),
      });
      await stream.next();
      for (const junk of ["", "{", "null", '{"o":"x","c":{"kind":"nope"}}', "\u0000\uffff"]) await client.publish("junk:changes", junk);
      await client.publish("junk:changes", JSON.stringify({ o: "elsewhere", c: { kind: "tools" } }));
      assert.equal((await stream.next()).method, "notifications/tools/list_changed");
      await sleep(50);
      assert.equal(stream.received.length, 2);
      stream.abort();
    } finally {
      await mcp.close();
      await running.close();
      await bus.close();
    }
  });
});

describe("redisBus when Redis restarts", { skip: redisUnavailable() }, () => {
  test("publishing fails at once and is reported while Redis is down; delivery resumes once it is back", { timeout: 60_000 }, async () => {
    let server = await startRedis();
    const port = server.port;
    const given = createClient({ url: server.url }); // its offline queue on: the bus must not wait in it
    given.on("error", () => {});
    await given.connect();
    const buses = [redisBus({ url: server.url }), redisBus({ client: given })];
    const heard = buses.map((bus) => collect(bus));
    try {
      await Promise.all(buses.map((bus) => bus.ready()));
      buses[0]!.send("test", "before", unexpected);
      for (const h of heard) await h.arrived(1);

      await server.stop();
      await sleep(100);
      for (const bus of buses) {
        const started = Date.now();
        await assert.rejects(bus.transport.publish(bus.channel("test"), "while down"), /Redis bus: publish failed/);
        assert.ok(Date.now() - started < 500, `rejected after ${Date.now() - started} ms`);
      }
      for (const h of heard) assert.deepEqual(h.reported.length, 1, `one report per outage: ${h.reported}`);
      assert.match(heard[0]!.reported[0]!, /^Redis bus: subscriber connection: /);

      server = await startRedis({ port });
      // Each bus's subscriber reconnects and subscribes again on its own.
      const deadline = Date.now() + 20_000;
      let round = 0;
      while (!heard.every((h) => h.messages.some((m) => m.startsWith("after ")))) {
        if (Date.now() > deadline) assert.fail(`delivery did not resume: ${JSON.stringify(heard.map((h) => h.messages))}`);
        for (const bus of buses) await bus.transport.publish(bus.channel("test"), `after ${round++}`).catch(() => undefined);
        await sleep(50);
      }
      for (const h of heard) assert.ok(!h.messages.includes("while down"));
    } finally {
      for (const bus of buses) await bus.close();
      await given.close().catch(() => given.destroy());
      await server.stop();
    }
  });

  test("a server whose Redis is down still tells its own listeners, reports the failure as bus, and does not crash", async () => {
    const server = await startRedis();
    const bus = redisBus({ url: server.url });
    const reported: string[] = [];
    const mcp = new MCPServer({ name: "s", version: "1.0.0", tools: [defineTool({ name: "t", handler: () => "" })], bus, onError: (error, where) => reported.push(`${where}: ${(error as Error).message}`) });
    const running = await listen(mcp.nodeHandler);
    try {
      await bus.ready();
      await server.stop();
      const stream = await openStream(running.url, {
        body: { jsonrpc: "2.0", id: 1, method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: MODERN_META } },
        headers: modernHeaders("subscriptions/listen"),
      });
      await stream.next();
      mcp.update({ tools: [] });
      assert.equal((await stream.next()).method, "notifications/tools/list_changed");
      await sleep(100);
      assert.ok(reported.some((line) => line.startsWith("bus: Redis bus: publish failed")), reported.join("\n"));
      stream.abort();
    } finally {
      await mcp.close();
      await running.close();
      await bus.close();
    }
  });
});
