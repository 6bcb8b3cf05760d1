// MCP-level middleware around tool and prompt calls, and the W3C trace context handlers see.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { z } from "zod";
import { definePrompt, defineTool, MCPServer, McpError, ToolInvocationError, type Middleware } from "http-mcp";
import { inMemoryStdio, listen, MODERN_META, modernHeaders, post, postLegacy, postModern, type Running } from "./helpers.ts";

const running: Running[] = [];
after(() => Promise.all(running.map((r) => r.close())));

async function serve(server: MCPServer<any>): Promise<string> {
  const r = await listen(server.nodeHandler);
  running.push(r);
  return r.url;
}

describe("middleware", () => {
  const events: string[] = [];
  const seenErrors: unknown[] = [];
  const boom = new ToolInvocationError("the disk is full");
  let bug: Error | undefined;

  const add = defineTool({
    name: "add",
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ sum: z.number() }),
    handler: ({ inputs }) => {
      events.push("handler add");
      return { sum: inputs.a + inputs.b };
    },
  });
  const fail = defineTool({
    name: "fail",
    input: z.object({ how: z.enum(["known", "bug"]) }),
    handler: ({ inputs }) => {
      if (inputs.how === "known") throw boom;
      throw (bug = new Error("undefined is not a function"));
    },
  });
  const cached = defineTool({
    name: "cached",
    output: z.object({ value: z.number() }),
    handler: () => ({ value: 1 }),
  });
  const whoami = defineTool({ name: "whoami", handler: async ({ auth }) => auth?.subject ?? "anonymous" });
  const brief = definePrompt({
    name: "brief",
    arguments: z.object({ topic: z.string() }),
    handler: ({ inputs }) => `Brief me on ${inputs.topic}`,
  });

  const record = (label: string): Middleware<{ db: string }> => async (call, next) => {
    events.push(`${label} in ${call.kind} ${call.name} ${JSON.stringify(call.inputs)} ${call.state.db}`);
    try {
      const value = await next();
      events.push(`${label} out ${JSON.stringify(value)}`);
      return value;
    } catch (error) {
      seenErrors.push(error);
      events.push(`${label} threw`);
      throw error;
    }
  };
  const cache: Middleware = (call, next) => (call.name === "cached" ? { value: Number(call.meta.cachedValue ?? 2) } : next());
  const guard: Middleware = (call, next) => {
    if (call.name === "whoami" && call.auth?.subject === "mallory") throw new McpError("INSUFFICIENT_SCOPE", "Mallory may not ask");
    return next();
  };
  let calls = 0;
  const rateLimit: Middleware = (call, next) => {
    if (call.name === "whoami" && ++calls > 2) throw new ToolInvocationError("rate limited: 2 calls per test");
    return next();
  };

  const reported: string[] = [];
  const server = new MCPServer({
    name: "mw",
    version: "1",
    onError: (error, where) => reported.push(`${where}: ${(error as Error).message}`),
    lifespan: () => ({ db: "pool" }),
    tools: [add, fail, cached, whoami],
    prompts: [brief],
    middleware: [record("outer"), record("inner"), cache, guard, rateLimit],
    authenticate: (request) => {
      const subject = request.headers.get("authorization")?.slice("Bearer ".length);
      return subject ? { scopes: [], subject } : null;
    },
  });
  let url: string;

  test("runs outermost first around the handler, with the validated inputs, kind, name and state", async () => {
    url = await serve(server);
    events.length = 0;
    const res = await postModern(url, 1, "tools/call", { name: "add", arguments: { a: 2, b: 3 } });
    assert.deepEqual(res.json.result.structuredContent, { sum: 5 });
    assert.deepEqual(events, [
      'outer in tool add {"a":2,"b":3} pool',
      'inner in tool add {"a":2,"b":3} pool',
      "handler add",
      'inner out {"sum":5}',
      'outer out {"sum":5}',
    ]);
  });

  test("wraps prompts too", async () => {
    events.length = 0;
    const res = await postModern(url, 2, "prompts/get", { name: "brief", arguments: { topic: "tides" } });
    assert.equal(res.json.result.messages[0].content.text, "Brief me on tides");
    assert.deepEqual(events.slice(0, 2), ['outer in prompt brief {"topic":"tides"} pool', 'inner in prompt brief {"topic":"tides"} pool']);
    assert.equal(events.at(-1), 'outer out "Brief me on tides"');
  });

  test("sees the handler's errors as thrown, before they become results", async () => {
    seenErrors.length = 0;
    const known = await postModern(url, 3, "tools/call", { name: "fail", arguments: { how: "known" } });
    assert.equal(known.json.result.isError, true);
    assert.equal(known.json.result.content[0].text, "Error calling tool fail: the disk is full");
    const unexpected = await postModern(url, 4, "tools/call", { name: "fail", arguments: { how: "bug" } });
    assert.equal(unexpected.json.result.content[0].text, "Error calling tool fail: Internal error");
    assert.deepEqual(seenErrors, [boom, boom, bug, bug], "each layer saw the very error objects, stack included");
    assert.deepEqual(reported.splice(0), ["tool fail: undefined is not a function"], "the unexpected one is reported");
    assert.match(String((seenErrors[2] as Error).stack), /middleware\.test\.ts/);
  });

  test("never runs for invalid arguments", async () => {
    events.length = 0;
    const res = await postModern(url, 5, "tools/call", { name: "add", arguments: { a: "two", b: 3 } });
    assert.equal(res.json.result.isError, true);
    assert.deepEqual(events, []);
  });

  test("answers instead of the handler, and that answer is still checked against the output schema", async () => {
    const hit = await postModern(url, 6, "tools/call", { name: "cached" });
    assert.deepEqual(hit.json.result.structuredContent, { value: 2 });
    const bad = await post(
      url,
      { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "cached", _meta: { ...MODERN_META, cachedValue: "not a number" } } },
      modernHeaders("tools/call", "cached"),
    );
    assert.equal(bad.json.result.isError, true);
    assert.match(bad.json.result.content[0].text, /does not match its output schema/);
    assert.deepEqual(reported.splice(0), ['tool cached: output does not match the output schema: [{"field":"value","message":"Invalid input: expected number, received …"}]']);
  });

  test("guards by caller (a protocol error) and rate-limits (a tool error)", async () => {
    const refused = await postModern(url, 8, "tools/call", { name: "whoami" }, { authorization: "Bearer mallory" });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json.error, { code: -31403, message: "Mallory may not ask" });
    const first = await postModern(url, 9, "tools/call", { name: "whoami" }, { authorization: "Bearer alice" });
    assert.deepEqual(first.json.result.content, [{ type: "text", text: "alice" }]);
    await postModern(url, 10, "tools/call", { name: "whoami" });
    const limited = await postModern(url, 11, "tools/call", { name: "whoami" });
    assert.equal(limited.json.result.isError, true);
    assert.equal(limited.json.result.content[0].text, "Error calling tool whoami: rate limited: 2 calls per test");
  });

  test("a replaced list is wrapped by the same middleware", async () => {
    const echo = defineTool({ name: "echo", input: z.object({ text: z.string() }), handler: ({ inputs }) => inputs.text });
    server.update({ tools: [echo] });
    events.length = 0;
    const res = await postModern(url, 12, "tools/call", { name: "echo", arguments: { text: "hi" } });
    assert.deepEqual(res.json.result.content, [{ type: "text", text: "hi" }]);
    assert.equal(events[0], 'outer in tool echo {"text":"hi"} pool');
  });
});

describe("trace context", () => {
  const seen: unknown[] = [];
  const traced = defineTool({
    name: "traced",
    handler: ({ traceparent, meta }) => {
      seen.push({ traceparent, tracestate: meta.tracestate });
      return "ok";
    },
  });
  const server = new MCPServer({ name: "trace", version: "1", tools: [traced] });
  const VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  const call = (url: string, id: number, meta: Record<string, unknown>) =>
    post(url, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "traced", _meta: { ...MODERN_META, ...meta } } }, modernHeaders("tools/call", "traced"));

  test("a well-formed traceparent in _meta reaches the handler; malformed ones do not", async () => {
    const url = await serve(server);
    seen.length = 0;
    await call(url, 1, { traceparent: VALID, tracestate: "vendor=abc" });
    const invalid = [
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
      `${VALID}-extra`, // version 00 has exactly four fields
      42,
    ];
    for (const [i, traceparent] of invalid.entries()) await call(url, 2 + i, { traceparent });
    await call(url, 20, { traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future" });
    await call(url, 21, {});
    assert.deepEqual(seen, [
      { traceparent: VALID, tracestate: "vendor=abc" },
      ...invalid.map(() => ({ traceparent: undefined, tracestate: undefined })),
      { traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future", tracestate: undefined },
      { traceparent: undefined, tracestate: undefined },
    ]);
  });

  test("2025-era requests and stdio carry it too", async () => {
    const url = await serve(server);
    seen.length = 0;
    await postLegacy(url, 1, "tools/call", { name: "traced", _meta: { traceparent: VALID } });
    const stdio = inMemoryStdio(server);
    stdio.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "traced", _meta: { ...MODERN_META, traceparent: VALID } } });
    await stdio.waitFor((line) => line.id === 2);
    stdio.connection.close();
    assert.deepEqual(seen, [
      { traceparent: VALID, tracestate: undefined },
      { traceparent: VALID, tracestate: undefined },
    ]);
  });
});

test("docs example: logging, rate limit, owner guard and tracing", async () => {
  const { server, lines, spans } = await import("../docs/examples/middleware.ts");
  const url = await serve(server);
  const remove = (id: number, owner: string, user: string, meta: Record<string, unknown> = {}) =>
    post(
      url,
      { jsonrpc: "2.0", id, method: "tools/call", params: { name: "delete_document", arguments: { owner, id: `doc-${id}` }, _meta: { ...MODERN_META, ...meta } } },
      { ...modernHeaders("tools/call", "delete_document"), "x-user": user },
    );
  const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const own = await remove(1, "ada", "ada", { traceparent });
  assert.deepEqual(own.json.result.content, [{ type: "text", text: "deleted doc-1" }]);
  const other = await remove(2, "ada", "bob");
  assert.deepEqual([other.status, other.json.error.message], [403, "Only the owner may delete a document"]);
  await remove(3, "ada", "ada");
  await remove(4, "ada", "ada");
  const limited = await remove(5, "ada", "ada");
  assert.equal(limited.json.result.content[0].text, "Error calling tool delete_document: rate limit of 3 calls per minute reached");
  assert.match(lines[0]!, /^tool delete_document ok in \d+\.\d ms$/);
  assert.match(lines[1]!, /^tool delete_document failed in .* ms: Only the owner may delete a document$/);
  assert.match(lines[4]!, /failed in .*: rate limit of 3 calls per minute reached$/);
  assert.deepEqual(spans.map((span) => [span.parent, span.ok]), [[traceparent, true], [undefined, false], [undefined, true], [undefined, true], [undefined, false]]);
});
