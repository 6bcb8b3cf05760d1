// A replica that shares everything that outlives a request through one PostgreSQL database: the bus
// (LISTEN/NOTIFY) carries update(), notifyResourceUpdated() and task status changes to the listen
// streams of every replica, and the task store lets any replica answer for any task.
import pg from "pg";
import { MCPServer, defineTool } from "http-mcp";
import { postgresBus, postgresTaskStore } from "http-mcp/postgres";
import { tasks } from "http-mcp/tasks";

const quarterly = defineTool({ name: "quarterly", task: "optional", handler: async () => "Q3: all green." });
const yearly = defineTool({ name: "yearly", handler: () => "2026: all green." });

/** One replica; `ready()` resolves once its bus listens (a readiness probe can wait for it). */
export function createReplica(databaseUrl: string): { server: MCPServer; ready(): Promise<void>; close(): Promise<void> } {
  // One pool for both: the bus holds one of its connections to LISTEN on.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on("error", () => {}); // a connection broken while idle is replaced on the next query
  const bus = postgresBus({ pool });
  const addYearly = defineTool({
    name: "add_yearly",
    // Changes this replica's list; every replica's listen streams hear tools/list_changed.
    handler: (): string => {
      server.update({ tools: [quarterly, addYearly, yearly] });
      return "The yearly report is in.";
    },
  });
  const server: MCPServer = new MCPServer({
    name: "reports",
    version: "1.0.0",
    tools: [quarterly, addYearly],
    extensions: [tasks({ store: postgresTaskStore({ pool }), leaseMs: 10_000 })],
    bus,
    onError: (error, where) => console.error(`${where}: ${error instanceof Error ? error.message : error}`),
  });
  // The server closes its task store (never the pool it was given); then the bus, then the pool.
  return { server, ready: () => bus.ready(), close: () => server.close().then(() => bus.close()).then(() => pool.end()) };
}
