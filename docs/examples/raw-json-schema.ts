import { MCPServer, defineTool, jsonSchema } from "http-mcp";
import { jsonSchemaValidator } from "http-mcp/json-schema";

const add = defineTool({
  description: "Add two numbers.",
  // A raw JSON Schema, typed for the handler with jsonSchema<T>().
  input: jsonSchema<{ a: number; b: number }>({
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
  }),
  handler: function add({ inputs }) {
    return String(inputs.a + inputs.b);
  },
});

// Raw schemas are validated by @cfworker/json-schema (an optional peer dependency).
export const server = new MCPServer({ name: "adder", version: "1.0.0", tools: [add], jsonSchemaValidator: jsonSchemaValidator() });
