// server.ts: run it with `npx tsx server.ts` (or `node server.ts` on Node ≥ 22.18); PORT sets the port.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { serve } from "http-mcp/node";

const greet = defineTool({
  description: "Answer a question with a greeting.",
  input: z.object({ question: z.string().describe("The question to answer") }),
  output: z.object({ answer: z.string() }),
  // The name "greet" comes from the function; `inputs` is typed from the input schema,
  // and returning anything but { answer: string } is a compile error.
  handler: function greet({ inputs }) {
    return { answer: `Hello, ${inputs.question}!` };
  },
});

const server = new MCPServer({ name: "hello", version: "1.0.0", tools: [greet] });

// Listens on 127.0.0.1 (Ctrl-C stops it once the calls in flight are done).
const { url } = await serve(server, { port: Number(process.env.PORT ?? 3000) });
console.log(`MCP server on ${url}/mcp`);
