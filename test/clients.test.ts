// The demo server driven by the official MCP clients: the v1 SDK (2025-era `initialize`
// handshake) and the v2 client pinned to 2026-07-28 (`server/discover`, per-request `_meta`).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { createDemoServer } from "../examples/demo/server.js";
import { listen, MODERN, type Running } from "./helpers.js";

/** What reached the server: the HTTP method and the MCP headers of every request. */
interface Seen {
  httpMethod: string | undefined;
  mcpMethod: string | undefined;
  protocolVersion: string | undefined;
}

/** Wraps the demo's node handler so the test can see the headers each request carried. */
function recorder(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const record = (req: IncomingMessage, res: ServerResponse) => {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    seen.push({ httpMethod: req.method, mcpMethod: header("mcp-method"), protocolVersion: header("mcp-protocol-version") });
    handler(req, res);
  };
  return { seen, record };
}

/** A fetch that logs the JSON-RPC method of every POSTed body (the v1 client sends no Mcp-Method header). */
function bodyLoggingFetch(log: string[]): typeof fetch {
  return async (input, init) => {
    if (typeof init?.body === "string") {
      const message = JSON.parse(init.body) as { method?: unknown };
      if (typeof message.method === "string") log.push(message.method);
    }
    return fetch(input, init);
  };
}

const bearer = (token: string) => ({ requestInit: { headers: { Authorization: `Bearer ${token}` } } });

describe("official clients against the demo server", () => {
  const demo = createDemoServer();
  const { seen, record } = recorder(demo.nodeHandler);
  let running: Running;

  before(async () => {
    running = await listen(record);
  });
  after(async () => {
    await running.close();
    await demo.close();
  });

  describe("v1 @modelcontextprotocol/sdk (2025-era)", () => {
    test("initialize handshake, tools, prompts, errors", async () => {
      const bodies: string[] = [];
      const firstRequest = seen.length;
      const transport = new TransportV1(new URL(running.url), { fetch: bodyLoggingFetch(bodies) });
      const client = new ClientV1({ name: "v1-test", version: "0.0.1" });
      try {
        await client.connect(transport);
        assert.deepEqual(client.getServerVersion(), { name: "http-mcp-demo", version: "1.0.0" });
        const capabilities = client.getServerCapabilities();
        assert.ok(capabilities?.tools, "tools capability");
        assert.ok(capabilities?.prompts, "prompts capability");
        assert.equal(transport.protocolVersion, "2025-11-25");
        assert.ok(transport.sessionId, "the demo gives 2025-era clients a session (their cancellation needs one)");
        assert.match(client.getInstructions() ?? "", /Demo server/);

        const tools = await client.listTools();
        assert.deepEqual(tools.tools.map((t) => t.name).sort(), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);
        const greetListing = tools.tools.find((t) => t.name === "greet");
        assert.equal(greetListing?.title, "Greet");
        assert.deepEqual(greetListing?.inputSchema.required, ["question"]);

        const greet = await client.callTool({ name: "greet", arguments: { question: "world" } });
        assert.deepEqual(greet.structuredContent, { answer: "Hello, world!" });
        assert.notEqual(greet.isError, true);

        const risky = await client.callTool({ name: "risky_tool", arguments: { value: -1 } });
        assert.deepEqual(risky.structuredContent, { errorMessage: "Error calling tool risky_tool: Value must be positive" });
        const riskyOk = await client.callTool({ name: "risky_tool", arguments: { value: 3 } });
        assert.deepEqual(riskyOk.structuredContent, { result: "Success: 3" });

        const advice = await client.getPrompt({ name: "get_advice", arguments: { topic: "testing" } });
        const message = advice.messages[0];
        assert.equal(message?.role, "user");
        assert.equal(message?.content.type, "text");
        const text = message?.content.type === "text" ? message.content.text : "";
        assert.match(text, /advice on testing\./);
        assert.doesNotMatch(text, /actionable steps/, "include_actionable_steps defaults to false");
        assert.match(text, /Previously called tools: .*greet/);

        const prompts = await client.listPrompts();
        assert.deepEqual(prompts.prompts.map((p) => p.name).sort(), ["get_advice", "help_prompt"]);
        const adviceArgs = prompts.prompts.find((p) => p.name === "get_advice")?.arguments;
        assert.deepEqual(adviceArgs?.map((a) => [a.name, a.required]), [["topic", true], ["include_actionable_steps", false]]);

        // A scoped tool called anonymously: refused at the HTTP level with 403.
        await assert.rejects(client.callTool({ name: "private_tool", arguments: {} }), (error: unknown) => {
          assert.equal((error as { code?: unknown }).code, 403);
          assert.match(String((error as Error).message), /Insufficient scope for tool private_tool/);
          return true;
        });
      } finally {
        await client.close();
      }
      // The wire: initialize first (before any version header), then 2025-11-25 on every request.
      assert.equal(bodies[0], "initialize");
      assert.equal(bodies[1], "notifications/initialized");
      assert.ok(!bodies.includes("server/discover"));
      const mine = seen.slice(firstRequest);
      assert.equal(mine[0]?.protocolVersion, undefined, "initialize carries no MCP-Protocol-Version");
      const later = mine.slice(1).filter((r) => r.httpMethod === "POST");
      assert.ok(later.length >= 8);
      for (const request of later) assert.equal(request.protocolVersion, "2025-11-25");
      assert.ok(mine.every((r) => r.mcpMethod === undefined), "the v1 client sends no Mcp-Method header");
    });

    test("admin token: admin_tool is listed and callable", async () => {
      const client = new ClientV1({ name: "v1-admin", version: "0.0.1" });
      try {
        await client.connect(new TransportV1(new URL(running.url), bearer("demo-admin")));
        const tools = await client.listTools();
        const names = tools.tools.map((t) => t.name);
        assert.ok(names.includes("admin_tool"));
        assert.ok(names.includes("private_tool"), "demo-admin also holds the private scope");
        const result = await client.callTool({ name: "admin_tool", arguments: {} });
        assert.deepEqual(result.structuredContent, { message: "This is admin data for demo-admin" });
        const prompts = await client.listPrompts();
        assert.ok(prompts.prompts.some((p) => p.name === "private_prompt"));
      } finally {
        await client.close();
      }
    });
  });

  describe("v2 @modelcontextprotocol/client pinned to 2026-07-28", () => {
    const pinned = () => new ClientV2({ name: "v2-test", version: "0.0.1" }, { versionNegotiation: { mode: { pin: MODERN } } });

    test("server/discover, tools, prompts, no initialize", async () => {
      const bodies: string[] = [];
      const firstRequest = seen.length;
      const client = pinned();
      try {
        await client.connect(new TransportV2(new URL(running.url), { fetch: bodyLoggingFetch(bodies) }));
        if (typeof client.getProtocolEra === "function") assert.equal(client.getProtocolEra(), "modern");
        assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
        assert.equal(client.getServerVersion()?.name, "http-mcp-demo");
        assert.ok(client.getServerCapabilities()?.tools);

        const tools = await client.listTools();
        assert.deepEqual(tools.tools.map((t) => t.name).sort(), ["activity_snapshot", "get_time", "greet", "long_job", "risky_tool", "show_activity", "wait"]);

        const greet = await client.callTool({ name: "greet", arguments: { question: "world" } });
        assert.deepEqual(greet.structuredContent, { answer: "Hello, world!" });

        const advice = await client.getPrompt({ name: "get_advice", arguments: { topic: "testing", include_actionable_steps: "true" } });
        const content = advice.messages[0]?.content;
        const text = content?.type === "text" ? content.text : "";
        assert.match(text, /advice on testing\. The advice should include actionable steps\./);
        assert.equal(advice.description, "Get advice on a topic, aware of the tools called so far.");

        const prompts = await client.listPrompts();
        assert.deepEqual(prompts.prompts.map((p) => p.name).sort(), ["get_advice", "help_prompt"]);

        await assert.rejects(client.callTool({ name: "private_tool", arguments: {} }), /Insufficient scope for tool private_tool/);
      } finally {
        await client.close();
      }
      assert.equal(bodies[0], "server/discover");
      assert.ok(!bodies.includes("initialize"), `bodies: ${bodies.join(", ")}`);
      const mine = seen.slice(firstRequest);
      assert.ok(mine.length >= 6);
      assert.equal(mine[0]?.mcpMethod, "server/discover");
      for (const request of mine) {
        assert.equal(request.protocolVersion, MODERN);
        assert.notEqual(request.mcpMethod, "initialize");
        assert.equal(request.httpMethod, "POST");
      }
      assert.deepEqual(
        mine.map((r) => r.mcpMethod),
        ["server/discover", "tools/list", "tools/call", "prompts/get", "prompts/list", "tools/call"],
      );
    });

    test("private token: private_tool is listed and callable", async () => {
      const client = pinned();
      try {
        await client.connect(new TransportV2(new URL(running.url), bearer("demo-private")));
        const tools = await client.listTools();
        const names = tools.tools.map((t) => t.name);
        assert.ok(names.includes("private_tool"));
        assert.ok(!names.includes("admin_tool"), "demo-private lacks the admin scope");
        const result = await client.callTool({ name: "private_tool", arguments: {} });
        assert.deepEqual(result.structuredContent, { message: "This is private data" });
        await assert.rejects(client.callTool({ name: "admin_tool", arguments: {} }), /Insufficient scope for tool admin_tool/);
      } finally {
        await client.close();
      }
    });
  });
});
