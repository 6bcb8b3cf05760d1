// Tools the suite's pending and extension scenarios look for that need nothing beyond plain tools:
// the tasks scenarios' synchronous `greet`, the SEP-1613/SEP-2106 schema tool (its raw JSON Schema
// 2020-12, exactly as the suite publishes it), and a tool with an `x-mcp-header` parameter
// (SEP-2243), whose Mcp-Param-* header the custom-header scenario sends and tampers with.
import { z } from "zod";
import { defineTool, jsonSchema } from "http-mcp";

/** The input schema `json-schema-2020-12` expects in tools/list, keyword for keyword. */
export const JSON_SCHEMA_2020_12_INPUT = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: {
    address: {
      $anchor: "addressDef",
      type: "object",
      properties: { street: { type: "string" }, city: { type: "string" } },
    },
  },
  properties: {
    name: { type: "string" },
    address: { $ref: "#/$defs/address" },
    contactMethod: { type: "string", enum: ["phone", "email"] },
    phone: { type: "string" },
    email: { type: "string" },
  },
  allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
  if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
  then: { required: ["phone"] },
  else: { required: ["email"] },
  additionalProperties: false,
};

export const specTools = [
  defineTool({
    name: "greet",
    description: "Greets someone (a tool that never runs as a task)",
    input: z.object({ name: z.string().describe("Who to greet") }),
    handler: ({ inputs }) => `Hello, ${inputs.name}!`,
  }),
  defineTool({
    name: "json_schema_2020_12_tool",
    description: "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
    input: jsonSchema<{ name?: string; contactMethod?: string; phone?: string; email?: string }>(JSON_SCHEMA_2020_12_INPUT),
    handler: ({ inputs }) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(inputs)}`,
  }),
  defineTool({
    name: "test_mcp_param_header",
    description: "Tool whose region argument is mirrored in the Mcp-Param-Region header (SEP-2243)",
    input: jsonSchema<{ region: string }>({
      type: "object",
      properties: { region: { type: "string", description: "Region to report", "x-mcp-header": "Region" } },
      required: ["region"],
    }),
    handler: ({ inputs }) => `Region: ${inputs.region}`,
  }),
];
