// cluster.ts: one worker process per CPU on one port; node:cluster hands each new connection to the
// next worker in turn, as any load balancer would.
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import { createReplica } from "./replica.ts";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

if (cluster.isPrimary) {
  // One secret for every worker: from the environment, or made here for the cluster's lifetime.
  const secret = process.env.MCP_STATE_SECRET ?? randomBytes(32).toString("base64url");
  const workers = Number(process.env.WORKERS ?? availableParallelism());
  for (let i = 0; i < workers; i++) cluster.fork({ MCP_STATE_SECRET: secret });
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    if (++listening === workers) console.log(`MCP server on http://${host}:${address.port}/mcp (${workers} workers)`);
  });
  // SIGTERM: each worker closes its server, lets calls in flight finish and exits; then so does the primary.
  process.once("SIGTERM", () => Object.values(cluster.workers ?? {}).forEach((worker) => worker?.disconnect()));
} else {
  const server = createReplica();
  const http = createServer(server.nodeHandler).listen(port, host);
  http.once("close", () => void server.close()); // the lifespan's cleanup, once the worker stopped serving
}
