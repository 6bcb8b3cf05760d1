// The clients a Redis store or bus creates for itself from a URL. The `redis` package (node-redis,
// an optional peer dependency) is loaded only here, on first use.

/** What the store sends its commands through: a node-redis client, or anything with this method. */
export interface RedisCommands {
  sendCommand(args: string[]): Promise<unknown>;
}

/** A node-redis client as this package uses the ones it creates. */
export interface OwnedClient extends RedisCommands {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
}

interface RedisModule {
  createClient(options: {
    url: string;
    disableOfflineQueue: boolean;
    socket: { reconnectStrategy: (retries: number, cause: Error) => number | Error };
  }): OwnedClient;
}

/** Retry delays after a lost connection: doubling from 50 ms up to 2 s, for as long as it takes. */
export const backoff = (retries: number) => Math.min(50 * 2 ** retries, 2000);

/**
 * A client for `url`, not yet connected, whose "error" events are already handled (unhandled, one
 * would end the process; each failure reaches the call it affects). `retry` decides, per attempt,
 * whether a failed connection is tried again (`connected`: whether it ever was).
 */
export async function createOwnedClient(
  url: string,
  user: string,
  options: { offlineQueue: boolean; retry: (connected: boolean) => boolean },
): Promise<OwnedClient> {
  let redis: RedisModule;
  try {
    redis = (await import("redis")) as unknown as RedisModule;
  } catch {
    throw new Error(`${user}({ url }) needs the "redis" package: npm install redis`);
  }
  let connected = false;
  const created = redis.createClient({
    url,
    disableOfflineQueue: !options.offlineQueue,
    socket: { reconnectStrategy: (retries, cause) => (options.retry(connected) ? backoff(retries) : cause) },
  });
  created.on("error", () => {});
  created.on("ready", () => void (connected = true));
  return created;
}

/** Closes a client this package created: politely when it is connected, at once when it is not. */
export async function closeOwnedClient(created: Pick<OwnedClient, "isReady" | "close" | "destroy">): Promise<void> {
  // A client waiting to reconnect has nothing to finish: drop it rather than wait.
  if (created.isReady) await created.close().catch(() => created.destroy());
  else created.destroy();
}

/**
 * Connects on the first call. A first connection that fails rejects that call (the next call tries
 * again); a connection lost later is re-established in the background, and meanwhile calls reject
 * at once ("The client is offline") instead of waiting in a queue.
 */
export function ownClient(url: string, user: string, what = "store"): { client(): Promise<RedisCommands>; close(): Promise<void> } {
  let connecting: Promise<OwnedClient> | undefined;
  let closed = false;

  const open = async (): Promise<OwnedClient> => {
    const created = await createOwnedClient(url, user, { offlineQueue: false, retry: (connected) => connected });
    await created.connect();
    return created;
  };

  return {
    client() {
      if (closed) return Promise.reject(new Error(`the ${what} is closed`));
      return (connecting ??= open().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      }));
    },
    async close() {
      closed = true;
      const created = await connecting?.catch(() => undefined);
      connecting = undefined;
      if (created) await closeOwnedClient(created);
    },
  };
}

/** What a Redis store's options say about its connection (each store's options extend this). */
export interface StoreConnectionOptions {
  client?: RedisCommands;
  url?: string;
  prefix?: string;
}

/**
 * The connection a Redis store (`user`, e.g. "redisTaskStore") works through: the `client` it was
 * given (never closed by it), or one it makes from `url` and closes on `close()`; and its key prefix.
 * Refuses options that give both or neither, a client without `sendCommand`, a prefix not a string.
 */
export function storeConnection(user: string, options: StoreConnectionOptions, defaultPrefix: string): { prefix: string; client(): Promise<RedisCommands>; close(): Promise<void> } {
  if ((options.client === undefined) === (options.url === undefined)) throw new TypeError(`${user} needs either client or url`);
  if (options.client !== undefined && typeof options.client.sendCommand !== "function") throw new TypeError(`${user}: client needs a sendCommand method (node-redis)`);
  const prefix = options.prefix ?? defaultPrefix;
  if (typeof prefix !== "string") throw new TypeError(`${user}: prefix must be a string`);
  const owned = options.url === undefined ? undefined : ownClient(options.url, user);
  return {
    prefix,
    client: () => (owned ? owned.client() : Promise.resolve(options.client!)),
    close: async () => await owned?.close(),
  };
}

/** An error's message, for the store's own error built around it. */
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a Lua script: EVALSHA first; a server that has not seen the script yet (or lost it in a
 * restart) answers NOSCRIPT, and EVAL then runs it and keeps it for next time.
 */
export async function evalScript(redis: RedisCommands, sha: string, source: string, tail: readonly string[]): Promise<unknown> {
  try {
    return await redis.sendCommand(["EVALSHA", sha, ...tail]);
  } catch (error) {
    if (!errorMessage(error).startsWith("NOSCRIPT")) throw error;
    return await redis.sendCommand(["EVAL", source, ...tail]);
  }
}
