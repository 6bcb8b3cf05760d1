// Published schemas name their dialect (SEP-1613): tools/list keeps the `$schema` a schema library
// emits (2020-12) and the one a raw schema declares, even another dialect's, over real HTTP.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool, jsonSchema, MCPServer } from "http-mcp";
import { jsonSchemaValidator } from "http-mcp/json-schema";
import { listen, postLegacy, postModern, type Running } from "./helpers.js";

const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

// The conformance suite's `json_schema_2020_12_tool` input, verbatim in spirit: $defs, $anchor, composition, conditionals.
const suiteSchema = {
  $schema: DRAFT_2020_12,
  type: "object",
  $defs: { address: { $anchor: "address", type: "object", properties: { street: { type: "string" } } } },
  properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
  allOf: [{ anyOf: [{ required: ["name"] }, { required: ["address"] }] }],
  if: { properties: { name: { const: "x" } } },
  then: { required: ["address"] },
  else: {},
  additionalProperties: false,
};

function refSiblings($schema: string | undefined) {
  return {
    ...($schema && { $schema }),
    type: "object",
    definitions: { text: { type: "string" } },
    properties: { a: { $ref: "#/definitions/text", maxLength: 1 } },
  };
}

const server = new MCPServer({
  name: "dialects",
  version: "1.0.0",
  jsonSchemaValidator: jsonSchemaValidator(),
  tools: [
    defineTool({ name: "zod_tool", input: z.object({ a: z.number() }), output: z.object({ b: z.number() }), handler: ({ inputs }) => ({ b: inputs.a }) }),
    defineTool({
      name: "zod_error_message",
      input: z.object({ a: z.number() }),
      output: z.object({ b: z.number() }),
      returnErrorMessage: true,
      handler: ({ inputs }) => ({ b: inputs.a }),
    }),
    defineTool({ name: "shape_tool", input: { a: z.number() }, handler: () => "ok" }),
    defineTool({ name: "suite_tool", input: jsonSchema(suiteSchema), handler: () => "ok" }),
    defineTool({
      name: "draft07_tool",
      input: jsonSchema({ $schema: DRAFT_07, type: "object", properties: { a: { type: "number" } } }),
      handler: () => "ok",
    }),
    // Draft-07 ignores keywords beside $ref; 2020-12 applies them: the declared dialect decides.
    defineTool({ name: "ref_draft07", input: jsonSchema(refSiblings(DRAFT_07)), handler: () => "ok" }),
    defineTool({ name: "ref_2020_12", input: jsonSchema(refSiblings(undefined)), handler: () => "ok" }),
    defineTool({ name: "implicit_tool", input: jsonSchema({ type: "object", properties: { a: { type: "number" } } }), handler: () => "ok" }),
  ],
});

describe("JSON Schema dialects in tools/list", () => {
  let running: Running | undefined;
  const url = async () => (running ??= await listen(server.nodeHandler)).url;
  after(async () => {
    await running?.close();
    await server.close();
  });

  const toolsOf = async (era: "modern" | "legacy") => {
    const response = era === "modern" ? await postModern(await url(), 1, "tools/list") : await postLegacy(await url(), 1, "tools/list");
    assert.equal(response.status, 200);
    return new Map((response.json.result.tools as { name: string; inputSchema: any; outputSchema?: any }[]).map((tool) => [tool.name, tool]));
  };

  for (const era of ["modern", "legacy"] as const) {
    test(`${era}: schema libraries' schemas say 2020-12, raw schemas keep what they declare`, async () => {
      const tools = await toolsOf(era);
      assert.equal(tools.get("zod_tool")!.inputSchema.$schema, DRAFT_2020_12);
      assert.equal(tools.get("zod_tool")!.outputSchema.$schema, DRAFT_2020_12);
      // The conformance scenario `json-schema-2020-12` reads the raw schema back whole.
      assert.deepEqual(tools.get("suite_tool")!.inputSchema, suiteSchema);
      assert.equal(tools.get("draft07_tool")!.inputSchema.$schema, DRAFT_07);
      assert.equal(Object.hasOwn(tools.get("implicit_tool")!.inputSchema, "$schema"), false, "no dialect invented for a raw schema");
    });
  }

  test("jsonSchemaValidator validates a raw schema in the dialect it declares", async () => {
    const call = async (name: string) => (await postModern(await url(), 2, "tools/call", { name, arguments: { a: "abc" } })).json.result;
    assert.equal((await call("ref_draft07")).isError, undefined, "draft-07: maxLength beside $ref is ignored");
    assert.equal((await call("ref_2020_12")).isError, true, "2020-12 (no $schema): maxLength beside $ref applies");
  });

  test("a dialect is declared once, at the root: not in a raw shape's fields nor inside the errorMessage union", async () => {
    const tools = await toolsOf("modern");
    const shape = tools.get("shape_tool")!.inputSchema;
    assert.deepEqual(shape.properties.a, { type: "number" });
    const union = tools.get("zod_error_message")!.outputSchema;
    assert.equal(union.$schema, DRAFT_2020_12);
    assert.equal(JSON.stringify(union.anyOf).includes("$schema"), false);
  });
});
