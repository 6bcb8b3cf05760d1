// The bus over PostgreSQL LISTEN/NOTIFY: publishing is one statement on the pool; listening holds
// one dedicated connection (see bus-listener.ts). NOTIFY carries at most 8000 bytes, and a task's
// status change carries the task with its result: a bigger message goes into a table, the
// notification carries its row id, and each replica reads it from there (rows are deleted a minute on).
import { MessageBus, type BusOptions, type BusTransport } from "../bus/message-bus.js";
import { busStatements, byteLength, channelIdentifier, MAX_INLINE_BYTES, STORED_FOR_MS } from "./bus-sql.js";
import { Listener, type PostgresBusPool } from "./bus-listener.js";
import type { Queryable } from "./task-store.js";

export type { PostgresBusConnection, PostgresBusPool } from "./bus-listener.js";

/** Options of `postgresBus`: give it `pool` or `connectionString`. */
export interface PostgresBusOptions extends BusOptions {
  /**
   * A `pg.Pool`: the bus publishes through it and holds one of its connections to LISTEN on; it never
   * ends the pool. (Not PGlite: an embedded database is one process's, so its NOTIFY reaches no replica.)
   */
  pool?: PostgresBusPool;
  /** A PostgreSQL URL: the bus creates a `pg.Pool` (`pg` must be installed) and ends it on `close()`. */
  connectionString?: string;
  /** The table (or schema.table) for messages too big for a NOTIFY, default "mcp_bus_messages"; created when first needed. */
  table?: string;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A bus over PostgreSQL LISTEN/NOTIFY for `new MCPServer({ bus })`: changes made on any replica
 * reach the listeners of every replica using the same database (and prefix). While the database is
 * unreachable, publishing fails (reported as "bus" through the server's `onError`) and local
 * listeners still hear local changes; the listening connection reconnects on its own and LISTENs
 * again. Notifications sent while a replica is cut off are not delivered to it later.
 */
export function postgresBus(options: PostgresBusOptions): MessageBus {
  if ((options.pool === undefined) === (options.connectionString === undefined)) throw new TypeError("postgresBus needs either pool or connectionString");
  if (options.pool !== undefined && (typeof options.pool.query !== "function" || typeof options.pool.connect !== "function")) {
    throw new TypeError("postgresBus: pool needs query and connect methods (a pg.Pool)");
  }
  if (options.connectionString !== undefined && typeof options.connectionString !== "string") throw new TypeError("postgresBus: connectionString must be a string");
  const prefix = options.prefix;
  if (prefix !== undefined && (typeof prefix !== "string" || prefix === "" || prefix.includes("\0"))) {
    throw new TypeError("postgresBus: prefix must be a non-empty string without NUL characters");
  }
  const sql = busStatements(options.table ?? "mcp_bus_messages");
  let created: Promise<PostgresBusPool & { end(): Promise<void> }> | undefined;
  const pool = (): Promise<PostgresBusPool> => {
    if (options.pool) return Promise.resolve(options.pool);
    return (created ??= createPool(options.connectionString!).catch((error: unknown) => {
      created = undefined;
      throw error;
    }));
  };
  const identifiers = new Map<string, Promise<string>>();
  const identifier = (channel: string) => {
    let found = identifiers.get(channel);
    if (!found) identifiers.set(channel, (found = channelIdentifier(channel)));
    return found;
  };

  // The table is created by the first big message; a failure is tried again with the next one.
  let table: Promise<void> | undefined;
  let lastSweep = 0;
  const store = async (db: Queryable, channel: string, message: string) => {
    await (table ??= db.query(sql.createTable).then(
      () => undefined,
      (error: unknown) => {
        // Another replica created it at the same moment: IF NOT EXISTS does not cover that race, which
        // surfaces as a duplicate key in the catalog (23505), relation (42P07) or row type (42710).
        if (["23505", "42P07", "42710"].includes((error as { code?: string }).code ?? "")) return;
        table = undefined;
        throw error;
      },
    ));
    await db.query(sql.store, [channel, message]);
    if (Date.now() - lastSweep >= STORED_FOR_MS / 4) {
      lastSweep = Date.now();
      db.query(sql.sweep).catch(() => undefined); // the next sweep tries again; readers skip what is gone
    }
  };

  const listener = new Listener(pool, async (db, row) => {
    try {
      const { rows } = await db.query(sql.read, [row]);
      return rows[0]?.payload as string | undefined;
    } catch (error) {
      if ((error as { code?: unknown }).code === "42P01") return undefined; // no table: nothing was ever stored
      throw error;
    }
  });
  let closed = false;
  // One at a time: replicas hear the messages in the order they were sent (a task's "completed"
  // never before its "working"), big ones included.
  let sending: Promise<unknown> = Promise.resolve();
  const send = async (channel: string, message: string) => {
    if (closed) throw new Error("the bus is closed");
    const [db, name] = await Promise.all([pool(), identifier(channel)]);
    if (byteLength(message) <= MAX_INLINE_BYTES) await db.query(sql.notify, [name, "m" + message]);
    else await store(db, name, message);
  };

  const transport: BusTransport = {
    async publish(channel, message) {
      const sent = (sending = sending.then(
        () => send(channel, message),
        () => send(channel, message),
      ));
      try {
        await sent;
      } catch (error) {
        throw new Error(`Postgres bus: publish failed: ${reason(error)}`, { cause: error });
      }
    },
    async subscribe(channel, deliver, report) {
      return listener.subscribe(await identifier(channel), deliver, report);
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener.close();
      const own = await created?.catch(() => undefined);
      created = undefined;
      await own?.end();
    },
  };
  return new MessageBus(transport, options);
}

// `pg` is an optional peer dependency: loaded only when a bus is given a connection string.
async function createPool(connectionString: string): Promise<PostgresBusPool & { end(): Promise<void> }> {
  type Pool = PostgresBusPool & { end(): Promise<void>; on(event: "error", listener: () => void): unknown };
  let pg: { Pool: new (config: { connectionString: string; connectionTimeoutMillis: number; keepAlive: boolean }) => Pool };
  try {
    const loaded = (await import("pg")) as unknown as { default?: typeof pg } & typeof pg;
    pg = loaded.default ?? loaded;
  } catch {
    throw new Error('postgresBus({ connectionString }) needs the "pg" package: npm install pg');
  }
  // TCP keep-alive: a listening connection cut off without a word (a dropped network path) is noticed and replaced.
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: 10_000, keepAlive: true });
  // An idle connection that breaks (a database restart) emits "error"; unhandled, it would end the process.
  pool.on("error", () => {});
  return pool;
}
