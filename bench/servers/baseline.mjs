// Baseline: a hand-written node:http JSON-RPC handler, the practical limit. It answers tools/call
// and tools/list with the bytes http-mcp sends a 2026-07-28 client (checked by the harness), after
// the same checks: POST, JSON content type, body cap, JSON-RPC shape, the `_meta` protocol version
// and the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, zod input and output validation.
// Schemas are converted and lists serialized once (per set of scopes for the scoped variant).
import { createServer } from "node:http";
import { z } from "zod";
import { HOST, add, allowed, input, output, port, ready, scoped, scopesOf, tools } from "./shared.mjs";

const MAX_BODY = 4 * 1024 * 1024;
const VERSION = "2026-07-28";
const HEADERS = { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const SERVER_META = '"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"bench","version":"1.0.0"}}';
const withoutDialect = ({ $schema, ...schema }) => schema;
const inputSchema = withoutDialect(z.toJSONSchema(input, { io: "input" }));
const outputSchema = withoutDialect(z.toJSONSchema(output));
const entries = tools.map((tool) => ({
  ...tool,
  json: JSON.stringify({ name: tool.name, title: tool.title, description: tool.description, inputSchema, outputSchema }),
}));
const byName = new Map(entries.map((entry) => [entry.name, entry]));
const listResult = (visible) =>
  `{"resultType":"complete","tools":[${visible.map((entry) => entry.json).join(",")}],"ttlMs":300000,"cacheScope":"${scoped ? "private" : "public"}",${SERVER_META}}`;
const publicList = listResult(entries);
const scopedLists = new Map(); // one serialized list per set of scopes, built on first use
const listFor = (scopes) => {
  const key = scopes.join(" ");
  let list = scopedLists.get(key);
  if (list === undefined) scopedLists.set(key, (list = listResult(entries.filter((entry) => allowed(entry, scopes)))));
  return list;
};

function send(res, status, body) {
  res.writeHead(status, { ...HEADERS, "content-length": Buffer.byteLength(body) }).end(body);
}
const result = (res, id, json) => send(res, 200, `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${json}}`);
const error = (res, status, id, code, message) => send(res, status, JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }));

function handle(req, res, message) {
  if (typeof message !== "object" || message === null || message.jsonrpc !== "2.0" || typeof message.method !== "string") {
    return error(res, 400, null, -32600, "Invalid Request");
  }
  const { id, method, params } = message;
  if (typeof id !== "string" && typeof id !== "number") return error(res, 400, null, -32600, "Invalid Request");
  const version = params?._meta?.["io.modelcontextprotocol/protocolVersion"];
  if (version !== VERSION) return error(res, 400, id, -32022, "Unsupported protocol version");
  if (req.headers["mcp-protocol-version"] !== version || req.headers["mcp-method"] !== method) {
    return error(res, 400, id, -32020, "Header mismatch");
  }
  const scopes = scoped ? scopesOf(req.headers.authorization) : [];
  if (method === "tools/list") {
    return result(res, id, scoped ? listFor(scopes) : publicList);
  }
  if (method !== "tools/call") return error(res, 404, id, -32601, "Method not found");
  const tool = byName.get(params.name);
  if (req.headers["mcp-name"] !== params.name) return error(res, 400, id, -32020, "Header mismatch");
  if (tool === undefined) return error(res, 404, id, -32602, "Unknown tool");
  if (!allowed(tool, scopes)) return error(res, 403, id, -31403, "Forbidden");
  const inputs = input.safeParse(params.arguments ?? {});
  if (!inputs.success) {
    return result(res, id, `{"resultType":"complete","content":[{"type":"text","text":${JSON.stringify(inputs.error.message)}}],"isError":true,${SERVER_META}}`);
  }
  const outputs = output.parse(add(inputs.data));
  const json = JSON.stringify(outputs);
  result(res, id, `{"resultType":"complete","content":[{"type":"text","text":${JSON.stringify(json)}}],"structuredContent":${json},${SERVER_META}}`);
}

const server = createServer((req, res) => {
  if (req.method !== "POST") return send(res, 405, "");
  if (!req.headers["content-type"]?.startsWith("application/json")) return error(res, 415, null, -32600, "Unsupported Media Type");
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on("end", () => {
    let message;
    try {
      message = JSON.parse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } catch {
      return error(res, 400, null, -32700, "Parse error");
    }
    handle(req, res, message);
  });
});
server.listen(port, HOST, () => ready(server.address().port));
