// Runs the examples of the README and the guide (docs/examples) against real HTTP servers; test/docs-pages.test.ts
// checks that the pages show them as they are.
import assert from "node:assert/strict";
import type { RequestListener } from "node:http";
import { after, describe, test } from "node:test";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { MODERN_META, modernHeaders, openStream, post, postLegacy, postModern, postOnNewConnection, serveDuringTest, startChild } from "./helpers.ts";

describe("docs examples run", () => {
  test("quickstart: run as written, it serves", async () => {
    // As the README says to run it (tsx); PORT=0 picks a free port. test/package.test.ts runs it from the packed README too.
    const { child, url, exited } = await startChild([process.execPath, "--import", "tsx", "docs/examples/quickstart.ts"], /MCP server on (\S+)/, { env: { PORT: "0" } });
    after(() => child.kill("SIGKILL"));
    const res = await postModern(url, 1, "tools/call", { name: "greet", arguments: { question: "docs" } });
    assert.deepEqual(res.json.result.structuredContent, { answer: "Hello, docs!" });
    child.kill("SIGTERM");
    assert.equal(await exited, 0, "Ctrl-C (SIGTERM here) stops it cleanly");
  });

  test("tools: derived names and titles, annotations, content blocks, the request, validation", async () => {
    const { server } = await import("../docs/examples/tools.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const listed = (await postModern(url, 1, "tools/list")).json.result.tools;
    assert.deepEqual(listed.map((t: { name: string; title: string }) => [t.name, t.title]), [
      ["get_time", "Get Time"],
      ["sales_report", "Weekly sales"],
      ["wait", "Wait"],
      ["whoami", "Whoami"],
    ]);
    assert.deepEqual(listed[0].annotations, { readOnlyHint: true, openWorldHint: false });
    assert.equal(listed[2].inputSchema.properties.ms.description, "How long to wait, in milliseconds");
    const time = await postModern(url, 2, "tools/call", { name: "get_time" });
    assert.match(time.json.result.structuredContent.time, /^\d\d:\d\d:\d\d$/);
    const report = await postModern(url, 3, "tools/call", { name: "sales_report" });
    assert.deepEqual(report.json.result.content, [
      { type: "text", text: "Sales rose 12% this week." },
      { type: "image", data: "iVBORw==", mimeType: "image/png" },
      { type: "resource_link", uri: "reports://sales/this-week.csv", name: "this-week.csv", mimeType: "text/csv" },
    ]);
    const who = await postModern(url, 4, "tools/call", { name: "whoami" }, { "user-agent": "docs-test/1.0" });
    assert.deepEqual(who.json.result.structuredContent, { userAgent: "docs-test/1.0", transport: "http" });
    const waited = await postModern(url, 5, "tools/call", { name: "wait", arguments: { ms: 5 } });
    assert.deepEqual(waited.json.result.structuredContent, { waitedMs: 5 });
    const tooLong = await postModern(url, 6, "tools/call", { name: "wait", arguments: { ms: 60_001 } });
    assert.equal(tooLong.json.result.isError, true);
    assert.match(tooLong.json.result.content[0].text, /^Error validating arguments for tool wait: \[\{"field":"ms"/);
  });

  test("prompts: string arguments converted, messages with a description, a failure as -32603", async () => {
    const { server } = await import("../docs/examples/prompts.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const listed = (await postModern(url, 1, "prompts/list")).json.result.prompts;
    assert.deepEqual(listed[0].arguments, [
      { name: "topic", description: "The topic to get advice on", required: true },
      { name: "includeSteps", description: "Whether to include actionable steps", required: false },
    ]);
    const advice = await postModern(url, 2, "prompts/get", { name: "get_advice", arguments: { topic: "sleep", includeSteps: "true" } });
    assert.deepEqual(advice.json.result.messages, [
      { role: "user", content: { type: "text", text: "You are a helpful assistant giving advice on sleep. Include actionable steps." } },
    ]);
    const review = await postModern(url, 3, "prompts/get", { name: "review", arguments: { language: "Go", code: "x := 1" } });
    assert.equal(review.json.result.description, "Review of a Go snippet");
    assert.deepEqual(review.json.result.messages.map((m: { role: string }) => m.role), ["user", "assistant"]);
    const empty = await postModern(url, 4, "prompts/get", { name: "review", arguments: { language: "Go", code: " " } });
    assert.deepEqual(empty.json.error, { code: -32603, message: "Error getting prompt review: Nothing to review" });
  });

  test("state: typed state, getState, lifespan start and stop", async () => {
    const { server, events } = await import("../docs/examples/state.ts");
    const url = await serveDuringTest(server.nodeHandler);
    assert.deepEqual(events, []);
    const first = await postModern(url, 1, "tools/call", { name: "increment", arguments: { by: 2 } });
    assert.deepEqual(first.json.result.structuredContent, { count: 2 });
    const read = await postModern(url, 2, "tools/call", { name: "read_counter" });
    assert.deepEqual(read.json.result.structuredContent, { count: 2 });
    assert.deepEqual(events, ["start"]);
    await server.close();
    assert.deepEqual(events, ["start", "stop"]);
  });

  test("scopes: hidden, refused, granted, and 401 from authenticate", async () => {
    const { server } = await import("../docs/examples/scopes.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const anonymous = await postLegacy(url, 1, "tools/list");
    assert.deepEqual(anonymous.json.result.tools, []);
    const refused = await postModern(url, 2, "tools/call", { name: "report", arguments: { quarter: "Q1" } });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json.error.data, { requiredScopes: ["reports"] }, "one scope that suffices, not every alternative");
    const alice = { authorization: "Bearer alice-token" };
    const listed = await postLegacy(url, 3, "tools/list", undefined, alice);
    assert.deepEqual(listed.json.result.tools.map((t: { name: string }) => t.name), ["report"]);
    const called = await postModern(url, 4, "tools/call", { name: "report", arguments: { quarter: "Q2" } }, alice);
    assert.deepEqual(called.json.result.structuredContent, { quarter: "Q2", revenue: 42 });
    const prompt = await postModern(url, 5, "prompts/get", { name: "briefing", arguments: { topic: "x" } }, alice);
    assert.equal(prompt.status, 403, "alice lacks the admin scope");
    const unknown = await postModern(url, 6, "tools/list", {}, { authorization: "Bearer stolen" });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.error.code, -31401);
  });

  test("errors: isError and errorMessage", async () => {
    const { server } = await import("../docs/examples/errors.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const failed = await postModern(url, 1, "tools/call", { name: "divide", arguments: { a: 1, b: 0 } });
    assert.equal(failed.json.result.isError, true);
    assert.equal(failed.json.result.content[0].text, "Error calling tool divide: Division by zero");
    const safe = await postModern(url, 2, "tools/call", { name: "safe_divide", arguments: { a: 1, b: 0 } });
    assert.equal(safe.json.result.isError, undefined);
    assert.deepEqual(safe.json.result.structuredContent, { errorMessage: "Error calling tool safe_divide: Division by zero" });
    const ok = await postModern(url, 3, "tools/call", { name: "safe_divide", arguments: { a: 6, b: 3 } });
    assert.deepEqual(ok.json.result.structuredContent, { quotient: 2 });
  });

  test("mounting: node http, Express, Hono, Fastify", async () => {
    const { nodeServer, expressApp, honoApp, fastifyApp } = await import("../docs/examples/mounting.ts");
    const { getRequestListener } = await import("@hono/node-server");
    const fastifyUrl = `${await fastifyApp.listen({ port: 0, host: "127.0.0.1" })}/mcp`;
    after(() => fastifyApp.close());
    const urls = [
      await serveDuringTest((req, res) => nodeServer.emit("request", req, res)),
      await serveDuringTest(expressApp),
      await serveDuringTest(getRequestListener(honoApp.fetch)),
      fastifyUrl,
    ];
    for (const url of urls) {
      const res = await postModern(url, 1, "tools/call", { name: "ping" });
      assert.equal(res.status, 200, url);
      assert.deepEqual(res.json.result.content, [{ type: "text", text: "pong" }]);
    }
  });

  test("security: allowed origins and hosts, the body cap, errors to onError only", async () => {
    const { server, reported } = await import("../docs/examples/security.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const call = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "lookup", _meta: MODERN_META } };
    const send = (headers: Record<string, string>, body: unknown = call) =>
      postOnNewConnection(url, body, { host: "mcp.example.com", ...modernHeaders("tools/call", "lookup"), ...headers });
    const failed = await send({ origin: "https://app.example.com" });
    assert.equal(failed.status, 200);
    assert.deepEqual(failed.json.result.content, [{ type: "text", text: "Error calling tool lookup: Internal error" }]);
    assert.doesNotMatch(failed.text, /ECONNREFUSED/);
    assert.deepEqual(reported, ["tool lookup: connect ECONNREFUSED db.internal:5432"]);
    assert.equal((await send({ origin: "https://evil.example" })).status, 403);
    assert.equal((await send({ host: "attacker.example" })).status, 403, "a Host not in allowedHosts");
    assert.equal((await send({}, "x".repeat(300 * 1024))).status, 413);
  });

  test("raw JSON Schema with the cfworker validator", async () => {
    const { server } = await import("../docs/examples/raw-json-schema.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const ok = await postModern(url, 1, "tools/call", { name: "add", arguments: { a: 2, b: 3 } });
    assert.deepEqual(ok.json.result.content, [{ type: "text", text: "5" }]);
    const bad = await postModern(url, 2, "tools/call", { name: "add", arguments: { a: "two", b: 3 } });
    assert.equal(bad.json.result.isError, true);
    assert.match(bad.json.result.content[0].text, /"field":"a"/);
    assert.doesNotMatch(bad.json.result.content[0].text, /two/);
    const listed = await post(url, { jsonrpc: "2.0", id: 3, method: "tools/list" });
    assert.deepEqual(listed.json.result.tools[0].inputSchema.required, ["a", "b"]);
  });

  test("stdio: a child process served to the official client, scoped by MCP_TOKEN; no admin without ADMIN_TOKEN", async () => {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
    const toolsSeenWith = async (token: string, adminToken: string | null = "let-me-in") => {
      const client = new Client({ name: "docs", version: "1.0.0" });
      const env = { PATH: process.env.PATH ?? "", MCP_TOKEN: token, ...(adminToken !== null && { ADMIN_TOKEN: adminToken }) };
      await client.connect(new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", "docs/examples/stdio.ts"], env }));
      try {
        const sum = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
        assert.deepEqual(sum.structuredContent, { sum: 42 });
        return (await client.listTools()).tools.map((tool) => tool.name);
      } finally {
        await client.close();
      }
    };
    assert.deepEqual(await toolsSeenWith("let-me-in"), ["add", "reset"]);
    assert.deepEqual(await toolsSeenWith("guess"), ["add"]);
    // Without ADMIN_TOKEN nobody is admin, whatever MCP_TOKEN says (not even "Bearer undefined").
    assert.deepEqual(await toolsSeenWith("undefined", null), ["add"]);
  });

  test("auth: the protected notes server with tokens from a real authorization server", async () => {
    const { startAuthorizationServer } = await import("./fixtures/authorization-server.ts");
    const as = await startAuthorizationServer();
    let handler: RequestListener = (_req, res) => void res.writeHead(503).end();
    const url = await serveDuringTest((req, res) => handler(req, res));
    try {
      Object.assign(process.env, { AUTH_ISSUER: as.issuer, AUTH_JWKS_URL: as.jwksUrl, MCP_RESOURCE: url });
      const { app } = await import("../docs/examples/auth.ts");
      handler = app.nodeHandler;
      as.resources.set(url, { format: "jwt", scopes: "notes:read", ttlSec: 60 });
      const refused = await postModern(url, 1, "tools/list");
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer realm="notes", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/);
      const metadata = await (await fetch(app.metadataUrl)).json();
      assert.deepEqual(metadata, { resource: url, authorization_servers: [as.issuer], scopes_supported: ["notes:read"] });
      const token = await as.token(url, "notes:read");
      const listed = await postModern(url, 2, "tools/call", { name: "list_notes" }, { authorization: `Bearer ${token}` });
      assert.deepEqual(listed.json.result.structuredContent, { owner: "agent", notes: ["buy milk"] });
    } finally {
      await as.close();
    }
  });

  test("resources: list, read, templates, not found per era, completions", async () => {
    const { server } = await import("../docs/examples/resources.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const listed = await postModern(url, 1, "resources/list");
    assert.deepEqual(listed.json.result.resources.map((r: { uri: string }) => r.uri), ["docs://logo.png", "docs://readme"]);
    const templates = await postModern(url, 2, "resources/templates/list");
    assert.equal(templates.json.result.resourceTemplates[0].uriTemplate, "notes://{id}");
    const read = await postModern(url, 3, "resources/read", { uri: "notes://2" }, { "mcp-name": "notes://2" });
    assert.deepEqual(read.json.result.contents, [{ uri: "notes://2", mimeType: "text/plain", text: "Call Ada" }]);
    const logo = await postModern(url, 4, "resources/read", { uri: "docs://logo.png" }, { "mcp-name": "docs://logo.png" });
    assert.deepEqual([logo.json.result.contents[0].blob, logo.json.result.ttlMs], ["iVBORw==", 86_400_000]);
    const missing = await postModern(url, 5, "resources/read", { uri: "notes://9" }, { "mcp-name": "notes://9" });
    assert.deepEqual(missing.json.error, { code: -32602, message: "Resource not found", data: { uri: "notes://9" } });
    const legacyMissing = await postLegacy(url, 6, "resources/read", { uri: "notes://9" });
    assert.equal(legacyMissing.json.error.code, -32002);
    const ref = { type: "ref/resource", uri: "notes://{id}" };
    const ids = await postModern(url, 7, "completion/complete", { ref, argument: { name: "id", value: "" } });
    assert.deepEqual(ids.json.result.completion, { values: ["1", "2"], total: 2, hasMore: false });
    const prompt = await postLegacy(url, 8, "completion/complete", { ref: { type: "ref/prompt", name: "summarize" }, argument: { name: "id", value: "2" } });
    assert.deepEqual(prompt.json.result.completion.values, ["2"]);
  });

  test("interactive: input_required, retry with the answer, progress over SSE; a 2025 client answers on its session", async () => {
    const { server } = await import("../docs/examples/interactive.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const meta = { ...MODERN_META, "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
    const call = (id: number, extra: Record<string, unknown>) =>
      post(url, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "deploy", arguments: { service: "api" }, ...extra } }, modernHeaders("tools/call", "deploy"));
    const asked = await call(1, { _meta: meta });
    const { resultType, inputRequests, requestState } = asked.json.result;
    assert.equal(resultType, "input_required");
    assert.equal(inputRequests.confirm.method, "elicitation/create");
    const answered = await call(2, {
      _meta: { ...meta, progressToken: "p1" },
      inputResponses: { confirm: { action: "accept", content: { ok: true } } },
      requestState,
    });
    assert.equal(answered.headers.get("content-type"), "text/event-stream");
    const events = answered.text.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)));
    assert.deepEqual(events.filter((e) => e.method === "notifications/progress").map((e) => e.params.progress), [1, 2, 3]);
    assert.deepEqual(events.at(-1).result.content, [{ type: "text", text: "api deployed." }]);

    const client = new V1Client({ name: "docs", version: "1" }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { ok: true } }));
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const result = await client.callTool({ name: "deploy", arguments: { service: "web" } });
      assert.deepEqual(result.content, [{ type: "text", text: "web deployed." }]);
    } finally {
      await client.close();
    }
  });

  test("changes: a listen stream hears list changes and subscribed resource updates", async () => {
    const { server, addPong, setStatus } = await import("../docs/examples/changes.ts");
    const url = await serveDuringTest(server.nodeHandler);
    const stream = await openStream(url, {
      headers: modernHeaders("subscriptions/listen"),
      body: {
        jsonrpc: "2.0",
        id: "sub-1",
        method: "subscriptions/listen",
        params: { _meta: MODERN_META, notifications: { toolsListChanged: true, resourceSubscriptions: ["status://current"] } },
      },
    });
    assert.equal((await stream.next()).method, "notifications/subscriptions/acknowledged");
    addPong();
    setStatus("red");
    const heard = [await stream.next(), await stream.next()];
    assert.deepEqual(heard.map((e) => [e.method, e.params._meta["io.modelcontextprotocol/subscriptionId"]]), [
      ["notifications/tools/list_changed", "sub-1"],
      ["notifications/resources/updated", "sub-1"],
    ]);
    stream.abort();
    const tools = await postModern(url, 9, "tools/list");
    assert.deepEqual(tools.json.result.tools.map((t: { name: string }) => t.name), ["ping", "pong"]);
  });
});
