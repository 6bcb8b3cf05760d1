// Raw shapes, `input: { city: z.string() }`: a record of Standard Schemas standing for an object
// schema (as the official SDKs take it). Type-level cases first (checked by every supported
// compiler), then the runtime over HTTP: JSON Schema, validation, defaults, unknown keys, prompts.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { type } from "arktype";
import * as v from "valibot";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { definePrompt, defineTool, MCPServer, type RawShape } from "http-mcp";
import { listen, postLegacy, postModern, type Running } from "./helpers.js";
import type { Equal, Expect } from "./type-assertions.js";

// ---------------------------------------------------------------- types
const forecast = defineTool({
  name: "forecast",
  input: {
    city: z.string().describe("Where"),
    days: z.number().int().min(1).max(7).default(3),
    note: z.string().optional(),
    unit: type("'c' | 'f'"),
    hours: toStandardJsonSchema(v.optional(v.array(v.number()))),
  },
  output: { summary: z.string(), days: z.number(), warnings: z.array(z.string()).default([]) },
  handler: ({ inputs }) => {
    // The output types: defaults applied, optional keys where undefined is possible; any library's fields.
    type _inputs = Expect<Equal<typeof inputs, { city: string; days: number; unit: "c" | "f"; note?: string | undefined; hours?: number[] | undefined }>>;
    // The return is checked against the output shape's input type: `warnings` has a default.
    return { summary: `${inputs.city}, ${inputs.days} days in °${inputs.unit}${inputs.note ? ` (${inputs.note})` : ""}`, days: inputs.days };
  },
});
defineTool({
  name: "wrong_shape_return",
  output: { summary: z.string() },
  // @ts-expect-error the output shape is enforced like an object schema
  handler: () => ({ summary: 1 }),
});
defineTool({
  name: "missing_shape_field",
  output: { summary: z.string(), days: z.number() },
  // @ts-expect-error a required field of the output shape is missing
  handler: async () => ({ summary: "x" }),
});
const brief = definePrompt({
  name: "brief",
  arguments: { topic: z.string(), detailed: z.boolean().default(false) },
  handler: ({ inputs }) => {
    type _arguments = Expect<Equal<typeof inputs, { topic: string; detailed: boolean }>>;
    return `Brief me on ${inputs.topic}${inputs.detailed ? " in detail" : ""}.`;
  },
});
// A raw shape is typed as such, and its values must be schemas to be one (else: a raw JSON Schema).
type _shape = Expect<Equal<{ city: z.ZodString } extends RawShape ? true : false, true>>;
type _notShape = Expect<Equal<{ type: "object" } extends RawShape ? true : false, false>>;

// ---------------------------------------------------------------- runtime
describe("raw shapes over HTTP", () => {
  const asyncCheck = defineTool({
    name: "async_check",
    input: { code: z.string().refine(async (code) => code.startsWith("ok"), "bad code") },
    handler: ({ inputs }) => `accepted ${inputs.code}`,
  });
  const badOutput = defineTool({ name: "bad_output", output: { n: z.number() }, handler: () => ({ n: "one" }) as never });
  const server = new MCPServer({ name: "shapes", version: "1", tools: [forecast, asyncCheck, badOutput], prompts: [brief], onError: () => {} });
  let running: Running | undefined;
  const url = async () => (running ??= await listen(server.nodeHandler)).url;
  after(async () => {
    await running?.close();
    await server.close();
  });

  test("tools/list: one object schema from the fields' schemas; required where undefined is refused", async () => {
    const tools = (await postModern(await url(), 1, "tools/list")).json.result.tools as { name: string; inputSchema: any; outputSchema?: any }[];
    const listed = tools.find((tool) => tool.name === "forecast")!;
    assert.deepEqual(listed.inputSchema, {
      type: "object",
      properties: {
        city: { type: "string", description: "Where" },
        days: { type: "integer", minimum: 1, maximum: 7, default: 3 },
        note: { type: "string" },
        unit: { enum: ["c", "f"] },
        hours: { type: "array", items: { type: "number" } },
      },
      required: ["city", "unit"],
    });
    // Output: a defaulted field is always there, so it is required; no other keys are sent.
    assert.deepEqual(listed.outputSchema.required, ["summary", "days", "warnings"]);
    assert.equal(listed.outputSchema.additionalProperties, false);
    assert.equal(JSON.stringify(listed).includes("$schema"), false);
    // A field whose schema is asynchronous cannot be probed: required in input, to be safe.
    assert.deepEqual(tools.find((tool) => tool.name === "async_check")!.inputSchema.required, ["code"]);
  });

  test("tools/call: each field validated and defaulted, unknown keys dropped, output checked", async () => {
    const ok = await postModern(await url(), 2, "tools/call", { name: "forecast", arguments: { city: "Oslo", unit: "c", extra: "dropped" } });
    assert.deepEqual(ok.json.result.structuredContent, { summary: "Oslo, 3 days in °c", days: 3, warnings: [] });
    const bad = await postModern(await url(), 3, "tools/call", { name: "forecast", arguments: { city: 7, days: 9, unit: "k", hours: ["x"] } });
    assert.equal(bad.json.result.isError, true);
    const text: string = bad.json.result.content[0].text;
    assert.match(text, /^Error validating arguments for tool forecast: /);
    const fields = (JSON.parse(text.slice(text.indexOf("["))) as { field: string }[]).map((issue) => issue.field);
    assert.deepEqual(fields.sort(), ["city", "days", "hours.0", "unit"]);
    const wrongOutput = await postModern(await url(), 4, "tools/call", { name: "bad_output" });
    assert.match(wrongOutput.json.result.content[0].text, /returned output that does not match its output schema/);
  });

  test("tools/call: arguments that are not an object, and asynchronous fields", async () => {
    const notObject = await postLegacy(await url(), 5, "tools/call", { name: "forecast", arguments: ["Oslo"] });
    assert.ok(notObject.json.error ?? notObject.json.result.isError, JSON.stringify(notObject.json));
    const accepted = await postModern(await url(), 6, "tools/call", { name: "async_check", arguments: { code: "ok-1" } });
    assert.deepEqual(accepted.json.result.content, [{ type: "text", text: "accepted ok-1" }]);
    const refused = await postModern(await url(), 7, "tools/call", { name: "async_check", arguments: { code: "no" } });
    assert.match(refused.json.result.content[0].text, /"field":"code","message":"bad code"/);
  });

  test("prompts: arguments from the shape, required flags, strings converted to the declared types", async () => {
    const listed = (await postModern(await url(), 8, "prompts/list")).json.result.prompts[0];
    assert.deepEqual(
      listed.arguments.map(({ name, required }: { name: string; required: boolean }) => ({ name, required })),
      [
        { name: "topic", required: true },
        { name: "detailed", required: false },
      ],
    );
    const got = await postModern(await url(), 9, "prompts/get", { name: "brief", arguments: { topic: "tides", detailed: "true" } });
    assert.equal(got.json.result.messages[0].content.text, "Brief me on tides in detail.");
  });
});

describe("raw shapes at registration", () => {
  test("a field schema without JSON Schema support is refused, naming the tool", () => {
    const plain = defineTool({ name: "plain_valibot", input: { city: v.string() }, handler: () => "x" });
    assert.throws(() => new MCPServer({ name: "s", version: "1", tools: [plain] }), {
      name: "TypeError",
      message: /tool "plain_valibot": schema from "valibot" does not implement Standard JSON Schema/,
    });
  });

  test("a raw JSON Schema stays one: objects whose values are not all schemas", () => {
    const raw = defineTool({ name: "raw", input: { type: "object", properties: { city: z.string() } }, handler: () => "x" });
    assert.throws(() => new MCPServer({ name: "s", version: "1", tools: [raw] }), /a raw JSON Schema needs a validator/);
  });
});
