// SEP-2243 `x-mcp-header`: tool parameters mirrored into `Mcp-Param-{Name}` headers. Annotations
// are checked when the server is built; over real HTTP (node and fetch handlers), 2026-07-28 calls
// whose headers are missing, malformed or different from the arguments get 400 / -32020, and
// 2025-era calls (which never carry these headers) are not refused.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { defineTool, jsonSchema, MCPServer } from "http-mcp";
import { jsonSchemaValidator } from "http-mcp/json-schema";
import { compileParamHeaders, encodeParamValue, paramHeaders, paramHeadersFor, paramHeadersOf } from "http-mcp/param-headers";
import { createTestClient } from "http-mcp/testing";
import { MODERN, MODERN_META, modernHeaders, mountBothHandlers, postLegacy, postOnNewConnection, type RawResponse } from "./helpers.js";

const b64 = (text: string) => `=?base64?${Buffer.from(text).toString("base64")}?=`;

const sql = defineTool({
  name: "execute_sql",
  input: z.object({
    region: z.string().meta({ "x-mcp-header": "Region" }),
    query: z.string(),
    priority: z.number().int().optional().meta({ "x-mcp-header": "Priority" }),
    dry: z.boolean().optional().meta({ "x-mcp-header": "Dry" }),
    target: z.object({ zone: z.string().optional().meta({ "x-mcp-header": "Zone" }) }).optional(),
  }),
  handler: ({ inputs }) => `${inputs.region}|${inputs.priority ?? "-"}|${inputs.dry ?? "-"}|${inputs.target?.zone ?? "-"}`,
});
const plain = defineTool({ name: "plain", input: z.object({ region: z.string() }), handler: ({ inputs }) => inputs.region });

const server = new MCPServer({ name: "params", version: "1.0.0", paramHeaders: paramHeaders(), tools: [sql, plain] });

function call(url: string, name: string, args: Record<string, unknown>, headers: Record<string, string | string[]>): Promise<RawResponse> {
  const body = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta: MODERN_META } };
  return postOnNewConnection(url, body, { ...modernHeaders("tools/call", name), ...(headers as Record<string, string>) });
}

function accepted(response: RawResponse): string {
  assert.equal(response.status, 200, response.text);
  assert.equal(response.json.result.isError, undefined, response.text);
  return response.json.result.content[0].text;
}

function refused(response: RawResponse, what: RegExp): void {
  assert.equal(response.status, 400, response.text);
  assert.equal(response.json.error.code, -32020, response.text);
  assert.match(response.json.error.message, what);
}

describe("Mcp-Param-* headers over HTTP", () => {
  const mounts = mountBothHandlers(server);
  const base = { region: "us-west1", query: "SELECT 1" };

  for (const mount of mounts) {
    describe(mount.name, () => {
      const url = () => mount.running!.url;

      test("matching headers pass: plain values, base64 sentinels (non-ASCII, spaces), integers compared as numbers, booleans", async () => {
        assert.equal(accepted(await call(url(), "execute_sql", base, { "mcp-param-region": "us-west1" })), "us-west1|-|-|-");
        assert.equal(accepted(await call(url(), "execute_sql", { ...base, region: "日本語" }, { "mcp-param-region": b64("日本語") })), "日本語|-|-|-");
        assert.equal(accepted(await call(url(), "execute_sql", { ...base, region: " padded " }, { "MCP-PARAM-REGION": b64(" padded ") })), " padded |-|-|-");
        const typed = { ...base, priority: 42, dry: false, target: { zone: "b" } };
        const headers = { "mcp-param-region": "us-west1", "mcp-param-priority": "42.0", "mcp-param-dry": "false", "mcp-param-zone": "b" };
        assert.equal(accepted(await call(url(), "execute_sql", typed, headers)), "us-west1|42|false|b");
        assert.equal(accepted(await call(url(), "execute_sql", { ...base, region: "" }, { "mcp-param-region": "" })), "|-|-|-");
      });

      test("values that are not the exact lowercase sentinel are literals", async () => {
        for (const literal of ["SGVsbG8=", "=?base64?SGVsbG8=", "=?BASE64?SGVsbG8=?="]) {
          assert.equal(accepted(await call(url(), "execute_sql", { ...base, region: literal }, { "mcp-param-region": literal })), `${literal}|-|-|-`);
        }
      });

      test("a missing, different, malformed or unexpected header is 400 / -32020", async () => {
        refused(await call(url(), "execute_sql", base, {}), /Missing Mcp-Param-Region header for arguments\.region/);
        refused(await call(url(), "execute_sql", base, { "mcp-param-region": "eu-west1" }), /Mcp-Param-Region header does not match arguments\.region/);
        refused(await call(url(), "execute_sql", base, { "mcp-param-region": "US-WEST1" }), /does not match/);
        refused(await call(url(), "execute_sql", { ...base, region: "Hello" }, { "mcp-param-region": "=?base64?SGVsbG8?=" }), /Invalid Mcp-Param-Region header/); // unpadded
        refused(await call(url(), "execute_sql", { ...base, region: "Hello" }, { "mcp-param-region": "=?base64?SGVs!!!bG8=?=" }), /Invalid Mcp-Param-Region header/);
        refused(await call(url(), "execute_sql", { ...base, region: "\xff" }, { "mcp-param-region": "=?base64?/w==?=" }), /Invalid Mcp-Param-Region header/); // not UTF-8
        refused(await call(url(), "execute_sql", { ...base, region: "Région" }, { "mcp-param-region": "Région" }), /Invalid Mcp-Param-Region header/); // raw non-ASCII bytes
        refused(await call(url(), "execute_sql", base, { "mcp-param-region": ["us-west1", "us-west1"] }), /does not match/); // duplicated
        refused(await call(url(), "execute_sql", { ...base, priority: 42 }, { "mcp-param-region": "us-west1", "mcp-param-priority": "0x2A" }), /Priority header does not match/);
        refused(await call(url(), "execute_sql", { ...base, dry: true }, { "mcp-param-region": "us-west1", "mcp-param-dry": "True" }), /Dry header does not match/);
        refused(await call(url(), "execute_sql", base, { "mcp-param-region": "us-west1", "mcp-param-zone": "b" }), /Mcp-Param-Zone header is sent but arguments\.target\.zone is absent/);
      });

      test("absent optional parameters need no header; tools without annotations ignore Mcp-Param-*", async () => {
        assert.equal(accepted(await call(url(), "execute_sql", { ...base, target: {} }, { "mcp-param-region": "us-west1" })), "us-west1|-|-|-");
        assert.equal(accepted(await call(url(), "plain", { region: "a" }, { "mcp-param-region": "b" })), "a");
      });

      test("2025-era calls carry no Mcp-Param-* headers and are not refused", async () => {
        const legacy = await postLegacy(url(), 1, "tools/call", { name: "execute_sql", arguments: base });
        assert.equal(legacy.status, 200, legacy.text);
        assert.equal(legacy.json.result.content[0].text, "us-west1|-|-|-");
      });
    });
  }

  test("the official 2026-07-28 client mirrors the annotated parameters, and its calls pass", async () => {
    const client = new ClientV2({ name: "params", version: "1" }, { versionNegotiation: { mode: { pin: MODERN } } });
    await client.connect(new TransportV2(new URL(mounts[0]!.running!.url)));
    try {
      const tools = await client.listTools();
      assert.equal(tools.tools.find((tool) => tool.name === "execute_sql")?.inputSchema.properties?.region?.["x-mcp-header" as never], "Region");
      const result = await client.callTool({ name: "execute_sql", arguments: { region: "Zürich", query: "q", priority: 7 } });
      assert.deepEqual(result.content, [{ type: "text", text: "Zürich|7|-|-" }]);
    } finally {
      await client.close();
    }
  });
});

describe("x-mcp-header annotations are checked when the server is built", () => {
  const withInput = (input: Record<string, unknown>, name = "bad_tool") =>
    new MCPServer({ name: "s", version: "1", jsonSchemaValidator: jsonSchemaValidator(), paramHeaders: paramHeaders(), tools: [defineTool({ name, input: jsonSchema(input), handler: () => "" })] });
  const property = (schema: Record<string, unknown>) => ({ type: "object", properties: { p: schema } });

  test("a tool with x-mcp-header needs the paramHeaders option", () => {
    assert.throws(() => new MCPServer({ name: "s", version: "1", tools: [sql] }), { name: "TypeError", message: /tool "execute_sql": x-mcp-header needs the paramHeaders option/ });
  });

  test("a description that mentions x-mcp-header does not need the option", () => {
    const mentions = defineTool({ name: "mentions", input: z.object({ region: z.string().describe('Sent as "x-mcp-header": Region by some tools') }), handler: () => "" });
    assert.doesNotThrow(() => new MCPServer({ name: "s", version: "1", tools: [mentions] }));
  });

  test("names must be non-empty RFC 9110 tokens", () => {
    for (const header of ["", "My Region", "Region:Primary", "Région", "Region\t1", "Region\r\n", 7, null]) {
      assert.throws(() => withInput(property({ type: "string", "x-mcp-header": header })), { name: "TypeError", message: /tool "bad_tool": x-mcp-header .* is not a header name/ }, String(header));
    }
    assert.ok(withInput(property({ type: "string", "x-mcp-header": "Method" }), "fine"), "Method is allowed: it makes Mcp-Param-Method");
  });

  test("names are unique regardless of case", () => {
    const twice = { type: "object", properties: { a: { type: "string", "x-mcp-header": "Region" }, b: { type: "string", "x-mcp-header": "REGION" } } };
    assert.throws(() => withInput(twice), /tool "bad_tool": x-mcp-header "REGION" repeats "Region"/);
  });

  test("only string, integer and boolean parameters", () => {
    for (const type of ["number", "array", "object", "null", undefined, ["string", "integer"]]) {
      assert.throws(() => withInput(property({ type, "x-mcp-header": "P" })), /only string, integer and boolean parameters/, String(type));
    }
    assert.ok(withInput(property({ type: ["string", "null"], "x-mcp-header": "P" }), "nullable"));
  });

  test("only on properties reached through `properties` alone", () => {
    const annotated = { type: "string", "x-mcp-header": "P" };
    const unreachable = [
      { type: "object", properties: { list: { type: "array", items: annotated } } },
      { type: "object", anyOf: [{ properties: { p: annotated } }] },
      { type: "object", if: { properties: { p: annotated } }, then: {} },
      { type: "object", $defs: { p: annotated }, properties: { p: { $ref: "#/$defs/p" } } },
      { type: "object", "x-mcp-header": "Root" },
    ];
    for (const schema of unreachable) assert.throws(() => withInput(schema), /tool "bad_tool": x-mcp-header/, JSON.stringify(schema));
    // Nested objects are fine; data keywords and a property merely named x-mcp-header are not annotations.
    const nested = { type: "object", properties: { a: { type: "object", properties: { b: annotated } } } };
    assert.deepEqual(paramHeadersOf(nested), [{ header: "P", path: ["a", "b"] }]);
    const lookalikes = { type: "object", properties: { "x-mcp-header": { type: "string", default: "x", examples: [{ "x-mcp-header": 1 }] } } };
    assert.deepEqual(paramHeadersOf(lookalikes), []);
    assert.equal(compileParamHeaders(lookalikes), undefined, "no header-bound parameter: no check");
  });
});

describe("clients' side: encoding values, and the test client", () => {
  test("values are encoded as SEP-2243's table shows", () => {
    const table: [string | number | boolean, string][] = [
      ["us-west1", "us-west1"],
      ["Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?="],
      [" padded ", "=?base64?IHBhZGRlZCA=?="],
      ["line1\nline2", "=?base64?bGluZTEKbGluZTI=?="],
      ["=?base64?literal?=", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?="],
      ["us west 1", "us west 1"],
      ["\tindented", "=?base64?CWluZGVudGVk?="],
      [true, "true"],
      [42, "42"],
      ["", ""],
    ];
    for (const [value, header] of table) assert.equal(encodeParamValue(value), header, JSON.stringify(value));
    const schema = { type: "object", properties: { region: { type: "string", "x-mcp-header": "Region" }, n: { type: "integer", "x-mcp-header": "N" } } };
    assert.deepEqual(paramHeadersFor(schema, { region: "日本語", n: null }), { "Mcp-Param-Region": "=?base64?5pel5pys6Kqe?=" });
  });

  test("the test client learns the tool's schema on a header mismatch and retries with the headers", async () => {
    const own = new MCPServer({ name: "params", version: "1.0.0", paramHeaders: paramHeaders(), tools: [sql] });
    const client = createTestClient(own);
    const result = await client.callTool("execute_sql", { region: " Zürich ", query: "q", dry: true });
    assert.deepEqual(result.content, [{ type: "text", text: " Zürich |-|true|-" }]);
    assert.equal((await client.callTool("execute_sql", { region: "b", query: "q" })).isError, false);
    await own.close();
  });
});
