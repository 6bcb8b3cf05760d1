// Benchmark server: one small tool with zod input and output schemas, served over stdio.
import { z } from "zod";
import { MCPServer, defineTool } from "../../dist/index.js";
import { serveStdio } from "../../dist/stdio/index.js";

const add = defineTool({
  description: "Add two integers.",
  input: z.object({ a: z.number().int(), b: z.number().int() }),
  output: z.object({ sum: z.number().int() }),
  handler: function add({ inputs }) {
    return { sum: inputs.a + inputs.b };
  },
});

serveStdio(new MCPServer({ name: "bench", version: "1.0.0", tools: [add] }));
