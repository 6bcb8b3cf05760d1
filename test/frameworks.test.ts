// Mounting one MCPServer in Express 5, Hono (on @hono/node-server), Fastify 5 and plain `fetch`; the
// lifespan (lazy and explicit start, failure and retry, close); getState errors; abort signals.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { z } from "zod";
import { createToolkit, defineTool, MCPServer } from "http-mcp";
import { listen, listenFetch, MODERN_META, modernHeaders, postModern, type Running } from "./helpers.js";

const add = defineTool({
  name: "add",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
});
const tinyServer = () => new MCPServer({ name: "tiny", version: "1.0.0", tools: [add] });
const addCall = { name: "add", arguments: { a: 2, b: 3 } };

function assertSum(response: { status: number; json: any }, sum: number) {
  assert.equal(response.status, 200, JSON.stringify(response.json));
  assert.equal(response.json.result.isError, undefined);
  assert.deepEqual(response.json.result.structuredContent, { sum });
}

describe("mounting", () => {
  const server = tinyServer();
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
    await server.close();
  });

  test("Express 5: app.post('/mcp', server.nodeHandler)", async () => {
    const app = express();
    app.post("/mcp", server.nodeHandler);
    const running = await listen(app);
    closers.push(running.close);
    assertSum(await postModern(running.url, 1, "tools/call", addCall), 5);
    const list = await postModern(running.url, 2, "tools/list");
    assert.deepEqual(list.json.result.tools.map((t: { name: string }) => t.name), ["add"]);
  });

  test("Express 5 with express.json() first: the pre-parsed body is used", { timeout: 10_000 }, async () => {
    const app = express();
    app.use(express.json());
    // Proof that the handler reads req.body rather than the (spent) stream: change it in between.
    app.use((req, _res, next) => {
      req.body.params.arguments.b = 40;
      next();
    });
    app.post("/mcp", server.nodeHandler);
    const running = await listen(app);
    closers.push(running.close);
    assertSum(await postModern(running.url, 1, "tools/call", addCall), 42);
  });

  test("Hono on @hono/node-server: app.all('/mcp', c => server.fetch(c.req.raw))", async () => {
    const app = new Hono();
    app.all("/mcp", (c) => server.fetch(c.req.raw));
    const running = await listenFetch(app.fetch);
    closers.push(running.close);
    const url = running.url;
    assertSum(await postModern(url, 1, "tools/call", addCall), 5);
    const get = await fetch(url);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
  });

  test("Fastify 5: /mcp beside other routes, the app's own auth hook decides the scopes", async () => {
    const secret = defineTool({ name: "secret", scopes: ["vault"], handler: () => "42" });
    const scoped = new MCPServer({ name: "fastify", version: "1.0.0", tools: [add, secret] });
    const app = Fastify();
    app.addHook("onRequest", async (request) => {
      if (request.headers.authorization === "Bearer vault-key") request.caller = { subject: "keeper", scopes: ["vault"] };
    });
    app.get("/health", async () => ({ ok: true }));
    app.post("/mcp", (request, reply) => {
      reply.hijack();
      Object.assign(request.raw, { body: request.body, auth: request.caller });
      scoped.nodeHandler(request.raw, reply.raw);
    });
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/mcp`;
    closers.push(async () => void (await app.close()));
    closers.push(() => scoped.close());
    assert.deepEqual(await (await fetch(url.replace("/mcp", "/health"))).json(), { ok: true });
    assertSum(await postModern(url, 1, "tools/call", addCall), 5);
    const names = async (headers?: Record<string, string>) =>
      (await postModern(url, 2, "tools/list", {}, headers)).json.result.tools.map((t: { name: string }) => t.name);
    assert.deepEqual(await names(), ["add"], "hidden without the scope");
    const refused = await postModern(url, 3, "tools/call", { name: "secret" });
    assert.equal(refused.json.error?.code, -31403);
    assert.deepEqual(await names({ authorization: "Bearer vault-key" }), ["add", "secret"]);
    const granted = await postModern(url, 4, "tools/call", { name: "secret" }, { authorization: "Bearer vault-key" });
    assert.deepEqual(granted.json.result.content, [{ type: "text", text: "42" }]);
  });

  test("plain server.fetch(new Request(…)), no network", async () => {
    const request = new Request("http://localhost/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...modernHeaders("tools/call", "add") },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { ...addCall, _meta: MODERN_META } }),
    });
    const response = await server.fetch(request);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    const body = (await response.json()) as any;
    assert.equal(body.id, 7);
    assert.deepEqual(body.result.structuredContent, { sum: 5 });
  });
});

describe("lifespan", () => {
  test("generator lifespan: setup once on the first request, cleanup on close()", async () => {
    const events: string[] = [];
    const { defineTool: defineWithState } = createToolkit<{ label: string }>();
    const whoami = defineWithState({
      name: "whoami",
      handler: ({ state }) => {
        events.push(`handler:${state.label}`);
        return state.label;
      },
    });
    const server = new MCPServer({
      name: "life",
      version: "1",
      tools: [whoami],
      async *lifespan() {
        events.push("setup");
        try {
          yield { label: "from-lifespan" };
        } finally {
          events.push("cleanup");
        }
      },
    });
    const running = await listen(server.nodeHandler);
    try {
      assert.deepEqual(events, [], "nothing runs before the first request");
      assert.equal(server.state, undefined);
      const first = await postModern(running.url, 1, "tools/call", { name: "whoami" });
      assert.deepEqual(first.json.result.content, [{ type: "text", text: "from-lifespan" }]);
      await postModern(running.url, 2, "tools/call", { name: "whoami" });
      assert.deepEqual(server.state, { label: "from-lifespan" });
    } finally {
      await running.close();
      await server.close();
    }
    assert.deepEqual(events, ["setup", "handler:from-lifespan", "handler:from-lifespan", "cleanup"]);
    assert.equal(server.state, undefined);
  });

  test("explicit start() before serving", async () => {
    let setups = 0;
    const server = new MCPServer({
      name: "life",
      version: "1",
      tools: [createToolkit<{ n: number }>().defineTool({ name: "n", handler: ({ state }) => String(state.n) })],
      lifespan: async () => ({ n: ++setups }),
    });
    await server.start();
    assert.equal(setups, 1);
    assert.deepEqual(server.state, { n: 1 });
    await server.start(); // idempotent
    const running = await listen(server.nodeHandler);
    try {
      const response = await postModern(running.url, 1, "tools/call", { name: "n" });
      assert.deepEqual(response.json.result.content, [{ type: "text", text: "1" }]);
      assert.equal(setups, 1);
    } finally {
      await running.close();
      await server.close();
    }
    await assert.rejects(server.start(), /closed/);
  });

  test("a failing startup answers 503, is reported via onError, and is retried after its backoff (1 s)", async () => {
    let attempts = 0;
    const reported: [unknown, string][] = [];
    const server = new MCPServer({
      name: "life",
      version: "1",
      tools: [add],
      onError: (error, where) => reported.push([error, where]),
      lifespan: () => {
        attempts++;
        if (attempts === 1) throw new Error("database unreachable");
        return { ok: true };
      },
    });
    const running = await listen(server.nodeHandler);
    try {
      const failed = await postModern(running.url, 1, "tools/call", addCall);
      assert.equal(failed.status, 503);
      assert.equal(failed.json.error.code, -32603);
      assert.equal(failed.json.error.message, "Server failed to start");
      assert.ok(!failed.text.includes("database unreachable"), "the cause stays on the server");
      assert.equal(reported.length, 1);
      assert.equal(reported[0]?.[1], "lifespan");
      assert.match(String((reported[0]?.[0] as Error).message), /database unreachable/);

      await new Promise((resolve) => setTimeout(resolve, 1_050)); // test/diagnostics.test.ts covers the backoff itself
      assertSum(await postModern(running.url, 2, "tools/call", addCall), 5);
      assert.equal(attempts, 2);
    } finally {
      await running.close();
      await server.close();
    }
  });

  test("after close() requests get 503", async () => {
    const server = tinyServer();
    const running = await listen(server.nodeHandler);
    try {
      assertSum(await postModern(running.url, 1, "tools/call", addCall), 5);
      await server.close();
      const refused = await postModern(running.url, 2, "tools/call", addCall);
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error.message, "Server is shutting down");
      const viaFetch = await server.fetch(
        new Request("http://localhost/mcp", {
          method: "POST",
          headers: { "content-type": "application/json", ...modernHeaders("tools/list") },
          body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list", params: { _meta: MODERN_META } }),
        }),
      );
      assert.equal(viaFetch.status, 503);
    } finally {
      await running.close();
    }
  });
});

describe("getState errors", () => {
  const reported: [string, string][] = [];
  const stateTool = defineTool({
    name: "read_state",
    input: z.object({ key: z.string(), as: z.enum(["string", "date"]) }),
    handler: ({ inputs, getState }) => (inputs.as === "string" ? getState(inputs.key, String) : getState(inputs.key, Date).toISOString()),
  });
  const server = new MCPServer({
    name: "state",
    version: "1",
    tools: [stateTool],
    lifespan: () => ({ x: 42, label: "hi", when: new Map() }),
    onError: (error, where) => reported.push([where, error instanceof Error ? error.message : String(error)]),
  });
  let running: Running;
  before(async () => {
    running = await listen(server.nodeHandler);
  });
  after(async () => {
    await running.close();
    await server.close();
  });
  const call = (id: number, key: string, as: "string" | "date") => postModern(running.url, id, "tools/call", { name: "read_state", arguments: { key, as } });

  test("a present key of the right type", async () => {
    const ok = await call(1, "label", "string");
    assert.deepEqual(ok.json.result.content, [{ type: "text", text: "hi" }]);
  });

  test("missing key → isError result", async () => {
    const missing = await call(2, "nope", "string");
    assert.equal(missing.status, 200);
    assert.equal(missing.json.result.isError, true);
    assert.match(missing.json.result.content[0].text, /^Key nope not found in request state/);
  });

  test("wrong type → generic isError text; the real types go to onError only", async () => {
    reported.length = 0;
    const primitive = await call(3, "x", "string");
    assert.equal(primitive.json.result.isError, true);
    assert.equal(primitive.json.result.content[0].text, "State key 'x' type mismatch: expected type does not match stored type");
    assert.ok(!/number|String/.test(primitive.text), primitive.text);
    const instance = await call(4, "when", "date");
    assert.equal(instance.json.result.content[0].text, "State key 'when' type mismatch: expected type does not match stored type");
    assert.ok(!/Map|Date/.test(instance.text), instance.text);
    assert.deepEqual(reported, [
      ["getState", "state key 'x': expected String, found number"],
      ["getState", "state key 'when': expected Date, found Map"],
    ]);
  });
});

describe("abort signal", () => {
  test("the handler's signal fires when the client aborts the fetch", { timeout: 10_000 }, async () => {
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let aborted!: (reason: string) => void;
    const handlerSawAbort = new Promise<string>((resolve) => (aborted = resolve));
    const slow = defineTool({
      name: "slow",
      handler: ({ signal }) =>
        new Promise<string>((resolve) => {
          assert.equal(signal.aborted, false);
          signal.addEventListener("abort", () => {
            aborted("abort event");
            resolve("gave up");
          });
          started();
        }),
    });
    const server = new MCPServer({ name: "signal", version: "1", tools: [slow] });
    const running = await listen(server.nodeHandler);
    try {
      const controller = new AbortController();
      const request = fetch(running.url, {
        method: "POST",
        signal: controller.signal,
        headers: { "content-type": "application/json", ...modernHeaders("tools/call", "slow") },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slow", _meta: MODERN_META } }),
      });
      await handlerStarted;
      controller.abort();
      await assert.rejects(request, { name: "AbortError" });
      assert.equal(await handlerSawAbort, "abort event");
    } finally {
      await running.close();
      await server.close();
    }
  });

  test("with server.fetch the handler's signal is the Request's signal", async () => {
    let seen: AbortSignal | undefined;
    const peek = defineTool({ name: "peek", handler: ({ signal }) => void (seen = signal) });
    const server = new MCPServer({ name: "signal", version: "1", tools: [peek] });
    const controller = new AbortController();
    const response = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        signal: controller.signal,
        headers: { "content-type": "application/json", ...modernHeaders("tools/call", "peek") },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "peek", _meta: MODERN_META } }),
      }),
    );
    assert.equal(response.status, 200);
    assert.equal(seen?.aborted, false);
    controller.abort();
    assert.equal(seen?.aborted, true);
    await server.close();
  });
});
