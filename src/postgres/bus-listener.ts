// The Postgres bus's listening side: one dedicated connection that LISTENs on every channel someone
// subscribed to. When it is lost the listener reconnects (backoff from 50 ms up to 2 s, for as long as
// it takes) and LISTENs again; each outage is reported once.
import { parseFrame, quoted } from "./bus-sql.js";
import type { Queryable } from "./task-store.js";

/** The dedicated connection the bus LISTENs on: a `pg.PoolClient`. */
export interface PostgresBusConnection extends Queryable {
  on(event: string, listener: (...args: any[]) => void): unknown;
  /** Gives the connection back; with an error (or true) the pool closes it. */
  release(error?: Error | boolean): void;
}

/** Where the bus sends its statements and takes its listening connection from: a `pg.Pool`. */
export interface PostgresBusPool extends Queryable {
  connect(): Promise<PostgresBusConnection>;
}

type Deliver = (message: string) => void;
type Report = (error: unknown) => void;

const backoff = (retries: number) => Math.min(50 * 2 ** retries, 2000);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Listener {
  readonly #channels = new Map<string, Set<Deliver>>();
  readonly #reporters = new Map<Report, number>();
  #client: PostgresBusConnection | undefined;
  #connecting: Promise<PostgresBusConnection> | undefined;
  #retries = 0;
  #healthy = true;
  #closed = false;
  /** Messages are handed on in the order they were notified, stored ones after their read. */
  #order: Promise<void> = Promise.resolve();

  constructor(
    readonly pool: () => Promise<PostgresBusPool>,
    readonly readStored: (pool: Queryable, row: string) => Promise<string | undefined>,
  ) {}

  /** Resolves once `channel` (an identifier) is LISTENed to, on a connection that may have to be made first. */
  async subscribe(channel: string, deliver: Deliver, report?: Report): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error("Postgres bus: the bus is closed");
    const own: Deliver = (message) => deliver(message); // one entry per subscription, even for the same function
    let delivers = this.#channels.get(channel);
    if (!delivers) this.#channels.set(channel, (delivers = new Set()));
    delivers.add(own);
    if (report) this.#reporters.set(report, (this.#reporters.get(report) ?? 0) + 1);
    const stop = async () => {
      delivers.delete(own);
      const count = report && this.#reporters.get(report);
      if (count !== undefined) count > 1 ? this.#reporters.set(report!, count - 1) : this.#reporters.delete(report!);
      if (delivers.size > 0 || this.#channels.get(channel) !== delivers) return;
      this.#channels.delete(channel);
      // A lost connection took its LISTENs with it: only a live one has something to undo.
      await this.#client?.query(`UNLISTEN ${quoted(channel)}`).catch(() => undefined);
    };
    // LISTEN is idempotent: a connection made meanwhile may have LISTENed already.
    for (;;) {
      let client: PostgresBusConnection;
      try {
        client = await this.#connection();
      } catch (error) {
        await stop();
        if (this.#closed) return async () => {}; // closed while connecting: nothing to report
        throw error;
      }
      try {
        await client.query(`LISTEN ${quoted(channel)}`);
        return stop;
      } catch (error) {
        if (this.#client === client) {
          await stop();
          throw new Error(`Postgres bus: LISTEN failed: ${reason(error)}`, { cause: error });
        }
        // The connection was lost under the LISTEN: the next one LISTENs to every channel anyway.
      }
    }
  }

  #connection(): Promise<PostgresBusConnection> {
    if (this.#client) return Promise.resolve(this.#client);
    return (this.#connecting ??= this.#open().finally(() => (this.#connecting = undefined)));
  }

  async #open(): Promise<PostgresBusConnection> {
    for (;;) {
      if (this.#closed) throw new Error("Postgres bus: the bus is closed");
      let client: PostgresBusConnection | undefined;
      try {
        client = await (await this.pool()).connect();
        this.#watch(client);
        for (const channel of this.#channels.keys()) await client.query(`LISTEN ${quoted(channel)}`);
        if (this.#closed) throw new Error("Postgres bus: the bus is closed");
        this.#client = client;
        this.#retries = 0;
        this.#healthy = true;
        return client;
      } catch (error) {
        if (client) release(client, true);
        if (this.#closed) throw error;
        this.#problem(error);
        await new Promise((resolve) => setTimeout(resolve, backoff(this.#retries++)));
      }
    }
  }

  #watch(client: PostgresBusConnection): void {
    client.on("notification", (notification: { channel: string; payload?: string }) => this.#notified(notification));
    const lost = (error?: unknown) => {
      if (this.#client !== client) return; // not in use yet (its #open handles it), or already replaced
      this.#client = undefined;
      release(client, true);
      if (this.#closed) return;
      this.#problem(error ?? new Error("the connection ended"));
      // Reconnect in the background: every channel still subscribed to is LISTENed again.
      if (this.#channels.size > 0) void this.#connection().catch(() => undefined);
    };
    client.on("error", lost);
    client.on("end", () => lost());
  }

  #problem(error: unknown): void {
    if (!this.#healthy) return; // one report per outage, not one per retry
    this.#healthy = false;
    for (const report of this.#reporters.keys()) report(new Error(`Postgres bus: listening connection: ${reason(error)}`, { cause: error }));
  }

  #notified({ channel, payload }: { channel: string; payload?: string }): void {
    const delivers = this.#channels.get(channel);
    const frame = parseFrame(payload);
    if (!delivers || !frame) return;
    const hand = (message: string) => {
      for (const deliver of delivers) {
        try {
          deliver(message);
        } catch {
          // One failing subscriber must not keep the others from the message.
        }
      }
    };
    this.#order = this.#order.then(async () => {
      if ("message" in frame) return hand(frame.message);
      try {
        const message = await this.readStored(await this.pool(), frame.row);
        if (message !== undefined) hand(message);
      } catch (error) {
        for (const report of this.#reporters.keys()) report(new Error(`Postgres bus: reading a stored message failed: ${reason(error)}`, { cause: error }));
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    if (client) release(client, true);
    await this.#order;
  }
}

// A LISTENing connection must not go back to the pool for others to use: it is always closed.
const released = new WeakSet<PostgresBusConnection>();
function release(client: PostgresBusConnection, error: Error | boolean): void {
  if (released.has(client)) return;
  released.add(client);
  try {
    client.release(error);
  } catch {
    // Already released by the pool after an error of its own.
  }
}
