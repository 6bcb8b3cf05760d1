// The lifespan's state, inferred on every supported TypeScript (`npm run typecheck:versions` checks
// this file with 5.5, 5.9, 6.0 and 7.0): before 6.0, a `lifespan() {}` method is typed after the
// other options, so items checked against the state too early used to make it `undefined`.
// Type-level cases first (each `@ts-expect-error` must hit an error), then one run over HTTP.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { createToolkit, defineTool, MCPServer, type Middleware } from "http-mcp";
import { timeLimit } from "http-mcp/limits";
import { listen, postModern, type Running } from "./helpers.js";
import type { Equal, Expect } from "./type-assertions.js";

type StateOf<S> = S extends MCPServer<infer State, any, any> ? State : never;

class Db {
  query(sql: string): string {
    return `rows for ${sql}`;
  }
}
interface App {
  db: Db;
  label: string;
}
const kit = createToolkit<App>();
const query = kit.defineTool({
  name: "query",
  input: z.object({ sql: z.string() }),
  output: z.object({ rows: z.string() }),
  handler: ({ inputs, state }) => ({ rows: state.db.query(inputs.sql) }),
});
const label = kit.definePrompt({ name: "label", handler: ({ state }) => state.label });
const labelResource = kit.defineResource({ uri: "app://label", read: ({ state }) => state.label });

// ---------------------------------------------------------------- inferred from a generator method
const served = new MCPServer({
  name: "state",
  version: "1",
  tools: [query],
  prompts: [label],
  resources: [labelResource],
  async *lifespan() {
    yield { db: new Db(), label: "the label" };
  },
});
type _served = Expect<Equal<StateOf<typeof served>, App>>;

// Items defined inline, before or after the lifespan.
const inlineBefore = new MCPServer({
  name: "state",
  version: "1",
  tools: [kit.defineTool({ name: "inline", handler: ({ state }) => state.label })],
  async *lifespan() {
    yield { db: new Db(), label: "x" };
  },
});
type _inlineBefore = Expect<Equal<StateOf<typeof inlineBefore>, App>>;
const inlineAfter = new MCPServer({
  name: "state",
  version: "1",
  async *lifespan() {
    yield { db: new Db(), label: "x" };
  },
  tools: [kit.defineTool({ name: "inline", handler: ({ state }) => state.label })],
});
type _inlineAfter = Expect<Equal<StateOf<typeof inlineAfter>, App>>;

// Middleware: typed constants, library middleware, and inline middleware after the lifespan.
const audit: Middleware<App> = (call, next) => (call.state.label ? next() : next());
const withMiddleware = new MCPServer({
  name: "state",
  version: "1",
  tools: [query],
  async *lifespan() {
    yield { db: new Db(), label: "x" };
  },
  middleware: [audit, timeLimit({ ms: 1000 }), (call, next) => (call.state.db.query("m") ? next() : next())],
});
type _withMiddleware = Expect<Equal<StateOf<typeof withMiddleware>, App>>;

// Other forms of lifespan: arrow, async arrow, generator function expression.
const arrow = new MCPServer({ name: "s", version: "1", tools: [query], lifespan: () => ({ db: new Db(), label: "x" }) });
type _arrow = Expect<Equal<StateOf<typeof arrow>, App>>;
const asyncArrow = new MCPServer({ name: "s", version: "1", tools: [query], lifespan: async () => ({ db: new Db(), label: "x" }) });
type _asyncArrow = Expect<Equal<StateOf<typeof asyncArrow>, App>>;
const generatorFunction = new MCPServer({
  name: "s",
  version: "1",
  tools: [query],
  lifespan: async function* () {
    yield { db: new Db(), label: "x" };
  },
});
type _generatorFunction = Expect<Equal<StateOf<typeof generatorFunction>, App>>;

// A state wider than the items need; items needing nothing.
const wider = new MCPServer({
  name: "s",
  version: "1",
  tools: [query, defineTool({ name: "plain", handler: () => "no state" })],
  async *lifespan() {
    yield { db: new Db(), label: "x", extra: 1 };
  },
});
type _wider = Expect<Equal<StateOf<typeof wider>, { db: Db; label: string; extra: number }>>;
const stateless = new MCPServer({ name: "s", version: "1", tools: [defineTool({ name: "plain", handler: () => "no state" })] });
type _stateless = Expect<Equal<StateOf<typeof stateless>, undefined>>;

// ---------------------------------------------------------------- refused
const cacheTool = createToolkit<{ cache: Map<string, string> }>().defineTool({ name: "cached", handler: ({ state }) => String(state.cache.size) });
new MCPServer({
  name: "s",
  version: "1",
  // @ts-expect-error a tool written for another state (the lifespan a method)
  tools: [query, cacheTool],
  async *lifespan() {
    yield { db: new Db(), label: "x" };
  },
});
new MCPServer({
  name: "s",
  version: "1",
  // @ts-expect-error a tool written for another state (the lifespan an arrow)
  tools: [cacheTool],
  lifespan: () => ({ db: new Db(), label: "x" }),
});
new MCPServer({
  name: "s",
  version: "1",
  // @ts-expect-error the lifespan's state lacks what the tools read (named on the tools: `label` is missing)
  tools: [query],
  async *lifespan() {
    yield { db: new Db() };
  },
});
// @ts-expect-error a tool that reads state, and no lifespan
new MCPServer({ name: "s", version: "1", tools: [query] });
// @ts-expect-error a prompt that reads state, and no lifespan
new MCPServer({ name: "s", version: "1", prompts: [label] });
// @ts-expect-error a resource that reads state, and no lifespan
new MCPServer({ name: "s", version: "1", resources: [labelResource] });

// ---------------------------------------------------------------- runtime
let running: Running | undefined;
after(async () => {
  await running?.close();
  await served.close();
});

test("handlers see the state a generator-method lifespan yields", async () => {
  running = await listen(served.nodeHandler);
  const call = await postModern(running.url, 1, "tools/call", { name: "query", arguments: { sql: "select 1" } });
  assert.deepEqual(call.json.result.structuredContent, { rows: "rows for select 1" });
  const prompt = await postModern(running.url, 2, "prompts/get", { name: "label" });
  assert.equal(prompt.json.result.messages[0].content.text, "the label");
});
