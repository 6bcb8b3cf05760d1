// The replica examples (docs/examples/replicas-redis.ts, replicas-postgres.ts): two replicas on one
// Redis server, then on one PostgreSQL database (Debian's, or DATABASE_URL's), in this process. A
// change made through one reaches a listen stream on the other, and a task created on one is polled
// to its end on the other.
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import type { MCPServer } from "http-mcp";
import { listen, MODERN, modernHeaders, openStream, postLegacy, type EventStream } from "./helpers.js";
import { postgresUnavailable, startPostgres } from "./support/postgres-server.js";
import { redisUnavailable, startRedis } from "./support/redis-server.js";
import { result, startTask, waitFor, WITH_TASKS } from "./tasks-helpers.js";

type Replica = { server: MCPServer; ready(): Promise<void>; close(): Promise<void> };

/** Serves both replicas until the test ends; their URLs. */
async function serve(t: TestContext, replicas: Replica[], release: () => Promise<void>): Promise<string[]> {
  const running = await Promise.all(replicas.map((replica) => listen(replica.server.nodeHandler)));
  t.after(async () => {
    await Promise.all(running.map((served) => served.close()));
    await Promise.all(replicas.map((replica) => replica.close()));
    await release();
  });
  return running.map((served) => served.url);
}

async function listenOn(url: string, notifications: Record<string, unknown>): Promise<EventStream> {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": WITH_TASKS };
  const stream = await openStream(url, {
    body: { jsonrpc: "2.0", id: 1, method: "subscriptions/listen", params: { notifications, _meta: meta } },
    headers: modernHeaders("subscriptions/listen"),
  });
  assert.equal((await stream.next()).method, "notifications/subscriptions/acknowledged");
  return stream;
}

test("the Redis replica example: a price set on A reaches a listen stream on B; a task started on A ends on B; a session opened on A continues on B; the rate limit counts both", { skip: redisUnavailable() }, async (t) => {
  const { createReplica } = await import("../docs/examples/replicas-redis.ts");
  const redis = await startRedis();
  const replicas = [createReplica(redis.url), createReplica(redis.url)];
  const [onA, onB] = await serve(t, replicas, () => redis.stop());
  await Promise.all(replicas.map((replica) => replica.ready()));
  const stream = await listenOn(onB!, { resourceSubscriptions: ["shop://prices"] });
  t.after(() => stream.abort());
  await result(onA!, "tools/call", { name: "set_price", arguments: { item: "tea", price: 5 } });
  assert.deepEqual((await stream.next()).params.uri, "shop://prices");
  const created = await startTask(onA!, "restock");
  assert.deepEqual((await waitFor(onB!, created.taskId)).result.content, [{ type: "text", text: "Restocked." }]);

  const opened = await postLegacy(onA!, 1, "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "docs", version: "1" } });
  const session = opened.headers.get("mcp-session-id");
  assert.ok(session, "initialize opened a session");
  const listed = await postLegacy(onB!, 2, "tools/list", {}, { "mcp-session-id": session });
  assert.equal(listed.status, 200, "the session continues on the other replica");
  assert.deepEqual(listed.json.result.tools.map((tool: { name: string }) => tool.name), ["restock", "set_price"]);

  // One anonymous caller, calls alternating between the replicas: 60 in all, not 60 on each.
  let through = 2; // set_price and restock above
  let refused: Awaited<ReturnType<typeof postLegacy>> | undefined;
  for (let i = 0; i < 130 && !refused; i++) {
    const reply = await postLegacy(i % 2 ? onA! : onB!, 10 + i, "tools/call", { name: "set_price", arguments: { item: "tea", price: i } });
    if (reply.status === 200) through++;
    else refused = reply;
  }
  assert.equal(refused?.status, 503);
  assert.ok(Number(refused.headers.get("retry-after")) >= 1);
  assert.ok(through >= 60 && through <= 62, `${through} calls got through (limit 60, about one refilled a second)`);
});

test("the Postgres replica example: a tool added on A is announced on B's listen stream; a task started on A ends on B", { skip: process.env.DATABASE_URL ? undefined : postgresUnavailable() }, async (t) => {
  const { createReplica } = await import("../docs/examples/replicas-postgres.ts");
  const database = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, stop: async () => {} } : await startPostgres();
  const replicas = [createReplica(database.url), createReplica(database.url)];
  const [onA, onB] = await serve(t, replicas, () => database.stop());
  await Promise.all(replicas.map((replica) => replica.ready()));
  const stream = await listenOn(onB!, { toolsListChanged: true });
  t.after(() => stream.abort());
  await result(onA!, "tools/call", { name: "add_yearly", arguments: {} });
  assert.equal((await stream.next()).method, "notifications/tools/list_changed");
  const created = await startTask(onA!, "quarterly");
  assert.deepEqual((await waitFor(onB!, created.taskId)).result.content, [{ type: "text", text: "Q3: all green." }]);
});
