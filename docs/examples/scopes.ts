import { z } from "zod";
import { MCPServer, defineTool, definePrompt, McpError, type McpRequest } from "http-mcp";

const report = defineTool({
  description: "Quarterly figures; callers need the `reports` or `admin` scope.",
  input: z.object({ quarter: z.enum(["Q1", "Q2", "Q3", "Q4"]) }),
  output: z.object({ quarter: z.string(), revenue: z.number() }),
  scopes: ["reports", "admin"],
  handler: function report({ inputs, auth }) {
    // Only reached when the caller has one of the scopes.
    return { quarter: inputs.quarter, revenue: auth?.subject === "alice" ? 42 : 0 };
  },
});

const briefing = definePrompt({
  description: "A briefing prompt for admins.",
  arguments: z.object({ topic: z.string() }),
  scopes: ["admin"],
  handler: function briefing({ inputs }) {
    return `Brief the board on ${inputs.topic}.`;
  },
});

/** Maps a request to the caller's identity; return null for anonymous callers. */
function authenticate(request: McpRequest) {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  if (header === "Bearer alice-token") return { subject: "alice", scopes: ["reports"] };
  throw new McpError("UNAUTHORIZED", "Unknown token");
}

export const server = new MCPServer({
  name: "reports",
  version: "1.0.0",
  tools: [report],
  prompts: [briefing],
  authenticate,
});
