// Every task store against the one contract (test/support/task-store-contract.ts): in memory, the
// Postgres store on embedded PGlite, on a PostgreSQL server the test starts (Debian's binaries, over
// the wire through pg.Pool), on the server DATABASE_URL names when it is set, and the Redis store on
// a Redis server the test starts (Debian's redis-server, two node-redis clients).
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { postgresTaskStore } from "http-mcp/postgres";
import { redisTaskStore } from "http-mcp/redis";
import { createClient } from "redis";
import { memoryTaskStore } from "http-mcp/tasks";
import { startPostgres, postgresUnavailable } from "./support/postgres-server.js";
import { redisUnavailable, startRedis } from "./support/redis-server.js";
import { taskStoreContract, type OpenedStore } from "./support/task-store-contract.js";

taskStoreContract({
  name: "memory",
  async open() {
    const store = memoryTaskStore();
    return { store, twin: store, close: async () => {} };
  },
});

taskStoreContract({
  name: "Postgres on embedded PGlite",
  async open() {
    const db = new PGlite();
    // Two store objects on one database: the second finds the table the first created.
    const store = postgresTaskStore({ pool: db });
    const twin = postgresTaskStore({ pool: db });
    return {
      store,
      twin,
      async close() {
        await store.close?.();
        await twin.close?.();
        await db.close();
      },
    };
  },
});

/** Two stores on two pools of one server, as two replicas have; a fresh table, dropped afterwards. */
async function onServer(url: string): Promise<OpenedStore> {
  const table = `mcp_tasks_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const pools = [new pg.Pool({ connectionString: url, max: 10 }), new pg.Pool({ connectionString: url, max: 10 })];
  const [store, twin] = pools.map((pool) => postgresTaskStore({ pool, table }));
  return {
    store: store!,
    twin: twin!,
    async close() {
      await pools[0]!.query(`DROP TABLE IF EXISTS "${table}"`);
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };
}

taskStoreContract({
  name: "Postgres server over the wire (pg.Pool)",
  skip: postgresUnavailable(),
  async open() {
    const server = await startPostgres();
    const opened = await onServer(server.url);
    return { ...opened, close: () => opened.close().finally(() => server.stop()) };
  },
});

taskStoreContract({
  name: "Postgres at DATABASE_URL",
  skip: process.env.DATABASE_URL ? undefined : "DATABASE_URL is not set",
  open: () => onServer(process.env.DATABASE_URL!),
});

taskStoreContract({
  name: "Redis server (node-redis)",
  skip: redisUnavailable(),
  async open() {
    const server = await startRedis();
    // Two clients, as two replicas have: the store and its twin share data only through the server.
    const clients = [createClient({ url: server.url }), createClient({ url: server.url })];
    await Promise.all(clients.map((client) => client.connect()));
    const [store, twin] = clients.map((client) => redisTaskStore({ client }));
    return {
      store: store!,
      twin: twin!,
      async close() {
        await Promise.all(clients.map((client) => client.close()));
        await server.stop();
      },
    };
  },
});
