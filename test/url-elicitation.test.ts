// URL-mode elicitation and sampling with tools: the client's `elicitation.url` and `sampling.tools`
// capabilities are required; 2026-07-28 asks through `input_required`, 2025-era sessions and stdio
// through server requests (answered here by the official v1 client), and -32042 from a handler.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { defineTool, MCPServer, McpError, type SamplingRequest } from "http-mcp";
import { legacySessions } from "http-mcp/sessions";
import { inMemoryStdio, listen, MODERN, modernHeaders, post, type RawResponse, type Running } from "./helpers.js";

const OPEN = { mode: "url" as const, message: "Sign in to the bank", url: "https://bank.example/connect?e=7", elicitationId: "e-7" };
const WEATHER_TOOL = { name: "get_weather", description: "Weather of a city", inputSchema: { type: "object" as const, properties: { city: { type: "string" } } } };
const ASK_MODEL: SamplingRequest = {
  messages: [{ role: "user", content: { type: "text", text: "Weather in Paris?" } }],
  maxTokens: 50,
  tools: [WEATHER_TOOL],
  toolChoice: { mode: "auto" },
};
const TOOL_USE = { role: "assistant", content: [{ type: "tool_use", id: "call-1", name: "get_weather", input: { city: "Paris" } }], model: "m", stopReason: "toolUse" };
const FORM = { message: "Name?", requestedSchema: { type: "object" as const, properties: { name: { type: "string" } } } };

const tools = [
  defineTool({
    name: "connect",
    handler: async ({ elicit }) => {
      const answer = await elicit("consent", OPEN);
      // @ts-expect-error a URL-mode answer carries no content
      void answer.content;
      return `consent: ${answer.action}`;
    },
  }),
  defineTool({
    name: "agent",
    handler: async ({ sample }) => {
      const answer = await sample("llm", ASK_MODEL);
      const [first] = Array.isArray(answer.content) ? answer.content : [answer.content];
      return first?.type === "tool_use" ? `${answer.stopReason}: ${first.name}(${JSON.stringify(first.input)})` : "no tool";
    },
  }),
  defineTool({ name: "ask_form", handler: async ({ elicit }) => (await elicit("name", FORM)).action }),
  defineTool({
    name: "needs_login",
    handler: () => {
      throw new McpError("URL_ELICITATION_REQUIRED", "Sign in first", { data: { elicitations: [OPEN] } });
    },
  }),
];
const server = (sessions = false) => new MCPServer({ name: "url-elicitation", version: "1.0.0", tools, ...(sessions ? { sessions: legacySessions() } : {}) });

let nextId = 1;
function callModern(url: string, name: string, capabilities: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<RawResponse> {
  const _meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": capabilities };
  return post(url, { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: {}, ...extra, _meta } }, modernHeaders("tools/call", name));
}

function refused(res: RawResponse, capability: string, required: Record<string, unknown>): void {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json.error.code, -32021, res.text);
  assert.equal(res.json.error.message, `The client did not declare the ${capability} capability`);
  assert.deepEqual(res.json.error.data, { requiredCapabilities: required });
}

describe("2026-07-28: URL elicitation and sampling with tools through input_required", () => {
  const mcp = server();
  let running: Running;
  before(async () => void (running = await listen(mcp.nodeHandler)));
  after(async () => {
    await running.close();
    await mcp.close();
  });

  test("a URL elicitation is asked, then the retry's action-only answer completes the call", async () => {
    const first = await callModern(running.url, "connect", { elicitation: { url: {} } });
    assert.equal(first.json.result?.resultType, "input_required", first.text);
    assert.deepEqual(first.json.result.inputRequests, { consent: { method: "elicitation/create", params: OPEN } });
    const retry = await callModern(running.url, "connect", { elicitation: { url: {} } }, { inputResponses: { consent: { action: "accept" } }, requestState: first.json.result.requestState });
    assert.deepEqual(retry.json.result?.content, [{ type: "text", text: "consent: accept" }], retry.text);
  });

  test("sampling with tools is asked with its tools and toolChoice; a tool_use answer reaches the handler", async () => {
    const first = await callModern(running.url, "agent", { sampling: { tools: {} } });
    assert.equal(first.json.result?.resultType, "input_required", first.text);
    assert.deepEqual(first.json.result.inputRequests, { llm: { method: "sampling/createMessage", params: ASK_MODEL } });
    const retry = await callModern(running.url, "agent", { sampling: { tools: {} } }, { inputResponses: { llm: TOOL_USE }, requestState: first.json.result.requestState });
    assert.deepEqual(retry.json.result?.content, [{ type: "text", text: 'toolUse: get_weather({"city":"Paris"})' }], retry.text);
  });

  test("without elicitation.url or sampling.tools: 400 -32021 naming the part it lacks; form elicitation needs neither", async () => {
    refused(await callModern(running.url, "connect", { elicitation: {} }), "elicitation.url", { elicitation: { url: {} } });
    refused(await callModern(running.url, "connect", { elicitation: { form: {} }, sampling: { tools: {} } }), "elicitation.url", { elicitation: { url: {} } });
    refused(await callModern(running.url, "connect", {}), "elicitation.url", { elicitation: { url: {} } });
    refused(await callModern(running.url, "agent", { sampling: {} }), "sampling.tools", { sampling: { tools: {} } });
    refused(await callModern(running.url, "agent", { sampling: { tools: true } }), "sampling.tools", { sampling: { tools: {} } });
    const form = await callModern(running.url, "ask_form", { elicitation: {} });
    assert.equal(form.json.result?.resultType, "input_required", form.text);
  });
});

describe("2025 era: server requests and -32042", () => {
  const mcp = server(true);
  let running: Running;
  before(async () => void (running = await listen(mcp.nodeHandler)));
  after(async () => {
    await running.close();
    await mcp.close();
  });

  async function connect(capabilities: Record<string, unknown>, asked: unknown[] = []): Promise<ClientV1> {
    const client = new ClientV1({ name: "v1-url", version: "0.0.1" }, { capabilities });
    client.setRequestHandler(ElicitRequestSchema, async (request) => (asked.push(request.params), { action: "accept" }));
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => (asked.push(request.params), TOOL_USE as never));
    await client.connect(new TransportV1(new URL(running.url)));
    return client;
  }

  test("the official v1 client answers a URL elicitation and a sampling request with tools on a session", async () => {
    const asked: any[] = [];
    const client = await connect({ elicitation: { url: {} }, sampling: { tools: {} } }, asked);
    try {
      assert.deepEqual((await client.callTool({ name: "connect", arguments: {} })).content, [{ type: "text", text: "consent: accept" }]);
      assert.deepEqual((await client.callTool({ name: "agent", arguments: {} })).content, [{ type: "text", text: 'toolUse: get_weather({"city":"Paris"})' }]);
      assert.deepEqual(asked[0], OPEN);
      assert.deepEqual(asked[1].tools, [WEATHER_TOOL]);
      assert.deepEqual(asked[1].toolChoice, { mode: "auto" });
    } finally {
      await client.close();
    }
  });

  test("a session client without elicitation.url or sampling.tools is refused with -32021, and is never asked", async () => {
    const asked: unknown[] = [];
    const client = await connect({ elicitation: {}, sampling: {} }, asked);
    try {
      await assert.rejects(client.callTool({ name: "connect", arguments: {} }), (error: Error) => /-32021.*elicitation\.url/.test(error.message));
      await assert.rejects(client.callTool({ name: "agent", arguments: {} }), (error: Error) => /-32021.*sampling\.tools/.test(error.message));
      assert.deepEqual(asked, []);
    } finally {
      await client.close();
    }
  });

  test("a handler answers -32042 URL elicitation required, with the elicitations in its data", async () => {
    const stateless = server();
    const plain = await listen(stateless.nodeHandler);
    const res = await post(plain.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "needs_login", arguments: {} } }, { "mcp-protocol-version": "2025-11-25" });
    assert.equal(res.status, 200, `${res.status} ${res.text}`);
    assert.deepEqual(res.json.error, { code: -32042, message: "Sign in first", data: { elicitations: [OPEN] } });
    await plain.close();
    await stateless.close();
  });
});

describe("stdio: URL elicitation and sampling with tools", () => {
  test("are server requests when declared, -32021 otherwise", async () => {
    for (const [capabilities, expected] of [
      [{ elicitation: { url: {} }, sampling: { tools: {} } }, "asked"],
      [{ elicitation: {}, sampling: {} }, "refused"],
    ] as const) {
      const mcp = server();
      const peer = inMemoryStdio(mcp);
      peer.send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "t", version: "1" } } });
      await peer.waitFor((line) => line.id === 0);
      peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      for (const [id, name, method] of [[1, "connect", "elicitation/create"], [2, "agent", "sampling/createMessage"]] as const) {
        peer.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {} } });
        if (expected === "refused") {
          const { line } = await peer.waitFor((line) => line.id === id);
          assert.equal(line.error?.code, -32021, JSON.stringify(line));
          continue;
        }
        const { line: request } = await peer.waitFor((line) => line.method === method);
        assert.deepEqual(request.params, method === "elicitation/create" ? OPEN : ASK_MODEL);
        peer.send({ jsonrpc: "2.0", id: request.id, result: method === "elicitation/create" ? { action: "decline" } : TOOL_USE });
        const { line } = await peer.waitFor((line) => line.id === id);
        assert.match(line.result.content[0].text, /^(consent: decline|toolUse: get_weather)/, JSON.stringify(line));
      }
      assert.equal(peer.lines.filter((line) => line.method === "elicitation/create" || line.method === "sampling/createMessage").length, expected === "asked" ? 2 : 0);
      await mcp.close();
    }
  });
});
