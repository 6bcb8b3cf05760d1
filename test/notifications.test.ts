// Progress and log notifications sent with a call's response: an SSE reply over HTTP (node
// handler and fetch handler, served on real sockets), interleaved lines on stdio, and what the
// official clients make of them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { definePrompt, defineResourceTemplate, defineTool, MCPServer, McpError, resourceNotFound } from "http-mcp";
import { inMemoryStdio, listen, listenFetch, MODERN, MODERN_META, modernHeaders, post, type RawResponse, type Running } from "./helpers.js";

const LOG_LEVEL = "io.modelcontextprotocol/logLevel";
const SSE_ACCEPT = "application/json, text/event-stream";
let nextId = 1;

// ---------------------------------------------------------------- the server under test

/** Handlers of the "gate" tool waiting to be let through (the test opens them one by one). */
const gates: Array<() => void> = [];

const count = defineTool({
  name: "count",
  input: z.object({ steps: z.number().int() }),
  handler: async ({ inputs, progress }) => {
    progress(0);
    for (let i = 1; i <= inputs.steps; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      progress(i, inputs.steps, `step ${i}`);
      progress(i, inputs.steps, "again"); // not increasing: dropped
      progress(i - 0.5); // going back: dropped
    }
    return `counted ${inputs.steps}`;
  },
});

const gate = defineTool({
  name: "gate",
  handler: async ({ progress }) => {
    progress(1, 2, "waiting at the gate");
    await new Promise<void>((resolve) => gates.push(resolve));
    progress(2, 2, "through");
    return "opened";
  },
});

const chatty = defineTool({
  name: "chatty",
  handler: ({ log, progress }) => {
    log("debug", "debug detail");
    log("info", { event: "start" }, "db");
    progress(0.5, 1);
    log("warning", "careful");
    log("verbose" as never, "not a level: dropped");
    log("error", ["e", 1], "core");
    return "logged";
  },
});

const doomed = definePrompt({
  name: "doomed",
  handler: ({ progress, log }) => {
    progress(1, 3, "started");
    log("error", "about to fail");
    throw new McpError("INVALID_PARAMS", "doomed from the start");
  },
});

const slowRead = defineResourceTemplate({
  uriTemplate: "slow://{n}",
  name: "slow",
  read: ({ inputs, progress }) => {
    progress(1, 2);
    if (inputs.params.n === "missing") throw resourceNotFound(inputs.uri);
    progress(2, 2);
    return `read ${inputs.params.n}`;
  },
});

const makeServer = () => new MCPServer({ name: "notifier", version: "1.0.0", tools: [count, gate, chatty], prompts: [doomed], resourceTemplates: [slowRead] });

// ---------------------------------------------------------------- HTTP plumbing

/** The JSON messages of an SSE body, checking the framing of every event. */
function events(res: RawResponse): any[] {
  assert.equal(res.headers.get("content-type"), "text/event-stream", res.text);
  const blocks = res.text.split("\n\n");
  assert.equal(blocks.pop(), "", "the stream ends with a complete event");
  return blocks.map((block) => {
    const lines = block.split("\n");
    assert.equal(lines[0], "event: message", block);
    assert.equal(lines.length, 2, block);
    assert.ok(lines[1]!.startsWith("data: "), block);
    return JSON.parse(lines[1]!.slice("data: ".length));
  });
}

function assertPlainJson(res: RawResponse): any {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.ok(res.json, res.text);
  return res.json;
}

type Era = "modern" | "legacy";

/** POSTs one request of either era; `meta` is merged into params._meta, `accept` replaces the default. */
function call(url: string, era: Era, method: string, params: Record<string, unknown>, meta: Record<string, unknown> = {}, accept = SSE_ACCEPT) {
  const id = nextId++;
  const name = typeof params.name === "string" ? params.name : typeof params.uri === "string" ? params.uri : undefined;
  const modern = era === "modern";
  const fullMeta = modern ? { ...MODERN_META, ...meta } : meta;
  const body = { jsonrpc: "2.0", id, method, params: Object.keys(fullMeta).length > 0 ? { ...params, _meta: fullMeta } : params };
  const headers = modern ? modernHeaders(method, name) : { "mcp-protocol-version": "2025-11-25" };
  return post(url, body, { ...headers, accept }).then((res) => ({ res, id }));
}

const progressOf = (messages: any[]) => messages.filter((m) => m.method === "notifications/progress").map((m) => m.params);
const logsOf = (messages: any[]) => messages.filter((m) => m.method === "notifications/message").map((m) => m.params);

const serveFetch = (mcp: MCPServer): Promise<Running> => listenFetch((request) => mcp.fetch(request));

// ---------------------------------------------------------------- HTTP: node handler and fetch handler

const mounts: Array<[string, (mcp: MCPServer) => Promise<Running>]> = [
  ["server.nodeHandler on node:http", (mcp) => listen(mcp.nodeHandler)],
  ["server.fetch on @hono/node-server", serveFetch],
];

for (const [label, mount] of mounts) {
  describe(`HTTP: ${label}`, () => {
    const mcp = makeServer();
    let running: Running;
    before(async () => void (running = await mount(mcp)));
    after(async () => {
      await running.close();
      await mcp.close();
    });

    test("a progressToken turns the reply into an SSE stream: increasing progress, then the response", async () => {
      const { res, id } = await call(running.url, "modern", "tools/call", { name: "count", arguments: { steps: 3 } }, { progressToken: "tok-1" });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-accel-buffering"), "no");
      assert.equal(res.headers.get("cache-control"), "no-cache, no-store");
      const messages = events(res);
      assert.deepEqual(progressOf(messages), [
        { progressToken: "tok-1", progress: 0 },
        { progressToken: "tok-1", progress: 1, total: 3, message: "step 1" },
        { progressToken: "tok-1", progress: 2, total: 3, message: "step 2" },
        { progressToken: "tok-1", progress: 3, total: 3, message: "step 3" },
      ]);
      assert.equal(messages.length, 5);
      for (const note of messages.slice(0, -1)) {
        assert.equal(note.jsonrpc, "2.0");
        assert.equal(Object.hasOwn(note, "id"), false, "notifications carry no id");
      }
      const last = messages.at(-1);
      assert.equal(last.id, id);
      assert.equal(last.result.resultType, "complete");
      assert.deepEqual(last.result.content, [{ type: "text", text: "counted 3" }]);
    });

    test("2025 era: a numeric token works the same", async () => {
      const { res, id } = await call(running.url, "legacy", "tools/call", { name: "count", arguments: { steps: 2 } }, { progressToken: 7 });
      const messages = events(res);
      assert.deepEqual(progressOf(messages).map((p) => [p.progressToken, p.progress]), [[7, 0], [7, 1], [7, 2]]);
      assert.deepEqual(messages.at(-1), { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "counted 2" }] } });
    });

    test("no token (or an unusable one): plain JSON, no notifications", async () => {
      for (const meta of [{}, { progressToken: { not: "a token" } }, { progressToken: true }]) {
        const { res } = await call(running.url, "modern", "tools/call", { name: "count", arguments: { steps: 2 } }, meta);
        const json = assertPlainJson(res);
        assert.deepEqual(json.result.content, [{ type: "text", text: "counted 2" }], JSON.stringify(meta));
        assert.ok(!res.text.includes("notifications/progress"));
      }
    });

    test("a client that does not accept text/event-stream gets plain JSON and no notifications", async () => {
      for (const era of ["modern", "legacy"] as const) {
        const meta = era === "modern" ? { progressToken: "t", [LOG_LEVEL]: "debug" } : { progressToken: "t" };
        const { res, id } = await call(running.url, era, "tools/call", { name: "chatty" }, meta, "application/json");
        const json = assertPlainJson(res);
        assert.equal(json.id, id);
        assert.deepEqual(json.result.content, [{ type: "text", text: "logged" }]);
        assert.ok(!res.text.includes("notifications/"), res.text);
      }
    });

    test("events are streamed as they happen, not buffered until the response", { timeout: 5000 }, async () => {
      const id = nextId++;
      const response = await fetch(running.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: SSE_ACCEPT, ...modernHeaders("tools/call", "gate") },
        body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "gate", _meta: { ...MODERN_META, progressToken: "g" } } }),
      });
      // Headers arrived while the handler is still waiting at the gate.
      assert.equal(response.headers.get("content-type"), "text/event-stream");
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
      assert.equal(gates.length, 1, "the handler has not finished");
      assert.match(text, /"progress":1,"total":2,"message":"waiting at the gate"/);
      assert.doesNotMatch(text, /"result"/);
      gates.shift()!();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += value;
      }
      const messages = events({ status: 200, headers: response.headers, text, json: undefined });
      assert.deepEqual(progressOf(messages).map((p) => p.progress), [1, 2]);
      assert.deepEqual(messages.at(-1).result.content, [{ type: "text", text: "opened" }]);
    });

    test("an error after progress: the stream (HTTP 200) ends with the error response", async () => {
      const { res, id } = await call(running.url, "modern", "prompts/get", { name: "doomed" }, { progressToken: "d", [LOG_LEVEL]: "error" });
      assert.equal(res.status, 200);
      const messages = events(res);
      assert.deepEqual(progressOf(messages), [{ progressToken: "d", progress: 1, total: 3, message: "started" }]);
      assert.deepEqual(logsOf(messages), [{ level: "error", data: "about to fail" }]);
      assert.deepEqual(messages.at(-1), { jsonrpc: "2.0", id, error: { code: -32602, message: "doomed from the start" } });
      // Without a token (and no log level) the same failure is a plain JSON error.
      const plain = await call(running.url, "modern", "prompts/get", { name: "doomed" });
      assert.equal(assertPlainJson(plain.res).error.code, -32602);
    });

    test("resources/read reports progress too, and a not-found after progress ends the stream", async () => {
      const ok = await call(running.url, "modern", "resources/read", { uri: "slow://7" }, { progressToken: "r" });
      const messages = events(ok.res);
      assert.deepEqual(progressOf(messages).map((p) => p.progress), [1, 2]);
      assert.deepEqual(messages.at(-1).result.contents, [{ uri: "slow://7", text: "read 7" }]);
      const missing = await call(running.url, "legacy", "resources/read", { uri: "slow://missing" }, { progressToken: "r" });
      const missingMessages = events(missing.res);
      assert.equal(progressOf(missingMessages).length, 1);
      assert.equal(missingMessages.at(-1).error.code, -32002);
    });

    test("2026-07-28 logs: only with _meta logLevel, only at or above it, logger kept", async () => {
      const silent = await call(running.url, "modern", "tools/call", { name: "chatty" });
      assert.deepEqual(assertPlainJson(silent.res).result.content, [{ type: "text", text: "logged" }]);
      const warning = await call(running.url, "modern", "tools/call", { name: "chatty" }, { [LOG_LEVEL]: "warning" });
      const warned = events(warning.res);
      assert.deepEqual(logsOf(warned), [
        { level: "warning", data: "careful" },
        { level: "error", logger: "core", data: ["e", 1] },
      ]);
      assert.equal(progressOf(warned).length, 0, "no token, no progress");
      assert.equal(warned.length, 3);
      const debug = await call(running.url, "modern", "tools/call", { name: "chatty" }, { [LOG_LEVEL]: "debug", progressToken: 1 });
      assert.deepEqual(
        events(debug.res).map((m) => m.params?.level ?? (m.method === "notifications/progress" ? "progress" : "response")),
        ["debug", "info", "progress", "warning", "error", "response"],
        "notifications keep the order the handler sent them in",
      );
      assert.deepEqual(logsOf(events(debug.res))[1], { level: "info", logger: "db", data: { event: "start" } });
      const emergency = await call(running.url, "modern", "tools/call", { name: "chatty" }, { [LOG_LEVEL]: "emergency" });
      assertPlainJson(emergency.res);
    });

    test("2026-07-28: a logLevel that is not a level is 400 -32602; logging/setLevel is not a method", async () => {
      const { res } = await call(running.url, "modern", "tools/call", { name: "chatty" }, { [LOG_LEVEL]: "verbose" });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, -32602);
      const setLevel = await call(running.url, "modern", "logging/setLevel", { level: "debug" });
      assert.equal(setLevel.res.status, 404);
      assert.equal(setLevel.res.json.error.code, -32601);
    });

    test("2025 era, stateless: logs from info up; logging/setLevel answers {} but cannot stick", async () => {
      const first = events((await call(running.url, "legacy", "tools/call", { name: "chatty" })).res);
      assert.deepEqual(logsOf(first).map((l) => l.level), ["info", "warning", "error"]);
      const set = await call(running.url, "legacy", "logging/setLevel", { level: "error" });
      assert.deepEqual(assertPlainJson(set.res).result, {});
      const invalid = await call(running.url, "legacy", "logging/setLevel", { level: "loud" });
      assert.equal(assertPlainJson(invalid.res).error.code, -32602);
      assert.equal(assertPlainJson((await call(running.url, "legacy", "logging/setLevel", {})).res).error.code, -32602);
      const later = events((await call(running.url, "legacy", "tools/call", { name: "chatty" })).res);
      assert.deepEqual(logsOf(later).map((l) => l.level), ["info", "warning", "error"], "no peer to remember the level");
    });
  });
}

// ---------------------------------------------------------------- stdio

/** serveStdio on in-memory streams; every output line is parsed (and must be JSON). */
function stdioPeer() {
  const { send, waitFor, lines, connection } = inMemoryStdio(makeServer());
  /** Sends a request; resolves with every line written for it, its response last. */
  const request = async (method: string, params: Record<string, unknown> = {}): Promise<{ messages: any[]; response: any }> => {
    const id = `s${nextId++}`;
    const start = lines.length;
    send({ jsonrpc: "2.0", id, method, params });
    const { index, line } = await waitFor((message) => message.id === id, start);
    return { messages: lines.slice(start, index + 1), response: line };
  };
  return { request, close: () => connection.close() };
}

describe("stdio", () => {
  test("progress: notifications/progress lines before the response line; none without a token", async () => {
    const peer = stdioPeer();
    try {
      await peer.request("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
      const { messages, response } = await peer.request("tools/call", { name: "count", arguments: { steps: 3 }, _meta: { progressToken: "p" } });
      assert.deepEqual(messages.slice(0, -1), [
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p", progress: 0 } },
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p", progress: 1, total: 3, message: "step 1" } },
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p", progress: 2, total: 3, message: "step 2" } },
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p", progress: 3, total: 3, message: "step 3" } },
      ]);
      assert.deepEqual(response.result, { content: [{ type: "text", text: "counted 3" }] });
      const quiet = await peer.request("tools/call", { name: "count", arguments: { steps: 2 } });
      assert.deepEqual(quiet.messages, [quiet.response]);
      const modern = await peer.request("tools/call", { name: "count", arguments: { steps: 1 }, _meta: { ...MODERN_META, progressToken: 5 } });
      assert.deepEqual(progressOf(modern.messages).map((p) => [p.progressToken, p.progress]), [[5, 0], [5, 1]]);
      assert.equal(modern.response.result.resultType, "complete");
    } finally {
      await peer.close();
    }
  });

  test("logging/setLevel changes the threshold for later calls; 2026-07-28 messages use their own _meta", async () => {
    const peer = stdioPeer();
    const levels = async (params: Record<string, unknown> = {}) => {
      const { messages, response } = await peer.request("tools/call", { name: "chatty", ...params });
      assert.deepEqual(response.result.content, [{ type: "text", text: "logged" }]);
      return logsOf(messages).map((l) => l.level);
    };
    try {
      await peer.request("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
      assert.deepEqual(await levels(), ["info", "warning", "error"], "default threshold: info");
      assert.deepEqual((await peer.request("logging/setLevel", { level: "error" })).response.result, {});
      assert.deepEqual(await levels(), ["error"]);
      assert.equal((await peer.request("logging/setLevel", { level: "nope" })).response.error.code, -32602);
      assert.deepEqual(await levels(), ["error"], "a refused level changes nothing");
      await peer.request("logging/setLevel", { level: "debug" });
      assert.deepEqual(await levels(), ["debug", "info", "warning", "error"]);
      assert.deepEqual(await levels({ _meta: MODERN_META }), [], "2026-07-28 without logLevel: no logs");
      assert.deepEqual(await levels({ _meta: { ...MODERN_META, [LOG_LEVEL]: "warning" } }), ["warning", "error"]);
      assert.deepEqual(await levels(), ["debug", "info", "warning", "error"], "the peer's level is unchanged");
      const { messages } = await peer.request("tools/call", { name: "chatty" });
      assert.deepEqual(logsOf(messages)[3], { level: "error", logger: "core", data: ["e", 1] });
    } finally {
      await peer.close();
    }
  });

  test("an error after progress: the progress line, then the error response", async () => {
    const peer = stdioPeer();
    try {
      const { messages, response } = await peer.request("prompts/get", { name: "doomed", _meta: { progressToken: "x" } });
      assert.deepEqual(messages.map((m) => m.method ?? "response"), ["notifications/progress", "notifications/message", "response"]);
      assert.deepEqual(response.error, { code: -32602, message: "doomed from the start" });
    } finally {
      await peer.close();
    }
  });
});

// ---------------------------------------------------------------- official clients

describe("official clients", () => {
  const mcp = makeServer();
  let running: Running;
  before(async () => void (running = await listen(mcp.nodeHandler)));
  after(async () => {
    await running.close();
    await mcp.close();
  });

  test("v1 SDK: onprogress callbacks, log notifications, setLoggingLevel", async () => {
    const client = new ClientV1({ name: "v1-progress", version: "0.0.1" });
    const logs: Array<{ level: string; data: unknown; logger?: string | undefined }> = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(notification.params));
    try {
      await client.connect(new TransportV1(new URL(running.url)));
      assert.deepEqual(client.getServerCapabilities()?.logging, {});
      const seen: Array<{ progress: number; total?: number | undefined; message?: string | undefined }> = [];
      const result = await client.callTool({ name: "count", arguments: { steps: 3 } }, undefined, { onprogress: (progress) => void seen.push(progress) });
      assert.deepEqual(result.content, [{ type: "text", text: "counted 3" }]);
      assert.deepEqual(seen, [
        { progress: 0 },
        { progress: 1, total: 3, message: "step 1" },
        { progress: 2, total: 3, message: "step 2" },
        { progress: 3, total: 3, message: "step 3" },
      ]);
      const logged = await client.callTool({ name: "chatty" });
      assert.deepEqual(logged.content, [{ type: "text", text: "logged" }]);
      assert.deepEqual(logs, [
        { level: "info", logger: "db", data: { event: "start" } },
        { level: "warning", data: "careful" },
        { level: "error", logger: "core", data: ["e", 1] },
      ]);
      assert.deepEqual(await client.setLoggingLevel("error"), {});
      await assert.rejects(client.getPrompt({ name: "doomed" }, { onprogress: () => {} }), /doomed from the start/);
    } finally {
      await client.close();
    }
  });

  test("v2 client pinned to 2026-07-28: onprogress callbacks", async () => {
    const client = new ClientV2({ name: "v2-progress", version: "0.0.1" }, { versionNegotiation: { mode: { pin: MODERN } } });
    try {
      await client.connect(new TransportV2(new URL(running.url)));
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      const seen: number[] = [];
      const result = await client.callTool({ name: "count", arguments: { steps: 2 } }, { onprogress: (progress) => void seen.push(progress.progress) });
      assert.deepEqual(result.content, [{ type: "text", text: "counted 2" }]);
      assert.deepEqual(seen, [0, 1, 2]);
    } finally {
      await client.close();
    }
  });
});
