// The demo served over stdio as a real child process, driven by the official MCP clients:
// the v1 SDK (2025-era `initialize`) and the v2 client pinned to 2026-07-28.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Readable } from "node:stream";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Client as ClientV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio";
import { MODERN } from "./helpers.js";
import { DEMO_STDIO, ROOT } from "./stdio-child.js";

const CLEANUP_LINE = "http-mcp demo: lifespan cleanup done";

/** Spawn parameters both clients accept: the demo's source with `--stdio`. */
function demoProcess(token?: string) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  if (token !== undefined) env.MCP_TOKEN = token;
  return { command: process.execPath, args: DEMO_STDIO, cwd: ROOT, env, stderr: "pipe" as const };
}

function collect(stream: Readable | null): () => string {
  let text = "";
  stream?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return () => text;
}

async function untilIncludes(read: () => string, expected: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read().includes(expected)) {
    if (Date.now() > deadline) throw new Error(`stderr never said "${expected}"; it said: ${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Records every message a client transport sends (the wire traffic the server saw). */
function recordSends(transport: { send(message: any, ...rest: any[]): Promise<void> }): any[] {
  const sent: any[] = [];
  const send = transport.send.bind(transport);
  transport.send = (message, ...rest) => {
    sent.push(message);
    return send(message, ...rest);
  };
  return sent;
}

const names = (items: Array<{ name: string }>) => items.map((item) => item.name).sort();

describe("stdio: v1 @modelcontextprotocol/sdk client (2025-era)", () => {
  test("initialize, tools, prompts, ping, errors, then a clean shutdown with lifespan cleanup", async () => {
    const transport = new StdioV1(demoProcess());
    const stderr = collect(transport.stderr as Readable);
    const sent = recordSends(transport);
    const client = new ClientV1({ name: "stdio-v1", version: "1.0.0" });
    const transportErrors: unknown[] = [];
    client.onerror = (error) => transportErrors.push(error);
    await client.connect(transport);
    try {
      assert.equal(sent[0].method, "initialize");
      assert.deepEqual(client.getServerVersion(), { name: "http-mcp-demo", version: "1.0.0" });
      // A stdio peer can be told about list changes, so they are advertised.
      assert.deepEqual(client.getServerCapabilities(), {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        completions: {},
        logging: {},
        extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } },
      });
      assert.deepEqual(names((await client.listTools()).tools), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
      const greet = await client.callTool({ name: "greet", arguments: { question: "stdio" } });
      assert.deepEqual(greet.structuredContent, { answer: "Hello, stdio!" });
      const risky = await client.callTool({ name: "risky_tool", arguments: { value: -1 } });
      assert.deepEqual(risky.structuredContent, { errorMessage: "Error calling tool risky_tool: Value must be positive" });
      assert.deepEqual(names((await client.listPrompts()).prompts), ["get_advice", "help_prompt"]);
      const advice = await client.getPrompt({ name: "get_advice", arguments: { topic: "pipes" } });
      assert.match((advice.messages[0]!.content as { text: string }).text, /advice on pipes\. Previously called tools: greet, risky_tool$/);
      assert.deepEqual(await client.ping(), {});
      await assert.rejects(client.callTool({ name: "private_tool", arguments: {} }), /Insufficient scope/);
      await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), /Unknown tool: no_such_tool/);
    } finally {
      await client.close();
    }
    await untilIncludes(stderr, CLEANUP_LINE);
    assert.equal(stderr().trim(), CLEANUP_LINE, "nothing else on stderr");
    assert.deepEqual(transportErrors, [], "every stdout line was a valid JSON-RPC message");
  });

  test("MCP_TOKEN becomes the Authorization header: scoped tools and prompts appear and run", async () => {
    const client = new ClientV1({ name: "stdio-v1", version: "1.0.0" });
    await client.connect(new StdioV1(demoProcess("demo-private")));
    try {
      assert.deepEqual(names((await client.listTools()).tools), ["activity_snapshot", "get_time", "greet", "long_job", "private_tool", "risky_tool", "show_activity", "wait"]);
      assert.deepEqual(names((await client.listPrompts()).prompts), ["get_advice", "help_prompt", "private_prompt"]);
      const secret = await client.callTool({ name: "private_tool", arguments: {} });
      assert.deepEqual(secret.structuredContent, { message: "This is private data" });
      await assert.rejects(client.callTool({ name: "admin_tool", arguments: {} }), /Insufficient scope for tool admin_tool/);
    } finally {
      await client.close();
    }
  });
});

describe("stdio: v2 @modelcontextprotocol/client pinned to 2026-07-28", () => {
  test("server/discover, lists, calls and prompts with per-request _meta, scoped by MCP_TOKEN", async () => {
    const transport = new StdioV2(demoProcess("demo-admin"));
    const stderr = collect(transport.stderr as Readable);
    const sent = recordSends(transport);
    const client = new ClientV2({ name: "stdio-v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: MODERN } } });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.name, "http-mcp-demo");
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN); // probed with server/discover on a sibling process
      const discovered = await client.discover(); // and once more on this one
      assert.deepEqual(discovered.supportedVersions, [MODERN]);
      assert.deepEqual(Object.keys(discovered.capabilities).sort(), ["completions", "extensions", "logging", "prompts", "resources", "tools"]);
      assert.deepEqual(names((await client.listTools()).tools), ["activity_snapshot", "admin_tool", "get_time", "greet", "long_job", "private_tool", "risky_tool", "show_activity", "wait"]);
      const admin = await client.callTool({ name: "admin_tool", arguments: {} });
      assert.deepEqual(admin.structuredContent, { message: "This is admin data for demo-admin" });
      const waited = await client.callTool({ name: "wait", arguments: { ms: 5 } });
      // Node runs timers against the event loop's cached clock, so a wait can end a few ms short of
      // `ms` by Date.now(): the reply's shape is what this client test checks.
      assert.ok(Number.isInteger((waited.structuredContent as { waitedMs: number }).waitedMs));
      const invalid = await client.callTool({ name: "greet", arguments: {} });
      assert.equal(invalid.isError, true);
      const help = await client.getPrompt({ name: "help_prompt" });
      assert.equal((help.messages[0]!.content as { text: string }).text, "You are a helpful assistant. Help the user with their task.");
      assert.ok(sent.some((message) => message.method === "server/discover"));
      assert.ok(!sent.some((message) => message.method === "initialize"), "no 2025-era handshake");
      const call = sent.find((message) => message.method === "tools/call");
      assert.equal(call.params._meta["io.modelcontextprotocol/protocolVersion"], MODERN);
    } finally {
      await client.close();
    }
    await untilIncludes(stderr, CLEANUP_LINE);
    assert.ok(!stderr().includes("demo-admin"), "the token never reaches stderr");
  });
});
