import { createServer } from "node:http";
import express from "express";
import { Hono } from "hono";
import { MCPServer, defineTool } from "http-mcp";

const ping = defineTool({ description: "Reply with pong.", handler: function ping() { return "pong"; } });
export const server = new MCPServer({ name: "mounted", version: "1.0.0", tools: [ping] });

// Node's http module: the handler works on IncomingMessage/ServerResponse directly.
export const nodeServer = createServer(server.nodeHandler);

// Express (with or without express.json() in front).
export const expressApp = express();
expressApp.post("/mcp", server.nodeHandler);

// Hono, or any fetch runtime (Bun.serve, Deno.serve, Cloudflare Workers: `export default { fetch: server.fetch }`).
export const honoApp = new Hono();
honoApp.all("/mcp", (c) => server.fetch(c.req.raw));
