// Baseline: a hand-written node:http JSON-RPC handler, the practical limit. It answers tools/call
// and tools/list with the bytes http-mcp sends a 2026-07-28 client (checked by the harness), after
// the same checks: POST, JSON content type, body cap, JSON-RPC shape, the `_meta` protocol version
// and the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, zod input and output validation.
import { createServer } from "node:http";
import { HEADERS, MAX_BODY, answer, error } from "./baseline-core.mjs";
import { HOST, port, ready } from "./shared.mjs";

function send(res, [status, body]) {
  res.writeHead(status, { ...HEADERS, "content-length": Buffer.byteLength(body) }).end(body);
}

const server = createServer((req, res) => {
  if (req.method !== "POST") return send(res, [405, ""]);
  if (!req.headers["content-type"]?.startsWith("application/json")) return send(res, error(415, null, -32600, "Unsupported Media Type"));
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
      return send(res, error(400, null, -32700, "Parse error"));
    }
    send(res, answer((name) => req.headers[name], message));
  });
});
server.listen(port, HOST, () => ready(server.address().port));
