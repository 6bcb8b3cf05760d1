// serveStdio on any pair of streams (embedding, tests), and what a stdio server writes to stderr.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { z } from "zod";
import { defineTool, MCPServer } from "http-mcp";
import { serveStdio, type StdioOptions } from "http-mcp/stdio";
import { MODERN_META } from "./helpers.js";
import { LineChild } from "./stdio-child.js";

/** A server whose tools expose what the transport gave them: protocol version, scopes, signal. */
function probeServer(log: string[]) {
  const version = defineTool({
    name: "version",
    output: z.object({ protocolVersion: z.string(), scopes: z.array(z.string()), transport: z.string() }),
    handler: ({ protocolVersion, scopes, request }) => ({ protocolVersion, scopes: [...scopes], transport: request.transport }),
  });
  const hang = defineTool({
    name: "hang",
    description: "Runs until its signal fires.",
    handler: ({ signal }) =>
      new Promise<string>((_, reject) => {
        signal.addEventListener("abort", () => {
          log.push(`aborted: ${(signal.reason as Error).message}`);
          reject(signal.reason);
        });
      }),
  });
  return new MCPServer({
    name: "probe",
    version: "1.0.0",
    tools: [version, hang],
    authenticate: (request) => (request.headers.get("Authorization") === "Bearer t0k3n" ? { scopes: ["read"] } : null),
    *lifespan() {
      log.push("started");
      yield undefined;
      log.push("cleaned up");
    },
    onError: (error) => log.push(`reported: ${String(error)}`),
  });
}

/** serveStdio on in-memory streams, with a reader of the reply lines. */
function serveOnStreams(server: MCPServer, options: StdioOptions = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const replies: any[] = [];
  let partial = "";
  let outputEnded = false;
  output.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    replies.push(...lines.map((line) => JSON.parse(line)));
  });
  output.on("end", () => (outputEnded = true));
  const connection = serveStdio(server, { input, output, ...options });
  const send = (message: unknown) => input.write(`${JSON.stringify(message)}\n`);
  const reply = async (id: unknown) => {
    for (let i = 0; i < 500; i++) {
      const found = replies.find((message) => message.id === id);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no reply for ${String(id)}`);
  };
  return { input, connection, replies, send, reply, outputEnded: () => outputEnded };
}

const versionOf = async (peer: ReturnType<typeof serveOnStreams>, id: string, params: Record<string, unknown> = {}) => {
  peer.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "version", ...params } });
  return (await peer.reply(id)).result.structuredContent;
};

describe("serveStdio on a pair of streams", () => {
  test("headers authenticate, the version follows the era, the process is left alone, closing cleans up", async () => {
    const log: string[] = [];
    const peer = serveOnStreams(probeServer(log), { requestHeaders: new Headers({ authorization: "Bearer t0k3n" }) });
    assert.deepEqual(await versionOf(peer, "a"), { protocolVersion: "2025-03-26", scopes: ["read"], transport: "stdio" });
    peer.send({ jsonrpc: "2.0", id: "init", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
    await peer.reply("init");
    assert.equal((await versionOf(peer, "b")).protocolVersion, "2025-06-18", "initialize set the version for the process");
    assert.equal((await versionOf(peer, "c", { _meta: MODERN_META })).protocolVersion, "2026-07-28");
    peer.input.end();
    await peer.connection.closed;
    assert.deepEqual(log, ["started", "cleaned up"]);
    assert.ok(peer.outputEnded(), "a stream that is not process.stdout is ended");
  });

  test("framing: lines split across chunks, CRLF endings, multi-byte UTF-8, a last line without newline", async () => {
    const peer = serveOnStreams(probeServer([]));
    const bytes = Buffer.from('{"jsonrpc":"2.0","id":"é-1","method":"ping"}\r\n{"jsonrpc":"2.0","id":"é-2","method":"ping"}\n{"jsonrpc":"2.0","id":"last","method":"ping"}');
    for (let i = 0; i < bytes.length; i += 3) peer.input.write(bytes.subarray(i, i + 3)); // splits "é" across writes too
    peer.input.end();
    await peer.connection.closed;
    assert.deepEqual(peer.replies.map((message) => message.id).sort(), ["last", "é-1", "é-2"]);
    assert.ok(peer.replies.every((message) => message.result !== undefined));
  });

  test("cancellation fires the handler's signal with the client's reason", async () => {
    const log: string[] = [];
    const peer = serveOnStreams(probeServer(log));
    peer.send({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "hang" } });
    await versionOf(peer, "v"); // the hang call is in flight by now
    peer.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9, reason: "changed my mind" } });
    await versionOf(peer, "w");
    assert.deepEqual(log, ["started", "aborted: changed my mind"], "aborting is not an error to report");
    await peer.connection.close();
    assert.equal(peer.replies.some((message) => message.id === 9), false);
  });

  test("past the grace period, calls still running are aborted and the server closes anyway", async () => {
    const log: string[] = [];
    const peer = serveOnStreams(probeServer(log), { gracePeriodMs: 50 });
    peer.send({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "hang" } });
    await versionOf(peer, "v");
    const started = Date.now();
    await peer.connection.close();
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(log, ["started", "aborted: Server shutting down", "cleaned up"]);
  });

  test("an output that breaks (the client went away) shuts the server down without a crash", async () => {
    const log: string[] = [];
    const input = new PassThrough();
    const output = new Writable({ write: (_chunk, _encoding, callback) => callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })) });
    const connection = serveStdio(probeServer(log), { input, output });
    input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    await connection.closed;
    assert.deepEqual(log, ["started", "cleaned up"]);
  });
});

describe("stdio diagnostics (child process)", () => {
  const FIXTURE = ["--import", "tsx", "test/fixtures/stdio-diagnostics.ts"];

  test("unexpected errors go to stderr, a line of at most 500 characters then the stack frames, with the token redacted", async () => {
    const child = new LineChild(FIXTURE, { MCP_TOKEN: "s3cret-value-123" });
    const reply = await child.request("tools/call", { name: "crash" });
    assert.deepEqual(reply.result, { content: [{ type: "text", text: "Error calling tool crash: Internal error" }], isError: true });
    await child.end();
    const lines = child.stderr.trimEnd().split("\n");
    assert.ok(lines.length > 1, child.stderr);
    assert.ok(lines.slice(1).every((line) => /^ {4}at /.test(line)), child.stderr);
    assert.ok(lines[0]!.length <= 501, `${lines[0]!.length} characters`);
    assert.match(lines[0]!, /^\[http-mcp\] tool crash: Error: backend refused \[redacted\] xxx/);
    assert.ok(!child.stderr.includes("s3cret-value-123"));
    assert.deepEqual(child.garbage, []);
  });

  test("stray writes to stdout (console.log, process.stdout.write) are diverted to stderr", async () => {
    const child = new LineChild(FIXTURE, { MCP_TOKEN: "anything" });
    const reply = await child.request("tools/call", { name: "chatty" });
    assert.deepEqual(reply.result.content, [{ type: "text", text: "done" }]);
    await child.end();
    assert.deepEqual(child.garbage, [], "stdout carried JSON-RPC only");
    assert.equal(child.stderr, "a stray console.log\na raw stdout write\n");
  });

  test("a failing authenticate answers Internal error; its report never shows the token", async () => {
    const child = new LineChild(FIXTURE, { MCP_TOKEN: "explode-s3cret" });
    const reply = await child.request("tools/list", undefined, 5);
    assert.deepEqual(reply.error, { code: -32603, message: "Internal error" });
    assert.equal(reply.id, 5);
    await child.end();
    assert.match(child.stderr, /\[http-mcp\] authenticate: Error: token store down while checking \[redacted\]/);
    assert.ok(!child.stderr.includes("explode-s3cret"));
  });
});
