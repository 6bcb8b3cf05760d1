// Raw newline-delimited JSON-RPC against the demo running as a child process: bad input,
// concurrency, cancellation, scopes from MCP_TOKEN, and shutdown on EOF and signals.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { MODERN_META } from "./helpers.js";
import { LineChild, rssKiB } from "./stdio-child.js";

const CLEANUP_LINE = "http-mcp demo: lifespan cleanup done";
const children: LineChild[] = [];
function demo(env: Record<string, string> = {}): LineChild {
  const child = new LineChild(undefined, env);
  children.push(child);
  return child;
}
after(() => children.forEach((child) => child.kill()));

const modern = (params: Record<string, unknown> = {}) => ({ ...params, _meta: MODERN_META });
const call = (name: string, args: Record<string, unknown> = {}) => modern({ name, arguments: args });
const toolNames = (reply: any) => reply.result.tools.map((tool: { name: string }) => tool.name);

function assertError(reply: any, code: number, id: unknown): void {
  assert.equal(reply.jsonrpc, "2.0");
  assert.equal(reply.error?.code, code, JSON.stringify(reply));
  assert.equal(reply.id, id, JSON.stringify(reply));
  assert.equal("result" in reply, false);
}

describe("stdio: bad input never stops the server", () => {
  test("each bad line gets its error reply (or is ignored) and the next line is served", async () => {
    const child = demo();
    const invalidUtf8 = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":8,"method":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const cases: Array<[string | Buffer, number, unknown]> = [
      ["{not json", -32700, null],
      [invalidUtf8, -32700, null], // a parse error, not a crash or a silently mangled request
      ['{"jsonrpc":"2.0","id":1,"method":"ping"', -32700, null],
      ["42", -32600, null],
      ['"a string"', -32600, null],
      ["null", -32600, null],
      ['[{"jsonrpc":"2.0","id":2,"method":"ping"}]', -32600, null],
      ['{"jsonrpc":"2.0","id":3}', -32600, 3],
      ['{"jsonrpc":"1.0","id":4,"method":"ping"}', -32600, 4],
      ['{"jsonrpc":"2.0","id":5,"method":"ping","params":[1]}', -32600, 5],
      ['{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}', -32600, null],
      ['{"jsonrpc":"2.0","id":6,"method":"no/such/method"}', -32601, 6],
      ['{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"nope"}}', -32602, 7],
    ];
    for (const [line, code, id] of cases) {
      const before = child.messages.length;
      if (typeof line === "string") child.send(line);
      else child.child.stdin.write(Buffer.concat([line, Buffer.from("\n")]));
      const pong = await child.request("ping", undefined, `after-${String(line)}`);
      assert.deepEqual(pong.result, {});
      const replies = child.messages.slice(before).filter((message) => message !== pong);
      assert.equal(replies.length, 1, `exactly one reply to ${line}`);
      assertError(replies[0], code, id);
    }
    // Ignored without a reply: unknown and known notifications, blank lines, responses from the client.
    const before = child.messages.length;
    for (const line of [
      '{"jsonrpc":"2.0","method":"notifications/whatever","params":{"x":1}}',
      '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"never-sent"}}',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":"malformed"}',
      "",
      "   \t",
      '{"jsonrpc":"2.0","id":"s1","result":{}}',
    ]) {
      child.send(line);
    }
    await child.request("ping", undefined, "last");
    assert.deepEqual(child.messages.slice(before).map((message) => message.id), ["last"]);
    assert.deepEqual(await child.end(), { code: 0, signal: null });
    assert.deepEqual(child.garbage, [], "stdout carried JSON-RPC only");
    assert.equal(child.stderr.trim(), CLEANUP_LINE, "client mistakes are answered, not logged");
  });

  test("a line over 4 MiB is refused while it streams, never buffered, and the next line is served", async () => {
    const child = demo();
    await child.request("ping"); // started, baseline memory settled
    const rssBefore = await rssKiB(child.child.pid!);
    const chunk = Buffer.alloc(1024 * 1024, 0x61); // 1 MiB of "a"
    for (let i = 0; i < 4; i++) child.child.stdin.write(chunk);
    child.child.stdin.write("aa"); // 4 MiB + 2 bytes, no newline yet
    const refusal = await child.next((message) => message.error !== undefined);
    assertError(refusal, -32600, null);
    assert.match(refusal.error.message, /Message too large: lines are limited to 4194304 bytes/);
    // 64 MiB more of the same line: discarded as it arrives.
    for (let i = 0; i < 64; i++) {
      if (!child.child.stdin.write(chunk)) await once(child.child.stdin, "drain");
    }
    child.send('"still the same line"');
    const pong = await child.request("ping", undefined, "after-oversize");
    assert.deepEqual(pong.result, {});
    const grownMiB = ((await rssKiB(child.child.pid!)) - rssBefore) / 1024;
    assert.ok(grownMiB < 40, `RSS grew by ${grownMiB.toFixed(1)} MiB while 68 MiB streamed through`);
    assert.equal(child.messages.filter((message) => message.error).length, 1, "one refusal for the whole line");
    // A line of exactly 4 MiB is still accepted (a JSON string padded with spaces).
    const exact = `{"jsonrpc":"2.0","id":"big","method":"ping"}`;
    child.send(exact + " ".repeat(4 * 1024 * 1024 - exact.length));
    assert.deepEqual((await child.next((message) => message.id === "big")).result, {});
    assert.deepEqual(await child.end(), { code: 0, signal: null });
  });
});

describe("stdio: concurrency and cancellation", () => {
  test("requests run concurrently; each reply carries its own id", async () => {
    const child = demo();
    child.send({ jsonrpc: "2.0", id: "slow", method: "tools/call", params: call("wait", { ms: 400 }) });
    const fast = await child.request("tools/call", call("greet", { question: "quick" }), "fast");
    assert.deepEqual(fast.result.structuredContent, { answer: "Hello, quick!" });
    assert.equal(child.messages.some((message) => message.id === "slow"), false, "the fast call did not wait for the slow one");
    const slow = await child.next((message) => message.id === "slow");
    // Node's timers run against the event loop's cached clock: by Date.now() a wait may end a few ms short.
    assert.ok(slow.result.structuredContent.waitedMs >= 380);
    child.kill();
  });

  test("notifications/cancelled fires the handler's signal and suppresses the reply", async () => {
    const child = demo();
    // Up and reading first: lines that reach a busy process together run together, and the
    // cancelled handler records its end only once its sleep rejects, after the lines in that batch.
    await child.request("ping", {});
    child.send({ jsonrpc: "2.0", id: 41, method: "tools/call", params: call("wait", { ms: 30_000 }) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 41, reason: "user pressed stop" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The demo records a cancelled wait in its state; the advice prompt lists the tools called so far.
    const advice = await child.request("prompts/get", modern({ name: "get_advice", arguments: { topic: "waiting" } }));
    assert.match(advice.result.messages[0].content.text, /Previously called tools: wait \(cancelled\)$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(child.messages.some((message) => message.id === 41), false, "no reply for the cancelled request");
    // Cancelling a finished request is ignored; the same id can be used again.
    child.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 41 } });
    const again = await child.request("tools/call", call("wait", { ms: 1 }), 41);
    assert.equal(again.result.isError, undefined);
    assert.deepEqual(await child.end(), { code: 0, signal: null });
    assert.equal(child.stderr.trim(), CLEANUP_LINE, "a cancelled call is not an error to report");
  });
});

describe("stdio: scopes from MCP_TOKEN", () => {
  test("the token's scopes decide what is listed and callable, in both eras", async () => {
    const admin = demo({ MCP_TOKEN: "demo-admin" });
    assert.deepEqual(toolNames(await admin.request("tools/list", modern())), ["activity_snapshot", "admin_tool", "get_time", "greet", "long_job", "private_tool", "risky_tool", "show_activity", "wait"]);
    assert.deepEqual((await admin.request("tools/call", call("admin_tool"))).result.structuredContent, {
      message: "This is admin data for demo-admin",
    });
    assert.deepEqual((await admin.request("tools/call", { name: "private_tool" })).result.structuredContent, { message: "This is private data" });

    for (const token of [undefined, "wrong-token"]) {
      const anonymous = demo(token === undefined ? {} : { MCP_TOKEN: token });
      assert.deepEqual(toolNames(await anonymous.request("tools/list")), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
      const refused = await anonymous.request("tools/call", call("private_tool"), "p");
      assertError(refused, -31403, "p");
      assert.deepEqual(refused.error.data, { requiredScopes: ["private"] });
      const prompts = await anonymous.request("prompts/list", modern());
      assert.deepEqual(prompts.result.prompts.map((p: { name: string }) => p.name), ["get_advice", "help_prompt"]);
      await anonymous.end();
      assert.ok(!anonymous.stderr.includes("wrong-token"));
    }
    await admin.end();
    assert.equal(admin.stderr.trim(), CLEANUP_LINE);
  });
});

describe("stdio: both protocol eras in one process", () => {
  test("initialize negotiates a 2025 version; 2026-07-28 lines are served statelessly beside it", async () => {
    const child = demo();
    const discover = await child.request("server/discover", modern());
    assert.deepEqual(discover.result.supportedVersions, ["2026-07-28"]);
    assert.equal(discover.result.resultType, "complete");
    const init = await child.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } });
    assert.equal(init.result.protocolVersion, "2025-06-18");
    const old = await child.request("initialize", { protocolVersion: "1999-01-01", capabilities: {}, clientInfo: { name: "raw", version: "0" } });
    assert.equal(old.result.protocolVersion, "2025-11-25", "an unknown version is answered with our newest 2025 version");
    assert.deepEqual((await child.request("ping")).result, {});
    const legacyList = await child.request("tools/list");
    assert.equal("resultType" in legacyList.result, false);
    const modernList = await child.request("tools/list", modern());
    assert.equal(modernList.result.resultType, "complete");
    assertError(await child.request("ping", modern(), "mp"), -32601, "mp");
    const badMeta = await child.request("tools/list", { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } }, "bm");
    assertError(badMeta, -32602, "bm");
    child.kill();
  });
});

describe("stdio: shutdown", () => {
  for (const how of ["EOF", "SIGTERM", "SIGINT"] as const) {
    test(`${how}: calls in flight finish, the lifespan cleans up, the process exits 0`, async () => {
      const child = demo();
      await child.request("ping");
      child.send({ jsonrpc: "2.0", id: "inflight", method: "tools/call", params: call("wait", { ms: 300 }) });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      if (how === "EOF") child.child.stdin.end();
      else child.child.kill(how);
      const exit = await child.exited;
      assert.deepEqual(exit, { code: 0, signal: null });
      const reply = child.messages.find((message) => message.id === "inflight");
      // A few ms short of 300 is still the complete wait (timers run against the loop's cached clock).
      assert.ok(reply?.result?.structuredContent?.waitedMs >= 280, "the call in flight got its complete answer");
      assert.equal(child.stderr.trim(), CLEANUP_LINE);
      assert.ok(Date.now() - started < 3000, "exited promptly");
    });
  }

  test("after a signal no new request is taken", async () => {
    const child = demo();
    await child.request("ping");
    child.send({ jsonrpc: "2.0", id: "inflight", method: "tools/call", params: call("wait", { ms: 300 }) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.send({ jsonrpc: "2.0", id: "late", method: "ping" });
    await child.exited;
    assert.ok(child.messages.some((message) => message.id === "inflight"));
    assert.equal(child.messages.some((message) => message.id === "late"), false);
  });
});
