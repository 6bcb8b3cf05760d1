// Cancellation by real clients over real HTTP. 2025-era clients (the v1 SDK, the v2 client in its
// default mode) POST `notifications/cancelled`: with sessions the call's signal fires, the call's
// own reply (its SSE stream) ends without a response, and nothing the handler does afterwards
// reaches the client. 2026-07-28 clients cancel by closing the call's stream. Without sessions a
// 2025-era cancellation cannot reach the call (documented, and checked here).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { Readable } from "node:stream";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { defineTool, MCPServer } from "http-mcp";
import { legacySessions } from "http-mcp/sessions";
import { createDemoServer } from "../examples/demo/server.js";
import { listen, MODERN, mountBothHandlers, post, type Running } from "./helpers.js";

/** What one `tools/call` POST got back, read alongside the client (a tee of its body). */
interface Reply {
  /** Filled in once the response's head arrives. */
  status: number | undefined;
  contentType: string | null;
  text: string;
  /** Set once the server ended the body (a clean end, not an error). */
  ended: boolean;
  error: unknown;
  done: Promise<void>;
}

/** The JSON-RPC messages of an SSE body (or of a JSON body). */
function messagesOf(reply: Reply): any[] {
  if (!reply.contentType?.startsWith("text/event-stream")) return reply.text ? [JSON.parse(reply.text)] : [];
  return reply.text
    .split("\n\n")
    .flatMap((event) => event.split("\n").filter((line) => line.startsWith("data:") && line.slice(5).trim() !== "")) // a priming event has empty data
    .map((line) => JSON.parse(line.slice(5)));
}

/** A fetch that records every `tools/call` as it is sent, and its reply as it streams, while the client reads it too. */
function watchingFetch(replies: Reply[]): typeof fetch {
  return async (input, init) => {
    const method = typeof init?.body === "string" ? (JSON.parse(init.body) as { method?: unknown }).method : undefined;
    if (method !== "tools/call") return fetch(input, init);
    let settle!: () => void;
    const reply: Reply = { status: undefined, contentType: null, text: "", ended: false, error: undefined, done: new Promise((resolve) => (settle = resolve)) };
    replies.push(reply);
    const response = await fetch(input, init).catch((error: unknown) => {
      reply.error = error;
      settle();
      throw error;
    });
    reply.status = response.status;
    reply.contentType = response.headers.get("content-type");
    if (response.body === null) return settle(), response;
    const [mine, theirs] = response.body.tee();
    void (async () => {
      const reader = mine.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        reply.text += value;
      }
      reply.ended = true;
    })()
      .catch((error: unknown) => void (reply.error = error))
      .finally(settle);
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

type Kind = "v1" | "v2";
const KINDS: Kind[] = ["v1", "v2"];

/** An official client in its 2025-era mode (v2's default), with what it reported through onerror. */
async function connect(kind: Kind, url: string, replies: Reply[]) {
  const errors: string[] = [];
  const fetchFn = watchingFetch(replies);
  const client = kind === "v1" ? new ClientV1({ name: "cancel-v1", version: "1" }) : new ClientV2({ name: "cancel-v2", version: "1" });
  client.onerror = (error: unknown) => void errors.push(String(error));
  const transport = kind === "v1" ? new TransportV1(new URL(url), { fetch: fetchFn }) : new TransportV2(new URL(url), { fetch: fetchFn });
  await client.connect(transport as never);
  /** Calls a tool with an AbortSignal; resolves with how the call settled. */
  const call = (name: string, args: Record<string, unknown>, signal: AbortSignal, onprogress?: () => void) => {
    const options = { signal, ...(onprogress && { onprogress }) };
    const pending = kind === "v1" ? (client as ClientV1).callTool({ name, arguments: args }, undefined, options) : (client as ClientV2).callTool({ name, arguments: args }, options);
    return pending.then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
  };
  return { client, errors, call, sessionId: () => (transport as { sessionId?: string }).sessionId };
}

/** The checks every 2025-era cancellation must pass: rejected locally, reply ended without a response, nothing reported. */
async function assertCleanCancel(kind: Kind, settled: { result: unknown; error: unknown }, reply: Reply | undefined, errors: string[], reports: string[]) {
  assert.equal(settled.result, undefined, `${kind}: no result`);
  assert.match(String(settled.error), /stop pressed/, `${kind}: the call rejects with the abort reason`);
  assert.ok(reply, `${kind}: the tools/call reply was seen`);
  await Promise.race([reply.done, sleep(3000)]);
  assert.equal(reply.error, undefined, `${kind}: the reply ended cleanly, not with a network error`);
  assert.equal(reply.ended, true, `${kind}: the server ended the call's reply`);
  assert.equal(reply.status, 200);
  assert.equal(reply.contentType, "text/event-stream", `${kind}: a request's reply is an SSE stream`);
  const responses = messagesOf(reply).filter((message) => "result" in message || "error" in message);
  assert.deepEqual(responses, [], `${kind}: no JSON-RPC response for a cancelled request`);
  await sleep(50); // anything late would arrive now
  assert.deepEqual(errors, [], `${kind}: the client saw no stray response`);
  assert.deepEqual(reports, [], `${kind}: onError heard nothing`);
}

describe("2025-era clients cancel a call in the demo (sessions on)", () => {
  const reports: string[] = [];
  const demo = createDemoServer({ onError: (error, where) => reports.push(`${where}: ${String(error)}`) });
  let running: Running;
  before(async () => {
    running = await listen(demo.nodeHandler);
  });
  after(async () => {
    await running.close();
    await demo.close();
  });

  for (const kind of KINDS) {
    test(`${kind}: aborting callTool("wait") stops the wait on the server; its reply ends without a response`, async () => {
      const replies: Reply[] = [];
      const { client, errors, call, sessionId } = await connect(kind, running.url, replies);
      try {
        assert.ok(sessionId(), "the demo gives 2025-era clients a session");
        const stop = new AbortController();
        const calling = call("wait", { ms: 30_000 }, stop.signal);
        await until(() => replies.length === 1, "the call to reach the server");
        await sleep(50);
        const started = Date.now();
        stop.abort("stop pressed");
        const settled = await calling;
        await assertCleanCancel(kind, settled, replies[0], errors, reports);
        assert.ok(Date.now() - started < 2000, "the call ended long before its 30 s wait");
        // The demo records a cancelled wait in its state; the advice prompt lists the tools called so far.
        const advice = await client.getPrompt({ name: "get_advice", arguments: { topic: "x" } });
        const content = advice.messages[0]?.content;
        assert.match(content?.type === "text" ? content.text : "", /wait \(cancelled\)$/);
      } finally {
        await client.close();
      }
    });
  }
});

describe("mcp-remote (how Claude Desktop reaches remote servers) cancels a call in the demo", () => {
  test("the v1 client on mcp-remote's stdio aborts callTool: the wait stops, its POST ends, no response comes back", async () => {
    const reports: string[] = [];
    const demo = createDemoServer({ onError: (error, where) => reports.push(`${where}: ${String(error)}`) });
    let openPosts = 0;
    const running = await listen((req, res) => {
      if (req.method === "POST") {
        openPosts++;
        res.once("close", () => openPosts--);
      }
      demo.nodeHandler(req, res);
    });
    const configDir = await mkdtemp(join(tmpdir(), "mcp-remote-"));
    const proxy = fileURLToPath(new URL("../node_modules/mcp-remote/dist/proxy.js", import.meta.url));
    const env = { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir };
    const transport = new StdioClientTransport({ command: process.execPath, args: [proxy, running.url, "--transport", "http-only"], env, stderr: "pipe" });
    (transport.stderr as Readable | null)?.resume(); // its log of every message, not needed here
    const client = new ClientV1({ name: "via-mcp-remote", version: "1" });
    const errors: string[] = [];
    client.onerror = (error) => void errors.push(String(error));
    try {
      await client.connect(transport);
      const stop = new AbortController();
      const calling = client.callTool({ name: "wait", arguments: { ms: 30_000 } }, undefined, { signal: stop.signal }).then(
        () => "resolved",
        (error: unknown) => String(error),
      );
      await until(() => openPosts === 1, "the call to reach the server");
      await sleep(50);
      stop.abort("stop pressed");
      assert.match(await calling, /stop pressed/);
      await until(() => openPosts === 0, "the call's POST to end");
      const advice = await client.getPrompt({ name: "get_advice", arguments: { topic: "x" } });
      const content = advice.messages[0]?.content;
      assert.match(content?.type === "text" ? content.text : "", /Previously called tools: wait \(cancelled\)$/);
      await sleep(50);
      assert.deepEqual(errors, [], "no stray response reached the client");
      assert.deepEqual(reports, []);
    } finally {
      await client.close();
      await running.close();
      await demo.close();
      await rm(configDir, { recursive: true, force: true });
    }
  });
});

describe("2025-era clients cancel calls on a server with sessions", () => {
  const reports: string[] = [];
  const observed: string[] = [];
  const stoppable = defineTool({
    name: "stoppable",
    handler: ({ signal, progress }) => {
      progress(1); // the reply is an SSE stream already when the cancellation comes
      return new Promise<string>((_, reject) =>
        signal.addEventListener("abort", () => {
          observed.push(`aborted: ${(signal.reason as Error).message}`);
          reject(signal.reason);
        }),
      );
    },
  });
  let stubbornDone = false;
  const stubborn = defineTool({
    name: "stubborn",
    description: "Ignores its signal, reports progress after the cancellation and returns a result.",
    handler: async ({ signal, progress }) => {
      signal.addEventListener("abort", () => observed.push("stubborn: signal fired"));
      await sleep(300);
      progress(1);
      stubbornDone = true;
      return "a result nobody awaits";
    },
  });
  const server = new MCPServer({ name: "s", version: "1", tools: [stoppable, stubborn], sessions: legacySessions(), onError: (error, where) => reports.push(`${where}: ${String(error)}`) });
  const mounts = mountBothHandlers(server);

  for (const mount of mounts) {
    for (const kind of KINDS) {
      test(`${mount.name}, ${kind}: the handler's signal fires with the client's reason; the stream ends without a response`, async () => {
        observed.length = 0;
        const replies: Reply[] = [];
        const { client, errors, call } = await connect(kind, mount.running!.url, replies);
        try {
          const stop = new AbortController();
          let progressed = 0;
          const calling = call("stoppable", {}, stop.signal, () => progressed++);
          await until(() => progressed === 1, "the first progress notification");
          stop.abort("stop pressed");
          const settled = await calling;
          await until(() => observed.length === 1, "the server-side abort");
          assert.deepEqual(observed, ["aborted: stop pressed"]);
          await assertCleanCancel(kind, settled, replies[0], errors, reports);
        } finally {
          await client.close();
        }
      });
    }
  }

  for (const kind of KINDS) {
    test(`${kind}: a handler that ignores its signal: the exchange ends at the cancellation; its later progress and result are dropped`, async () => {
      observed.length = 0;
      stubbornDone = false;
      const replies: Reply[] = [];
      const { client, errors, call } = await connect(kind, mounts[0]!.running!.url, replies);
      try {
        const stop = new AbortController();
        let progressed = 0;
        const calling = call("stubborn", {}, stop.signal, () => progressed++);
        await until(() => replies.length === 1, "the call to reach the server");
        await sleep(30);
        stop.abort("stop pressed");
        const settled = await calling;
        await until(() => observed.length === 1, "the server-side abort");
        await Promise.race([replies[0]!.done, sleep(3000)]);
        assert.equal(replies[0]!.ended, true, "the reply ended");
        assert.equal(stubbornDone, false, "…while the handler was still running");
        await until(() => stubbornDone, "the handler to finish");
        await assertCleanCancel(kind, settled, replies[0], errors, reports);
        assert.equal(progressed, 0, "no progress after the cancellation");
      } finally {
        await client.close();
      }
    });
  }

  test("a client that takes no SSE gets 202 and an empty body for its cancelled call", async () => {
    observed.length = 0;
    const url = mounts[0]!.running!.url;
    const init = await post(url, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } } });
    const session = { "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25" };
    const calling = post(url, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "stubborn" } }, { ...session, accept: "application/json" });
    await sleep(50);
    const cancel = await post(url, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: "stop pressed" } }, session);
    assert.equal(cancel.status, 202);
    const reply = await calling;
    assert.equal(reply.status, 202);
    assert.equal(reply.text, "");
    assert.deepEqual(observed, ["stubborn: signal fired"]);
    await until(() => stubbornDone, "the handler to finish");
    assert.deepEqual(reports, []);
  });
});

describe("2026-07-28 clients cancel by closing the call's stream", () => {
  test("v2 pinned to 2026-07-28: aborting callTool fires the handler's signal; nothing is reported", async () => {
    const reports: string[] = [];
    const observed: string[] = [];
    const stoppable = defineTool({
      name: "stoppable",
      handler: ({ signal }) =>
        new Promise<string>((_, reject) =>
          signal.addEventListener("abort", () => {
            observed.push("aborted");
            reject(signal.reason);
          }),
        ),
    });
    // Sessions on: they must not change how a 2026-07-28 call is cancelled.
    const server = new MCPServer({ name: "s", version: "1", tools: [stoppable], sessions: legacySessions(), onError: (error, where) => reports.push(`${where}: ${String(error)}`) });
    const running = await listen(server.nodeHandler);
    const client = new ClientV2({ name: "modern", version: "1" }, { versionNegotiation: { mode: { pin: MODERN } } });
    const errors: string[] = [];
    client.onerror = (error: unknown) => void errors.push(String(error));
    try {
      await client.connect(new TransportV2(new URL(running.url)));
      const stop = new AbortController();
      const calling = client.callTool({ name: "stoppable", arguments: {} }, { signal: stop.signal }).then(
        () => "resolved",
        (error: unknown) => String(error),
      );
      await sleep(50);
      stop.abort("stop pressed");
      assert.match(await calling, /stop pressed/);
      await until(() => observed.length === 1, "the server-side abort");
      await sleep(50);
      assert.deepEqual(errors, []);
      assert.deepEqual(reports, []);
    } finally {
      await client.close();
      await running.close();
      await server.close();
    }
  });
});

describe("without sessions (stateless 2025-era serving)", () => {
  test("notifications/cancelled is accepted (202) but cannot reach the call: it runs to its end and answers", async () => {
    const observed: string[] = [];
    const slow = defineTool({
      name: "slow",
      handler: async ({ signal }) => {
        signal.addEventListener("abort", () => observed.push("aborted"));
        await sleep(200);
        return "ran to its end";
      },
    });
    const server = new MCPServer({ name: "s", version: "1", tools: [slow] });
    const running = await listen(server.nodeHandler);
    try {
      const headers = { "mcp-protocol-version": "2025-11-25" };
      const calling = post(running.url, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "slow" } }, headers);
      await sleep(50);
      const cancel = await post(running.url, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3, reason: "stop" } }, headers);
      assert.equal(cancel.status, 202);
      const reply = await calling;
      assert.deepEqual(reply.json.result.content, [{ type: "text", text: "ran to its end" }]);
      assert.deepEqual(observed, []);
    } finally {
      await running.close();
      await server.close();
    }
  });
});
