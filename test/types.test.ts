// Type-level tests (checked by `npm run typecheck`: every `@ts-expect-error` must hit an error,
// every Expect<Equal<…>> must hold) plus runtime checks of schema libraries, naming and validation.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { type } from "arktype";
import * as v from "valibot";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import {
  createToolkit,
  definePrompt,
  defineTool,
  jsonSchema,
  MCPServer,
  text,
  type ContentBlock,
  type NoArguments,
  type Tool,
} from "http-mcp";
import { jsonSchemaValidator } from "http-mcp/json-schema";
import { listen, postModern, type Running } from "./helpers.js";
import { expectType, type Equal, type Expect } from "./type-assertions.js";

// ---------------------------------------------------------------- type helpers

class Db {
  query(sql: string): string[] {
    return [sql];
  }
}
class Cache {
  size = 0;
}

// ---------------------------------------------------------------- inputs and returns (zod)
const Weather = z.object({
  city: z.string(),
  unit: z.enum(["c", "f"]).default("c"),
  days: z.string().transform((s) => Number(s)),
});
defineTool({
  name: "zod_inputs",
  input: Weather,
  output: z.object({ answer: z.string(), count: z.number().default(0) }),
  handler: ({ inputs }) => {
    // Output type after defaults and transforms.
    type _inputs = Expect<Equal<typeof inputs, { city: string; unit: "c" | "f"; days: number }>>;
    expectType<string>()(inputs.city);
    expectType<number>()(inputs.days);
    // The return is checked against the output schema's *input* type: `count` may be omitted.
    return { answer: inputs.city };
  },
});
defineTool({
  name: "zod_default",
  input: z.object({ s: z.string().default("x") }),
  handler: ({ inputs }) => {
    expectType<string>()(inputs.s);
    // @ts-expect-error inputs is the output type: `s` cannot be undefined
    expectType<string | undefined>()(inputs.s);
    return "ok";
  },
});
defineTool({
  name: "wrong_return",
  output: z.object({ answer: z.string() }),
  // @ts-expect-error answer must be a string
  handler: () => ({ answer: 1 }),
});
defineTool({
  name: "wrong_async_return",
  output: z.object({ answer: z.string() }),
  // @ts-expect-error a missing required field is a compile error too (async handlers included)
  handler: async () => ({}),
});

// ---------------------------------------------------------------- no input / no output
defineTool({
  name: "no_input",
  handler: ({ inputs }) => {
    type _noArgs = Expect<Equal<typeof inputs, NoArguments>>;
    return "text";
  },
});
defineTool({ name: "returns_block", handler: () => text("hi") });
defineTool({ name: "returns_blocks", handler: (): ContentBlock[] => [text("a"), { type: "image", data: "AA==", mimeType: "image/png" }] });
defineTool({ name: "returns_nothing", handler: async () => {} });
// @ts-expect-error a tool without output schema may not return a number
defineTool({ name: "returns_number", handler: () => 42 });
// @ts-expect-error …nor an arbitrary object
defineTool({ name: "returns_object", handler: () => ({ answer: "x" }) });

// ---------------------------------------------------------------- state: toolkit, getState, lifespan
interface AppState {
  db: Db;
  greeting: string;
}
const kit = createToolkit<AppState>();
const dbTool = kit.defineTool({
  name: "db_tool",
  handler: ({ state, getState }) => {
    type _state = Expect<Equal<typeof state, AppState>>;
    expectType<Db>()(getState("db", Db));
    expectType<string>()(getState("greeting", String));
    // Keys outside the state, and values of other types, are compile errors: test/state-keys.test.ts.
    return state.db.query("select 1").join();
  },
});
type _toolState = Expect<Equal<typeof dbTool, Tool<AppState, "db_tool", undefined, undefined, false>>>;
kit.definePrompt({
  name: "state_prompt",
  handler: ({ state, inputs }) => {
    expectType<AppState>()(state);
    expectType<NoArguments>()(inputs);
    return state.greeting;
  },
});

const lifespanServer = new MCPServer({
  name: "typed",
  version: "1",
  async *lifespan() {
    yield { db: new Db() };
  },
  tools: [
    createToolkit<{ db: Db }>().defineTool({ name: "uses_db", handler: ({ state }) => state.db.query("x").join() }),
    defineTool({ name: "stateless", handler: () => "no state needed" }),
  ],
});
type StateOf<S> = S extends MCPServer<infer State, any, any> ? State : never;
type ToolNamesOf<S> = NonNullable<S extends { "~catalog"?: infer C } ? C : never> extends { tools: infer T } ? (T extends Tool<any, infer N> ? N : never) : never;
type _inferred = Expect<Equal<StateOf<typeof lifespanServer>, { db: Db }>>;
type _toolNames = Expect<Equal<ToolNamesOf<typeof lifespanServer>, "uses_db" | "stateless">>;
expectType<{ db: Db } | undefined>()(lifespanServer.state);
const cacheTool = createToolkit<{ cache: Cache }>().defineTool({ name: "uses_cache", handler: ({ state }) => String(state.cache.size) });
new MCPServer({
  name: "typed",
  version: "1",
  lifespan: () => ({ db: new Db() }),
  // @ts-expect-error a tool written for another state type
  tools: [cacheTool],
});

// ---------------------------------------------------------------- ArkType, Valibot, raw JSON Schema, prompts
const arkInput = type({ city: "string", "days?": "1 <= number.integer <= 7" });
const arkTool = defineTool({
  name: "ark_weather",
  input: arkInput,
  output: type({ forecast: "string" }),
  handler: ({ inputs }) => {
    type _ark = Expect<Equal<typeof inputs, { city: string; days?: number }>>;
    return { forecast: `${inputs.city}: sunny for ${inputs.days ?? 1} day(s)` };
  },
});
defineTool({
  name: "ark_wrong_return",
  output: type({ forecast: "string" }),
  // @ts-expect-error ArkType output schema is enforced too
  handler: () => ({ forecast: false }),
});

const valibotInput = toStandardJsonSchema(v.object({ city: v.string(), days: v.optional(v.pipe(v.number(), v.integer()), 3) }));
const valibotTool = defineTool({
  name: "valibot_weather",
  input: valibotInput,
  handler: ({ inputs }) => {
    type _valibot = Expect<Equal<typeof inputs, { city: string; days: number }>>;
    return `${inputs.city} for ${inputs.days} days`;
  },
});

const rawInput = jsonSchema<{ a: number }>({
  type: "object",
  properties: { a: { type: "number" } },
  required: ["a"],
  additionalProperties: false,
});
const rawTool = defineTool({
  name: "raw_double",
  input: rawInput,
  output: jsonSchema<{ doubled: number }>({ type: "object", properties: { doubled: { type: "number" } }, required: ["doubled"] }),
  handler: ({ inputs }) => {
    type _raw = Expect<Equal<typeof inputs, { a: number }>>;
    return { doubled: inputs.a * 2 };
  },
});
defineTool({
  name: "raw_untyped",
  input: { type: "object" },
  handler: ({ inputs }) => {
    type _untyped = Expect<Equal<typeof inputs, Record<string, unknown>>>;
    return "ok";
  },
});

definePrompt({
  name: "typed_prompt",
  arguments: z.object({ topic: z.string(), detailed: z.boolean().default(false) }),
  handler: ({ inputs }) => {
    type _prompt = Expect<Equal<typeof inputs, { topic: string; detailed: boolean }>>;
    return [{ role: "user", content: text(`${inputs.topic}${inputs.detailed ? " in detail" : ""}`) }];
  },
});
// @ts-expect-error a prompt must return text or messages
definePrompt({ name: "bad_prompt", handler: () => 1 });

// ================================================================ runtime
describe("schema libraries over HTTP", () => {
  const server = new MCPServer({
    name: "schemas",
    version: "1",
    tools: [arkTool, valibotTool, rawTool],
    jsonSchemaValidator: jsonSchemaValidator(),
  });
  let running: Running | undefined;
  const url = async () => (running ??= await listen(server.nodeHandler)).url;
  after(async () => {
    await running?.close();
    await server.close();
  });

  test("tools/list carries each library's JSON Schema, with its $schema", async () => {
    const response = await postModern(await url(), 1, "tools/list");
    assert.equal(response.status, 200);
    const tools = response.json.result.tools as { name: string; inputSchema: any; outputSchema?: any }[];
    const byName = new Map(tools.map((t) => [t.name, t]));
    const ark = byName.get("ark_weather");
    assert.deepEqual(ark?.inputSchema.properties.days, { type: "integer", minimum: 1, maximum: 7 });
    assert.deepEqual(ark?.inputSchema.required, ["city"]);
    assert.equal(ark?.inputSchema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.equal(ark?.outputSchema.properties.forecast.type, "string");
    const valibot = byName.get("valibot_weather");
    assert.deepEqual(valibot?.inputSchema.properties.city, { type: "string" });
    assert.equal(valibot?.inputSchema.properties.days.default, 3);
    assert.equal(valibot?.inputSchema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.deepEqual(byName.get("raw_double")?.inputSchema.required, ["a"]);
  });

  test("ArkType: valid call and validation errors as isError results", async () => {
    const ok = await postModern(await url(), 2, "tools/call", { name: "ark_weather", arguments: { city: "Oslo", days: 2 } });
    assert.deepEqual(ok.json.result.structuredContent, { forecast: "Oslo: sunny for 2 day(s)" });
    const bad = await postModern(await url(), 3, "tools/call", { name: "ark_weather", arguments: { city: 1, days: 9 } });
    assert.equal(bad.status, 200);
    assert.equal(bad.json.result.isError, true);
    const message: string = bad.json.result.content[0].text;
    assert.match(message, /^Error validating arguments for tool ark_weather: /);
    const issues = JSON.parse(message.slice(message.indexOf("["))) as { field: string }[];
    assert.deepEqual(issues.map((i) => i.field).sort(), ["city", "days"]);
  });

  test("Valibot: defaults applied, validation errors as isError results", async () => {
    const ok = await postModern(await url(), 4, "tools/call", { name: "valibot_weather", arguments: { city: "Rome" } });
    assert.deepEqual(ok.json.result.content, [{ type: "text", text: "Rome for 3 days" }]);
    const bad = await postModern(await url(), 5, "tools/call", { name: "valibot_weather", arguments: { city: "Rome", days: 1.5 } });
    assert.equal(bad.json.result.isError, true);
    assert.match(bad.json.result.content[0].text, /Error validating arguments for tool valibot_weather: .*"field":"days"/);
  });

  test("raw JSON Schema with jsonSchemaValidator(): validates, sanitized errors name the field", async () => {
    const ok = await postModern(await url(), 6, "tools/call", { name: "raw_double", arguments: { a: 21 } });
    assert.deepEqual(ok.json.result.structuredContent, { doubled: 42 });
    const secret = "s3cr3t-value";
    const bad = await postModern(await url(), 7, "tools/call", { name: "raw_double", arguments: { a: secret } });
    assert.equal(bad.json.result.isError, true);
    const message: string = bad.json.result.content[0].text;
    assert.match(message, /Error validating arguments for tool raw_double: .*"field":"a"/);
    assert.ok(!message.includes(secret), `offending value leaked: ${message}`);
    assert.match(message, /Expected \\"number\\"/);
  });

  test("raw JSON Schema: a missing required property is named in the error", async () => {
    const bad = await postModern(await url(), 8, "tools/call", { name: "raw_double", arguments: {} });
    assert.equal(bad.json.result.isError, true);
    const message: string = bad.json.result.content[0].text;
    const issues = JSON.parse(message.slice(message.indexOf("["))) as { field: string; message: string }[];
    // Either the issue's field is "a" or its message says which required property is missing.
    const names = issues.some((i) => i.field === "a" || (/required/i.test(i.message) && /\ba\b/.test(i.message)));
    assert.ok(names, `the missing field is not identified: ${JSON.stringify(issues)}`);
  });
});

describe("registration errors", () => {
  test("a raw JSON Schema without a validator throws at construction", () => {
    const tool = defineTool({ name: "raw", input: { type: "object" }, handler: () => "x" });
    assert.throws(() => new MCPServer({ name: "s", version: "1", tools: [tool] }), {
      name: "TypeError",
      message: /tool "raw": a raw JSON Schema needs a validator/,
    });
    assert.doesNotThrow(() => new MCPServer({ name: "s", version: "1", tools: [tool], jsonSchemaValidator: jsonSchemaValidator() }));
  });

  test("duplicate tool and prompt names throw", () => {
    const a = defineTool({ name: "same", handler: () => "a" });
    const b = defineTool({ name: "same", handler: () => "b" });
    assert.throws(() => new MCPServer({ name: "s", version: "1", tools: [a, b] }), { message: 'Duplicate tool name "same"' });
    const p = definePrompt({ name: "p", handler: () => "p" });
    assert.throws(() => new MCPServer({ name: "s", version: "1", prompts: [p, p] }), { message: 'Duplicate prompt name "p"' });
  });

  test("invalid names throw", () => {
    for (const name of ["has space", "", "x".repeat(129), "emoji🙂", "slash/name"]) {
      assert.throws(() => defineTool({ name, handler: () => "x" }), TypeError, `name ${JSON.stringify(name)}`);
    }
    assert.throws(() => definePrompt({ name: "bad name", handler: () => "x" }), /Invalid prompt name "bad name"/);
    assert.equal(defineTool({ name: "ok.name-1_2", handler: () => "x" }).name, "ok.name-1_2");
    assert.equal(defineTool({ name: "x".repeat(128), handler: () => "x" }).name.length, 128);
  });

  test("name from a named handler function, title derived from the name", () => {
    const snake = defineTool({ handler: function get_weather() { return "sunny"; } });
    assert.equal(snake.name, "get_weather");
    assert.equal(snake.title, "Get Weather");
    const camel = defineTool({ handler: function getWeather() { return "sunny"; } });
    assert.equal(camel.name, "getWeather");
    assert.equal(camel.title, "Get Weather");
    const named = async function fetchUserProfile() { return "p"; };
    assert.equal(definePrompt({ handler: named }).title, "Fetch User Profile");
    assert.equal(defineTool({ name: "get_time", title: "Clock", handler: () => "t" }).title, "Clock");
  });

  test("an anonymous arrow handler without a name throws", () => {
    // Written inline, the arrow is named "handler" after the property: still anonymous.
    assert.throws(() => defineTool({ handler: () => "x" }), /A tool needs a name/);
    const handlers = [() => "x"];
    assert.throws(() => defineTool({ handler: handlers[0]! }), /A tool needs a name/);
    assert.throws(() => definePrompt({ handler: () => "x" }), /A prompt needs a name/);
  });
});
