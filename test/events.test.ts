// Structured request events (`http-mcp/events`): one per finished request on every transport, at
// the level its outcome calls for, carrying no arguments or credentials; `logEvents` fits a
// pino-shaped logger, and several instrumentations run together.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { definePrompt, defineResource, defineTool, MCPServer, ToolInvocationError } from "http-mcp";
import { logEvents, requestEvents, type RequestEvent } from "http-mcp/events";
import { defineExtension } from "http-mcp/extensions";
import { inMemoryStdio, listen, listenFetch, postLegacy, postModern } from "./helpers.js";

const tools = [
  defineTool({ name: "echo", input: z.object({ text: z.string() }), handler: ({ inputs }) => inputs.text }),
  defineTool({ name: "refuse", handler: () => Promise.reject(new ToolInvocationError("out of paper")) }),
];
const broken = defineExtension({
  id: "com.example/broken",
  withoutClient: "serve",
  methods: { "broken/run": { handler: () => Promise.reject(new Error("database is down")) } },
});

/** A logger shaped like pino's: what it was called with, by level. */
function recordingLogger() {
  const entries: { level: string; object: any; message: string | undefined }[] = [];
  const at = (level: string) => (object: object, message?: string) => void entries.push({ level, object, message });
  return { entries, logger: { info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("logEvents", () => {
  test("one entry per request: info for successes, warn for tool and client errors, error with the stack for internal ones", async (t) => {
    const { entries, logger } = recordingLogger();
    const reported: unknown[] = [];
    const server = new MCPServer({
      name: "events",
      version: "1",
      tools,
      extensions: [broken],
      authenticate: (request) => (request.headers.get("authorization") === "Bearer s3cret-token" ? { scopes: [], subject: "alice", clientId: "cli", token: "s3cret-token" } : null),
      instrumentation: logEvents(logger),
      onError: (error) => reported.push(error),
    });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    const auth = { authorization: "Bearer s3cret-token" };

    await postModern(running.url, 1, "tools/call", { name: "echo", arguments: { text: "a private value" } }, auth);
    await postModern(running.url, 2, "tools/call", { name: "refuse" });
    await postModern(running.url, 3, "tools/call", { name: "nope" });
    await postModern(running.url, 4, "broken/run", {});
    assert.deepEqual(
      entries.map((entry) => [entry.level, entry.message]),
      [
        ["info", "tools/call echo ok"],
        ["warn", "tools/call refuse failed: tool_error"],
        ["warn", "tools/call nope failed: INVALID_PARAMS"],
        ["error", "broken/run failed: INTERNAL_ERROR"],
      ],
    );
    const [ok, toolError, clientError, internal] = entries.map((entry) => entry.object);
    assert.equal(typeof ok.durationMs, "number");
    assert.ok(ok.durationMs >= 0);
    assert.deepEqual(
      { ...ok, durationMs: 0 },
      { method: "tools/call", id: 1, tool: "echo", durationMs: 0, outcome: "ok", transport: "http", subject: "alice", clientId: "cli", protocolVersion: "2026-07-28" },
    );
    assert.deepEqual(toolError.error, { kind: "tool_error" });
    assert.equal(toolError.outcome, "error");
    assert.equal(toolError.subject, undefined, "anonymous");
    assert.equal(clientError.error.code, -32602);
    assert.equal(clientError.error.kind, "INVALID_PARAMS");
    assert.equal(typeof clientError.error.message, "string");
    assert.deepEqual(internal.error, { kind: "INTERNAL_ERROR", code: -32603, message: "Internal error" });
    assert.ok(internal.err instanceof Error, "the cause goes under err, as pino expects");
    assert.match(internal.err.stack, /database is down[\s\S]*\n +at /);
    assert.equal(internal.cause, undefined);
    const logged = JSON.stringify(entries.map((entry) => entry.object));
    assert.ok(!logged.includes("private value") && !logged.includes("s3cret"), "no arguments or credentials");
    assert.equal(reported.length, 1, "onError still gets the unexpected error, as without events");
  });

  test("a throwing logger does not break the request", async (t) => {
    const boom = () => {
      throw new Error("logger down");
    };
    const server = new MCPServer({ name: "events", version: "1", tools, instrumentation: logEvents({ info: boom, warn: boom, error: boom }) });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    const reply = await postModern(running.url, 1, "tools/call", { name: "echo", arguments: { text: "hi" } });
    assert.equal(reply.json.result.content[0].text, "hi");
  });
});

describe("internal errors in prompts and resources", () => {
  test("carry their stack to the event, and nothing of it to the client", async (t) => {
    const events: RequestEvent[] = [];
    const reported: unknown[] = [];
    const server = new MCPServer({
      name: "events",
      version: "1",
      prompts: [definePrompt({ name: "sealed", handler: () => Promise.reject(new Error("vault sealed")) })],
      resources: [defineResource({ uri: "test://gone", read: () => Promise.reject(new Error("disk gone")) })],
      instrumentation: requestEvents((event) => events.push(event)),
      onError: (error) => reported.push(error),
    });
    const running = await listen(server.nodeHandler);
    t.after(() => running.close());
    const prompt = await postModern(running.url, "p", "prompts/get", { name: "sealed" });
    const resource = await postModern(running.url, "r", "resources/read", { uri: "test://gone" }, { "mcp-name": "test://gone" });
    for (const [res, secret] of [[prompt, "vault sealed"], [resource, "disk gone"]] as const) {
      assert.equal(res.json.error.code, -32603);
      assert.ok(!res.text.includes(secret) && !res.text.includes(" at "), res.text);
    }
    for (const [id, secret] of [["p", "vault sealed"], ["r", "disk gone"]]) {
      const event = events.find((candidate) => candidate.id === id);
      assert.equal(event?.error?.kind, "INTERNAL_ERROR", id);
      assert.ok(event?.cause instanceof Error, id);
      assert.match((event.cause as Error).stack ?? "", new RegExp(`${secret}[\\s\\S]*\\n +at `));
    }
    assert.equal(reported.length, 2, "onError gets each unexpected error once, as before");
  });
});

describe("requestEvents on every transport", () => {
  const events: RequestEvent[] = [];
  const server = new MCPServer({ name: "events", version: "1", tools, instrumentation: requestEvents((event) => events.push(event)) });

  test("fetch handler and 2025-era HTTP", async (t) => {
    const running = await listenFetch(server.fetch);
    t.after(() => running.close());
    await postModern(running.url, "f1", "tools/list");
    await postLegacy(running.url, "f2", "tools/call", { name: "echo", arguments: { text: "x" } });
    const [list, call] = events.filter((event) => event.id === "f1" || event.id === "f2");
    assert.equal(list?.method, "tools/list");
    assert.equal(list?.protocolVersion, "2026-07-28");
    assert.equal(call?.tool, "echo");
    assert.equal(call?.protocolVersion, "2025-11-25");
    assert.equal(call?.transport, "http");
  });

  test("stdio", async (t) => {
    const stdio = inMemoryStdio(server);
    t.after(() => stdio.connection.close());
    stdio.send({ jsonrpc: "2.0", id: "s1", method: "ping" });
    await stdio.waitFor((line) => line.id === "s1");
    const event = events.find((e) => e.id === "s1");
    assert.equal(event?.transport, "stdio");
    assert.equal(event?.outcome, "ok");
    assert.equal(event?.method, "ping");
  });

  test("several instrumentations run, the first outermost, and each sees every request", async (t) => {
    const order: string[] = [];
    const first = requestEvents((event) => order.push(`first ${event.id}`));
    const second = requestEvents((event) => order.push(`second ${event.id}`));
    const both = new MCPServer({ name: "both", version: "1", tools, instrumentation: [first, second] });
    const running = await listen(both.nodeHandler);
    t.after(() => running.close());
    await postModern(running.url, 1, "tools/list");
    await postModern(running.url, 2, "ping");
    // The inner one finishes first: the outer one's request ends around it.
    assert.deepEqual(order, ["second 1", "first 1", "second 2", "first 2"]);
  });
});
