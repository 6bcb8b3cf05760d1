// The server the deployment examples serve: nothing in it depends on the runtime.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";

const add = defineTool({
  // Named explicitly: bundlers rename functions to avoid clashes (esbuild turns `function add` into
  // `add2` in a Workers bundle), and a derived name would follow.
  name: "add",
  description: "Add two numbers.",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
});

export const server = new MCPServer({ name: "calculator", version: "1.0.0", tools: [add] });
