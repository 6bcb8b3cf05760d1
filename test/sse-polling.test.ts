// SSE polling and resumption in 2025-11-25 sessions (SEP-1699): priming events with an id and
// `retry:`, ids on every event, closeSseStream closing a call's connection mid-call, GET +
// Last-Event-ID replaying what was missed and delivering the rest, the bounded per-session event
// log, refusals of foreign or forgotten ids, and no change for other traffic. Real HTTP throughout.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { defineTool, MCPServer } from "http-mcp";
import { closeSseStream, legacySessions, type SessionOptions } from "http-mcp/sessions";
import { listen, listenFetch, MODERN_META, modernHeaders, post, type Running } from "./helpers.js";

const SESSION = "mcp-session-id";
const RETRY_MS = 40;

/** One SSE event as an EventSource parses it (data lines joined; no data: an empty string). */
interface SseEvent {
  id?: string;
  retry?: number;
  event?: string;
  data: string;
}

interface SseReply {
  status: number;
  headers: Headers;
  /** Events so far; a JSON body counts as one event whose data is the body. */
  events: SseEvent[];
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  /** Waits until `count` events arrived (fails after 2 s). */
  until(count: number): Promise<void>;
  abort(): void;
}

function parseEvent(block: string): SseEvent | undefined {
  const event: SseEvent = { data: "" };
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    fields++;
    if (name === "data") data.push(value);
    else if (name === "id") event.id = value;
    else if (name === "retry") event.retry = Number(value);
    else if (name === "event") event.event = value;
  }
  event.data = data.join("\n");
  return fields === 0 ? undefined : event;
}

async function openSse(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<SseReply> {
  const controller = new AbortController();
  const method = init.method ?? "POST";
  const response = await fetch(url, {
    method,
    signal: controller.signal,
    headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), accept: "application/json, text/event-stream", ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const events: SseEvent[] = [];
  const ended = (async () => {
    if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
      const text = await response.text();
      if (text) events.push({ data: text });
      return;
    }
    let buffer = "";
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) events.push(event);
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
  return { status: response.status, headers: response.headers, events, ended, until, abort: () => controller.abort() };
}

const messages = (events: SseEvent[]) => events.filter((event) => event.data !== "").map((event) => JSON.parse(event.data));
const call = (id: number, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
const resultText = (message: any) => message.result.content[0].text;

/** A gate a test opens to let the `poll` tool return. */
let release: () => void = () => {};
const closedResults: boolean[] = [];
const signalsAtEnd: boolean[] = [];
const endReasons: string[] = [];

const tools = [
  defineTool({
    name: "poll",
    description: "Closes its connection, logs, then waits for the test before answering",
    handler: async (context) => {
      closedResults.push(closeSseStream(context));
      context.log("info", "after the close");
      await new Promise<void>((resolve) => (release = resolve));
      signalsAtEnd.push(context.signal.aborted);
      return "polled";
    },
  }),
  defineTool({
    name: "chatter",
    description: "Logs `count` messages, closes its connection, answers at once",
    input: z.object({ count: z.number().int().max(50) }),
    handler: (context) => {
      const count = context.inputs.count;
      for (let i = 1; i <= count; i++) context.log("info", `m${i}`);
      closeSseStream(context);
      return "chattered";
    },
  }),
  defineTool({ name: "logs", description: "Logs twice", handler: ({ log }) => (log("info", "one"), log("warning", "two"), "logged") }),
  defineTool({
    name: "hang",
    description: "Closes its connection and waits until its signal fires",
    handler: (context) => {
      closeSseStream(context);
      return new Promise<string>((_, reject) => context.signal.addEventListener("abort", () => (endReasons.push(String((context.signal.reason as Error).message)), reject(context.signal.reason))));
    },
  }),
  defineTool({ name: "steps", description: "Reports progress", handler: ({ progress }) => (progress(1, 2), "stepped") }),
  defineTool({ name: "quiet", description: "Just answers", handler: () => "quiet" }),
  defineTool({ name: "plain", description: "Answers; tries to close first", handler: (context) => String(closeSseStream(context)) }),
];

function pollingServer(options: SessionOptions = {}) {
  return new MCPServer({ name: "polling", version: "1.0.0", tools, sessions: legacySessions({ retryMs: RETRY_MS, ...options }) });
}

async function initialize(url: string, protocolVersion = "2025-11-25"): Promise<string> {
  const res = await post(url, { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion, capabilities: {}, clientInfo: { name: "t", version: "1" } } });
  assert.equal(res.status, 200, res.text);
  return res.headers.get(SESSION)!;
}

const resume = (url: string, session: string, lastEventId: string) => openSse(url, { method: "GET", headers: { [SESSION]: session, "last-event-id": lastEventId } });

for (const mount of [
  { name: "node handler", start: (server: MCPServer) => listen(server.nodeHandler) },
  { name: "fetch handler", start: (server: MCPServer) => listenFetch(server.fetch) },
]) {
  describe(`SSE polling in 2025-11-25 sessions (${mount.name})`, () => {
    const server = pollingServer();
    let running: Running, url: string;
    before(async () => void ({ url } = running = await mount.start(server)));
    after(async () => {
      await running.close();
      await server.close();
    });

    test("a call's SSE reply starts with a priming event (id, retry, empty data); every event has a unique id", async () => {
      const session = await initialize(url);
      const reply = await openSse(url, { body: call(1, "logs"), headers: { [SESSION]: session } });
      await reply.ended;
      assert.equal(reply.headers.get("content-type"), "text/event-stream");
      const [priming, ...rest] = reply.events;
      assert.deepEqual(priming, { id: priming!.id, retry: RETRY_MS, data: "" });
      assert.ok(priming!.id);
      assert.deepEqual(messages(rest).map((message) => message.params?.data ?? resultText(message)), ["one", "two", "logged"]);
      const ids = reply.events.map((event) => event.id);
      assert.ok(ids.every((id) => typeof id === "string" && id.length > 0), JSON.stringify(ids));
      // A second call's ids are new too: unique within the session, across streams.
      const again = await openSse(url, { body: call(2, "logs"), headers: { [SESSION]: session } });
      await again.ended;
      const all = [...ids, ...again.events.map((event) => event.id)];
      assert.equal(new Set(all).size, all.length, JSON.stringify(all));
    });

    test("the GET stream starts with a priming event too", async () => {
      const session = await initialize(url);
      const stream = await openSse(url, { method: "GET", headers: { [SESSION]: session } });
      await stream.until(1);
      assert.equal(stream.events[0]!.retry, RETRY_MS);
      assert.equal(stream.events[0]!.data, "");
      assert.ok(stream.events[0]!.id);
      stream.abort();
    });

    test("the GET stream resumes too: the notifications after Last-Event-ID are replayed on the new connection", async () => {
      const session = await initialize(url);
      const stream = await openSse(url, { method: "GET", headers: { [SESSION]: session } });
      await stream.until(1);
      server.update({ tools });
      await stream.until(2);
      assert.equal(JSON.parse(stream.events[1]!.data).method, "notifications/tools/list_changed");
      assert.ok(stream.events[1]!.id);
      // The client lost the connection (as far as it knows) and resumes from the priming event.
      const resumed = await resume(url, session, stream.events[0]!.id!);
      await resumed.until(1);
      assert.deepEqual(resumed.events[0], stream.events[1]);
      await stream.ended; // the old connection was ended: a message never goes to two
      server.update({ tools });
      await resumed.until(2);
      assert.equal(JSON.parse(resumed.events[1]!.data).method, "notifications/tools/list_changed");
      resumed.abort();
    });

    test("closeSseStream ends the connection mid-call; GET + Last-Event-ID gets the missed events, then the result, once", async () => {
      closedResults.length = signalsAtEnd.length = 0;
      const session = await initialize(url);
      const first = await openSse(url, { body: call(3, "poll"), headers: { [SESSION]: session } });
      await first.ended; // the server closed the connection: the call still runs
      assert.equal(first.events.length, 1, JSON.stringify(first.events));
      const priming = first.events[0]!;
      assert.equal(priming.data, "");
      assert.equal(priming.retry, RETRY_MS);
      assert.deepEqual(closedResults, [true]);

      const second = await resume(url, session, priming.id!);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get("content-type"), "text/event-stream");
      await second.until(1);
      assert.equal(messages(second.events)[0].params.data, "after the close", "the log sent while no connection was open is replayed");
      release();
      await second.ended; // the stream ends with the response
      const received = messages(second.events);
      assert.equal(received.filter((message) => message.id === 3).length, 1);
      assert.equal(resultText(received.at(-1)), "polled");
      assert.deepEqual(signalsAtEnd, [false], "a closed connection is not a cancellation");
      assert.ok(second.events.every((event) => event.id), "every event has an id");

      // Resuming after the response's id: nothing more (the result comes exactly once).
      const third = await resume(url, session, second.events.at(-1)!.id!);
      await third.ended;
      assert.deepEqual(messages(third.events), []);
    });

    test("a resume replays exactly the events after Last-Event-ID, with their ids, in order", async () => {
      const session = await initialize(url);
      const first = await openSse(url, { body: call(4, "chatter", { count: 5 }), headers: { [SESSION]: session } });
      await first.ended;
      // What was sent before the close went on the connection; the result did not.
      assert.deepEqual(messages(first.events).map((message) => message.params.data), ["m1", "m2", "m3", "m4", "m5"]);
      await sleep(20); // the call answered meanwhile: its events wait in the session's log
      const all = await resume(url, session, first.events[0]!.id!);
      await all.ended;
      assert.deepEqual(messages(all.events).map((message) => message.params?.data ?? resultText(message)), ["m1", "m2", "m3", "m4", "m5", "chattered"]);
      assert.deepEqual(all.events.slice(0, 5), first.events.slice(1), "the same events, with the same ids");
      const fromSecond = await resume(url, session, first.events[2]!.id!);
      await fromSecond.ended;
      assert.deepEqual(fromSecond.events, all.events.slice(2));
    });

    test("Last-Event-ID of another session, unknown or malformed: 400 with a JSON-RPC error, nothing replayed", async () => {
      const a = await initialize(url);
      const b = await initialize(url);
      const first = await openSse(url, { body: call(5, "chatter", { count: 2 }), headers: { [SESSION]: a } });
      await first.ended;
      // b has a stream with the same numbers as a's: only the session part of the id tells them apart.
      const theirs = await openSse(url, { body: call(5, "chatter", { count: 2 }), headers: { [SESSION]: b } });
      await theirs.ended;
      assert.equal(theirs.events[0]!.id!.replace(/^\w+/, ""), first.events[0]!.id!.replace(/^\w+/, ""));
      const id = first.events[0]!.id!;
      for (const [lastEventId, message] of [
        [id, /names no stream of this session/],
        ["not-an-id", /not an event id this server issued/],
        [id.replace(/-\d+-(\d+)$/, "-999-$1"), /names no stream of this session/],
      ] as const) {
        const refused = await fetch(url, { headers: { accept: "text/event-stream", [SESSION]: lastEventId === id ? b : a, "last-event-id": lastEventId } });
        assert.equal(refused.status, 400, lastEventId);
        const body = (await refused.json()) as any;
        assert.equal(body.error.code, -32600);
        assert.match(body.error.message, message);
        assert.doesNotMatch(JSON.stringify(body), /m1|chattered/);
      }
      // Session a itself still resumes with it.
      const own = await resume(url, a, id);
      await own.ended;
      assert.equal(resultText(messages(own.events).at(-1)), "chattered");
    });

    test("DELETE ends the session: a call still streaming stops, its events go, its ids are 404 with the session", async () => {
      endReasons.length = 0;
      const session = await initialize(url);
      const first = await openSse(url, { body: call(6, "hang"), headers: { [SESSION]: session } });
      await first.ended;
      const deleted = await fetch(url, { method: "DELETE", headers: { [SESSION]: session } });
      assert.equal(deleted.status, 204);
      for (let i = 0; i < 100 && endReasons.length === 0; i++) await sleep(10);
      assert.deepEqual(endReasons, ["Session ended"]);
      const gone = await fetch(url, { headers: { accept: "text/event-stream", [SESSION]: session, "last-event-id": first.events[0]!.id! } });
      assert.equal(gone.status, 404);
    });
  });
}

describe("SSE polling limits", () => {
  const servers: MCPServer[] = [];
  const runningServers: Running[] = [];
  after(async () => {
    for (const running of runningServers) await running.close();
    for (const server of servers) await server.close();
  });
  const start = async (options: SessionOptions) => {
    const server = pollingServer(options);
    servers.push(server);
    const running = await listen(server.nodeHandler);
    runningServers.push(running);
    return running.url;
  };

  test("maxReplayEvents: the oldest events go; resuming before them is 410, after them still works", async () => {
    const url = await start({ maxReplayEvents: 4 });
    const session = await initialize(url);
    const first = await openSse(url, { body: call(1, "chatter", { count: 5 }), headers: { [SESSION]: session } });
    await first.ended;
    await sleep(20);
    const gone = await fetch(url, { headers: { accept: "text/event-stream", [SESSION]: session, "last-event-id": first.events[0]!.id! } });
    assert.equal(gone.status, 410);
    assert.match(((await gone.json()) as any).error.message, /no longer kept/);
    // The log holds 4 events: m3, m4, m5 and the result (m1 went before the connection came).
    const m3 = first.events.find((event) => event.data.includes('"m3"'));
    assert.ok(m3?.id, JSON.stringify(first.events));
    const kept = await resume(url, session, m3.id);
    await kept.ended;
    assert.deepEqual(messages(kept.events).map((message) => message.params?.data ?? resultText(message)), ["m4", "m5", "chattered"]);
  });

  test("maxReplayBytes bounds the log by size", async () => {
    const url = await start({ maxReplayBytes: 400 });
    const session = await initialize(url);
    const first = await openSse(url, { body: call(1, "chatter", { count: 10 }), headers: { [SESSION]: session } });
    await first.ended;
    await sleep(20);
    const gone = await fetch(url, { headers: { accept: "text/event-stream", [SESSION]: session, "last-event-id": first.events[0]!.id! } });
    assert.equal(gone.status, 410);
  });

  test("bad options are refused when the layer is made", () => {
    assert.throws(() => legacySessions({ retryMs: -1 }), /retryMs must be a non-negative integer/);
    assert.throws(() => legacySessions({ maxReplayEvents: 1.5 }), /maxReplayEvents must be a non-negative integer/);
  });
});

describe("no SSE polling outside 2025-11-25 sessions", () => {
  const server = pollingServer();
  let running: Running, url: string;
  before(async () => void ({ url } = running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });

  const plainSse = async (reply: SseReply) => {
    await reply.ended;
    assert.equal(reply.headers.get("content-type"), "text/event-stream");
    assert.ok(reply.events.every((event) => event.id === undefined && event.retry === undefined && event.data !== ""), JSON.stringify(reply.events));
    return messages(reply.events);
  };

  test("2026-07-28 requests: no priming event, no ids; closeSseStream does nothing", async () => {
    const modern = (id: number, name: string) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {}, _meta: { ...MODERN_META, progressToken: "p" } } });
    const received = await plainSse(await openSse(url, { body: modern(1, "steps"), headers: modernHeaders("tools/call", "steps") }));
    assert.deepEqual(received.map((message) => message.method ?? resultText(message)), ["notifications/progress", "stepped"]);
    const plain = await post(url, modern(2, "plain"), modernHeaders("tools/call", "plain"));
    assert.equal(resultText(plain.json), "false");
  });

  test("stateless 2025-era requests (no session): no priming event, no ids", async () => {
    const headers = { "mcp-protocol-version": "2025-11-25" };
    assert.deepEqual((await plainSse(await openSse(url, { body: call(1, "logs"), headers }))).map((m) => m.params?.data ?? resultText(m)), ["one", "two", "logged"]);
    assert.equal(resultText((await post(url, call(2, "plain"), headers)).json), "false");
  });

  test("2025-06-18 sessions: no priming event, no ids, Last-Event-ID ignored", async () => {
    const session = await initialize(url, "2025-06-18");
    await plainSse(await openSse(url, { body: call(1, "logs"), headers: { [SESSION]: session } }));
    assert.equal(resultText((await post(url, call(2, "plain"), { [SESSION]: session })).json), "false");
    const stream = await openSse(url, { method: "GET", headers: { [SESSION]: session, "last-event-id": "whatever" } });
    assert.equal(stream.status, 200);
    stream.abort();
  });

  test("a 2025-11-25 call that neither streams nor closes stays plain JSON", async () => {
    const session = await initialize(url);
    const reply = await post(url, call(3, "quiet"), { [SESSION]: session });
    assert.equal(reply.headers.get("content-type"), "application/json");
  });
});

describe("the official v1 client polls back on its own", () => {
  const server = pollingServer();
  let running: Running;
  const requests: string[] = [];
  before(async () => {
    running = await listen((req, res) => {
      requests.push(`${req.method} ${req.headers["last-event-id"] ?? ""}`.trim());
      server.nodeHandler(req, res);
    });
  });
  after(async () => {
    await running.close();
    await server.close();
  });

  test("after closeSseStream it waits `retry`, reconnects with Last-Event-ID and gets the result", async () => {
    const client = new ClientV1({ name: "v1", version: "1" });
    await client.connect(new TransportV1(new URL(running.url)));
    try {
      const logs: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
      const result = await client.callTool({ name: "chatter", arguments: { count: 2 } });
      assert.deepEqual(result.content, [{ type: "text", text: "chattered" }]);
      assert.deepEqual(logs, ["m1", "m2"]);
      assert.ok(requests.some((line) => /^GET \S+-\d+-\d+$/.test(line)), `a GET with Last-Event-ID: ${JSON.stringify(requests)}`);
    } finally {
      await client.close();
    }
  });
});
