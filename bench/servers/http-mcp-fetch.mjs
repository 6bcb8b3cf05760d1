// http-mcp through `server.fetch` (the Web-standard handler) on @hono/node-server.
import { serve } from "@hono/node-server";
import { server } from "./http-mcp.mjs";
import { HOST, port, ready } from "./shared.mjs";

serve({ fetch: server.fetch, hostname: HOST, port }, (info) => ready(info.port));
