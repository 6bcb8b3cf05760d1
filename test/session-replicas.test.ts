// 2025-era sessions across replicas without sticky routing (`legacySessions({ store, bus })`): three
// servers in this process share one session store and one memoryBus, and every request of a
// session may land on any of them. A client's answer to a server request, notifications/cancelled,
// record changes, DELETE, the GET stream and SSE polling resumes reach the replica holding the live
// part. test/sessions-redis-replicas.test.ts runs the same over Redis with three processes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { defineResource, defineTool, MCPServer, type LogLevel } from "http-mcp";
import { memoryBus, messageBus } from "http-mcp/bus";
import { closeSseStream, legacySessions, MemorySessionStore } from "http-mcp/sessions";
import { listen, openStream, post, type Running } from "./helpers.js";

const SESSION = "mcp-session-id";
const FORM = { message: "Name?", requestedSchema: { type: "object" as const, properties: { name: { type: "string" } } } };
const LEVELS: LogLevel[] = ["debug", "info", "warning", "error"];

/** Gates the tests open, and what the tools saw. */
let gate: Promise<void> = Promise.resolve();
let openGate: () => void = () => {};
const closeGate = () => void (gate = new Promise((resolve) => (openGate = resolve)));
const stopped: string[] = [];

const tools = [
  defineTool({
    name: "ask",
    handler: async ({ elicit }) => {
      const answer = await elicit("name", FORM);
      return `Hello, ${String(answer.content?.name)}!`;
    },
  }),
  defineTool({
    name: "think",
    handler: async ({ sample }) => {
      const answer = await sample("llm", { messages: [{ role: "user", content: { type: "text", text: "2+2?" } }], maxTokens: 5 });
      return `${answer.model}: ${!Array.isArray(answer.content) && answer.content.type === "text" ? answer.content.text : "?"}`;
    },
  }),
  defineTool({ name: "roots", handler: async ({ listRoots }) => (await listRoots("roots")).roots.map((root) => root.uri).join(",") }),
  defineTool({ name: "chatty", handler: ({ log }) => (LEVELS.forEach((level) => log(level, level)), "logged") }),
  defineTool({ name: "gated", handler: async () => (await gate, "opened") }),
  defineTool({
    name: "wait_for_cancel",
    handler: ({ signal }) =>
      new Promise<string>((_, reject) =>
        signal.addEventListener("abort", () => (stopped.push(String((signal.reason as Error).message)), reject(signal.reason)), { once: true }),
      ),
  }),
  defineTool({
    name: "poll",
    handler: async (context) => {
      closeSseStream(context);
      context.log("info", "after the close");
      await gate;
      return "polled";
    },
  }),
];
const resources = [defineResource({ uri: "test://watched", read: () => "watched" }), defineResource({ uri: "test://other", read: () => "other" })];

/** Three replicas on one store and one bus; `bus: false` leaves the bus out of the sessions (what the tests must fail without). */
async function cluster(options: { bus?: boolean; maxSessions?: number } = {}) {
  const bus = memoryBus();
  const store = new MemorySessionStore();
  const errors: string[] = [];
  const servers = ["a", "b", "c"].map(
    (name) =>
      new MCPServer({
        name,
        version: "1.0.0",
        tools,
        resources,
        bus,
        sessions: legacySessions({ store, retryMs: 20, maxSessions: options.maxSessions, ...(options.bus === false ? {} : { bus }) }),
        authenticate: (request) => {
          const token = /^Bearer (\w+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
          return token ? { scopes: [], subject: token } : null;
        },
        onError: (error, where) => void errors.push(`${name} ${where}: ${String(error)}`),
      }),
  );
  const running: Running[] = await Promise.all(servers.map((server) => listen(server.nodeHandler)));
  const urls = running.map((r) => r.url);
  return {
    bus,
    servers,
    urls,
    errors,
    async close() {
      await Promise.all(running.map((r) => r.close()));
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

const alice = { authorization: "Bearer alice" };
let nextId = 1;
const rpc = (url: string, method: string, params: Record<string, unknown> | undefined, headers: Record<string, string>) =>
  post(url, { jsonrpc: "2.0", id: nextId++, method, ...(params === undefined ? {} : { params }) }, headers);

async function initialize(url: string, capabilities: Record<string, unknown> = {}, auth = alice): Promise<Record<string, string>> {
  const res = await rpc(url, "initialize", { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "t", version: "1" } }, auth);
  assert.equal(res.status, 200, res.text);
  return { ...auth, [SESSION]: res.headers.get(SESSION)!, "mcp-protocol-version": "2025-11-25" };
}

const callStream = (url: string, name: string, session: Record<string, string>, id: number | string = nextId++) =>
  openStream(url, { body: { jsonrpc: "2.0", id, method: "tools/call", params: { name } }, headers: session });
const getStream = (url: string, session: Record<string, string>) => openStream(url, { method: "GET", headers: { ...session, accept: "text/event-stream" } });
const text = (message: any) => message.result.content[0].text;
const answer = (url: string, session: Record<string, string>, id: unknown, result: unknown) => post(url, { jsonrpc: "2.0", id, result }, session);

/** `promise`, or a failure after `ms`. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, sleep(ms).then(() => assert.fail(`not settled within ${ms} ms`))]);

/** A client fetch that sends each request to the next replica in turn, and notes where each went. */
function roundRobin(urls: string[]) {
  const seen: Array<{ replica: number; method: string; what: string }> = [];
  let turn = 0;
  const fetchNext: typeof fetch = async (_input, init) => {
    const replica = turn++ % urls.length;
    let what = init?.method ?? "GET";
    if (typeof init?.body === "string") {
      const body = JSON.parse(init.body);
      what = body.method ?? "answer";
    }
    seen.push({ replica, method: init?.method ?? "GET", what });
    return fetch(urls[replica]!, init);
  };
  return { seen, fetch: fetchNext };
}

describe("2025-era sessions across replicas (one store, one bus)", () => {
  let replicas: Awaited<ReturnType<typeof cluster>>;
  before(async () => void (replicas = await cluster()));
  after(async () => {
    await replicas.close();
    assert.deepEqual(replicas.errors, []);
  });

  test("official v1 client, round-robin: elicitation, sampling and roots are answered on other replicas; cancel, log level, DELETE", async () => {
    const { urls, servers } = replicas;
    const route = roundRobin(urls);
    const client = new ClientV1({ name: "rr", version: "1" }, { capabilities: { elicitation: {}, sampling: {}, roots: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Lin" } }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: "assistant", content: { type: "text", text: "4" }, model: "m" }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///r" }] }));
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    const transport = new TransportV1(new URL(urls[0]!), { fetch: route.fetch, requestInit: { headers: alice } });
    await client.connect(transport);
    try {
      const timeout = { timeout: 3000 };
      for (let i = 0; i < 3; i++) {
        assert.deepEqual((await client.callTool({ name: "ask", arguments: {} }, undefined, timeout)).content, [{ type: "text", text: "Hello, Lin!" }]);
        assert.deepEqual((await client.callTool({ name: "think", arguments: {} }, undefined, timeout)).content, [{ type: "text", text: "m: 4" }]);
        assert.deepEqual((await client.callTool({ name: "roots", arguments: {} }, undefined, timeout)).content, [{ type: "text", text: "file:///r" }]);
      }
      const posts = route.seen.filter((s) => s.method === "POST");
      const calls = posts.filter((s) => s.what === "tools/call");
      const answers = posts.filter((s) => s.what === "answer");
      assert.equal(answers.length, 9);
      assert.ok(calls.every((call, i) => answers[i]!.replica !== call.replica), `each answer on another replica than its call: ${JSON.stringify(posts)}`);

      // Cancellation: the call runs on one replica, notifications/cancelled lands on the next.
      stopped.length = 0;
      const abort = new AbortController();
      const cancelled = client.callTool({ name: "wait_for_cancel", arguments: {} }, undefined, { signal: abort.signal });
      await sleep(50);
      abort.abort("user pressed stop");
      await assert.rejects(cancelled);
      for (let i = 0; i < 100 && stopped.length === 0; i++) await sleep(10);
      assert.equal(stopped.length, 1, "the call's signal fired where it ran");
      const cancel = route.seen.findLast((s) => s.what === "notifications/cancelled")!;
      const call = route.seen.findLast((s) => s.what === "tools/call")!;
      assert.notEqual(cancel.replica, call.replica);

      // The level set through one replica holds on all of them.
      await client.setLoggingLevel("warning");
      for (let i = 0; i < 3; i++) await client.callTool({ name: "chatty", arguments: {} });
      assert.deepEqual(logs, ["warning", "error", "warning", "error", "warning", "error"]);

      // A list change made on any replica reaches the client's GET stream (wherever it is) once.
      const received: string[] = [];
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => void received.push("tools"));
      for (let i = 0; i < 100 && !route.seen.some((s) => s.method === "GET"); i++) await sleep(10);
      await sleep(50);
      servers[2]!.update({ tools });
      for (let i = 0; i < 100 && received.length === 0; i++) await sleep(10);
      await sleep(50);
      assert.deepEqual(received, ["tools"]);

      const sessionId = transport.sessionId!;
      await transport.terminateSession();
      for (const url of urls) assert.equal((await rpc(url, "ping", undefined, { ...alice, [SESSION]: sessionId })).status, 404);
    } finally {
      await client.close();
    }
  });

  test("server request ids are unique across replicas: two calls elicit at once on two replicas, each answer reaches its own", async () => {
    const [a, b, c] = replicas.urls as [string, string, string];
    const session = await initialize(a, { elicitation: {} });
    const [onA, onB] = await Promise.all([callStream(a, "ask", session), callStream(b, "ask", session)]);
    const [askA, askB] = [await onA.next(), await onB.next()];
    assert.notEqual(askA.id, askB.id);
    assert.equal((await answer(c, session, askB.id, { action: "accept", content: { name: "B" } })).status, 202);
    assert.equal((await answer(c, session, askA.id, { action: "accept", content: { name: "A" } })).status, 202);
    assert.equal(text(await onA.next()), "Hello, A!");
    assert.equal(text(await onB.next()), "Hello, B!");
  });

  test("an answer nobody waits for, one sent in another session, and one from another subject change nothing", async () => {
    const [a, b, c] = replicas.urls as [string, string, string];
    const session = await initialize(a, { elicitation: {} });
    const other = await initialize(b, { elicitation: {} });
    const waiting = await callStream(a, "ask", session);
    const ask = await waiting.next();
    assert.equal((await answer(b, session, "zzzzzzzz-s-1", { action: "accept" })).status, 202, "an id no replica gave out");
    assert.equal((await answer(c, session, 12345, { action: "accept" })).status, 202);
    assert.equal((await answer(c, other, ask.id, { action: "accept", content: { name: "intruder" } })).status, 202, "the right id in the wrong session");
    const bob = { ...session, authorization: "Bearer bob" };
    assert.equal((await answer(c, bob, ask.id, { action: "accept", content: { name: "bob" } })).status, 404, "another subject's session is unknown to bob");
    assert.equal((await post(b, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "nothing-runs" } }, session)).status, 202);
    await sleep(30);
    assert.equal(waiting.received.length, 1, "the call still waits");
    await answer(c, session, ask.id, { action: "accept", content: { name: "Ada" } });
    assert.equal(text(await waiting.next()), "Hello, Ada!");
    assert.equal((await answer(b, session, ask.id, { action: "accept", content: { name: "again" } })).status, 202, "answered twice: dropped");
  });

  test("malformed messages on the sessions channel are ignored", async () => {
    const [a, b] = replicas.urls as [string, string];
    const session = await initialize(a, { elicitation: {} });
    const id = session[SESSION]!;
    const waiting = await callStream(a, "ask", session);
    const ask = await waiting.next();
    for (const junk of [
      "not json",
      "null",
      "[]",
      '{"t":5}',
      JSON.stringify({ t: "answer", s: id, m: "x" }),
      JSON.stringify({ t: "answer", s: id, m: { id: ask.id } }),
      JSON.stringify({ t: "answer", s: 7, m: { id: ask.id, result: {} } }),
      JSON.stringify({ t: "cancel", s: id, r: {} }),
      JSON.stringify({ t: "refresh", s: "no-such-session" }),
      JSON.stringify({ t: "resume", s: id, r: 1, e: "x" }),
      JSON.stringify({ t: "resume", s: id, r: "r", e: "ffffffff-1-1" }),
      JSON.stringify({ t: "resumed", r: "nobody", ok: true }),
      JSON.stringify({ t: "event", r: "nobody", x: 1 }),
      JSON.stringify({ t: "detach", r: null }),
      JSON.stringify({ t: "unknown", s: id }),
    ]) {
      replicas.bus.send("sessions", junk, (error) => assert.fail(String(error)));
    }
    await sleep(30);
    assert.equal(waiting.received.length, 1, "nothing settled the call");
    await answer(b, session, ask.id, { action: "accept", content: { name: "Ada" } });
    assert.equal(text(await waiting.next()), "Hello, Ada!");
  });

  test("a slow call ending on one replica does not undo the log level set through another", async () => {
    const [a, b, c] = replicas.urls as [string, string, string];
    const session = await initialize(a);
    closeGate();
    const slow = rpc(a, "tools/call", { name: "gated" }, session);
    await sleep(30);
    assert.equal((await rpc(b, "logging/setLevel", { level: "error" }, session)).status, 200);
    await sleep(30);
    openGate();
    assert.equal(text((await slow).json), "opened");
    const logs = (await rpc(c, "tools/call", { name: "chatty" }, session)).text.match(/"level":"\w+"/g);
    assert.deepEqual(logs, ['"level":"error"']);
  });

  test("a subscription made through one replica reaches the GET stream held by another; unsubscribing too", async () => {
    const [a, b, c] = replicas.urls as [string, string, string];
    const session = await initialize(a);
    const stream = await getStream(a, session);
    assert.equal(stream.status, 200);
    await rpc(b, "resources/subscribe", { uri: "test://watched" }, session);
    await sleep(30);
    replicas.servers[2]!.notifyResourceUpdated("test://other");
    replicas.servers[2]!.notifyResourceUpdated("test://watched");
    assert.deepEqual(await stream.next(), { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "test://watched" } });
    await rpc(c, "resources/unsubscribe", { uri: "test://watched" }, session);
    await sleep(30);
    replicas.servers[1]!.notifyResourceUpdated("test://watched");
    replicas.servers[1]!.update({ tools });
    assert.equal((await stream.next()).method, "notifications/tools/list_changed", "no update after unsubscribing");
    await sleep(30);
    assert.equal(stream.received.length, 2, "each once");
    stream.abort();
  });

  test("one GET stream per session across replicas: a newer one elsewhere takes over", async () => {
    const [a, b] = replicas.urls as [string, string];
    const session = await initialize(a);
    const first = await getStream(a, session);
    const second = await getStream(b, session);
    assert.equal(second.status, 200);
    assert.deepEqual(await first.rest(), [], "the first stream ended");
    replicas.servers[0]!.update({ tools });
    assert.equal((await second.next()).method, "notifications/tools/list_changed");
    const third = await getStream(b, session);
    assert.deepEqual(await second.rest(), [], "on the same replica too");
    third.abort();
  });

  test("DELETE through one replica ends the session everywhere: GET stream, running calls, waiting requests", async () => {
    const [a, b, c] = replicas.urls as [string, string, string];
    const session = await initialize(a, { elicitation: {} });
    stopped.length = 0;
    const stream = await getStream(a, session);
    const running = rpc(c, "tools/call", { name: "wait_for_cancel" }, session);
    const asking = await callStream(a, "ask", session);
    await asking.next();
    await sleep(30);
    const res = await fetch(b, { method: "DELETE", headers: session });
    assert.equal(res.status, 204);
    assert.deepEqual(await stream.rest(), []);
    assert.equal((await within(running, 2000)).text, "", "the call ended without a response");
    assert.deepEqual(stopped, ["Session ended"]);
    const rest = await asking.rest();
    assert.equal(rest.length <= 1, true);
    for (const url of [a, b, c]) assert.equal((await rpc(url, "ping", undefined, session)).status, 404);
  });

  test("SSE polling: a call's stream closed on one replica resumes on another (missed events, then the result)", async () => {
    const [a, b, c] = replicas.urls as [string, string, string];
    const session = await initialize(a);
    closeGate();
    const first = await readSse(a, { method: "POST", body: { jsonrpc: "2.0", id: 77, method: "tools/call", params: { name: "poll" } }, headers: session });
    await first.ended;
    const priming = first.events[0]!;
    assert.equal(priming.data, "");
    const second = await readSse(b, { headers: { ...session, "last-event-id": priming.id! } });
    assert.equal(second.status, 200);
    await second.until(1);
    assert.equal(JSON.parse(second.events[0]!.data).params.data, "after the close");
    openGate();
    await second.ended;
    const last = JSON.parse(second.events.at(-1)!.data);
    assert.equal(last.id, 77);
    assert.equal(text(last), "polled");
    // Resuming again after the response, on a third replica: nothing more, the stream ends.
    const third = await readSse(c, { headers: { ...session, "last-event-id": second.events.at(-1)!.id! } });
    await third.ended;
    assert.deepEqual(third.events, []);
  });

  test("SSE polling: the GET stream resumes on another replica, and goes on there", async () => {
    const [a, b] = replicas.urls as [string, string];
    const session = await initialize(a);
    const stream = await readSse(a, { headers: session });
    await stream.until(1);
    replicas.servers[1]!.update({ tools });
    await stream.until(2);
    const resumed = await readSse(b, { headers: { ...session, "last-event-id": stream.events[0]!.id! } });
    await resumed.until(1);
    assert.deepEqual(resumed.events[0], stream.events[1], "the missed event, replayed with its id");
    await stream.ended;
    replicas.servers[2]!.update({ tools });
    await resumed.until(2);
    assert.equal(JSON.parse(resumed.events[1]!.data).method, "notifications/tools/list_changed");
    resumed.abort();
  });

  test("SSE polling: an event id no live replica keeps is 410 Gone", async () => {
    const [a] = replicas.urls as [string];
    const session = await initialize(a);
    const res = await fetch(a, { method: "GET", headers: { ...session, accept: "text/event-stream", "last-event-id": "0123abcd-1-1" } });
    assert.equal(res.status, 410);
    assert.match((await res.json()).error.message, /Gone: no replica keeps the stream/);
  });
});

test("legacySessions refuses a bus that is not one", () => {
  assert.throws(() => legacySessions({ bus: {} as never }), /bus must be a message bus/);
  assert.throws(() => legacySessions({ bus: null as never }), /bus must be a message bus/);
  assert.doesNotThrow(() => legacySessions({ bus: memoryBus() }));
});

test("an answer to a request of a forgotten live copy never settles a request of the session's next copy", async () => {
  const replicas = await cluster({ maxSessions: 1 });
  try {
    const [a, b] = replicas.urls as [string, string];
    const session = await initialize(b, { elicitation: {} });
    const first = await callStream(a, "ask", session);
    const stale = await first.next();
    await initialize(a); // a keeps one live session: the first one's copy there is let go, its request fails
    assert.deepEqual(await first.rest(), [], "the call ended with its copy");
    const second = await callStream(a, "ask", session);
    const fresh = await second.next();
    assert.notEqual(fresh.id, stale.id);
    await answer(b, session, stale.id, { action: "accept", content: { name: "stale" } });
    await sleep(30);
    assert.equal(second.received.length, 1, "the stale answer settled nothing");
    await answer(b, session, fresh.id, { action: "accept", content: { name: "fresh" } });
    assert.equal(text(await second.next()), "Hello, fresh!");
  } finally {
    await replicas.close();
  }
});

test("a bus that cannot subscribe yet (its server down) delays the first requests by at most 2 s", async () => {
  const stuck = messageBus({ publish: async () => {}, subscribe: () => new Promise(() => {}) });
  const server = new MCPServer({ name: "stuck", version: "1.0.0", tools, sessions: legacySessions({ bus: stuck }) });
  const running = await listen(server.nodeHandler);
  try {
    const started = Date.now();
    const session = await within(initialize(running.url), 4000);
    assert.ok(Date.now() - started >= 1900, "it waited for the subscription first");
    assert.equal((await within(rpc(running.url, "ping", undefined, session), 500)).status, 200, "later requests do not wait");
  } finally {
    await running.close();
    await server.close();
  }
});

describe("without the bus in the sessions (records shared only)", () => {
  test("a second GET stream is 409 as on one process", async () => {
    const replicas = await cluster({ bus: false });
    try {
      const session = await initialize(replicas.urls[0]!);
      const first = await getStream(replicas.urls[0]!, session);
      const second = await fetch(replicas.urls[0]!, { method: "GET", headers: { ...session, accept: "text/event-stream" } });
      assert.equal(second.status, 409);
      first.abort();
    } finally {
      await replicas.close();
    }
  });
});

interface SseEvent {
  id?: string;
  data: string;
}

/** A GET (or POST) read as SSE events, ids kept (a JSON body counts as one event). */
async function readSse(url: string, init: { method?: string; body?: unknown; headers: Record<string, string> }) {
  const controller = new AbortController();
  const method = init.method ?? "GET";
  const response = await fetch(url, {
    method,
    signal: controller.signal,
    headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), accept: "application/json, text/event-stream", ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const events: SseEvent[] = [];
  const ended = (async () => {
    let buffer = "";
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n").filter((line) => !line.startsWith(":"));
          if (lines.length === 0) continue;
          const id = lines.find((line) => line.startsWith("id: "))?.slice(4);
          const data = lines.filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
          events.push({ ...(id === undefined ? {} : { id }), data });
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  const until = async (count: number) => {
    for (let i = 0; i < 200 && events.length < count; i++) await sleep(10);
    assert.ok(events.length >= count, `expected ${count} events, got ${JSON.stringify(events)}`);
  };
  return { status: response.status, events, ended, until, abort: () => controller.abort() };
}

