// 2025-era session records in Redis, shared by replicas (`legacySessions({ store: redisSessionStore(…), bus })`).
import type { SessionRecord, SessionStore } from "../transports/http/sessions.js";
import { storeConnection, type RedisCommands } from "./connection.js";

/** Options of `redisSessionStore`: give it `client` or `url`. */
export interface RedisSessionStoreOptions {
  /** A connected client (node-redis `createClient()`, or anything with its `sendCommand`); the store never closes it. */
  client?: RedisCommands;
  /** A Redis URL: the store creates and connects a client (`redis` must be installed) and closes it on `close()`. */
  url?: string;
  /** Put before each session id to make its key (default "mcp:session:"). */
  prefix?: string;
  /** A session unused this long is forgotten: each read and write starts the wait again (default 30 minutes). */
  idleTimeoutMs?: number;
}

/** The Redis session store: a SessionStore whose `close()` closes the client it created (never one it was given). */
export interface RedisSessionStore extends SessionStore {
  get(id: string): Promise<SessionRecord | undefined>;
  set(id: string, record: SessionRecord): Promise<void>;
  delete(id: string): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_IDLE_MS = 30 * 60_000;

/**
 * Session records in Redis, one key each (JSON), expiring after `idleTimeoutMs` without use: a
 * read (GETEX, Redis 6.2 or later) and a write (SET … PX) both push the expiry back, so a session
 * in use never lapses and an abandoned one leaves nothing behind. A record that does not parse is
 * treated as absent (the client initializes again).
 */
export function redisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const connection = storeConnection("redisSessionStore", options, "mcp:session:");
  const { prefix } = connection;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  if (!(Number.isSafeInteger(idleMs) && idleMs > 0)) throw new TypeError("redisSessionStore: idleTimeoutMs must be a positive integer");
  const command = async (args: string[]): Promise<unknown> => (await connection.client()).sendCommand(args);
  const ttl = String(idleMs);

  return {
    async get(id) {
      const reply = await command(["GETEX", prefix + id, "PX", ttl]);
      if (reply === null || reply === undefined) return undefined;
      try {
        const record = JSON.parse(String(reply)) as unknown;
        return record !== null && typeof record === "object" && Array.isArray((record as SessionRecord).subscriptions) ? (record as SessionRecord) : undefined;
      } catch {
        return undefined;
      }
    },
    async set(id, record) {
      await command(["SET", prefix + id, JSON.stringify(record), "PX", ttl]);
    },
    async delete(id) {
      await command(["DEL", prefix + id]);
    },
    async close() {
      await connection.close();
    },
  };
}
