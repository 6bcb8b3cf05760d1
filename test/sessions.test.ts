// Opt-in 2025-era HTTP sessions (`sessions` option): Mcp-Session-Id, per-session version,
// capabilities, log level and subscriptions, the GET notification stream, DELETE, session stores,
// and server→client requests (elicitation, sampling, roots) on sessions and on stdio.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import {
  definePrompt,
  defineResource,
  defineTool,
  MCPServer,
  type LogLevel,
  type MCPServerSettings,
} from "http-mcp";
import { legacySessions, MemorySessionStore, type SessionRecord, type SessionStore } from "http-mcp/sessions";
import { inMemoryStdio, listen, MODERN, MODERN_META, modernHeaders, openStream, post, type RawResponse, type Running } from "./helpers.js";

const SESSION = "mcp-session-id";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORM = { message: "What is your name?", requestedSchema: { type: "object" as const, properties: { name: { type: "string" } }, required: ["name"] } };
const LEVELS: LogLevel[] = ["debug", "info", "warning", "error"];

const tools = [
  defineTool({
    name: "whoami",
    handler: ({ protocolVersion, clientCapabilities }) => JSON.stringify({ protocolVersion, clientCapabilities: clientCapabilities ?? null }),
  }),
  defineTool({
    name: "chatty",
    handler: ({ log }) => {
      for (const level of LEVELS) log(level, `${level} message`);
      return "logged";
    },
  }),
  defineTool({
    name: "ask",
    handler: async ({ elicit }) => {
      const answer = await elicit("name", FORM);
      return answer.action === "accept" ? `Hello, ${String(answer.content?.name)}!` : `No name (${answer.action})`;
    },
  }),
  defineTool({
    name: "think",
    input: z.object({ question: z.string() }),
    handler: async ({ inputs, sample }) => {
      const answer = await sample("llm", { messages: [{ role: "user", content: { type: "text", text: inputs.question } }], maxTokens: 10 });
      const content = Array.isArray(answer.content) ? answer.content[0] : answer.content;
      return `${answer.model}: ${content?.type === "text" ? content.text : "?"}`;
    },
  }),
  defineTool({ name: "roots", handler: async ({ listRoots }) => (await listRoots("roots")).roots.map((root) => root.uri).join(",") }),
];
const prompts = [definePrompt({ name: "hello", handler: () => "Hello!" })];
const resources = [defineResource({ uri: "test://watched", read: () => "watched" }), defineResource({ uri: "test://other", read: () => "other" })];

function sessionServer(options: Partial<MCPServerSettings<undefined>> = {}) {
  return new MCPServer({
    name: "sessions",
    version: "1.0.0",
    tools,
    prompts,
    resources,
    sessions: legacySessions(),
    authenticate: (request) => {
      const match = /^Bearer (\w+)$/.exec(request.headers.get("authorization") ?? "");
      return match ? { scopes: [], subject: match[1]! } : null;
    },
    ...options,
  });
}

let nextId = 1;

/** A 2025-era request: no MCP-Protocol-Version header unless given, so the session's version applies. */
const rpc = (url: string, method: string, params?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  post(url, { jsonrpc: "2.0", id: nextId++, method, ...(params === undefined ? {} : { params }) }, headers);

/** Opens a session; returns its id. */
async function initialize(url: string, capabilities: Record<string, unknown> = {}, protocolVersion = "2025-11-25", headers: Record<string, string> = {}): Promise<string> {
  const res = await rpc(url, "initialize", { protocolVersion, capabilities, clientInfo: { name: "t", version: "1" } }, headers);
  assert.equal(res.status, 200, res.text);
  const id = res.headers.get(SESSION);
  assert.ok(id !== null && UUID.test(id), `session id: ${id}`);
  assert.equal(res.json.result.protocolVersion, protocolVersion);
  return id;
}

/** Every JSON-RPC message of a reply: the SSE events in order, or the single JSON body. */
function messagesOf(res: RawResponse): any[] {
  if (res.headers.get("content-type") !== "text/event-stream") return [res.json];
  return res.text.split("\n").filter((line) => line.startsWith("data: ") && line.length > 6).map((line) => JSON.parse(line.slice(6)));
}

const whoami = async (url: string, headers: Record<string, string>) => JSON.parse((await rpc(url, "tools/call", { name: "whoami" }, headers)).json.result.content[0].text);

function assertRpcError(res: RawResponse, status: number, code: number): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json?.error?.code, code, res.text);
}

/** Polls until `check` passes (the server notices a closed connection asynchronously). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await sleep(10);
  }
  assert.fail(`never happened: ${what}`);
}

describe("2025-era HTTP sessions", () => {
  const errors: Array<[string, string]> = [];
  const server = sessionServer({ onError: (error, where) => errors.push([String(error), where]) });
  let running: Running, url: string;
  before(async () => void ({ url } = running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });

  test("initialize opens a session; requests naming it run with its version and capabilities", async () => {
    const capabilities = { elicitation: {}, roots: { listChanged: true } };
    const init = await rpc(url, "initialize", { protocolVersion: "2025-06-18", capabilities, clientInfo: { name: "t", version: "1" } });
    const id = init.headers.get(SESSION)!;
    assert.match(id, UUID);
    assert.equal(init.json.result.protocolVersion, "2025-06-18");
    // A session can push: list changes and subscriptions are offered.
    assert.deepEqual(init.json.result.capabilities, {
      tools: { listChanged: true },
      prompts: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      completions: {},
      logging: {},
    });
    assert.deepEqual(await whoami(url, { [SESSION]: id }), { protocolVersion: "2025-06-18", clientCapabilities: capabilities });
    // The header, when sent, names the version of that request.
    assert.equal((await whoami(url, { [SESSION]: id, "mcp-protocol-version": "2025-11-25" })).protocolVersion, "2025-11-25");
    // Without a session id the request is served statelessly.
    assert.deepEqual(await whoami(url, {}), { protocolVersion: "2025-03-26", clientCapabilities: null });
    const other = await initialize(url, { sampling: {} });
    assert.notEqual(other, id);
    assert.deepEqual((await whoami(url, { [SESSION]: other })).clientCapabilities, { sampling: {} });
    assert.deepEqual((await rpc(url, "ping", undefined, { [SESSION]: id })).json.result, {});
    // A failed initialize opens nothing.
    const failed = await rpc(url, "initialize", { protocolVersion: "2025-11-25", capabilities: {} });
    assert.equal(failed.json.error.code, -32602);
    assert.equal(failed.headers.get(SESSION), null);
  });

  test("logging/setLevel is remembered per session", async () => {
    const quiet = await initialize(url);
    const normal = await initialize(url);
    assert.deepEqual((await rpc(url, "logging/setLevel", { level: "warning" }, { [SESSION]: quiet })).json.result, {});
    assertRpcError(await rpc(url, "logging/setLevel", { level: "loud" }, { [SESSION]: quiet }), 200, -32602);
    const levelsOf = async (session: string) => {
      const messages = messagesOf(await rpc(url, "tools/call", { name: "chatty" }, { [SESSION]: session }));
      assert.deepEqual(messages.at(-1).result.content, [{ type: "text", text: "logged" }]);
      return messages.slice(0, -1).map((message) => [message.method, message.params.level, message.params.data]);
    };
    assert.deepEqual(await levelsOf(quiet), [
      ["notifications/message", "warning", "warning message"],
      ["notifications/message", "error", "error message"],
    ]);
    assert.deepEqual((await levelsOf(normal)).map(([, level]) => level), ["info", "warning", "error"], "the default level is info");
    assert.deepEqual((await rpc(url, "logging/setLevel", { level: "debug" }, { [SESSION]: normal })).json.result, {});
    assert.deepEqual((await levelsOf(normal)).map(([, level]) => level), LEVELS);
    assert.deepEqual((await levelsOf(quiet)).map(([, level]) => level), ["warning", "error"], "one session's level is not another's");
  });

  test("unknown session ids are 404 -32001 on POST, GET and DELETE; GET and DELETE need one", async () => {
    const unknown = { [SESSION]: crypto.randomUUID() };
    assertRpcError(await rpc(url, "tools/list", undefined, unknown), 404, -32001);
    assertRpcError(await rpc(url, "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } }, unknown), 404, -32001);
    const get = await fetch(url, { headers: { accept: "text/event-stream", ...unknown } });
    assert.equal(get.status, 404);
    assert.equal((await get.json()).error.code, -32001);
    const del = await fetch(url, { method: "DELETE", headers: unknown });
    assert.equal(del.status, 404);
    assert.equal((await del.json()).error.code, -32001);
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(url, { method, headers: { accept: "text/event-stream" } });
      assert.equal(res.status, 400, method);
      assert.equal((await res.json()).error.code, -32600);
    }
  });

  test("the GET stream carries list changes and updates of subscribed resources; one per session", async () => {
    const id = await initialize(url);
    const inSession = { [SESSION]: id };
    assert.deepEqual((await rpc(url, "resources/subscribe", { uri: "test://watched" }, inSession)).json.result, {});
    const stream = await openStream(url, { method: "GET", headers: { ...inSession, accept: "text/event-stream" } });
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers.get("content-type"), "text/event-stream");
      const second = await fetch(url, { headers: { ...inSession, accept: "text/event-stream" } });
      assert.equal(second.status, 409);
      assert.equal((await second.json()).error.code, -32600);
      const noAccept = await fetch(url, { headers: { ...inSession, accept: "application/json" } });
      assert.equal(noAccept.status, 406);
      await noAccept.body?.cancel();

      server.update({ tools });
      assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/tools/list_changed" });
      server.notifyResourceUpdated("test://other");
      server.notifyResourceUpdated("test://watched");
      assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "test://watched" } });
      assert.deepEqual((await rpc(url, "resources/unsubscribe", { uri: "test://watched" }, inSession)).json.result, {});
      server.notifyResourceUpdated("test://watched");
      server.update({ prompts });
      assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/prompts/list_changed" }, "nothing for the unsubscribed URI");
      assertRpcError(await rpc(url, "resources/subscribe", {}, inSession), 200, -32602);
    } finally {
      stream.abort();
    }
    // Once the client has gone, the session may open a new stream.
    let reopened: Response | undefined;
    await eventually(async () => {
      reopened = await fetch(url, { headers: { ...inSession, accept: "text/event-stream" } });
      if (reopened.status === 200) return true;
      await reopened.body?.cancel();
      return false;
    }, "a new GET stream after the first one was dropped");
    await reopened!.body?.cancel();
  });

  test("DELETE ends the session (204) and its GET stream; the id is 404 afterwards", async () => {
    const id = await initialize(url);
    const inSession = { [SESSION]: id };
    const stream = await openStream(url, { method: "GET", headers: { ...inSession, accept: "text/event-stream" } });
    const del = await fetch(url, { method: "DELETE", headers: inSession });
    assert.equal(del.status, 204);
    assert.equal(await del.text(), "");
    assert.deepEqual(await stream.rest(), [], "the server ended the stream");
    assertRpcError(await rpc(url, "tools/list", undefined, inSession), 404, -32001);
    assert.equal((await fetch(url, { method: "DELETE", headers: inSession })).status, 404);
    const put = await fetch(url, { method: "PUT", headers: inSession });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("allow"), "GET, POST, DELETE");
  });

  test("2026-07-28 requests ignore Mcp-Session-Id", async () => {
    const id = await initialize(url, { sampling: {} }, "2025-06-18");
    const modernWhoami = async (session: string) => {
      const res = await post(url, { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name: "whoami", _meta: MODERN_META } }, { ...modernHeaders("tools/call", "whoami"), [SESSION]: session });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get(SESSION), null);
      return JSON.parse(res.json.result.content[0].text);
    };
    assert.deepEqual(await modernWhoami(crypto.randomUUID()), { protocolVersion: MODERN, clientCapabilities: {} });
    assert.deepEqual(await modernWhoami(id), { protocolVersion: MODERN, clientCapabilities: {} }, "not the session's version or capabilities");
    const discover = await post(url, { jsonrpc: "2.0", id: nextId++, method: "server/discover", params: { _meta: MODERN_META } }, { ...modernHeaders("server/discover"), [SESSION]: "not-a-session" });
    assert.equal(discover.status, 200);
    assert.deepEqual(discover.json.result.supportedVersions, [MODERN]);
  });

  test("a session answers only to the caller that opened it", async () => {
    const alice = { authorization: "Bearer alice" };
    const id = await initialize(url, { elicitation: {} }, "2025-11-25", alice);
    assert.deepEqual((await whoami(url, { ...alice, [SESSION]: id })).clientCapabilities, { elicitation: {} });
    for (const stranger of [{ authorization: "Bearer bob" }, {}] as Array<Record<string, string>>) {
      assertRpcError(await rpc(url, "tools/list", undefined, { ...stranger, [SESSION]: id }), 404, -32001);
      assert.equal((await fetch(url, { headers: { ...stranger, [SESSION]: id, accept: "text/event-stream" } })).status, 404);
      assert.equal((await fetch(url, { method: "DELETE", headers: { ...stranger, [SESSION]: id } })).status, 404);
    }
    assert.equal((await fetch(url, { method: "DELETE", headers: { ...alice, [SESSION]: id } })).status, 204);
  });

  test("server requests travel on the call's stream; the answer comes back as a POST in the session", async () => {
    const id = await initialize(url, { elicitation: {} });
    const other = await initialize(url, { elicitation: {} });
    const call = await openStream(url, { body: { jsonrpc: "2.0", id: "call-1", method: "tools/call", params: { name: "ask" } }, headers: { [SESSION]: id } });
    assert.equal(call.headers.get("content-type"), "text/event-stream");
    const request = await call.next();
    assert.deepEqual(request, { jsonrpc: "2.0", id: "s-1", method: "elicitation/create", params: FORM });
    const answer = (result: unknown, session: string) => post(url, { jsonrpc: "2.0", id: request.id, result }, { [SESSION]: session });
    // An answer in another session (or in none) does not reach this call.
    assert.equal((await answer({ action: "accept", content: { name: "Mallory" } }, other)).status, 202);
    assert.equal((await post(url, { jsonrpc: "2.0", id: request.id, result: { action: "decline" } })).status, 202);
    const accepted = await answer({ action: "accept", content: { name: "Ada" } }, id);
    assert.equal(accepted.status, 202);
    assert.equal(accepted.text, "");
    assert.deepEqual(await call.rest(), [{ jsonrpc: "2.0", id: "call-1", result: { content: [{ type: "text", text: "Hello, Ada!" }] } }]);

    // The client answers with an error: the tool fails with an internal error, reported to onError.
    errors.length = 0;
    const failing = await openStream(url, { body: { jsonrpc: "2.0", id: "call-2", method: "tools/call", params: { name: "ask" } }, headers: { [SESSION]: id } });
    const second = await failing.next();
    assert.equal(second.id, "s-2");
    await post(url, { jsonrpc: "2.0", id: second.id, error: { code: -32600, message: "user closed the dialog" } }, { [SESSION]: id });
    assert.deepEqual(await failing.rest(), [
      { jsonrpc: "2.0", id: "call-2", result: { content: [{ type: "text", text: "Error calling tool ask: Internal error" }], isError: true } },
    ]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]![0], /user closed the dialog/);
    assert.equal(errors[0]![1], "tool ask");
  });

  test("server requests need the capability and a stream the client accepts", async () => {
    const bare = await initialize(url, {});
    assertRpcError(await rpc(url, "tools/call", { name: "ask" }, { [SESSION]: bare }), 400, -32021);
    const res = await rpc(url, "tools/call", { name: "roots" }, { [SESSION]: bare });
    assert.deepEqual(res.json.error.data, { requiredCapabilities: { roots: {} } });
    // No text/event-stream in Accept: the request cannot be sent, so the call fails inside.
    errors.length = 0;
    const id = await initialize(url, { elicitation: {} });
    const jsonOnly = await rpc(url, "tools/call", { name: "ask" }, { [SESSION]: id, accept: "application/json" });
    assert.deepEqual(jsonOnly.json.result, { content: [{ type: "text", text: "Error calling tool ask: Internal error" }], isError: true });
    assert.equal(errors.length, 1);
    assert.match(errors[0]![0], /needs a connection that carries server requests/);
  });
});

describe("without sessions", () => {
  const errors: Array<[unknown, string]> = [];
  const server = new MCPServer({ name: "stateless", version: "1.0.0", tools, onError: (error, where) => errors.push([error, where]) });
  let running: Running;
  before(async () => void (running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });

  test("GET and DELETE are 405 with Allow: POST; initialize issues no session id", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(running.url, { method, headers: { accept: "text/event-stream", [SESSION]: "x" } });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "POST");
      assert.equal((await res.json()).error.code, -32600);
    }
    const init = await rpc(running.url, "initialize", { protocolVersion: "2025-11-25", capabilities: { elicitation: {} }, clientInfo: { name: "t", version: "1" } });
    assert.equal(init.headers.get(SESSION), null);
    assert.deepEqual(init.json.result.capabilities.tools, {}, "no list changes without a stream to push them on");
    // A session id is meaningless here: no 404.
    assert.equal((await rpc(running.url, "ping", undefined, { [SESSION]: "whatever" })).status, 200);
  });

  test("elicit over stateless legacy HTTP is an internal error; the reason goes to onError", async () => {
    const res = await rpc(running.url, "tools/call", { name: "ask" }, { "mcp-protocol-version": "2025-11-25" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.result, { content: [{ type: "text", text: "Error calling tool ask: Internal error" }], isError: true });
    assert.equal(errors.length, 1);
    assert.ok(errors[0]![0] instanceof Error);
    assert.match((errors[0]![0] as Error).message, /elicitation\/create needs a connection that carries server requests: stdio, or HTTP with sessions enabled/);
    assert.equal(errors[0]![1], "tool ask");
  });
});

describe("official v1 client over a session", () => {
  test("elicitation and sampling are answered by its handlers; list changes reach it; terminateSession deletes", async () => {
    const server = sessionServer();
    const seen: string[] = [];
    const record = (req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.method ?? "?");
      server.nodeHandler(req, res);
    };
    const running = await listen(record);
    const client = new ClientV1({ name: "v1-sessions", version: "0.0.1" }, { capabilities: { elicitation: {}, sampling: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(`elicit: ${request.params.message}`);
      return { action: "accept", content: { name: "Lin" } };
    });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const first = request.params.messages[0]?.content;
      asked.push(`sample: ${first && "text" in first ? first.text : "?"}`);
      return { role: "assistant", content: { type: "text", text: "42" }, model: "model-x" };
    });
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void listChanged++);
    const transport = new TransportV1(new URL(running.url));
    try {
      await client.connect(transport);
      const sessionId = transport.sessionId;
      assert.ok(sessionId && UUID.test(sessionId), `session id ${sessionId}`);
      assert.deepEqual((await client.callTool({ name: "ask", arguments: {} })).content, [{ type: "text", text: "Hello, Lin!" }]);
      assert.deepEqual((await client.callTool({ name: "think", arguments: { question: "life?" } })).content, [{ type: "text", text: "model-x: 42" }]);
      assert.deepEqual(asked, ["elicit: What is your name?", "sample: life?"]);
      const capabilities = JSON.parse(((await client.callTool({ name: "whoami", arguments: {} })).content as Array<{ text: string }>)[0]!.text);
      assert.deepEqual(capabilities, { protocolVersion: "2025-11-25", clientCapabilities: { elicitation: {}, sampling: {} } });

      // The client opens its GET stream after initializing; a list change arrives there.
      await eventually(async () => seen.includes("GET"), "the client's GET stream");
      await eventually(async () => {
        server.update({ tools });
        await sleep(10);
        return listChanged > 0;
      }, "tools/list_changed on the client's GET stream");

      await transport.terminateSession();
      assert.ok(seen.includes("DELETE"));
      assertRpcError(await rpc(running.url, "ping", undefined, { [SESSION]: sessionId }), 404, -32001);
    } finally {
      await client.close();
      await running.close();
      await server.close();
    }
  });
});

describe("session stores", () => {
  /** A Map-backed async store that logs what the server asks of it. */
  function mapStore() {
    const records = new Map<string, SessionRecord>();
    const calls: string[] = [];
    const store: SessionStore = {
      async get(id) {
        calls.push(`get ${id}`);
        await sleep(1);
        const record = records.get(id);
        return record && structuredClone(record);
      },
      async set(id, record) {
        calls.push(`set ${id}`);
        await sleep(1);
        records.set(id, structuredClone(record));
      },
      async delete(id) {
        calls.push(`delete ${id}`);
        records.delete(id);
      },
    };
    return { records, calls, store };
  }

  test("a custom store holds every session record; another server on the same store continues the session", async () => {
    const { records, calls, store } = mapStore();
    const a = sessionServer({ sessions: legacySessions({ store }) });
    const b = sessionServer({ sessions: legacySessions({ store }) });
    const [ra, rb] = await Promise.all([listen(a.nodeHandler), listen(b.nodeHandler)]);
    try {
      const id = await initialize(ra.url, { sampling: {} }, "2025-06-18");
      assert.deepEqual(calls, [`set ${id}`]);
      assert.deepEqual(records.get(id), { protocolVersion: "2025-06-18", clientCapabilities: { sampling: {} }, logLevel: undefined, subscriptions: [], subject: undefined });
      const inSession = { [SESSION]: id };
      await rpc(ra.url, "logging/setLevel", { level: "error" }, inSession);
      await rpc(ra.url, "resources/subscribe", { uri: "test://watched" }, inSession);
      assert.equal(records.get(id)?.logLevel, "error");
      assert.deepEqual(records.get(id)?.subscriptions, ["test://watched"]);
      assert.deepEqual(calls.slice(1), [`get ${id}`, `set ${id}`, `get ${id}`, `set ${id}`], "each request reads the record and saves it");

      // The other server has never seen this session: it rebuilds it from the record.
      assert.deepEqual(await whoami(rb.url, inSession), { protocolVersion: "2025-06-18", clientCapabilities: { sampling: {} } });
      const logs = messagesOf(await rpc(rb.url, "tools/call", { name: "chatty" }, inSession));
      assert.deepEqual(logs.slice(0, -1).map((message) => message.params.level), ["error"], "the log level came from the record");
      const stream = await openStream(rb.url, { method: "GET", headers: { ...inSession, accept: "text/event-stream" } });
      b.notifyResourceUpdated("test://other");
      b.notifyResourceUpdated("test://watched");
      assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "test://watched" } }, "subscriptions came from the record");
      stream.abort();

      // A record gone from the store (expired, evicted, deleted elsewhere) ends the session everywhere.
      records.delete(id);
      assertRpcError(await rpc(ra.url, "ping", undefined, inSession), 404, -32001);
      assertRpcError(await rpc(rb.url, "ping", undefined, inSession), 404, -32001);

      const second = await initialize(rb.url);
      calls.length = 0;
      assert.equal((await fetch(ra.url, { method: "DELETE", headers: { [SESSION]: second } })).status, 204);
      assert.deepEqual(calls, [`get ${second}`, `delete ${second}`]);
      assert.equal(records.has(second), false);
      assertRpcError(await rpc(rb.url, "ping", undefined, { [SESSION]: second }), 404, -32001);
    } finally {
      await Promise.all([ra.close(), rb.close()]);
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("MemorySessionStore evicts the least recently used past maxSessions, and forgets idle sessions", async () => {
    const store = new MemorySessionStore({ maxSessions: 2 });
    const record: SessionRecord = { protocolVersion: "2025-11-25", clientCapabilities: {}, logLevel: undefined, subscriptions: [], subject: undefined };
    store.set("a", record);
    store.set("b", record);
    assert.equal(store.get("a"), record); // a is now the most recently used
    store.set("c", record);
    assert.equal(store.get("b"), undefined);
    assert.equal(store.get("a"), record);
    assert.equal(store.get("c"), record);
    store.delete("a");
    assert.equal(store.get("a"), undefined);

    const servers = [sessionServer({ sessions: legacySessions({ store: new MemorySessionStore({ maxSessions: 2 }) }) }), sessionServer({ sessions: legacySessions({ maxSessions: 2 }) })];
    for (const server of servers) {
      const running = await listen(server.nodeHandler);
      try {
        const first = await initialize(running.url);
        const second = await initialize(running.url);
        assert.equal((await rpc(running.url, "ping", undefined, { [SESSION]: first })).status, 200); // touches the first
        const third = await initialize(running.url);
        assertRpcError(await rpc(running.url, "ping", undefined, { [SESSION]: second }), 404, -32001);
        for (const alive of [first, third]) assert.equal((await rpc(running.url, "ping", undefined, { [SESSION]: alive })).status, 200);
      } finally {
        await running.close();
        await server.close();
      }
    }

    // The sessions held live are capped as well: a flood of initialize must not grow memory (found by the soak).
    const layer = legacySessions({ maxSessions: 5 });
    const flooded = sessionServer({ sessions: layer });
    const floodedRunning = await listen(flooded.nodeHandler);
    try {
      const ids = [];
      for (let i = 0; i < 40; i++) ids.push(await initialize(floodedRunning.url));
      assert.equal((layer as unknown as { liveCount: number }).liveCount, 5);
      assert.equal((await rpc(floodedRunning.url, "ping", undefined, { [SESSION]: ids.at(-1)! })).status, 200);
      assertRpcError(await rpc(floodedRunning.url, "ping", undefined, { [SESSION]: ids[0]! }), 404, -32001);
    } finally {
      await floodedRunning.close();
      await flooded.close();
    }

    // Two uses 600 ms apart outlive a 1 s idle timeout; wide margins, so a loaded machine cannot blur them.
    const idle = sessionServer({ sessions: legacySessions({ idleTimeoutMs: 1000 }) });
    const running = await listen(idle.nodeHandler);
    try {
      const id = await initialize(running.url);
      await sleep(600);
      assert.equal((await rpc(running.url, "ping", undefined, { [SESSION]: id })).status, 200);
      await sleep(600);
      assert.equal((await rpc(running.url, "ping", undefined, { [SESSION]: id })).status, 200, "use keeps it alive past the timeout");
      await sleep(1300);
      assertRpcError(await rpc(running.url, "ping", undefined, { [SESSION]: id }), 404, -32001);
    } finally {
      await running.close();
      await idle.close();
    }
  });
});

describe("2025-era server requests over stdio", () => {
  /** serveStdio on in-memory streams: send lines, wait for the line that matches. */
  function stdioPeer(server: MCPServer) {
    const peer = inMemoryStdio(server);
    const waitFor = async (match: (message: any) => boolean) => (await peer.waitFor(match)).line;
    return { ...peer, waitFor, reply: (id: unknown) => waitFor((message) => message.id === id && !("method" in message)) };
  }

  test("the server writes a request line (s-1…), the client answers with a response line, the tool completes", async () => {
    const errors: string[] = [];
    const peer = stdioPeer(sessionServer({ onError: (error) => errors.push(String(error)) }));
    peer.send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { elicitation: {}, sampling: {}, roots: {} }, clientInfo: { name: "t", version: "1" } } });
    await peer.reply(0);

    peer.send({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "ask" } });
    const elicit = await peer.waitFor((message) => message.method === "elicitation/create");
    assert.deepEqual(elicit, { jsonrpc: "2.0", id: "s-1", method: "elicitation/create", params: FORM });
    peer.send({ jsonrpc: "2.0", id: "s-1", result: { action: "accept", content: { name: "Ada" } } });
    assert.deepEqual((await peer.reply(1)).result, { content: [{ type: "text", text: "Hello, Ada!" }] });

    peer.send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "think", arguments: { question: "2+2?" } } });
    const sample = await peer.waitFor((message) => message.method === "sampling/createMessage");
    assert.equal(sample.id, "s-2");
    assert.deepEqual(sample.params, { messages: [{ role: "user", content: { type: "text", text: "2+2?" } }], maxTokens: 10 });
    peer.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "roots" } }); // asked while the sample waits
    const roots = await peer.waitFor((message) => message.method === "roots/list");
    assert.deepEqual(roots, { jsonrpc: "2.0", id: "s-3", method: "roots/list", params: {} });
    peer.send({ jsonrpc: "2.0", id: "s-3", result: { roots: [{ uri: "file:///a" }, { uri: "file:///b" }] } });
    peer.send({ jsonrpc: "2.0", id: "s-2", result: { role: "assistant", content: { type: "text", text: "4" }, model: "m1" } });
    assert.deepEqual((await peer.reply(3)).result.content, [{ type: "text", text: "file:///a,file:///b" }]);
    assert.deepEqual((await peer.reply(2)).result.content, [{ type: "text", text: "m1: 4" }]);

    // An error answer fails the tool without telling the client why; an answer to nothing is ignored.
    peer.send({ jsonrpc: "2.0", id: "s-999", result: { action: "accept" } });
    peer.send({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "ask" } });
    await peer.waitFor((message) => message.id === "s-4");
    peer.send({ jsonrpc: "2.0", id: "s-4", error: { code: -1, message: "no UI" } });
    assert.deepEqual((await peer.reply(4)).result, { content: [{ type: "text", text: "Error calling tool ask: Internal error" }], isError: true });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /no UI/);
    peer.input.end();
    await peer.connection.closed;
  });

  test("a client that did not declare the capability gets -32021", async () => {
    const peer = stdioPeer(sessionServer());
    peer.send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { sampling: {} }, clientInfo: { name: "t", version: "1" } } });
    await peer.reply(0);
    peer.send({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "ask" } });
    const reply = await peer.reply(1);
    assert.equal(reply.error.code, -32021);
    assert.deepEqual(reply.error.data, { requiredCapabilities: { elicitation: {} } });
    assert.equal(peer.lines.some((message) => message.method === "elicitation/create"), false);
    peer.input.end();
    await peer.connection.closed;
  });
});

describe("session lifecycle races", () => {
  const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } };

  test("a session deleted while one of its calls runs stays deleted when that call ends", async () => {
    const slow = defineTool({ name: "slow", handler: async () => (await sleep(100), "done") });
    const server = new MCPServer({ name: "s", version: "1", tools: [slow], sessions: legacySessions() });
    const running = await listen(server.nodeHandler);
    try {
      const init = await post(running.url, initialize);
      const session = { "mcp-session-id": init.headers.get("mcp-session-id")! };
      const call = post(running.url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "slow" } }, session);
      await sleep(20);
      assert.equal((await fetch(running.url, { method: "DELETE", headers: session })).status, 204);
      assert.equal((await post(running.url, { jsonrpc: "2.0", id: 3, method: "ping" }, session)).status, 404);
      await call;
      assert.equal((await post(running.url, { jsonrpc: "2.0", id: 4, method: "ping" }, session)).status, 404);
    } finally {
      await running.close();
      await server.close();
    }
  });

  test("with a shared store, each replica sees what another saved (no stale live copy)", async () => {
    const records = new Map<string, SessionRecord>();
    const store: SessionStore = { get: (id) => records.get(id), set: (id, r) => void records.set(id, r), delete: (id) => void records.delete(id) };
    const chatty = defineTool({ name: "chatty", handler: ({ log }) => (log("debug", "detail"), "ok") });
    const [a, b] = [0, 1].map(() => new MCPServer({ name: "s", version: "1", tools: [chatty], sessions: legacySessions({ store }) }));
    const [ra, rb] = await Promise.all([listen(a!.nodeHandler), listen(b!.nodeHandler)]);
    try {
      const init = await post(ra.url, initialize);
      const session = { "mcp-session-id": init.headers.get("mcp-session-id")! };
      await post(rb.url, { jsonrpc: "2.0", id: 2, method: "logging/setLevel", params: { level: "debug" } }, session);
      assert.equal([...records.values()][0]!.logLevel, "debug");
      const onA = await post(ra.url, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "chatty" } }, session);
      assert.match(onA.text, /"level":"debug"/);
      assert.equal([...records.values()][0]!.logLevel, "debug");
    } finally {
      await Promise.all([ra.close(), rb.close()]);
      await Promise.all([a!.close(), b!.close()]);
    }
  });
});

test("in a session, notifications/cancelled stops the named call: its signal fires with the client's reason, and it gets no response", async () => {
  const reasons: string[] = [];
  const waitForCancel = defineTool({
    name: "wait_for_cancel",
    handler: ({ signal }) =>
      new Promise<string>((resolve) =>
        signal.addEventListener("abort", () => {
          reasons.push((signal.reason as Error).message);
          resolve("stopped"); // returned after the cancellation: dropped
        }, { once: true }),
      ),
  });
  const server = new MCPServer({ name: "s", version: "1", tools: [waitForCancel], sessions: legacySessions() });
  const running = await listen(server.nodeHandler);
  try {
    const init = await post(running.url, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } });
    const session = { "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25" };
    const call = post(running.url, { jsonrpc: "2.0", id: "slow-1", method: "tools/call", params: { name: "wait_for_cancel" } }, session);
    await sleep(30);
    const other = await post(running.url, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "slow-2", reason: "not this one" } }, session);
    assert.equal(other.status, 202);
    assert.deepEqual(reasons, []);
    const cancel = await post(running.url, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "slow-1", reason: "user pressed stop" } }, session);
    assert.equal(cancel.status, 202);
    const res = await call;
    assert.deepEqual(reasons, ["user pressed stop"]);
    // The request's reply is an SSE stream that ends without any message.
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    assert.equal(res.text, "");
  } finally {
    await running.close();
    await server.close();
  }
});
