// A server that reports to OpenTelemetry (spans and the duration histogram of the MCP semantic
// conventions) and logs one structured event per request to a pino-shaped logger.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { logEvents, type EventLogger } from "http-mcp/events";
import { openTelemetry } from "http-mcp/otel";

const forecast = defineTool({
  name: "forecast",
  description: "Tomorrow's weather for a city.",
  input: z.object({ city: z.string() }),
  handler: ({ inputs }) => `Sunny in ${inputs.city}`,
});

/**
 * `logger`: pino's (`pino()`), or anything with info/warn/error(object, message). Spans and metrics
 * go to the global providers, so set up the OpenTelemetry SDK before the first request.
 */
export function createServer(logger: EventLogger) {
  return new MCPServer({
    name: "weather",
    version: "1.0.0",
    tools: [forecast],
    // Outermost first; both see every request, on every transport.
    instrumentation: [openTelemetry(), logEvents(logger)],
  });
}
