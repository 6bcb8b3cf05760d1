// Tasks shared by replicas: every replica gives tasks() the same PostgreSQL store, so any of them
// answers tasks/get, tasks/update and tasks/cancel for a task another one runs.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { postgresTaskStore, type Queryable } from "http-mcp/postgres";
import { tasks } from "http-mcp/tasks";

const reindex = defineTool({
  name: "reindex",
  description: "Rebuilds the search index of one collection.",
  input: z.object({ collection: z.string() }),
  task: "optional",
  handler: async ({ inputs, signal, progress }) => {
    for (let batch = 1; batch <= 3; batch++) {
      signal.throwIfAborted();
      progress(batch, 3);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return `Reindexed ${inputs.collection}.`;
  },
});

/**
 * One replica. In production give it the database URL (`pg` is then loaded and pooled):
 * `createReplica(process.env.DATABASE_URL)`; a `pg.Pool` or an embedded PGlite works too.
 */
export function createReplica(database: string | Queryable): MCPServer {
  const store = typeof database === "string" ? postgresTaskStore({ connectionString: database }) : postgresTaskStore({ pool: database });
  // A short lease: a task whose replica dies is reported failed 10 s after its last heartbeat.
  return new MCPServer({ name: "search", version: "1.0.0", tools: [reindex], extensions: [tasks({ store, leaseMs: 10_000 })] });
}
