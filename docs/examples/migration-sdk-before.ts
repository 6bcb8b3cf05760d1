// Before: a stateless server on the official SDK (`@modelcontextprotocol/sdk` 1.x) and Node's http module.
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

function buildServer(): McpServer {
  const server = new McpServer({ name: "weather", version: "1.0.0" });
  server.registerTool(
    "forecast",
    {
      title: "Forecast",
      description: "The forecast for a city.",
      inputSchema: { city: z.string(), days: z.number().int().min(1).max(7).default(3) },
      outputSchema: { city: z.string(), days: z.number(), summary: z.string() },
    },
    async ({ city, days }, extra) => {
      const caller = extra.requestInfo?.headers["x-caller"] ?? "anonymous";
      const output = { city, days, summary: `Sunny in ${city} for ${days} days (asked by ${caller})` };
      return { content: [{ type: "text", text: JSON.stringify(output) }], structuredContent: output };
    },
  );
  server.registerPrompt(
    "plan_trip",
    { description: "Plan a trip to a city.", argsSchema: { city: z.string() } },
    ({ city }) => ({ messages: [{ role: "user", content: { type: "text", text: `Plan a trip to ${city}.` } }] }),
  );
  return server;
}

// Stateless mode: a new server and transport for every request.
export const httpServer = createServer(async (req, res) => {
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
});
