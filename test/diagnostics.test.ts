// What an operator and a client learn when something goes wrong: the default onError (on a real
// child's stderr), the 403 messages of the Host/Origin checks, `serve` failing at startup, and the
// backoff of a failing lazy start.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, describe, test } from "node:test";
import { defineTool, McpError, MCPServer } from "http-mcp";
import { serve } from "http-mcp/node";
import { listen, modernHeaders, MODERN_META, post, postModern, postOnNewConnection, startChild } from "./helpers.js";
import { ROOT } from "./stdio-child.js";

describe("the default onError", () => {
  let child: ChildProcess;
  let base: string;
  let stderr = "";
  after(() => child?.kill("SIGKILL"));
  const reportOf = async (where: string): Promise<string[]> => {
    for (let waited = 0; !stderr.includes(`[http-mcp] ${where}:`) && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const start = stderr.indexOf(`[http-mcp] ${where}:`);
    assert.ok(start >= 0, `a report for ${where} in: ${stderr}`);
    const lines = stderr.slice(start).split("\n");
    const end = lines.findIndex((line, index) => index > 0 && !line.startsWith("    at "));
    return lines.slice(0, end);
  };

  test("an unexpected error: one line saying where and what, then its stack frames; the client sees neither", async () => {
    ({ child, url: base } = await startChild([process.execPath, "--import", "tsx", "test/fixtures/diagnostics-server.ts"], /ready (\S+)/, { cwd: ROOT }));
    child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk));
    const reply = await postModern(`${base}/mcp`, 1, "tools/call", { name: "boom" });
    assert.equal(reply.json.result.isError, true);
    assert.ok(!/disk on fire|TypeError|explode|\bat /.test(reply.text), reply.text);
    const [line, ...frames] = await reportOf("tool boom");
    assert.equal(line, "[http-mcp] tool boom: TypeError: disk on fire forged: second line", "the message on one line, a newline in it folded");
    assert.ok(frames.length >= 1, stderr);
    assert.match(frames[0]!, /^ {4}at (?:Object\.)?explode \(.*diagnostics-server\.ts:\d+:\d+\)$/, "the first frame is the handler that threw");
  });

  test("a refused token is the client's doing: one line, no stack frames", async () => {
    const refused = await post(`${base}/protected`, { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } }, { ...modernHeaders("tools/list"), authorization: "Bearer some-unknown-token-123" });
    assert.equal(refused.status, 401);
    assert.deepEqual(await reportOf("token refused"), ["[http-mcp] token refused: InvalidTokenError: invalid: the token validator refused the token"]);
    assert.ok(!stderr.includes("some-unknown-token-123"));
  });
});

describe("Host and Origin refusals name the option that admits them", () => {
  const tools = [defineTool({ name: "noop", handler: () => "" })];
  const server = new MCPServer({ name: "guarded", version: "1", tools, allowedHosts: ["mcp.example.com"], allowedOrigins: ["https://app.example.com"] });
  test("a Host outside allowedHosts, an Origin outside allowedOrigins: 403, and the message says which option", async () => {
    const running = await listen(server.nodeHandler);
    after(() => running.close());
    const body = { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } };
    const host = await postOnNewConnection(running.url, body, { ...modernHeaders("tools/list"), host: "evil.example" });
    assert.equal(host.status, 403);
    assert.deepEqual(host.json.error, { code: -32600, message: "Host not allowed (add it to the server's allowedHosts)" });
    const origin = await postOnNewConnection(running.url, body, { ...modernHeaders("tools/list"), host: "mcp.example.com", origin: "https://evil.example" });
    assert.equal(origin.status, 403);
    assert.deepEqual(origin.json.error, { code: -32600, message: "Origin not allowed (add it to the server's allowedOrigins)" });
    assert.ok(!host.text.includes("evil") && !origin.text.includes("evil"), "the refused value is not echoed");
    const fine = await postOnNewConnection(running.url, body, { ...modernHeaders("tools/list"), host: "mcp.example.com", origin: "https://app.example.com" });
    assert.equal(fine.status, 200);
  });
});

describe("a lifespan that fails", () => {
  test("serve rejects with the lifespan's error as cause, and reports it", async () => {
    const reported: [unknown, string][] = [];
    const failure = new Error("database unreachable");
    const server = new MCPServer({
      name: "failing",
      version: "1",
      onError: (error, where) => reported.push([error, where]),
      lifespan: () => {
        throw failure;
      },
    });
    const rejection = await serve(server, { port: 0, manageProcess: false }).then(
      () => assert.fail("serve resolved"),
      (error: unknown) => error,
    );
    assert.ok(rejection instanceof McpError);
    assert.equal(rejection.message, "Server failed to start");
    assert.equal(rejection.cause, failure);
    assert.deepEqual(reported, [[failure, "lifespan"]]);
  });

  test("a failed lazy start is not retried for every request: 503 at once during a backoff that doubles", { timeout: 15_000 }, async () => {
    let attempts = 0;
    const reported: string[] = [];
    let healthy = false;
    const ok = defineTool({ name: "ok", handler: () => "ok" });
    const server = new MCPServer({
      name: "flaky",
      version: "1",
      tools: [ok],
      onError: (_error, where) => reported.push(where),
      lifespan: async () => {
        attempts++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (!healthy) throw new Error(`down (attempt ${attempts})`);
        return {};
      },
    });
    const running = await listen(server.nodeHandler);
    after(() => running.close());
    const call = (id: number) => postModern(running.url, id, "tools/call", { name: "ok" });
    const answers = await Promise.all([call(1), call(2), call(3)]);
    assert.deepEqual(answers.map((a) => a.status), [503, 503, 503]);
    assert.equal(attempts, 1, "concurrent requests share one attempt");
    assert.deepEqual(reported, ["lifespan"], "reported once per attempt");
    assert.equal(answers[0]!.json.error.message, "Server failed to start");
    assert.ok(!answers[0]!.text.includes("down"), "the cause stays on the server");

    const started = Date.now();
    for (let id = 4; id < 24; id++) assert.equal((await call(id)).status, 503);
    assert.ok(Date.now() - started < 900, "refused at once");
    assert.equal(attempts, 1, "no attempt during the first second");

    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() - started) + 50));
    assert.equal((await call(30)).status, 503);
    assert.equal(attempts, 2, "one attempt after 1 s");
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal((await call(31)).status, 503);
    assert.equal(attempts, 2, "the second wait is 2 s");
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await call(32)).status, 200);
    assert.equal(attempts, 3);
    assert.deepEqual(reported, ["lifespan", "lifespan"]);
    await server.close();
  });

  test("an explicit start() does not wait for the backoff", async () => {
    let attempts = 0;
    const server = new MCPServer({
      name: "explicit",
      version: "1",
      tools: [defineTool({ name: "noop", handler: () => "" })],
      onError: () => {},
      lifespan: () => {
        if (++attempts === 1) throw new Error("down");
        return {};
      },
    });
    const running = await listen(server.nodeHandler);
    after(() => running.close());
    assert.equal((await postModern(running.url, 1, "tools/list")).status, 503);
    await server.start();
    assert.equal(attempts, 2);
    assert.equal((await postModern(running.url, 2, "tools/list")).status, 200);
    await server.close();
  });
});
