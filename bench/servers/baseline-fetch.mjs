// The baseline's logic as a Web fetch handler on @hono/node-server: the ceiling for any fetch-style
// handler on that adapter, so http-mcp's `fetch` mount can be compared with its own kind.
import { serve } from "@hono/node-server";
import { HEADERS, MAX_BODY, answer, error } from "./baseline-core.mjs";
import { HOST, port, ready } from "./shared.mjs";

const reply = ([status, body]) => new Response(body, { status, headers: HEADERS });

async function fetch(request) {
  if (request.method !== "POST") return reply([405, ""]);
  if (!request.headers.get("content-type")?.startsWith("application/json")) return reply(error(415, null, -32600, "Unsupported Media Type"));
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_BODY) return reply(error(413, null, -32600, "Request body too large"));
  let message;
  try {
    message = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return reply(error(400, null, -32700, "Parse error"));
  }
  return reply(answer((name) => request.headers.get(name), message));
}

serve({ fetch, hostname: HOST, port }, (info) => ready(info.port));
