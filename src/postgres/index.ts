// "http-mcp/postgres": the PostgreSQL task store and bus, shared by replicas (the `pg` package, an
// optional peer dependency, is loaded only when the store or bus is given a connection string).
export { postgresTaskStore, type PostgresTaskStore, type PostgresTaskStoreOptions, type Queryable } from "./task-store.js";
export { postgresBus, type PostgresBusConnection, type PostgresBusOptions, type PostgresBusPool } from "./bus.js";
