// Task store figures: how many tasks a store takes from creation to `completed` per second, and how
// long `get` (what every `tasks/get` costs) takes, with a bounded number of calls in flight. For the
// memory store, the Postgres store on embedded PGlite, and on a PostgreSQL server over the wire
// (Debian's, started here on a free loopback port, pinned to core 0; a pg.Pool of 10), plus the
// server at DATABASE_URL when it is set; and the Redis store on a Redis server started the same way
// (one node-redis client, which pipelines the calls in flight), plus the one at REDIS_URL. Every reply is checked; a wrong one counts as a failure.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { createClient } from "redis";
import type { TaskStore } from "../src/extensions/tasks/index.js";
import { postgresUnavailable, startPostgres } from "../test/support/postgres-server.js";
import { redisUnavailable, startRedis } from "../test/support/redis-server.js";
import { pinnedCommand } from "./cpu.js";

// The built package, as users get it (bench/ has its own package.json, so "http-mcp" does not resolve here).
const built = (path: string) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { memoryTaskStore } = (await built("extensions/tasks/index.js")) as typeof import("../src/extensions/tasks/index.js");
const { postgresTaskStore } = (await built("postgres/index.js")) as typeof import("../src/postgres/index.js");
const { redisTaskStore } = (await built("redis/index.js")) as typeof import("../src/redis/index.js");

export interface TaskStoreOptions {
  /** Each phase (create+complete, then get) runs this long at most... */
  durationMs: number;
  /** ...and at most this many operations. */
  maxOps: number;
  /** Calls in flight at once. */
  concurrency: number;
}

export interface TaskStoreFigures {
  store: string;
  createCompletePerSecond: number;
  getP50Ms: number;
  getP99Ms: number;
  operations: number;
  failures: number;
  skipped?: string;
}

interface Backend {
  name: string;
  skip?: string | undefined;
  open(): Promise<{ store: TaskStore; close(): Promise<void> }>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs `op` with `concurrency` calls in flight until `durationMs` passed or `maxOps` started; the wall time taken. */
async function drive(options: TaskStoreOptions, op: (i: number) => Promise<void>): Promise<{ count: number; seconds: number }> {
  const start = performance.now();
  let started = 0;
  const lane = async () => {
    while (started < options.maxOps && performance.now() - start < options.durationMs) await op(started++);
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { count: started, seconds: (performance.now() - start) / 1000 };
}

async function measure(backend: Backend, options: TaskStoreOptions): Promise<TaskStoreFigures> {
  const { store, close } = await backend.open();
  try {
    let failures = 0;
    const ids: string[] = [];
    // Warm-up: the table exists, connections are open, the statements planned.
    for (let i = 0; i < 20; i++) await store.create({ taskId: randomUUID(), owner: "bench", worker: "w", ttlMs: 600_000, pollIntervalMs: 500, leaseMs: 60_000 });
    const created = await drive(options, async () => {
      const taskId = randomUUID();
      await store.create({ taskId, owner: "bench", worker: "w", ttlMs: 600_000, pollIntervalMs: 500, leaseMs: 60_000 });
      const done = await store.work(taskId, "w", { status: "completed", result: { content: [{ type: "text", text: "done" }] } }, 60_000);
      if (done?.status === "completed") ids.push(taskId);
      else failures++;
    });
    const latencies: number[] = [];
    const got = await drive(options, async (i) => {
      const taskId = ids[i % ids.length]!;
      const start = performance.now();
      const task = await store.get(taskId);
      latencies.push(performance.now() - start);
      if (task?.status !== "completed" || task.taskId !== taskId) failures++;
    });
    latencies.sort((a, b) => a - b);
    return {
      store: backend.name,
      createCompletePerSecond: created.count / created.seconds,
      getP50Ms: percentile(latencies, 50),
      getP99Ms: percentile(latencies, 99),
      operations: created.count * 2 + got.count,
      failures,
    };
  } finally {
    await close();
  }
}

const onPool = (url: string, table: string) => async () => {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    store: postgresTaskStore({ pool, table }),
    async close() {
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
      await pool.end();
    },
  };
};

// A prefix of its own, whose keys are deleted afterwards (the TTL would only drop them in 10 minutes).
const onRedis = (url: string) => async () => {
  const client = createClient({ url });
  await client.connect();
  const prefix = `mcp:task:bench-${process.pid}:`;
  return {
    store: redisTaskStore({ client, prefix }),
    async close() {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
      await client.close();
    },
  };
};

function backends(): Backend[] {
  const list: Backend[] = [
    { name: "memory", open: async () => ({ store: memoryTaskStore({ maxTasks: 1_000_000 }), close: async () => {} }) },
    {
      name: "Postgres on PGlite (embedded)",
      async open() {
        const db = new PGlite();
        return { store: postgresTaskStore({ pool: db }), close: () => db.close() };
      },
    },
    {
      name: "Postgres server over the wire (pg.Pool of 10)",
      skip: postgresUnavailable(),
      async open() {
        const server = await startPostgres({ launch: (argv) => pinnedCommand(0, argv) });
        const opened = await onPool(server.url, "mcp_tasks")();
        return { store: opened.store, close: () => opened.close().finally(() => server.stop()) };
      },
    },
    {
      name: "Redis server (one node-redis client)",
      skip: redisUnavailable(),
      async open() {
        const server = await startRedis({ launch: (argv) => pinnedCommand(0, argv) });
        const opened = await onRedis(server.url)();
        return { store: opened.store, close: () => opened.close().finally(() => server.stop()) };
      },
    },
  ];
  if (process.env.REDIS_URL) list.push({ name: "Redis at REDIS_URL (one node-redis client)", open: onRedis(process.env.REDIS_URL) });
  if (process.env.DATABASE_URL) list.push({ name: "Postgres at DATABASE_URL (pg.Pool of 10)", open: onPool(process.env.DATABASE_URL, `mcp_tasks_bench_${process.pid}`) });
  return list;
}

/** Measures every store in turn. */
export async function taskStoreFigures(options: TaskStoreOptions): Promise<TaskStoreFigures[]> {
  const figures: TaskStoreFigures[] = [];
  for (const backend of backends()) {
    if (backend.skip) figures.push({ store: backend.name, createCompletePerSecond: NaN, getP50Ms: NaN, getP99Ms: NaN, operations: 0, failures: 0, skipped: backend.skip });
    else figures.push(await measure(backend, options));
  }
  return figures;
}

/** Prints the task store table; false when some reply was wrong. */
export async function printTaskStoreFigures(options: TaskStoreOptions): Promise<boolean> {
  console.log(`## Task stores: create+complete and get (${options.concurrency} calls in flight, each phase ≤ ${options.durationMs} ms and ≤ ${options.maxOps.toLocaleString("en-US")} operations)`);
  console.log();
  console.log("| store | create+complete /s | get p50 ms | get p99 ms | operations | failures |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  let ok = true;
  for (const row of await taskStoreFigures(options)) {
    if (row.skipped) {
      console.log(`| ${row.store} | skipped: ${row.skipped} | | | | |`);
      continue;
    }
    ok &&= row.failures === 0;
    const cells = [row.store, Math.round(row.createCompletePerSecond).toLocaleString("en-US"), row.getP50Ms.toFixed(3), row.getP99Ms.toFixed(3), row.operations.toLocaleString("en-US"), row.failures];
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log();
  return ok;
}
