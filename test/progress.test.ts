// Progress from synchronous work (five `progress()` calls without yielding, then the result),
// as the official clients receive it. Over HTTP each notification is an SSE event of its own
// before the response, and the clients' SSE readers hand them over before it. Over stdio the
// clients handle the lines of one read synchronously but each notification a microtask later, so
// a response read together with its progress drops it ("unknown token"): the server writes the
// response apart from its call's progress.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio";
import { createProgressServer, STEPS } from "./fixtures/progress-server.js";
import { inMemoryStdio, MODERN, MODERN_META, modernHeaders, mountBothHandlers, post } from "./helpers.js";

type Kind = "v1" | "v2 (2025 default)" | "v2 (2026-07-28)";
const KINDS: Kind[] = ["v1", "v2 (2025 default)", "v2 (2026-07-28)"];

function clientOf(kind: Kind) {
  if (kind === "v1") return new ClientV1({ name: "progress-v1", version: "1" });
  const pinned = kind === "v2 (2026-07-28)" ? { versionNegotiation: { mode: { pin: MODERN } } } : undefined;
  return new ClientV2({ name: "progress-v2", version: "1" }, pinned);
}

/** Calls "crunch" with an onprogress callback; returns what the client saw, in order, and when the call resolved. */
async function crunch(kind: Kind, client: ClientV1 | ClientV2): Promise<string[]> {
  const seen: string[] = [];
  const onprogress = (p: { progress: number }) => void seen.push(`progress ${p.progress}`);
  const params = { name: "crunch", arguments: {} };
  const result = kind === "v1" ? await (client as ClientV1).callTool(params, undefined, { onprogress }) : await (client as ClientV2).callTool(params, { onprogress });
  seen.push(`result ${JSON.stringify(result.content)}`);
  return seen;
}

const EXPECTED = [...Array.from({ length: STEPS }, (_, i) => `progress ${i + 1}`), 'result [{"type":"text","text":"crunched"}]'];

describe("over HTTP: every progress notification reaches the official clients before the result", () => {
  const server = createProgressServer();
  const mounts = mountBothHandlers(server);

  test("the wire, both eras: one SSE event per notification, in order, then the result", async () => {
    const url = mounts[0]!.running!.url;
    const legacy = await post(url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "crunch", _meta: { progressToken: 7 } } }, { "mcp-protocol-version": "2025-11-25" });
    const modern = await post(url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "crunch", _meta: { ...MODERN_META, progressToken: "p" } } }, modernHeaders("tools/call", "crunch"));
    for (const reply of [legacy, modern]) {
      assert.equal(reply.headers.get("content-type"), "text/event-stream");
      const events = reply.text.split("\n\n").filter(Boolean);
      assert.equal(events.length, STEPS + 1);
      const messages = events.map((event) => {
        const [name, data, ...rest] = event.split("\n");
        assert.equal(name, "event: message");
        assert.deepEqual(rest, []);
        return JSON.parse(data!.slice("data: ".length));
      });
      assert.deepEqual(messages.slice(0, STEPS).map((m) => [m.method, m.params.progress]), Array.from({ length: STEPS }, (_, i) => ["notifications/progress", i + 1]));
      assert.ok("result" in messages[STEPS]);
    }
  });

  test("each request's own Accept decides between SSE and JSON, whatever the request before it sent", async () => {
    for (const mount of mounts) {
      const url = mount.running!.url;
      const call = (id: number, accept: string) =>
        post(url, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "crunch", _meta: { progressToken: id } } }, { "mcp-protocol-version": "2025-11-25", accept });
      const sequence = ["application/json, text/event-stream", "application/json", "application/json", "text/event-stream, application/json", "application/json;q=1, text/event-stream;q=0.5", "application/json"];
      for (const [i, accept] of sequence.entries()) {
        const reply = await call(i + 1, accept);
        const streamed = accept.includes("text/event-stream");
        assert.equal(reply.headers.get("content-type"), streamed ? "text/event-stream" : "application/json", `${mount.name}: ${accept}`);
        // Without a stream the progress is dropped and the result comes alone.
        if (!streamed) assert.equal(reply.json.id, i + 1);
        else assert.equal(reply.text.split("\n\n").filter(Boolean).length, STEPS + 1);
      }
    }
  });

  for (const mount of mounts) {
    for (const kind of KINDS) {
      test(`${mount.name}, ${kind}: all ${STEPS} onprogress callbacks fire before callTool resolves`, async () => {
        const client = clientOf(kind);
        const errors: string[] = [];
        client.onerror = (error: unknown) => void errors.push(String(error));
        const url = new URL(mount.running!.url);
        await client.connect((kind === "v1" ? new TransportV1(url) : new TransportV2(url)) as never);
        try {
          for (let call = 0; call < 3; call++) assert.deepEqual(await crunch(kind, client), EXPECTED);
          assert.deepEqual(errors, [], "no unknown progress token");
        } finally {
          await client.close();
        }
      });
    }
  }
});

describe("over stdio", () => {
  test("the wire: a response written right after its call's progress goes out in a later write, at least 10 ms on", async () => {
    const { output, send, waitFor, connection } = inMemoryStdio(createProgressServer());
    const writes: Array<{ text: string; at: number }> = [];
    output.on("data", (chunk: string) => writes.push({ text: chunk, at: performance.now() }));
    try {
      for (const [id, meta] of [[1, { progressToken: 1 }], [2, { ...MODERN_META, progressToken: 2 }]] as const) {
        send({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "crunch", _meta: meta } });
        await waitFor((line) => line.id === id);
        const withProgress = writes.find((write) => write.text.includes('"notifications/progress"'))!;
        const withResponse = writes.find((write) => write.text.includes(`"id":${id},"result"`))!;
        assert.notEqual(withResponse, withProgress, "the response is not in the write that carries the progress");
        assert.equal(withProgress.text.split("\n").filter((line) => line.includes('"notifications/progress"')).length, STEPS);
        assert.doesNotMatch(withResponse.text, /notifications\/progress/);
        assert.ok(withResponse.at - withProgress.at >= 9, `${withResponse.at - withProgress.at} ms apart`);
        writes.length = 0;
      }
    } finally {
      await connection.close();
    }
  });

  for (const kind of KINDS) {
    test(`${kind} on a child process: the ${STEPS} onprogress callbacks fire before callTool resolves`, async () => {
      const params = { command: process.execPath, args: ["--import", "tsx", fileURLToPath(new URL("./fixtures/progress-server.ts", import.meta.url)), "--stdio"] };
      const client = clientOf(kind);
      const errors: string[] = [];
      client.onerror = (error: unknown) => void errors.push(String(error));
      await client.connect((kind === "v1" ? new StdioV1(params) : new StdioV2(params)) as never);
      try {
        // The separation is a matter of time (the client must read between the two writes), so a
        // client stalled for longer than the gap may still lose one call's progress: one in three may fail.
        const calls = [await crunch(kind, client), await crunch(kind, client), await crunch(kind, client)];
        const complete = calls.filter((seen) => JSON.stringify(seen) === JSON.stringify(EXPECTED)).length;
        const report = `calls: ${JSON.stringify(calls)}; ${errors.length} client errors, the first: ${errors[0]?.slice(0, 120)}`;
        assert.ok(complete >= 2, report);
        assert.ok(errors.length <= STEPS * (3 - complete), report);
      } finally {
        await client.close();
      }
    });
  }
});
