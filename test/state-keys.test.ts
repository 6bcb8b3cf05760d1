// getState(key, type) is typed by the state's keys: checked by `npm run typecheck` (every
// `@ts-expect-error` must hit an error, every expectType must hold), plus one run through a server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createToolkit, defineTool, MCPServer, type HandlerContext, type Middleware } from "http-mcp";
import { listen, postModern } from "./helpers.js";
import { expectType } from "./type-assertions.js";

class Pool {
  query(sql: string): string[] {
    return [sql];
  }
}
interface AppState {
  db: Pool;
  greeting: string;
  mode: "fast" | "safe";
  retries: number;
  verbose: boolean;
  cache?: Map<string, string>;
}

const { defineTool: defineAppTool } = createToolkit<AppState>();

/** Compile-time checks only (never called): what a handler of a typed state may read. */
export function typedReads({ getState }: HandlerContext<unknown, AppState>): void {
  expectType<Pool>()(getState("db", Pool));
  expectType<string>()(getState("greeting", String));
  expectType<"fast" | "safe">()(getState("mode", String));
  expectType<number>()(getState("retries", Number));
  expectType<boolean>()(getState("verbose", Boolean));
  void getState("cache", Map).size; // an optional key: the value, when there, is a Map
  // @ts-expect-error a key the state does not have (a typo)
  getState("pool", Pool);
  // @ts-expect-error a key whose value is of another type
  getState("greeting", Number);
  // @ts-expect-error a class the value is not an instance of
  getState("db", Map);
}

const typed = defineAppTool({
  name: "typed",
  handler: ({ getState }) => `${getState("greeting", String)} ${getState("mode", String)} ${getState("db", Pool).query("q").length}`,
});

// Without a toolkit the state's type is unknown: any key, the value typed by the class checked.
const untyped = defineTool({
  name: "untyped",
  handler: ({ getState }) => {
    const key: string = "retries";
    expectType<number>()(getState(key, Number));
    expectType<Pool>()(getState("db", Pool));
    return String(getState(key, Number));
  },
});

// Contexts stay assignable as before: a tool of unknown state in a server without state, a
// middleware of unknown state in a typed server, a tool of a narrower state in a server with more.
const noState = (context: HandlerContext<unknown, undefined>): HandlerContext<unknown, unknown> => context;
const wider = (context: HandlerContext<unknown, AppState & { extra: Date }>): HandlerContext<unknown, AppState> => context;
const logging: Middleware = (_call, next) => next();
void [noState, wider];
// @ts-expect-error there is no state to read without a lifespan
const _noStateKeys = (context: HandlerContext<unknown, undefined>) => context.getState("db", Pool);

test("a typed getState reads the lifespan's value at run time", async () => {
  const server = new MCPServer({
    name: "state-keys",
    version: "1",
    tools: [typed, untyped],
    middleware: [logging],
    lifespan: (): AppState => ({ db: new Pool(), greeting: "hello", mode: "safe", retries: 3, verbose: false }),
  });
  const running = await listen(server.nodeHandler);
  try {
    const reply = await postModern(running.url, 1, "tools/call", { name: "typed" });
    assert.deepEqual(reply.json.result.content, [{ type: "text", text: "hello safe 1" }]);
    const untypedReply = await postModern(running.url, 2, "tools/call", { name: "untyped" });
    assert.deepEqual(untypedReply.json.result.content, [{ type: "text", text: "3" }]);
  } finally {
    await running.close();
    await server.close();
  }
});
