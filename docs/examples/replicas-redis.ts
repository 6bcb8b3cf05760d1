// A replica that shares everything that outlives a request through one Redis server: the bus carries
// update(), notifyResourceUpdated() and task status changes to the listen streams of every replica,
// the task store lets any replica answer tasks/get, tasks/update and tasks/cancel, 2025-era sessions
// continue on any replica, and each caller's rate limit counts the calls of all replicas.
import { z } from "zod";
import { MCPServer, defineResource, defineTool } from "http-mcp";
import { rateLimit } from "http-mcp/limits";
import { redisBus, redisRateLimitStore, redisSessionStore, redisTaskStore } from "http-mcp/redis";
import { legacySessions } from "http-mcp/sessions";
import { tasks } from "http-mcp/tasks";

const prices = new Map<string, number>([["tea", 4]]);

/** One replica; `ready()` resolves once its bus listens (a readiness probe can wait for it). */
export function createReplica(redisUrl: string): { server: MCPServer; ready(): Promise<void>; close(): Promise<void> } {
  const bus = redisBus({ url: redisUrl });
  const store = redisTaskStore({ url: redisUrl });
  // Each store makes a connection of its own from the URL; give them `client` to share one instead.
  const sessionStore = redisSessionStore({ url: redisUrl });
  const limits = redisRateLimitStore({ url: redisUrl });
  const server = new MCPServer({
    name: "shop",
    version: "1.0.0",
    resources: [defineResource({ uri: "shop://prices", read: () => JSON.stringify(Object.fromEntries(prices)) })],
    tools: [
      defineTool({
        name: "set_price",
        input: z.object({ item: z.string(), price: z.number() }),
        handler: ({ inputs }) => {
          prices.set(inputs.item, inputs.price); // in a real shop: the shared database
          server.notifyResourceUpdated("shop://prices"); // heard on every replica's listen streams
          return `${inputs.item} now costs ${inputs.price}.`;
        },
      }),
      defineTool({ name: "restock", task: "optional", handler: async () => "Restocked." }),
    ],
    extensions: [tasks({ store, leaseMs: 10_000 })],
    bus,
    // 2025-era clients: the session's record in Redis, its live parts (answers to questions,
    // cancellation, the GET stream) routed over the same bus: no sticky routing.
    sessions: legacySessions({ store: sessionStore, bus }),
    // 60 tool calls a minute per caller (by token subject; anonymous callers share one budget), in all.
    middleware: [rateLimit({ limit: 60, windowMs: 60_000, store: limits })],
    // A Redis that is away is reported here as "bus" (and as task store errors), never thrown.
    onError: (error, where) => console.error(`${where}: ${error instanceof Error ? error.message : error}`),
  });
  // The server closes its task store; the bus and the other stores are closed after it.
  const close = async () => {
    await server.close();
    await Promise.all([bus.close(), sessionStore.close(), limits.close()]);
  };
  return { server, ready: () => bus.ready(), close };
}
