// Progress, log messages, and asking the user mid-call: one handler serves both protocol eras.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { legacySessions } from "http-mcp/sessions";

const deploy = defineTool({
  name: "deploy",
  description: "Deploy a service, after the user confirms.",
  input: z.object({ service: z.string() }),
  handler: async ({ inputs, elicit, progress, log }) => {
    // 2026-07-28: the call ends with `input_required`; the client retries with the answer and
    // this handler runs again from the top, so everything before the question must be safe to repeat.
    const answer = await elicit("confirm", {
      message: `Deploy ${inputs.service} to production?`,
      requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    });
    if (answer.action !== "accept" || answer.content?.ok !== true) return "Deployment cancelled.";
    for (let step = 1; step <= 3; step++) {
      progress(step, 3, `step ${step} of 3`); // sent only when the client asked for progress
      log("info", { service: inputs.service, step }); // sent only at or above the client's log level
      await sleep(10);
    }
    return `${inputs.service} deployed.`;
  },
});

export const server = new MCPServer({
  name: "deployer",
  version: "1.0.0",
  tools: [deploy],
  // The same secret on every replica, so that any of them accepts a retry's requestState.
  requestStateSecret: process.env.MCP_STATE_SECRET ?? "dev-only-secret-change-me",
  // 2025-era clients get the question as a server request on the call's stream: that needs a session.
  sessions: legacySessions(),
});
