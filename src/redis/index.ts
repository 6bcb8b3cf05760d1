// "http-mcp/redis": the Redis task store, shared by replicas (the `redis` package, an optional peer
// dependency, is loaded only when the store is given a URL).
export { redisTaskStore, type RedisTaskStore, type RedisTaskStoreOptions } from "./task-store.js";
export { redisRateLimitStore, type RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./rate-limit-store.js";
export type { RedisCommands } from "./connection.js";
export { redisSessionStore, type RedisSessionStore, type RedisSessionStoreOptions } from "./session-store.js";
