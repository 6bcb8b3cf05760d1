// One replica behind the load balancer: `serve` from http-mcp/node, named by REPLICA, sharing with
// the others REQUEST_STATE_SECRET (any of them accepts a question's retry) and the Redis at
// REDIS_URL: tasks (redisTaskStore, lease LEASE_MS), the change bus, 2025-era sessions and the
// rate limit (RATE_LIMIT calls per caller per RATE_WINDOW_MS, on the metered tool).
import { MCPServer, type AuthInfo } from "http-mcp";
import { serve } from "http-mcp/node";
import { redisTaskStore } from "http-mcp/redis";
import { tasks } from "http-mcp/tasks";
import { sharedOptions } from "./shared.ts";
import { hello, replicaTools, watched } from "./replica-tools.ts";

const replica = process.env.REPLICA ?? String(process.pid);
const url = process.env.REDIS_URL!;

// Callers are named by their bearer token: tasks belong to their caller, and the rate limit counts per caller.
const authenticate = (request: { headers: { get(name: string): string | null } }): AuthInfo | undefined => {
  const token = request.headers.get("authorization")?.slice(7);
  return token ? { subject: token, scopes: [] } : undefined;
};

// One line per error on stderr (shown when a check fails); never a stack trace.
const onError = (error: unknown, where: string) => process.stderr.write(`${replica} ${where}: ${String((error as Error)?.message ?? error).slice(0, 200)}\n`);

const server: MCPServer<any, any, any> = new MCPServer({
  name: "scale-out",
  version: "1.0.0",
  tools: replicaTools(replica, () => server),
  prompts: [hello],
  resources: [watched],
  authenticate,
  requestStateSecret: process.env.REQUEST_STATE_SECRET,
  extensions: [tasks({ store: redisTaskStore({ url }), leaseMs: Number(process.env.LEASE_MS ?? 2000), pollIntervalMs: 100 })],
  ...sharedOptions(url, Number(process.env.RATE_LIMIT ?? 100), Number(process.env.RATE_WINDOW_MS ?? 10_000), onError),
  onError,
});
const serving = await serve(server, { port: 0, gracePeriodMs: 5_000 });
process.stdout.write(`replica ${replica} listening on ${serving.url}\n`);
