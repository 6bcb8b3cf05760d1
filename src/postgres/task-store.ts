import { LEASE_EXPIRED, type NewTask, type TaskChange, type TaskRecord, type TaskStore } from "../extensions/tasks/store.js";
import { positiveInteger } from "../internal/options.js";
import { taskStatements } from "./task-sql.js";

/**
 * What the store sends its statements through: a `pg.Pool`, a `pg.Client`, a PGlite instance, or
 * anything else with this method.
 */
export interface Queryable {
  query(text: string, values?: any[]): Promise<{ rows: any[] }>;
}

/** Options of `postgresTaskStore`: give it `pool` or `connectionString`. */
export interface PostgresTaskStoreOptions {
  /** Where to send the statements (a `pg.Pool`, PGlite, …); the store never ends it. */
  pool?: Queryable;
  /** A PostgreSQL URL: the store creates a `pg.Pool` (`pg` must be installed) and ends it on `close()`. */
  connectionString?: string;
  /** The table (or schema.table), default "mcp_tasks": letters, digits and underscores only. */
  table?: string;
  /** Whether the first call creates the table and its index when missing (default true). */
  createTable?: boolean;
  /** How often, at most, a call also deletes rows past their TTL (default 60,000 ms). */
  sweepIntervalMs?: number;
  /** Most rows one sweep deletes (default 1,000), so a sweep never holds many locks. */
  sweepBatch?: number;
}

/** The Postgres task store: a TaskStore whose `close()` ends the pool it created (never one it was given). */
export interface PostgresTaskStore extends TaskStore {
  close(): Promise<void>;
}

type Row = Record<string, any>;

// A custom client may hand back jsonb as text: accept both.
const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
const text = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

function toRecord(row: Row): TaskRecord {
  const record: Record<string, unknown> = {
    taskId: row.taskId,
    owner: row.owner,
    status: row.status,
    createdAt: row.createdAt,
    lastUpdatedAt: row.lastUpdatedAt,
    ttlMs: row.ttlMs,
    pollIntervalMs: row.pollIntervalMs,
    worker: row.worker,
    leaseUntil: row.leaseUntil,
  };
  if (row.statusMessage !== null) record.statusMessage = row.statusMessage;
  for (const key of ["inputRequests", "answers", "result", "error"] as const) {
    if (row[key] !== null && row[key] !== undefined) record[key] = json(row[key]);
  }
  return record as unknown as TaskRecord;
}

/**
 * Tasks in a PostgreSQL table, shared by every replica that points at it: any of them answers
 * `tasks/get`, `tasks/update` and `tasks/cancel` for a task another created. Each method is one
 * statement, guarded in its WHERE clause, so two replicas never both win a change; leases and TTLs
 * are measured on the database's clock. Give it a `pool` (a `pg.Pool`, or PGlite to embed the
 * database) or a `connectionString`.
 */
export function postgresTaskStore(options: PostgresTaskStoreOptions): PostgresTaskStore {
  if ((options.pool === undefined) === (options.connectionString === undefined)) {
    throw new TypeError("postgresTaskStore needs either pool or connectionString");
  }
  const sql = taskStatements(options.table ?? "mcp_tasks", positiveInteger(options.sweepBatch ?? 1000, "sweepBatch"));
  const sweepIntervalMs = positiveInteger(options.sweepIntervalMs ?? 60_000, "sweepIntervalMs");
  const owned = options.connectionString;
  let pool: Promise<Queryable> | undefined;
  let ready: Promise<Queryable> | undefined;
  let lastSweep = Date.now();
  let sweeping: Promise<void> | undefined;

  const connect = (): Promise<Queryable> => {
    if (options.pool) return Promise.resolve(options.pool);
    return (pool ??= createPool(owned!));
  };
  // The table is created once per store, on first use; a failure is retried on the next call.
  const db = (): Promise<Queryable> =>
    (ready ??= connect().then(async (client) => {
      if (options.createTable !== false) await client.query(sql.createTable);
      return client;
    })).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
  const run = async (statement: string, values: unknown[]): Promise<Row[]> => {
    const client = await db();
    const { rows } = await client.query(statement, values);
    // Now and then, not on every call: one bounded DELETE in the background.
    if (!sweeping && Date.now() - lastSweep >= sweepIntervalMs) {
      lastSweep = Date.now();
      sweeping = client
        .query(sql.sweep, [])
        .then(
          () => undefined,
          () => undefined, // the next sweep tries again; reads already hide expired rows
        )
        .finally(() => (sweeping = undefined));
    }
    return rows;
  };

  return {
    async create(task: NewTask): Promise<TaskRecord> {
      const rows = await run(sql.insert, [task.taskId, task.owner, task.statusMessage ?? null, task.ttlMs, task.pollIntervalMs, task.worker, task.leaseMs]);
      if (rows.length === 0) throw new Error(`Task ${task.taskId} already exists`);
      return toRecord(rows[0]!);
    },

    async get(taskId: string): Promise<TaskRecord | undefined> {
      const [row] = await run(sql.select, [taskId]);
      if (!row) return undefined;
      if (!row.lapsed) return toRecord(row);
      // The lease ran out: fail it. Only one caller's UPDATE matches; the others read its outcome.
      const [failed] = await run(sql.expireLease, [taskId, LEASE_EXPIRED.message, text(LEASE_EXPIRED)]);
      if (failed) return toRecord(failed);
      const [now] = await run(sql.select, [taskId]);
      return now ? toRecord(now) : undefined;
    },

    async work(taskId: string, worker: string, change: TaskChange, leaseMs: number): Promise<TaskRecord | undefined> {
      const values = [
        taskId,
        worker,
        change.status ?? null,
        change.statusMessage ?? null,
        text(change.result),
        text(change.error),
        change.inputRequests !== undefined,
        text(change.inputRequests),
        leaseMs,
      ];
      const [row] = await run(sql.work, values);
      return row ? toRecord(row) : undefined;
    },

    // Answers and cancellations apply only to a task whose lease holds (their statements check it):
    // one whose lease ran out stays open until the next `get` fails it, as it would have anyway.
    async answer(taskId: string, owner: string, responses: Readonly<Record<string, unknown>>): Promise<boolean> {
      const [row] = await run(sql.answer, [taskId, owner, JSON.stringify(responses)]);
      return row?.found === true;
    },

    async cancel(taskId: string, owner: string, statusMessage = "Cancelled by the client"): Promise<boolean> {
      const [row] = await run(sql.cancel, [taskId, owner, statusMessage]);
      return row?.found === true;
    },

    async close(): Promise<void> {
      await sweeping;
      if (owned !== undefined && pool) {
        const created = (await pool.catch(() => undefined)) as { end?: () => Promise<void> } | undefined;
        pool = undefined;
        ready = undefined;
        await created?.end?.();
      }
    },
  };
}

// `pg` is an optional peer dependency: loaded only when a store is given a connection string.
async function createPool(connectionString: string): Promise<Queryable> {
  let pg: { Pool: new (config: { connectionString: string }) => Queryable & { on(event: "error", listener: () => void): unknown } };
  try {
    const loaded = (await import("pg")) as unknown as { default?: typeof pg } & typeof pg;
    pg = loaded.default ?? loaded;
  } catch {
    throw new Error('postgresTaskStore({ connectionString }) needs the "pg" package: npm install pg');
  }
  const created = new pg.Pool({ connectionString });
  // An idle connection that breaks (a database restart) emits "error"; unhandled, it would end the
  // process. The pool drops that connection and opens another on the next query.
  created.on("error", () => {});
  return created;
}
