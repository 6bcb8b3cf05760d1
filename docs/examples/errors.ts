import { z } from "zod";
import { MCPServer, defineTool, ToolInvocationError } from "http-mcp";

const Divide = z.object({ a: z.number(), b: z.number() });

// Failure as an `isError: true` result the model can read.
const divide = defineTool({
  description: "Divide a by b.",
  input: Divide,
  output: z.object({ quotient: z.number() }),
  handler: function divide({ inputs }) {
    if (inputs.b === 0) throw new ToolInvocationError("Division by zero");
    return { quotient: inputs.a / inputs.b };
  },
});

// Failure as structured output `{ errorMessage }`; the output schema becomes the union.
const safeDivide = defineTool({
  name: "safe_divide",
  description: "Divide a by b, reporting errors as data.",
  input: Divide,
  output: z.object({ quotient: z.number() }),
  returnErrorMessage: true,
  handler: ({ inputs }) => {
    if (inputs.b === 0) throw new ToolInvocationError("Division by zero");
    return { quotient: inputs.a / inputs.b };
  },
});

export const server = new MCPServer({ name: "math", version: "1.0.0", tools: [divide, safeDivide] });
