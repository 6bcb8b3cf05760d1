// The bus that joins replicas (`new MCPServer({ bus })`): a change made on one server reaches the
// listen streams of every server on the same bus, once each, and nothing crosses between buses.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { defineResource, defineTool, MCPServer } from "http-mcp";
import { memoryBus, messageBus } from "http-mcp/bus";
import { listen, MODERN_META, modernHeaders, openStream, type EventStream } from "./helpers.js";

const ping = defineTool({ name: "ping", handler: () => "pong" });
const pong = defineTool({ name: "pong", handler: () => "ping" });
const doc = defineResource({ uri: "test://doc", read: () => "doc" });

const listenBody = (id: number, notifications: unknown) => ({ jsonrpc: "2.0", id, method: "subscriptions/listen", params: { notifications, _meta: MODERN_META } });
const openListen = async (url: string, id: number, notifications: unknown): Promise<EventStream> => {
  const stream = await openStream(url, { body: listenBody(id, notifications), headers: modernHeaders("subscriptions/listen") });
  assert.equal((await stream.next()).method, "notifications/subscriptions/acknowledged");
  return stream;
};
const replica = (bus: ReturnType<typeof memoryBus> | undefined, name = "replica") =>
  new MCPServer({ name, version: "1.0.0", tools: [ping], resources: [doc], ...(bus ? { bus } : {}) });

describe("bus", () => {
  test("a change on one replica reaches the listen streams of every replica once", async () => {
    const bus = memoryBus();
    const [a, b, c] = [replica(bus, "a"), replica(bus, "b"), replica(bus, "c")];
    const running = await Promise.all([a, b, c].map((server) => listen(server.nodeHandler)));
    const streams: EventStream[] = [];
    try {
      await bus.ready();
      for (const [i, r] of running.entries()) streams.push(await openListen(r.url, i + 1, { toolsListChanged: true, resourceSubscriptions: ["test://doc"] }));
      a.update({ tools: [ping, pong] });
      b.notifyResourceUpdated("test://doc");
      for (const stream of streams) {
        const got = [await stream.next(), await stream.next()].map((message) => message.method).sort();
        assert.deepEqual(got, ["notifications/resources/updated", "notifications/tools/list_changed"]);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const stream of streams) assert.equal(stream.received.length, 3, "each change once, no echo");
    } finally {
      for (const stream of streams) stream.abort();
      await Promise.all([a, b, c].map((server) => server.close()));
      await Promise.all(running.map((r) => r.close()));
    }
  });

  test("servers on different buses (or prefixes) hear nothing of each other", async () => {
    const shared = memoryBus();
    const a = replica(shared);
    const b = replica(memoryBus());
    const running = await Promise.all([a, b].map((server) => listen(server.nodeHandler)));
    try {
      const stream = await openListen(running[1]!.url, 1, { toolsListChanged: true });
      a.update({ tools: [pong] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(stream.received.length, 1);
      stream.abort();
    } finally {
      await Promise.all([a, b].map((server) => server.close()));
      await Promise.all(running.map((r) => r.close()));
    }
  });

  test("malformed bus messages are ignored, and a failing transport is reported, not thrown", async () => {
    let deliver: ((message: string) => void) | undefined;
    const reported: string[] = [];
    const bus = messageBus({
      publish: () => Promise.reject(new Error("transport down")),
      subscribe: async (_channel, d) => ((deliver = d), async () => {}),
    });
    const server = new MCPServer({ name: "s", version: "1.0.0", tools: [ping], bus, onError: (error, where) => reported.push(`${where}: ${(error as Error).message}`) });
    const running = await listen(server.nodeHandler);
    try {
      await bus.ready();
      const stream = await openListen(running.url, 1, { toolsListChanged: true });
      for (const junk of ["", "{", "null", "[]", '{"o":"x"}', '{"o":"x","c":{"kind":"nope"}}', '{"o":"x","c":{"kind":"resource"}}']) deliver!(junk);
      deliver!(JSON.stringify({ o: "another", c: { kind: "tools" } }));
      assert.equal((await stream.next()).method, "notifications/tools/list_changed");
      server.update({ tools: [pong] });
      assert.equal((await stream.next()).method, "notifications/tools/list_changed", "local listeners hear it though the transport failed");
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(reported, ["bus: transport down"]);
      stream.abort();
    } finally {
      await server.close();
      await running.close();
    }
  });
});
