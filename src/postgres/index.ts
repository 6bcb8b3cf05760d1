// "http-mcp/postgres": the PostgreSQL task store, shared by replicas (the `pg` package, an optional
// peer dependency, is loaded only when the store is given a connection string).
export { postgresTaskStore, type PostgresTaskStore, type PostgresTaskStoreOptions, type Queryable } from "./task-store.js";
