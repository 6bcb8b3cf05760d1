// After: the same server on http-mcp. Built once; every request, of either protocol era, is served statelessly.
import { createServer } from "node:http";
import { z } from "zod";
import { MCPServer, definePrompt, defineTool } from "http-mcp";

const forecast = defineTool({
  description: "The forecast for a city.",
  // The SDK's shapes carry over as they are: a record of schemas stands for z.object() of them.
  input: { city: z.string(), days: z.number().int().min(1).max(7).default(3) },
  output: { city: z.string(), days: z.number(), summary: z.string() },
  // Return the structured value: the JSON text block is added, and the type is checked against `output`.
  handler: function forecast({ inputs, request }) {
    const caller = request.headers.get("x-caller") ?? "anonymous";
    return { city: inputs.city, days: inputs.days, summary: `Sunny in ${inputs.city} for ${inputs.days} days (asked by ${caller})` };
  },
});

const planTrip = definePrompt({
  description: "Plan a trip to a city.",
  arguments: { city: z.string() },
  handler: function plan_trip({ inputs }) {
    return `Plan a trip to ${inputs.city}.`;
  },
});

export const server = new MCPServer({ name: "weather", version: "1.0.0", tools: [forecast], prompts: [planTrip] });

export const httpServer = createServer(server.nodeHandler);
