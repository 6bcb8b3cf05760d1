// http-mcp/limits over real HTTP: a cap on concurrent tool calls (503 + Retry-After) and time
// limits that end a call with an isError result and fire its handler's signal.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { z } from "zod";
import { definePrompt, defineTool, MCPServer, ToolInvocationError } from "http-mcp";
import { concurrencyLimit, timeLimit } from "http-mcp/limits";
import { inMemoryStdio, listen, postModern, type Running } from "./helpers.ts";

const running: Running[] = [];
after(() => Promise.all(running.map((r) => r.close())));

async function serve(server: MCPServer<any, any, any>): Promise<string> {
  const r = await listen(server.nodeHandler);
  running.push(r);
  return r.url;
}

/** A tool that runs until released (or until its signal fires), recording how it ended. */
function gated() {
  const endings: string[] = [];
  let release: () => void = () => {};
  let gate = new Promise<void>((resolve) => (release = resolve));
  const wait = defineTool({
    name: "wait",
    input: z.object({ n: z.number() }),
    handler: async ({ inputs, signal }) => {
      await new Promise<void>((resolve) => {
        void gate.then(resolve);
        signal.addEventListener("abort", () => {
          endings.push(`aborted ${inputs.n}: ${(signal.reason as Error).message}`);
          resolve();
        });
      });
      if (!signal.aborted) endings.push(`done ${inputs.n}`);
      return `finished ${inputs.n}`;
    },
  });
  return {
    wait,
    endings,
    open: () => {
      release();
      gate = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

const quick = defineTool({ name: "quick", handler: () => "quick" });
const brief = definePrompt({ name: "brief", handler: () => "a prompt is not a tool call" });

describe("concurrencyLimit", () => {
  test("past max, tool calls get 503 with Retry-After until a slot frees; prompts are not counted", async () => {
    const { wait, open } = gated();
    const server = new MCPServer({ name: "c", version: "1", tools: [wait, quick], prompts: [brief], middleware: [concurrencyLimit({ max: 2, retryAfterSeconds: 3 })] });
    const url = await serve(server);
    const first = [postModern(url, 1, "tools/call", { name: "wait", arguments: { n: 1 } }), postModern(url, 2, "tools/call", { name: "wait", arguments: { n: 2 } })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await postModern(url, 3, "tools/call", { name: "quick" });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "3");
    assert.deepEqual(refused.json.error, { code: -32603, message: "Too many tool calls in progress (limit 2): retry later", data: { retryAfterSeconds: 3 } });
    assert.equal((await postModern(url, 4, "prompts/get", { name: "brief" })).status, 200);
    open();
    assert.deepEqual((await Promise.all(first)).map((r) => r.json.result.content[0].text), ["finished 1", "finished 2"]);
    assert.equal((await postModern(url, 5, "tools/call", { name: "quick" })).json.result.content[0].text, "quick");
  });

  test("on stdio the refusal is the JSON-RPC error alone", async () => {
    const { wait, open } = gated();
    const server = new MCPServer({ name: "c", version: "1", tools: [wait], middleware: [concurrencyLimit({ max: 1 })] });
    const stdio = inMemoryStdio(server);
    const call = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "wait", arguments: { n: id } } });
    stdio.send(call(1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    stdio.send(call(2));
    const { line } = await stdio.waitFor((message) => message.id === 2);
    assert.deepEqual(line.error.data, { retryAfterSeconds: 1 });
    open();
    await stdio.waitFor((message) => message.id === 1 && message.result);
    await stdio.connection.close();
  });
});

describe("timeLimit", () => {
  test("a call past its limit is an isError result, and its handler's signal fires", async () => {
    const { wait, endings } = gated();
    const server = new MCPServer({ name: "t", version: "1", tools: [wait, quick], middleware: [timeLimit({ ms: 5_000, tools: { wait: 100 } })] });
    const url = await serve(server);
    const started = Date.now();
    const res = await postModern(url, 1, "tools/call", { name: "wait", arguments: { n: 1 } });
    assert.ok(Date.now() - started < 1_000);
    assert.equal(res.json.result.isError, true);
    assert.equal(res.json.result.content[0].text, "Error calling tool wait: timed out after 100 ms");
    assert.deepEqual(endings, ["aborted 1: timed out after 100 ms"]);
    assert.equal((await postModern(url, 2, "tools/call", { name: "quick" })).json.result.content[0].text, "quick", "the default limit leaves fast tools alone");
  });

  test("tools that report errors as output get { errorMessage }", async () => {
    const stuck = defineTool({
      name: "stuck",
      output: z.object({ value: z.number() }),
      returnErrorMessage: true,
      handler: ({ signal }) => new Promise<{ value: number }>((_, reject) => signal.addEventListener("abort", () => reject(new ToolInvocationError("gave up")))),
    });
    const url = await serve(new MCPServer({ name: "t", version: "1", tools: [stuck], middleware: [timeLimit({ ms: 50 })] }));
    const res = await postModern(url, 1, "tools/call", { name: "stuck" });
    assert.deepEqual(res.json.result.structuredContent, { errorMessage: "Error calling tool stuck: timed out after 50 ms" });
  });

  test("inside timeLimit, concurrencyLimit keeps a slot until the handler really ends", async () => {
    const stubborn = defineTool({
      name: "stubborn",
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 400)); // ignores its signal
        return "late";
      },
    });
    const url = await serve(
      new MCPServer({ name: "t", version: "1", tools: [stubborn, quick], middleware: [timeLimit({ ms: 100 }), concurrencyLimit({ max: 1 })] }),
    );
    const timedOut = await postModern(url, 1, "tools/call", { name: "stubborn" });
    assert.equal(timedOut.json.result.isError, true);
    assert.equal((await postModern(url, 2, "tools/call", { name: "quick" })).status, 503, "the stubborn handler still runs");
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal((await postModern(url, 3, "tools/call", { name: "quick" })).status, 200);
  });

  test("bad limits are refused when the middleware is made", () => {
    assert.throws(() => timeLimit({ ms: 0 }), TypeError);
    assert.throws(() => timeLimit({ tools: { a: Number.NaN } }), TypeError);
    assert.throws(() => concurrencyLimit({ max: 0 }), TypeError);
  });
});
