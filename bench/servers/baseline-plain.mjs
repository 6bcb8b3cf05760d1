// The straightforward hand-written handler: what someone writes for one zod tool with node:http and
// nothing else, doing the era's MCP work (argv[4]): for 2026-07-28 the `_meta` protocol version and
// the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, `resultType` and the server's identity in
// result `_meta`. Unlike the baseline it checks no Content-Type or body size, sends no security
// headers, reads the body with setEncoding and serializes the whole reply with JSON.stringify. Its
// reply body is byte-identical to http-mcp's (checked by the harness). tools/call only.
import { createServer } from "node:http";
import { add, era, HOST, input, output, port, ready } from "./shared.mjs";

const modern = era === "2026-07-28";
const serverInfo = { name: "bench", version: "1.0.0" };

function send(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.method !== "POST") return void res.writeHead(405).end();
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    let message;
    try {
      message = JSON.parse(body);
    } catch {
      return send(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    }
    const { id, method, params } = message;
    if (modern) {
      const version = params?._meta?.["io.modelcontextprotocol/protocolVersion"];
      if (version !== era || req.headers["mcp-protocol-version"] !== version || req.headers["mcp-method"] !== method || req.headers["mcp-name"] !== params?.name) {
        return send(res, 400, { jsonrpc: "2.0", id, error: { code: -32020, message: "Header mismatch" } });
      }
    }
    if (method !== "tools/call" || params?.name !== "add") return send(res, 404, { jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } });
    const inputs = input.safeParse(params.arguments);
    if (!inputs.success) return send(res, 200, { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: inputs.error.message }], isError: true } });
    const outputs = output.parse(add(inputs.data));
    const result = { content: [{ type: "text", text: JSON.stringify(outputs) }], structuredContent: outputs };
    send(res, 200, { jsonrpc: "2.0", id, result: modern ? { resultType: "complete", ...result, _meta: { "io.modelcontextprotocol/serverInfo": serverInfo } } : result });
  });
});
server.listen(port, HOST, () => ready(server.address().port));
