// "http-mcp/redis": the Redis task store and bus, shared by replicas (the `redis` package, an
// optional peer dependency, is loaded only when the store or bus is given a URL).
export { redisTaskStore, type RedisTaskStore, type RedisTaskStoreOptions } from "./task-store.js";
export { redisRateLimitStore, type RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./rate-limit-store.js";
export { redisBus, type RedisBusClient, type RedisBusOptions, type RedisSubscriber } from "./bus.js";
export type { RedisCommands } from "./connection.js";
export { redisSessionStore, type RedisSessionStore, type RedisSessionStoreOptions } from "./session-store.js";
