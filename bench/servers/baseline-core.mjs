// The baseline's request logic, shared by its node:http server (baseline.mjs) and its fetch server
// on @hono/node-server (baseline-fetch.mjs): `answer(header, message)` → [status, body], after the
// checks http-mcp makes on a request of the era it is started for (argv[4]): 2026-07-28 (`_meta`
// protocol version, MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, `resultType` and the
// server's identity in result `_meta`) or a stateless 2025-11-25 POST (MCP-Protocol-Version a
// 2025 revision, plain results). Schemas are converted and lists serialized once (per set of
// scopes for the scoped variant).
import { z } from "zod";
import { add, allowed, era, input, output, scoped, scopesOf, tools } from "./shared.mjs";

export const MAX_BODY = 4 * 1024 * 1024;
const VERSION = "2026-07-28";
const LEGACY_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26"];
const modern = era === VERSION;
export const HEADERS = { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const SERVER_META = '"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"bench","version":"1.0.0"}}';
// Published with their `$schema`, as http-mcp publishes them (2020-12, SEP-1613).
const inputSchema = z.toJSONSchema(input, { io: "input" });
const outputSchema = z.toJSONSchema(output);
const entries = tools.map((tool) => ({
  ...tool,
  json: JSON.stringify({ name: tool.name, title: tool.title, description: tool.description, inputSchema, outputSchema }),
}));
const byName = new Map(entries.map((entry) => [entry.name, entry]));
const listResult = (visible) =>
  modern
    ? `{"resultType":"complete","tools":[${visible.map((entry) => entry.json).join(",")}],"ttlMs":300000,"cacheScope":"${scoped ? "private" : "public"}",${SERVER_META}}`
    : `{"tools":[${visible.map((entry) => entry.json).join(",")}]}`;
const publicList = listResult(entries);
const scopedLists = new Map(); // one serialized list per set of scopes, built on first use
const listFor = (scopes) => {
  const key = scopes.join(" ");
  let list = scopedLists.get(key);
  if (list === undefined) scopedLists.set(key, (list = listResult(entries.filter((entry) => allowed(entry, scopes)))));
  return list;
};

const RESULT_TYPE = modern ? '"resultType":"complete",' : "";
const RESULT_META = modern ? `,${SERVER_META}` : "";
const result = (id, json) => [200, `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${json}}`];
export const error = (status, id, code, message) => [status, JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } })];

/** The reply to one parsed JSON-RPC message; `header(name)` reads a lower-case request header. */
export function answer(header, message) {
  if (typeof message !== "object" || message === null || message.jsonrpc !== "2.0" || typeof message.method !== "string") {
    return error(400, null, -32600, "Invalid Request");
  }
  const { id, method, params } = message;
  if (typeof id !== "string" && typeof id !== "number") return error(400, null, -32600, "Invalid Request");
  if (modern) {
    const version = params?._meta?.["io.modelcontextprotocol/protocolVersion"];
    if (version !== VERSION) return error(400, id, -32022, "Unsupported protocol version");
    if (header("mcp-protocol-version") !== version || header("mcp-method") !== method) {
      return error(400, id, -32020, "Header mismatch");
    }
  } else {
    const version = header("mcp-protocol-version");
    if (version !== undefined && version !== null && !LEGACY_VERSIONS.includes(version)) return error(400, id, -32600, "Unsupported protocol version");
  }
  const scopes = scoped ? scopesOf(header("authorization") ?? undefined) : [];
  if (method === "tools/list") {
    return result(id, scoped ? listFor(scopes) : publicList);
  }
  if (method !== "tools/call") return error(404, id, -32601, "Method not found");
  const tool = byName.get(params.name);
  if (modern && header("mcp-name") !== params.name) return error(400, id, -32020, "Header mismatch");
  if (tool === undefined) return error(404, id, -32602, "Unknown tool");
  if (!allowed(tool, scopes)) return error(403, id, -31403, "Forbidden");
  const inputs = input.safeParse(params.arguments ?? {});
  if (!inputs.success) {
    return result(id, `{${RESULT_TYPE}"content":[{"type":"text","text":${JSON.stringify(inputs.error.message)}}],"isError":true${RESULT_META}}`);
  }
  const outputs = output.parse(add(inputs.data));
  const json = JSON.stringify(outputs);
  return result(id, `{${RESULT_TYPE}"content":[{"type":"text","text":${JSON.stringify(json)}}],"structuredContent":${json}${RESULT_META}}`);
}

