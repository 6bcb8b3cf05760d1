// One replica of a server that runs behind a load balancer. Every replica builds the same server;
// they share nothing but the secret that signs `requestState`.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";

const transfer = defineTool({
  name: "transfer",
  description: "Send money, once the user confirms.",
  input: z.object({ amount: z.number().positive(), to: z.string() }),
  handler: async ({ inputs, elicit }) => {
    // The question ends the call with `input_required`; the client's retry, carrying the answer and
    // the signed requestState, may reach any replica.
    const answer = await elicit("confirm", {
      message: `Send ${inputs.amount} to ${inputs.to}?`,
      requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    });
    if (answer.action !== "accept" || answer.content?.ok !== true) return "Cancelled.";
    return `Sent ${inputs.amount} to ${inputs.to} (process ${process.pid}).`;
  },
});

/** The same secret on every replica (at least 16 bytes); unset, each process would pick its own at random. */
export function createReplica(requestStateSecret = process.env.MCP_STATE_SECRET): MCPServer {
  return new MCPServer({ name: "bank", version: "1.0.0", tools: [transfer], requestStateSecret });
}
