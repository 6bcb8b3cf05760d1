// Public API of "http-mcp/bus": what joins the replicas of one server. Redis and Postgres buses
// come with their subpaths (`redisBus` from http-mcp/redis, `postgresBus` from http-mcp/postgres).
export { messageBus, MessageBus, type BusOptions, type BusTransport } from "./message-bus.js";
export { memoryBus } from "./memory-bus.js";
