// The client a Redis store creates for itself from a URL. The `redis` package (node-redis, an
// optional peer dependency) is loaded only here, on first use.

/** What the store sends its commands through: a node-redis client, or anything with this method. */
export interface RedisCommands {
  sendCommand(args: string[]): Promise<unknown>;
}

interface OwnedClient extends RedisCommands {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
}

interface RedisModule {
  createClient(options: {
    url: string;
    disableOfflineQueue: boolean;
    socket: { reconnectStrategy: (retries: number, cause: Error) => number | Error };
  }): OwnedClient;
}

/** Retry delays after a lost connection: doubling from 50 ms up to 2 s, for as long as it takes. */
const backoff = (retries: number) => Math.min(50 * 2 ** retries, 2000);

/**
 * Connects on the first call. A first connection that fails rejects that call (the next call tries
 * again); a connection lost later is re-established in the background, and meanwhile calls reject
 * at once ("The client is offline") instead of waiting in a queue.
 */
export function ownClient(url: string, user = "redisTaskStore"): { client(): Promise<RedisCommands>; close(): Promise<void> } {
  let connecting: Promise<OwnedClient> | undefined;
  let closed = false;

  const open = async (): Promise<OwnedClient> => {
    let redis: RedisModule;
    try {
      redis = (await import("redis")) as unknown as RedisModule;
    } catch {
      throw new Error(`${user}({ url }) needs the "redis" package: npm install redis`);
    }
    let connected = false;
    const created = redis.createClient({
      url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries, cause) => (connected ? backoff(retries) : cause) },
    });
    // Unhandled, an "error" event would end the process; each failure reaches the call it affects.
    created.on("error", () => {});
    await created.connect();
    connected = true;
    return created;
  };

  return {
    client() {
      if (closed) return Promise.reject(new Error("the store is closed"));
      return (connecting ??= open().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      }));
    },
    async close() {
      closed = true;
      const created = await connecting?.catch(() => undefined);
      connecting = undefined;
      if (!created) return;
      // A client waiting to reconnect has nothing to finish: drop it rather than wait.
      if (created.isReady) await created.close().catch(() => created.destroy());
      else created.destroy();
    },
  };
}
