// subscriptions/listen (2026-07-28): an SSE stream that acknowledges the honoured subset, then
// carries the requested change notifications tagged with the subscription id, and ends with a
// `complete` result when the server closes. Over HTTP (Node and fetch handlers), stdio and the v2 client.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHook } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { definePrompt, defineResource, defineTool, MCPServer } from "http-mcp";
import { inMemoryStdio, listen, MODERN, MODERN_META, modernHeaders, openStream, post, postLegacy, type EventStream, type Running } from "./helpers.js";

const SUBSCRIPTION = "io.modelcontextprotocol/subscriptionId";
const SERVER_INFO = "io.modelcontextprotocol/serverInfo";

const ping = defineTool({ name: "ping", handler: () => "pong" });
const hello = definePrompt({ name: "hello", handler: () => "Hello!" });
const resourceA = defineResource({ uri: "test://a", read: () => "a" });
const resourceB = defineResource({ uri: "test://b", read: () => "b" });

function fullServer(onError?: (error: unknown, where: string) => void) {
  return new MCPServer({ name: "listener", version: "1.0.0", tools: [ping], prompts: [hello], resources: [resourceA, resourceB], ...(onError ? { onError } : {}) });
}

const listenBody = (id: string | number, notifications: unknown) => ({
  jsonrpc: "2.0",
  id,
  method: "subscriptions/listen",
  params: { notifications, _meta: MODERN_META },
});

const openListen = (url: string, id: string | number, notifications: unknown, fetchImpl?: typeof fetch) =>
  openStream(url, { body: listenBody(id, notifications), headers: modernHeaders("subscriptions/listen"), ...(fetchImpl ? { fetch: fetchImpl } : {}) });

/** The acknowledgement a stream must start with. */
async function acknowledged(stream: EventStream, id: string | number): Promise<Record<string, unknown>> {
  assert.equal(stream.status, 200);
  assert.equal(stream.headers.get("content-type"), "text/event-stream");
  const ack = await stream.next();
  assert.equal(ack.jsonrpc, "2.0");
  assert.equal(ack.method, "notifications/subscriptions/acknowledged");
  assert.equal(Object.hasOwn(ack, "id"), false);
  assert.deepEqual(ack.params._meta, { [SUBSCRIPTION]: id });
  return ack.params.notifications;
}

const note = (method: string, id: string | number, params: Record<string, unknown> = {}) => ({ jsonrpc: "2.0", method, params: { _meta: { [SUBSCRIPTION]: id }, ...params } });
const finalResult = (id: string | number, serverName: string) => ({
  jsonrpc: "2.0",
  id,
  result: { resultType: "complete", _meta: { [SERVER_INFO]: { name: serverName, version: "1.0.0" }, [SUBSCRIPTION]: id } },
});

describe("subscriptions/listen over HTTP", () => {
  test("the first event acknowledges the honoured subset under the request id", async () => {
    const partial = new MCPServer({ name: "partial", version: "1.0.0", tools: [ping], resources: [resourceA] });
    const toolsOnly = new MCPServer({ name: "tools-only", version: "1.0.0", tools: [ping] });
    const [p, t] = await Promise.all([listen(partial.nodeHandler), listen(toolsOnly.nodeHandler)]);
    const streams: EventStream[] = [];
    try {
      const requested = {
        toolsListChanged: true,
        promptsListChanged: true, // no prompts on this server
        resourcesListChanged: false,
        fancyListChanged: true, // unknown
        resourceSubscriptions: ["test://a", 7, "test://elsewhere"],
      };
      streams.push(await openListen(p.url, "sub-1", requested));
      // A URI that names no resource is not acknowledged: that would tell the caller nothing true.
      assert.deepEqual(await acknowledged(streams[0]!, "sub-1"), { toolsListChanged: true, resourceSubscriptions: ["test://a"] });
      streams.push(await openListen(p.url, 42, { resourcesListChanged: true }));
      assert.deepEqual(await acknowledged(streams[1]!, 42), { resourcesListChanged: true });
      streams.push(await openListen(t.url, "s", { promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ["test://a"] }));
      assert.deepEqual(await acknowledged(streams[2]!, "s"), {}, "a server without resources honours no resource subscription");
      streams.push(await openListen(t.url, "empty", {}));
      assert.deepEqual(await acknowledged(streams[3]!, "empty"), {});
    } finally {
      for (const stream of streams) stream.abort();
      await Promise.all([p.close(), t.close()]);
      await Promise.all([partial.close(), toolsOnly.close()]);
    }
  });

  test("each stream hears only what it asked for; server.close() ends every stream with a complete result", async () => {
    const server = fullServer();
    const running = await listen(server.nodeHandler);
    try {
      const a = await openListen(running.url, "A", { toolsListChanged: true, resourceSubscriptions: ["test://a"] });
      const b = await openListen(running.url, "B", { promptsListChanged: true, resourcesListChanged: true });
      const c = await openListen(running.url, 3, {});
      await acknowledged(a, "A");
      await acknowledged(b, "B");
      await acknowledged(c, 3);
      server.update({ prompts: [hello] });
      server.notifyResourceUpdated("test://b");
      server.notifyResourceUpdated("test://a");
      server.update({ tools: [ping] });
      server.update({ resources: [resourceA, resourceB] });
      assert.deepEqual(await a.next(), note("notifications/resources/updated", "A", { uri: "test://a" }));
      assert.deepEqual(await a.next(), note("notifications/tools/list_changed", "A"));
      assert.deepEqual(await b.next(), note("notifications/prompts/list_changed", "B"));
      assert.deepEqual(await b.next(), note("notifications/resources/list_changed", "B"));
      const closing = server.close();
      // rest() resolves only once the server has ended the stream.
      assert.deepEqual(await a.rest(), [finalResult("A", "listener")]);
      assert.deepEqual(await b.rest(), [finalResult("B", "listener")]);
      assert.deepEqual(await c.rest(), [finalResult(3, "listener")], "nothing reached the stream that asked for nothing");
      await closing;
    } finally {
      await running.close();
    }
  });

  test("a client that goes away is forgotten: later changes write nothing to it and still reach the others", async () => {
    const errors: string[] = [];
    const server = fullServer((error, where) => errors.push(`${where}: ${String(error)}`));
    // Watches each response: did anything get written to it after the client had gone?
    let lateWrites = 0;
    const gone: Promise<void>[] = [];
    const watch = (req: IncomingMessage, res: ServerResponse) => {
      let closed = false;
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      res.write = ((...args: unknown[]) => {
        if (closed) lateWrites++;
        return write(...args);
      }) as typeof res.write;
      gone.push(new Promise((resolve) => res.once("close", () => resolve(void (closed = true)))));
      server.nodeHandler(req, res);
    };
    const running = await listen(watch);
    try {
      const leaving = await openListen(running.url, "leaving", { toolsListChanged: true, resourceSubscriptions: ["test://a"] });
      const staying = await openListen(running.url, "staying", { toolsListChanged: true, resourceSubscriptions: ["test://a"] });
      await acknowledged(leaving, "leaving");
      await acknowledged(staying, "staying");
      leaving.abort();
      await gone[0];
      await sleep(20);
      server.update({ tools: [ping] });
      server.notifyResourceUpdated("test://a");
      assert.deepEqual(await staying.next(), note("notifications/tools/list_changed", "staying"));
      assert.deepEqual(await staying.next(), note("notifications/resources/updated", "staying", { uri: "test://a" }));
      assert.equal(lateWrites, 0, "the departed stream's listener was removed");
      staying.abort();
      await gone[1];
      await sleep(20);
      server.update({ tools: [ping] });
      assert.equal(lateWrites, 0);
      // The server still serves, and closes without waiting on the departed streams.
      const res = await post(running.url, { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } }, modernHeaders("tools/list"));
      assert.deepEqual(res.json.result.tools.map((tool: { name: string }) => tool.name), ["ping"]);
      await server.close();
      assert.deepEqual(errors, []);
    } finally {
      await running.close();
    }
  });

  describe("refusals", () => {
    const server = fullServer();
    let running: Running;
    before(async () => void (running = await listen(server.nodeHandler)));
    after(async () => {
      await running.close();
      await server.close();
    });

    test("without text/event-stream in Accept: HTTP 400 -32600, no stream", async () => {
      for (const accept of ["application/json", "text/event-streams", "*/*"]) {
        const res = await post(running.url, listenBody(1, { toolsListChanged: true }), { ...modernHeaders("subscriptions/listen"), accept });
        assert.equal(res.status, 400, accept);
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
        assert.equal(res.json.error.code, -32600);
        assert.match(res.json.error.message, /text\/event-stream/);
        assert.equal(res.json.id, 1);
      }
    });

    test("notifications must be an object (-32602); 2025-era clients have no listen (-32601)", async () => {
      for (const notifications of [undefined, null, [], "tools", true]) {
        const res = await post(running.url, listenBody(2, notifications), modernHeaders("subscriptions/listen"));
        assert.equal(res.json.error?.code, -32602, res.text);
        assert.equal(res.headers.get("content-type"), "application/json", "refused before any event");
      }
      const legacy = await postLegacy(running.url, 3, "subscriptions/listen", { notifications: { toolsListChanged: true } });
      assert.equal(legacy.json.error.code, -32601);
    });
  });

  test("the fetch handler streams the same way", async () => {
    const server = fullServer();
    const viaFetch: typeof fetch = (input, init) => server.fetch(new Request(input, init));
    const stream = await openListen("http://localhost/mcp", "F", { toolsListChanged: true, resourceSubscriptions: ["test://b"] }, viaFetch);
    assert.deepEqual(await acknowledged(stream, "F"), { toolsListChanged: true, resourceSubscriptions: ["test://b"] });
    server.notifyResourceUpdated("test://a");
    server.notifyResourceUpdated("test://b");
    server.update({ prompts: [hello] });
    server.update({ tools: [ping] });
    assert.deepEqual(await stream.next(), note("notifications/resources/updated", "F", { uri: "test://b" }));
    assert.deepEqual(await stream.next(), note("notifications/tools/list_changed", "F"));
    await server.close();
    assert.deepEqual(await stream.rest(), [finalResult("F", "listener")]);
  });
});

describe("subscriptions/listen over stdio", () => {
  test("notifications are lines tagged with the id; closing the input ends listen with its result", async () => {
    const server = fullServer();
    const { input, lines, connection } = inMemoryStdio(server);
    const waitFor = async (count: number) => {
      for (let i = 0; i < 200 && lines.length < count; i++) await sleep(5);
      assert.ok(lines.length >= count, `expected ${count} lines, got ${JSON.stringify(lines)}`);
    };
    input.write(`${JSON.stringify(listenBody("L1", { toolsListChanged: true, resourceSubscriptions: ["test://a"] }))}\n`);
    await waitFor(1);
    assert.deepEqual(lines[0], {
      jsonrpc: "2.0",
      method: "notifications/subscriptions/acknowledged",
      params: { _meta: { [SUBSCRIPTION]: "L1" }, notifications: { toolsListChanged: true, resourceSubscriptions: ["test://a"] } },
    });
    server.update({ prompts: [hello] }); // not asked for
    server.update({ tools: [ping] });
    server.notifyResourceUpdated("test://b"); // not subscribed
    server.notifyResourceUpdated("test://a");
    await waitFor(3);
    // Other requests are served while the stream is open.
    input.write(`${JSON.stringify({ jsonrpc: "2.0", id: "p", method: "ping" })}\n`);
    await waitFor(4);
    input.end();
    await connection.closed;
    assert.deepEqual(lines, [
      lines[0],
      note("notifications/tools/list_changed", "L1"),
      note("notifications/resources/updated", "L1", { uri: "test://a" }),
      { jsonrpc: "2.0", id: "p", result: {} },
      finalResult("L1", "listener"),
    ]);
  });
});

describe("v2 client (pinned 2026-07-28) listen()", () => {
  test("honoured filter, change notifications to its handlers, a graceful end when the server closes", async () => {
    const server = fullServer();
    const running = await listen(server.nodeHandler);
    const client = new ClientV2({ name: "v2-listen", version: "0.0.1" }, { versionNegotiation: { mode: { pin: MODERN } } });
    const heard: string[] = [];
    let wake: () => void = () => {};
    const heardOne = (what: string) => {
      heard.push(what);
      wake();
    };
    client.setNotificationHandler("notifications/tools/list_changed", () => heardOne("tools"));
    client.setNotificationHandler("notifications/prompts/list_changed", () => heardOne("prompts"));
    client.setNotificationHandler("notifications/resources/updated", (notification) => heardOne(`updated ${notification.params.uri}`));
    const until = async (count: number) => {
      const deadline = Date.now() + 2000;
      while (heard.length < count && Date.now() < deadline) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 50)));
    };
    try {
      await client.connect(new TransportV2(new URL(running.url)));
      const subscription = await client.listen({ toolsListChanged: true, resourceSubscriptions: ["test://a"] });
      assert.deepEqual(subscription.honoredFilter, { toolsListChanged: true, resourceSubscriptions: ["test://a"] });
      server.update({ prompts: [hello] });
      server.update({ tools: [ping] });
      server.notifyResourceUpdated("test://b");
      server.notifyResourceUpdated("test://a");
      await until(2);
      assert.deepEqual(heard, ["tools", "updated test://a"]);
      await server.close();
      assert.equal(await Promise.race([subscription.closed, sleep(2000, "timed out", { ref: false })]), "graceful");
    } finally {
      await client.close();
      await running.close();
    }
  });
});

test("a listen stream the client drops leaves no keep-alive timer behind (Node handler)", async () => {
  const intervals = new Set<number>();
  const hook = createHook({
    init: (id, type, _trigger, resource: any) => void (type === "Timeout" && resource._repeat === 15_000 && intervals.add(id)),
    destroy: (id) => void intervals.delete(id),
  }).enable();
  const server = new MCPServer({ name: "s", version: "1", tools: [defineTool({ name: "t", handler: () => "x" })] });
  const running = await listen(server.nodeHandler);
  try {
    const stream = await openStream(running.url, {
      body: { jsonrpc: "2.0", id: 1, method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: MODERN_META } },
      headers: modernHeaders("subscriptions/listen"),
    });
    await stream.next();
    assert.equal(intervals.size, 1);
    stream.abort();
    await sleep(100);
    assert.equal(intervals.size, 0, "the keep-alive interval outlived the stream");
  } finally {
    hook.disable();
    await running.close();
    await server.close();
  }
});
