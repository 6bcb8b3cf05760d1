// The bus across real processes: three replicas (test/fixtures/bus-replica.ts) share a Redis server
// (redisBus + redisTaskStore), then a PostgreSQL server (postgresBus + postgresTaskStore; Debian's,
// or DATABASE_URL's). A listen stream on each replica hears, once each, a tool list update and a
// resource update made on another, and the status change of a task created on another (its 100 kB
// result included); a 2025-era session's GET stream hears a list change made on another replica.
// Then the shared server goes away under them (Redis restarted on its port; Postgres: the
// listening connections killed) and delivery resumes without restarting a replica.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { MODERN, modernHeaders, openStream, post, startChild, type EventStream } from "./helpers.js";
import { postgresUnavailable, startPostgres } from "./support/postgres-server.js";
import { redisUnavailable, startRedis, type RedisServer } from "./support/redis-server.js";
import { result, startTask, WITH_TASKS } from "./tasks-helpers.js";

const alice = { token: "alice" };

interface Replica {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  errors: () => string;
}

async function replica(name: string, env: Record<string, string>): Promise<Replica> {
  const started = await startChild([process.execPath, "--import", "tsx", "test/fixtures/bus-replica.ts"], /replica \S+ on (\S+)/, { env: { NAME: name, ...env } });
  let errors = "";
  started.child.stderr!.on("data", (chunk: Buffer) => void (errors += chunk));
  return { name, ...started, errors: () => errors };
}

/** A 2026-07-28 listen stream as alice, acknowledged. */
async function listenOn(url: string, notifications: Record<string, unknown>): Promise<EventStream> {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": WITH_TASKS };
  const stream = await openStream(url, {
    body: { jsonrpc: "2.0", id: "watch", method: "subscriptions/listen", params: { notifications, _meta: meta } },
    headers: { ...modernHeaders("subscriptions/listen"), authorization: "Bearer alice" },
  });
  const ack = await stream.next();
  assert.equal(ack.method, "notifications/subscriptions/acknowledged", JSON.stringify(ack));
  return stream;
}

const change = (url: string, kind: "tools" | "resource") => result(url, "tools/call", { name: "change", arguments: { kind } }, alice);

/** Waits until every stream has `count` messages after its acknowledgement (and `since[i]` earlier ones), then a little longer to catch any extra. */
async function settle(streams: EventStream[], count: number, since: number[] = []): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (streams.some((stream, i) => stream.received.length < count + 1 + (since[i] ?? 0))) {
    if (Date.now() > deadline) assert.fail(`expected ${count} each: ${JSON.stringify(streams.map((s) => s.received.map((r) => r.message.method)))}`);
    await sleep(5);
  }
  await sleep(150);
}

const methods = (stream: EventStream) => stream.received.slice(1).map(({ message }) => message.method);

interface Shared {
  env: Record<string, string>;
  /** Takes the shared server away and brings it back, under running replicas. */
  interrupt(down: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const kinds: { name: string; skip: string | undefined; start(): Promise<Shared> }[] = [
  {
    name: "Redis",
    skip: redisUnavailable(),
    async start() {
      let server: RedisServer = await startRedis();
      return {
        env: { REDIS_URL: server.url, PREFIX: `bus-${randomUUID().slice(0, 8)}:` },
        async interrupt(down) {
          await server.stop();
          await down();
          server = await startRedis({ port: server.port });
        },
        stop: () => server.stop(),
      };
    },
  },
  {
    name: "PostgreSQL",
    skip: process.env.DATABASE_URL ? undefined : postgresUnavailable(),
    async start() {
      const server = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, stop: async () => {} } : await startPostgres();
      const id = randomUUID().slice(0, 8);
      const prefix = `bus-${id}:`;
      const admin = new pg.Pool({ connectionString: server.url });
      return {
        env: { DATABASE_URL: server.url, PREFIX: prefix, BUS_TABLE: `bus_${id}`, TASK_TABLE: `tasks_${id}` },
        async interrupt(down) {
          // The helper's server cannot come back on its port: kill the replicas' listening connections instead.
          const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1`, [`LISTEN "${prefix}%`]);
          assert.equal(killed.rows.length, 3, "one listening connection per replica");
          await down();
        },
        async stop() {
          await admin.query(`DROP TABLE IF EXISTS bus_${id}, tasks_${id}`).catch(() => undefined);
          await admin.end();
          await server.stop();
        },
      };
    },
  },
];

for (const kind of kinds) describe(`the bus across three server processes sharing one ${kind.name}`, { skip: kind.skip }, () => {
  let shared: Shared;
  let replicas: Replica[] = [];
  const streams: EventStream[] = [];
  before(async () => {
    shared = await kind.start();
    replicas = await Promise.all(["A", "B", "C"].map((name) => replica(name, shared.env)));
  });
  after(async () => {
    for (const stream of streams) stream.abort();
    for (const running of replicas) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGTERM");
      await running.exited;
    }
    await shared?.stop();
  });
  const open = async (notifications: Record<string, unknown>) => {
    const opened = await Promise.all(replicas.map((r) => listenOn(r.url, notifications)));
    streams.push(...opened);
    return opened;
  };

  test("a tool list update and a resource update made on one replica reach every replica's listen stream, once each", async () => {
    const watching = await open({ toolsListChanged: true, resourceSubscriptions: ["test://doc"] });
    await change(replicas[1]!.url, "tools");
    await settle(watching, 1);
    await change(replicas[2]!.url, "resource");
    await settle(watching, 2);
    for (const stream of watching) assert.deepEqual(methods(stream), ["notifications/tools/list_changed", "notifications/resources/updated"]);
    for (const stream of watching) assert.deepEqual(stream.received[2]!.message.params.uri, "test://doc");
    for (const stream of watching) stream.abort();
  });

  test("a task created on A, listened for on every replica: each hears its completion (with a 100 kB result) once", async () => {
    const [a] = replicas as [Replica];
    const label = randomUUID();
    const { taskId } = await startTask(a.url, "hold", { label, size: 0 }, alice);
    const watching = await open({ taskIds: [taskId] });
    for (const stream of watching) assert.deepEqual(stream.received[0]!.message.params.notifications, { taskIds: [taskId] }, "the task is known on every replica");
    assert.equal(await result(a.url, "tools/call", { name: "release", arguments: { label, size: 100_000 } }, alice).then((r) => r.content[0].text), "released");
    await settle(watching, 1);
    for (const stream of watching) {
      const [done] = stream.received.slice(1).map(({ message }) => message);
      assert.equal(done.method, "notifications/tasks");
      assert.equal(done.params.taskId, taskId);
      assert.equal(done.params.status, "completed");
      assert.equal(done.params.result.content[0].text.length, 100_000);
      assert.equal(stream.received.length, 2, "once");
    }
    for (const stream of watching) stream.abort();
  });

  test("a 2025-era session's GET stream on A hears a list change made on B", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const init = await post(a.url, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
    const session = init.headers.get("mcp-session-id");
    assert.ok(session, init.text);
    const headers = { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
    await post(a.url, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
    const stream = await openStream(a.url, { method: "GET", headers: { ...headers, accept: "text/event-stream" } });
    streams.push(stream);
    assert.equal(stream.status, 200);
    await change(b.url, "tools");
    assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    await sleep(150);
    assert.equal(stream.received.length, 1, "once");
    stream.abort();
  });

  test(`${kind.name} goes away under the replicas: local changes still reach local listeners, and delivery resumes on its own`, { timeout: 60_000 }, async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const watching = await open({ toolsListChanged: true });
    await shared.interrupt(async () => {
      await change(a.url, "tools");
      await sleep(200);
      assert.equal(methods(watching[0]!).length, 1, "A's own listener heard A's change");
    });
    // Until the bus is back, changes may not cross; once back, they do, without restarting anyone.
    const deadline = Date.now() + 20_000;
    while (methods(watching[1]!).length === 0 || methods(watching[2]!).length === 0) {
      if (Date.now() > deadline) assert.fail(`delivery did not resume: ${JSON.stringify(watching.map(methods))}; ${b.errors()}`);
      await change(c.url, "tools");
      await sleep(100);
    }
    await sleep(300);
    // Now every change crosses once.
    const counts = watching.map((stream) => methods(stream).length);
    await change(b.url, "tools");
    await settle(watching, 1, counts);
    assert.deepEqual(watching.map((stream, i) => methods(stream).length - counts[i]!), [1, 1, 1]);
    assert.match(a.errors(), /^bus: /m, "the outage was reported");
    for (const stream of watching) stream.abort();
  });
});
