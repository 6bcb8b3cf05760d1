// One replica behind the load balancer: `serve` from http-mcp/node, named by REPLICA, sharing
// REQUEST_STATE_SECRET with the others so that any of them accepts a question's retry.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { serve } from "http-mcp/node";

const replica = process.env.REPLICA ?? String(process.pid);

const add = defineTool({
  name: "add",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number(), replica: z.string() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b, replica }),
});
const slowAdd = defineTool({
  name: "slow_add",
  input: z.object({ a: z.number(), b: z.number(), ms: z.number().max(5_000) }),
  output: z.object({ sum: z.number(), replica: z.string() }),
  handler: async ({ inputs, signal }) => {
    await sleep(inputs.ms, undefined, { signal });
    return { sum: inputs.a + inputs.b, replica };
  },
});
const transfer = defineTool({
  name: "transfer",
  input: z.object({ amount: z.number() }),
  output: z.object({ sent: z.number(), askedOn: z.string(), answeredOn: z.string() }),
  handler: async ({ inputs, elicit }) => {
    // The question ends the first call (on some replica); the retry with the answer may land on another.
    const answer = await elicit("confirm", {
      message: `Send ${inputs.amount}? (asked on ${replica})`,
      requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    });
    if (answer.action !== "accept") return { sent: 0, askedOn: "", answeredOn: replica };
    return { sent: inputs.amount, askedOn: String(answer.content?.askedOn ?? ""), answeredOn: replica };
  },
});

const server = new MCPServer({ name: "scale-out", version: "1.0.0", tools: [add, slowAdd, transfer], requestStateSecret: process.env.REQUEST_STATE_SECRET });
const serving = await serve(server, { port: 0, gracePeriodMs: 5_000 });
process.stdout.write(`replica ${replica} listening on ${serving.url}\n`);
