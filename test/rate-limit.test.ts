// rateLimit from http-mcp/limits with its in-memory store, over real HTTP (Node handler and fetch
// handler) and stdio: exact counts under concurrency, the refill, per-caller buckets, Retry-After
// from the store, what is limited, and a store that fails. The shared Redis store: redis-rate-limit.test.ts.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { definePrompt, defineTool, MCPServer, type AuthInfo } from "http-mcp";
import { callerKey, memoryRateLimitStore, rateLimit, type RateLimitOptions, type RateLimitStore } from "http-mcp/limits";
import { inMemoryStdio, listen, listenFetch, modernHeaders, postModern, type Running } from "./helpers.ts";

const running: Running[] = [];
after(() => Promise.all(running.map((r) => r.close())));

const echo = defineTool({ name: "echo", handler: () => "ok" });
const other = defineTool({ name: "other", handler: () => "other" });
const brief = definePrompt({ name: "brief", handler: () => "a prompt" });

/** Callers name themselves in an `x-user` header (subject) or `x-client` (client id only). */
const authenticate = (request: { headers: { get(name: string): string | null } }): AuthInfo | null => {
  const subject = request.headers.get("x-user");
  const clientId = request.headers.get("x-client");
  if (subject) return { scopes: [], subject };
  return clientId ? { scopes: [], clientId } : null;
};

function server(options: RateLimitOptions, onError?: (error: unknown, where: string) => void) {
  return new MCPServer({ name: "r", version: "1", tools: [echo, other], prompts: [brief], authenticate, middleware: [rateLimit(options)], ...(onError ? { onError } : {}) });
}

async function serve(mcp: MCPServer<any, any, any>, by: "node" | "fetch" = "node"): Promise<string> {
  const r = by === "node" ? await listen(mcp.nodeHandler) : await listenFetch(mcp.fetch);
  running.push(r);
  return r.url;
}

let id = 0;
const callTool = (url: string, name = "echo", headers: Record<string, string> = {}) => postModern(url, ++id, "tools/call", { name }, { ...modernHeaders("tools/call", name), ...headers });
const passed = (replies: { status: number }[]) => replies.filter((reply) => reply.status === 200).length;

describe("rateLimit (memory store)", () => {
  for (const by of ["node", "fetch"] as const) {
    test(`${by} handler: of 20 concurrent calls exactly limit pass; the others get 503, Retry-After from the store and -32603`, async () => {
      const url = await serve(server({ limit: 5, windowMs: 60_000 }), by);
      const replies = await Promise.all(Array.from({ length: 20 }, () => callTool(url)));
      assert.equal(passed(replies), 5);
      const refused = replies.find((reply) => reply.status !== 200)!;
      assert.equal(refused.status, 503);
      // One call refills every 60 000 / 5 ms = 12 s: the next one passes in (just under) 12 s.
      assert.equal(refused.headers.get("retry-after"), "12");
      assert.deepEqual(refused.json.error, { code: -32603, message: "Rate limit exceeded (5 calls per 60000 ms): retry in 12 s", data: { retryAfterSeconds: 12 } });
      assert.ok(replies.every((reply) => reply.status === 200 ? reply.json.result.content[0].text === "ok" : reply.status === 503));
    });
  }

  test("the allowance refills at limit per windowMs: one call per windowMs / limit, all of it after a quiet windowMs", async () => {
    const url = await serve(server({ limit: 2, windowMs: 2000 }));
    assert.equal(passed(await Promise.all([callTool(url), callTool(url), callTool(url)])), 2);
    await sleep(1050); // one call's worth (1 s) has refilled
    assert.equal(passed(await Promise.all([callTool(url), callTool(url)])), 1);
    await sleep(2050);
    assert.equal(passed(await Promise.all([callTool(url), callTool(url), callTool(url)])), 2);
  });

  test("each caller has a bucket of its own: subject, else client id, else one anonymous bucket", async () => {
    const url = await serve(server({ limit: 2, windowMs: 60_000 }));
    const burst = (headers: Record<string, string>) => Promise.all([1, 2, 3].map(() => callTool(url, "echo", headers)));
    assert.equal(passed(await burst({ "x-user": "alice" })), 2);
    assert.equal(passed(await burst({ "x-user": "bob" })), 2, "alice's calls took nothing from bob");
    assert.equal(passed(await burst({ "x-client": "app-1" })), 2);
    assert.equal(passed(await burst({ "x-user": "client:app-1" })), 2, "a subject never shares a bucket with a client id, whatever its name");
    assert.equal(passed(await burst({})), 2);
    assert.equal(passed(await burst({})), 0, "anonymous callers share one bucket");
  });

  test("a key function chooses the bucket (here the client's address header); undefined leaves a call unlimited", async () => {
    const url = await serve(server({ limit: 1, windowMs: 60_000, key: (call) => (call.request.headers.get("x-internal") ? undefined : `ip:${call.request.headers.get("x-forwarded-for")}`) }));
    assert.equal(passed(await Promise.all([1, 2].map(() => callTool(url, "echo", { "x-forwarded-for": "10.0.0.1", "x-user": "alice" })))), 1);
    assert.equal(passed(await Promise.all([1, 2].map(() => callTool(url, "echo", { "x-forwarded-for": "10.0.0.1", "x-user": "bob" })))), 0, "same address, same bucket");
    assert.equal(passed(await Promise.all([1, 2].map(() => callTool(url, "echo", { "x-forwarded-for": "10.0.0.2" })))), 1);
    assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(url, "echo", { "x-internal": "1" })))), 3);
    assert.equal(callerKey({ auth: { scopes: [], subject: "s", clientId: "c" } } as never), "subject:s");
  });

  test("prompts are not limited unless asked; `tools` limits only the tools named", async () => {
    const getPrompt = (url: string) => postModern(url, ++id, "prompts/get", { name: "brief" }, modernHeaders("prompts/get", "brief"));
    const toolsOnly = await serve(server({ limit: 1, windowMs: 60_000 }));
    assert.equal(passed(await Promise.all([1, 2, 3].map(() => getPrompt(toolsOnly)))), 3);
    const withPrompts = await serve(server({ limit: 1, windowMs: 60_000, prompts: true }));
    assert.equal(passed(await Promise.all([getPrompt(withPrompts), getPrompt(withPrompts), callTool(withPrompts)])), 1, "prompts and tools share the budget");
    const named = await serve(server({ limit: 1, windowMs: 60_000, tools: ["echo"] }));
    assert.equal(passed(await Promise.all([callTool(named), callTool(named)])), 1);
    assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(named, "other")))), 3);
  });

  test("on stdio the refusal is the JSON-RPC error alone", async () => {
    const stdio = inMemoryStdio(new MCPServer({ name: "r", version: "1", tools: [echo], middleware: [rateLimit({ limit: 1, windowMs: 10_000 })] }));
    const call = (n: number) => ({ jsonrpc: "2.0", id: n, method: "tools/call", params: { name: "echo" } });
    stdio.send(call(1));
    stdio.send(call(2));
    assert.equal((await stdio.waitFor((message) => message.id === 1)).line.result.content[0].text, "ok");
    const { line } = await stdio.waitFor((message) => message.id === 2);
    assert.deepEqual(line.error, { code: -32603, message: "Rate limit exceeded (1 calls per 10000 ms): retry in 10 s", data: { retryAfterSeconds: 10 } });
    await stdio.connection.close();
  });

  test("a store that fails: calls pass (allow) or get 503 (refuse), and the failure is reported, once per outage", async () => {
    let down = true;
    const memory = memoryRateLimitStore();
    const flaky: RateLimitStore = {
      take: (key, rule) => (down ? Promise.reject(new Error("connection refused")) : memory.take(key, rule)),
    };
    const reports: string[] = [];
    const onError = (error: unknown, where: string) => reports.push(`${where}: ${(error as Error).message}`);
    const allow = await serve(server({ limit: 1, windowMs: 60_000, store: flaky, onError }));
    assert.equal(passed(await Promise.all([1, 2, 3].map(() => callTool(allow)))), 3);
    assert.deepEqual(reports, ["rate limit store: the rate limit store failed: connection refused"]);
    const refuse = await serve(server({ limit: 1, windowMs: 60_000, store: flaky, whenUnavailable: "refuse", onError }));
    const refused = await callTool(refuse);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.deepEqual(refused.json.error, { code: -32603, message: "The rate limit cannot be checked right now: retry later", data: { retryAfterSeconds: 1 } });
    down = false;
    assert.equal(passed(await Promise.all([callTool(refuse), callTool(refuse)])), 1, "back up: limited again");
    assert.equal(reports.length, 2, "one report per middleware for the outage");
    down = true; // a second outage is reported at once
    assert.equal((await callTool(refuse)).status, 503);
    assert.equal(reports.length, 3);
  });

  test("the memory store tracks at most maxKeys callers, forgetting the least recently seen", async () => {
    const store = memoryRateLimitStore({ maxKeys: 2 });
    const rule = { limit: 1, windowMs: 60_000 };
    assert.deepEqual(await store.take("a", rule), { allowed: true, retryAfterMs: 0, remaining: 0 });
    assert.equal((await store.take("b", rule)).allowed, true);
    const refused = await store.take("a", rule);
    assert.equal(refused.allowed, false);
    assert.ok(refused.retryAfterMs > 59_000 && refused.retryAfterMs <= 60_000, `${refused.retryAfterMs} ms`);
    assert.equal((await store.take("c", rule)).allowed, true); // b, seen least recently, is forgotten
    assert.equal((await store.take("a", rule)).allowed, false);
    assert.equal((await store.take("b", rule)).allowed, true);
    assert.deepEqual(await memoryRateLimitStore().take("z", { limit: 3, windowMs: 1000 }), { allowed: true, retryAfterMs: 0, remaining: 2 }, "what is left is told");
  });

  test("bad options are refused when the middleware is made", () => {
    assert.throws(() => rateLimit({ limit: 0, windowMs: 1000 }), /limit must be a positive integer/);
    assert.throws(() => rateLimit({ limit: 1.5, windowMs: 1000 }), TypeError);
    assert.throws(() => rateLimit({ limit: 1, windowMs: 0 }), /windowMs/);
    assert.throws(() => rateLimit({ limit: 2 ** 30, windowMs: 2 ** 30 }), /2\^53/);
    assert.throws(() => rateLimit({ limit: 1, windowMs: 1, whenUnavailable: "maybe" as never }), /whenUnavailable/);
    assert.throws(() => rateLimit({ limit: 1, windowMs: 1, timeoutMs: 0 }), /timeoutMs/);
    assert.throws(() => memoryRateLimitStore({ maxKeys: 0 }), TypeError);
  });
});
