// What only the Postgres task store has: its options, the table it creates, the sweep of rows past
// their TTL, and which pools it ends. (The TaskStore contract itself: test/task-store.test.ts.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { postgresTaskStore } from "http-mcp/postgres";
import { newTask } from "./support/task-store-contract.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres-server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("postgresTaskStore on PGlite", () => {
  let db: PGlite;
  before(async () => void (db = new PGlite()));
  after(() => db.close());
  const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);

  test("takes a pool or a connection string, not both and not neither", () => {
    assert.throws(() => postgresTaskStore({}), /either pool or connectionString/);
    assert.throws(() => postgresTaskStore({ pool: db, connectionString: "postgres://127.0.0.1/x" }), /either pool or connectionString/);
    assert.throws(() => postgresTaskStore({ pool: db, sweepBatch: 0 }), /sweepBatch must be a positive integer/);
    assert.throws(() => postgresTaskStore({ pool: db, sweepIntervalMs: 1.5 }), /sweepIntervalMs must be a positive integer/);
  });

  test("accepts a table name or schema.name of plain identifiers only", async () => {
    for (const table of ['tasks"; DROP TABLE x; --', "a.b.c", "", "1tasks", "tasks-x", "t".repeat(49), "public."]) {
      assert.throws(() => postgresTaskStore({ pool: db, table }), /table must be a name or schema\.name/, table);
    }
    await db.query("CREATE SCHEMA IF NOT EXISTS jobs");
    const store = postgresTaskStore({ pool: db, table: "jobs.Mcp_Tasks" });
    const task = newTask();
    await store.create(task);
    assert.equal((await store.get(task.taskId))?.taskId, task.taskId);
    assert.equal(await count(`jobs."Mcp_Tasks"`), 1);
  });

  test("creates its table and index on first use, once, and not at all with createTable: false", async () => {
    const absent = postgresTaskStore({ pool: db, table: "never_created", createTable: false });
    await assert.rejects(absent.get("x"), /never_created/);
    const exists = await db.query(`SELECT to_regclass('never_created') AS t`);
    assert.equal(exists.rows[0] && (exists.rows[0] as { t: unknown }).t, null);
    const store = postgresTaskStore({ pool: db, table: "created_here" });
    await Promise.all([store.get("a"), store.get("b"), store.create(newTask())]);
    const index = await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'created_here' ORDER BY indexname`);
    assert.deepEqual(index.rows.map((row) => (row as { indexname: string }).indexname), ["created_here_expires_at", "created_here_pkey"]);
    // A store that may not create it uses the one that exists.
    assert.equal(await postgresTaskStore({ pool: db, table: "created_here", createTable: false }).get("a"), undefined);
  });

  test("deletes rows past their TTL now and then, in bounded batches", async () => {
    const table = "swept";
    const lazy = postgresTaskStore({ pool: db, table });
    const eager = postgresTaskStore({ pool: db, table, sweepIntervalMs: 1, sweepBatch: 2 });
    for (let i = 0; i < 5; i++) await lazy.create(newTask({ ttlMs: 50 }));
    await lazy.create(newTask({ ttlMs: null }));
    await sleep(120);
    assert.equal(await lazy.get("unknown"), undefined);
    await lazy.close();
    assert.equal(await count(table), 6, "not on every call: the default sweeps once a minute");
    await sleep(5);
    assert.equal(await eager.get("unknown"), undefined);
    await eager.close(); // waits for the sweep under way
    assert.equal(await count(table), 4, "one sweep deletes at most sweepBatch rows");
    await sleep(5);
    await eager.get("unknown");
    await sleep(5);
    await eager.get("unknown");
    await eager.close();
    assert.equal(await count(table), 1, "the task without TTL stays");
  });

  test("close() leaves a pool it was given open", async () => {
    const store = postgresTaskStore({ pool: db, table: "given" });
    await store.create(newTask());
    await store.close();
    assert.equal(await count("given"), 1);
  });
});

describe("postgresTaskStore on a PostgreSQL server", { skip: postgresUnavailable() }, () => {
  let server: PostgresServer;
  let admin: pg.Pool;
  before(async () => {
    server = await startPostgres();
    admin = new pg.Pool({ connectionString: server.url, max: 2 });
  });
  after(async () => {
    await admin?.end();
    await server?.stop();
  });
  const connections = async () =>
    Number((await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'owned-pool-check'`)).rows[0].n);

  test("with a connection string it opens its own pool, and close() ends it", async () => {
    const store = postgresTaskStore({ connectionString: `${server.url}?application_name=owned-pool-check`, table: "owned" });
    const task = newTask();
    await store.create(task);
    assert.equal((await store.get(task.taskId))?.status, "working");
    assert.ok((await connections()) >= 1);
    await store.close();
    const deadline = Date.now() + 5000;
    while ((await connections()) > 0 && Date.now() < deadline) await sleep(20);
    assert.equal(await connections(), 0);
  });

  test("close() leaves a pg.Pool it was given open", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    const store = postgresTaskStore({ pool, table: "given" });
    await store.create(newTask());
    await store.close();
    assert.equal(pool.ended, false);
    assert.equal((await pool.query("SELECT count(*)::int AS n FROM given")).rows[0].n, 1);
    await pool.end();
  });

  test("replicas starting together on an empty database all find the table", async () => {
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: server.url, max: 2 }));
    const stores = pools.map((pool) => postgresTaskStore({ pool, table: "raced" }));
    try {
      await Promise.all(stores.map((store) => store.create(newTask())));
      assert.equal((await admin.query("SELECT count(*)::int AS n FROM raced")).rows[0].n, 6);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test("a database that went away makes calls reject, not the process crash", async () => {
    const other = await startPostgres();
    const store = postgresTaskStore({ connectionString: other.url, table: "gone" });
    await store.create(newTask());
    await other.stop();
    await assert.rejects(store.get("x"));
    await store.close();
  });
});
