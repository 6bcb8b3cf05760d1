// Tasks shared by replicas through Redis: every replica gives tasks() a store on the same Redis
// server, so any of them answers tasks/get, tasks/update and tasks/cancel for a task another runs.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { redisTaskStore } from "http-mcp/redis";
import { tasks } from "http-mcp/tasks";

const transcode = defineTool({
  name: "transcode",
  description: "Converts one video to the web format.",
  input: z.object({ video: z.string() }),
  task: "optional",
  handler: async ({ inputs, signal, progress }) => {
    for (let part = 1; part <= 3; part++) {
      signal.throwIfAborted();
      progress(part, 3);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return `Transcoded ${inputs.video}.`;
  },
});

/**
 * One replica: `createReplica(process.env.REDIS_URL)`. The store connects on first use (loading
 * the `redis` package) and closes its connection when the server closes.
 */
export function createReplica(redisUrl: string): MCPServer {
  const store = redisTaskStore({ url: redisUrl, prefix: "video:task:" });
  return new MCPServer({ name: "video", version: "1.0.0", tools: [transcode], extensions: [tasks({ store, leaseMs: 10_000 })] });
}
