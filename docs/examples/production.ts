// A server set up for production traffic: its own Node server (timeouts, connection cap, orderly
// shutdown) and limits on what tool calls may use. `tsx production.ts`; PORT and HOST set the address.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { MCPServer, createToolkit } from "http-mcp";
import { concurrencyLimit, timeLimit } from "http-mcp/limits";
import { serve } from "http-mcp/node";

const { defineTool } = createToolkit<{ cache: Map<string, string> }>();

const report = defineTool({
  name: "report",
  description: "Build a report (slow).",
  input: z.object({ days: z.number().int().min(1).max(90) }),
  handler: async ({ inputs, signal }) => {
    // Pass the signal on: it fires when the client goes away, at the time limit, and at shutdown.
    await sleep(inputs.days * 10, undefined, { signal });
    return `report for ${inputs.days} days`;
  },
});

const lookup = defineTool({
  name: "lookup",
  input: z.object({ key: z.string() }),
  handler: ({ inputs, state }) => state.cache.get(inputs.key) ?? "not found",
});

const server = new MCPServer({
  name: "reports",
  version: "1.0.0",
  tools: [report, lookup],
  async *lifespan() {
    const cache = new Map([["greeting", "hello"]]); // stands in for a pool or a client
    console.log("lifespan: started");
    try {
      yield { cache };
    } finally {
      cache.clear();
      console.log("lifespan: closed");
    }
  },
  middleware: [
    // Outside: every tool call ends within 2 s (report: 600 ms) with an isError result, and its signal fires.
    timeLimit({ ms: 2_000, tools: { report: 600 } }),
    // Inside: at most 32 calls run at once; the next get 503 with Retry-After until one ends.
    concurrencyLimit({ max: 32, retryAfterSeconds: 2 }),
  ],
});

const serving = await serve(server, {
  host: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  gracePeriodMs: 15_000, // what the orchestrator allows between SIGTERM and SIGKILL, less a margin
});
console.log(`listening on ${serving.url}/mcp`);
