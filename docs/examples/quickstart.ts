import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";

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

export const server = new MCPServer({ name: "hello", version: "1.0.0", tools: [greet] });

// Serve it on Node:
//   import { createServer } from "node:http";
//   createServer(server.nodeHandler).listen(3000, "127.0.0.1");
