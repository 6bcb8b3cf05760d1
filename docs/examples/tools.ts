// Tools: derived names and titles, annotations, content blocks, the request, and cancellation.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { MCPServer, defineTool, image, resourceLink, text } from "http-mcp";

// No input schema: the tool takes no arguments. Name "get_time" and title "Get Time" come from the function.
const getTime = defineTool({
  description: "The server's current time (UTC, HH:MM:SS).",
  output: z.object({ time: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: function get_time() {
    return { time: new Date().toISOString().slice(11, 19) };
  },
});

// No output schema: return a string, one content block, or several.
const salesReport = defineTool({
  name: "sales_report",
  title: "Weekly sales",
  description: "This week's sales: a summary, a chart, and a link to the full data.",
  handler: () => [
    text("Sales rose 12% this week."),
    image(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), "image/png"), // bytes are sent base64-encoded
    resourceLink({ uri: "reports://sales/this-week.csv", name: "this-week.csv", mimeType: "text/csv" }),
  ],
});

// The request as the transport saw it: headers, URL, and the raw Request or IncomingMessage.
const whoami = defineTool({
  description: "Which client is calling, and over which transport.",
  output: z.object({ userAgent: z.string(), transport: z.enum(["http", "stdio"]) }),
  handler: function whoami({ request }) {
    return { userAgent: request.headers.get("user-agent") ?? "unknown", transport: request.transport };
  },
});

// `signal` fires when the client cancels the call or goes away: hand it to whatever waits.
const wait = defineTool({
  description: "Wait for a while, then answer.",
  input: z.object({ ms: z.number().int().min(0).max(60_000).describe("How long to wait, in milliseconds") }),
  output: z.object({ waitedMs: z.number() }),
  handler: async function wait({ inputs, signal }) {
    await sleep(inputs.ms, undefined, { signal });
    return { waitedMs: inputs.ms };
  },
});

export const server = new MCPServer({ name: "tools", version: "1.0.0", tools: [getTime, salesReport, whoami, wait] });
