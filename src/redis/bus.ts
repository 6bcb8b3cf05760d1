// The bus over Redis pub/sub: PUBLISH goes through the connection commands use; SUBSCRIBE needs a
// connection of its own (a subscribed Redis connection takes no other commands), which the bus
// creates and re-subscribes after every reconnection.
import { MessageBus, type BusOptions, type BusTransport } from "../bus/message-bus.js";
import { closeOwnedClient, createOwnedClient, errorMessage, ownClient, type RedisCommands } from "./connection.js";

/** The connection the bus subscribes on: what node-redis's `client.duplicate()` returns. */
export interface RedisSubscriber {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: "error" | "ready", listener: (...args: any[]) => void): unknown;
  close(): Promise<unknown>;
  destroy(): void;
}

/** What `redisBus({ client })` uses of a node-redis client: PUBLISH, and `duplicate()` to subscribe with. */
export interface RedisBusClient extends RedisCommands {
  /** false while the client is disconnected: publishing then fails at once instead of waiting in its offline queue. */
  readonly isReady?: boolean;
  duplicate(): RedisSubscriber;
}

/** Options of `redisBus`: give it `client` or `url`. */
export interface RedisBusOptions extends BusOptions {
  /** A connected node-redis client: the bus publishes through it and subscribes on a `duplicate()` of it; it closes the duplicate, never the client. */
  client?: RedisBusClient;
  /** A Redis URL: the bus creates its two connections (`redis` must be installed) and closes them on `close()`. */
  url?: string;
}

/**
 * A bus over Redis pub/sub for `new MCPServer({ bus })`: changes made on any replica reach the
 * listeners of every replica sharing the Redis (and the prefix). While Redis is unreachable,
 * publishing fails at once (reported as "bus" through the server's `onError`) and local listeners
 * still hear local changes; once Redis is back the subscriptions are renewed and delivery resumes.
 * Messages published while a replica is cut off are not delivered to it later (pub/sub keeps none).
 */
export function redisBus(options: RedisBusOptions): MessageBus {
  if ((options.client === undefined) === (options.url === undefined)) throw new TypeError("redisBus needs either client or url");
  const given = options.client;
  if (given !== undefined && (typeof given.sendCommand !== "function" || typeof given.duplicate !== "function")) {
    throw new TypeError("redisBus: client needs sendCommand and duplicate methods (node-redis)");
  }
  if (options.prefix !== undefined && (typeof options.prefix !== "string" || options.prefix === "")) throw new TypeError("redisBus: prefix must be a non-empty string");
  if (options.url !== undefined && typeof options.url !== "string") throw new TypeError("redisBus: url must be a string");
  const publisher = options.url === undefined ? undefined : ownClient(options.url, "redisBus", "bus");
  const subscribers = new Subscribers(options);

  const transport: BusTransport = {
    async publish(channel, message) {
      try {
        const client = publisher ? await publisher.client() : given!;
        if ((client as RedisBusClient).isReady === false) throw new Error("the client is not connected");
        await client.sendCommand(["PUBLISH", channel, message]);
      } catch (error) {
        throw new Error(`Redis bus: publish failed: ${errorMessage(error)}`, { cause: error });
      }
    },
    subscribe: (channel, deliver, report) => subscribers.subscribe(channel, deliver, report),
    async close() {
      await Promise.all([publisher?.close(), subscribers.close()]);
    },
  };
  return new MessageBus(transport, options);
}

/** The subscribing connection, created on the first subscription, and who hears about its failures. */
class Subscribers {
  #connection: Promise<RedisSubscriber> | undefined;
  #created: RedisSubscriber | undefined;
  #closed = false;
  #healthy = true;
  readonly #reporters = new Map<(error: unknown) => void, number>();

  constructor(readonly options: RedisBusOptions) {}

  async subscribe(channel: string, deliver: (message: string) => void, report?: (error: unknown) => void): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error("Redis bus: the bus is closed");
    if (report) this.#reporters.set(report, (this.#reporters.get(report) ?? 0) + 1);
    const forget = () => {
      const count = report && this.#reporters.get(report);
      if (count === undefined) return;
      if (count > 1) this.#reporters.set(report!, count - 1);
      else this.#reporters.delete(report!);
    };
    const own = (message: string) => deliver(message); // one listener per subscription, even for the same function
    try {
      const client = await (this.#connection ??= this.#connect().catch((error: unknown) => {
        this.#connection = undefined;
        throw error;
      }));
      await client.subscribe(channel, own);
      return async () => {
        forget();
        if (!this.#closed) await client.unsubscribe(channel, own);
      };
    } catch (error) {
      forget();
      if (this.#closed) return async () => {}; // closed while connecting: nothing to report
      throw new Error(`Redis bus: subscribe failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  // Resolves once connected: a Redis that is down at first is retried in the background (the URL's
  // client retries for ever, a duplicate as its client's reconnectStrategy says).
  async #connect(): Promise<RedisSubscriber> {
    const { client, url } = this.options;
    const created = client ? client.duplicate() : await createOwnedClient(url!, "redisBus", { offlineQueue: true, retry: () => true });
    this.#created = created;
    // One report per outage, not one per retry.
    created.on("error", (error: unknown) => {
      if (!this.#healthy || this.#closed) return;
      this.#healthy = false;
      for (const report of this.#reporters.keys()) report(new Error(`Redis bus: subscriber connection: ${errorMessage(error)}`));
    });
    created.on("ready", () => void (this.#healthy = true));
    if (this.#closed) throw new Error("the bus is closed");
    await created.connect();
    return created;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const created = this.#created;
    this.#created = undefined;
    this.#connection = undefined;
    if (created) await closeOwnedClient(created);
  }
}
